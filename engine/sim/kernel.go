// Package sim is the discrete-event kernel of the kubeplay cluster: one queue
// of messages ordered by (time, sequence), a clock that jumps to the next
// message when nothing is due, a seeded random source and the hop trace.
//
// Every component of the cluster is driven from this one queue and from one
// goroutine, which is what makes a run repeatable byte for byte: the same
// input and seed deliver the same messages in the same order.
package sim

import (
	"math/rand/v2"
	"time"
)

// Epoch is the wall-clock instant that virtual time 0 stands for. It is fixed
// so that timestamps printed by the simulated cluster are repeatable.
var Epoch = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

type entry struct {
	hop     Hop
	seq     uint64
	deliver func()
	run     Runner // instead of deliver (SendRunner)
}

// Runner is a hop's effect as a value a sender can reuse (SendRunner):
// the hops sent most often, the apiserver's requests and watch events, a
// few per pod each, then cost no closure, which for them was the largest
// allocation left per hop.
type Runner interface{ Run() }

// Spares keeps values done with for their next use: the Runners of the
// hops sent most often (requests, watch deliveries, runtime calls) are
// taken from it and given back once they ran.
type Spares[T any] []*T

// Take returns a value done with, or a new one.
func (sp *Spares[T]) Take() *T {
	if n := len(*sp); n > 0 {
		v := (*sp)[n-1]
		*sp = (*sp)[:n-1]
		return v
	}
	return new(T)
}

// Give keeps v, emptied, for the next Take.
func (sp *Spares[T]) Give(v *T) {
	var zero T
	*v = zero // holds on to nothing
	*sp = append(*sp, v)
}

// queue orders entries by (time, sequence). Most hops share their instant
// with many others (a controller creating 100 pods sends 100 hops at one
// time), so entries are kept in one FIFO per instant and a small heap
// orders the instants: sending and delivering cost O(1) but for the first
// hop of a new instant.
type queue struct {
	buckets map[time.Duration]*bucket
	times   timeHeap
	n       int
	spare   []*bucket // emptied buckets, reused
}

type bucket struct {
	entries []*entry
	head    int
}

// timeHeap is a binary min-heap of instants, written out rather than
// through container/heap, whose interface would box every push.
type timeHeap []time.Duration

func (h *timeHeap) push(t time.Duration) {
	*h = append(*h, t)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if a[p] <= a[i] {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
}

func (h *timeHeap) pop() {
	a := *h
	last := len(a) - 1
	a[0] = a[last]
	a = a[:last]
	for i := 0; ; {
		l, r, min := 2*i+1, 2*i+2, i
		if l < len(a) && a[l] < a[min] {
			min = l
		}
		if r < len(a) && a[r] < a[min] {
			min = r
		}
		if min == i {
			break
		}
		a[i], a[min] = a[min], a[i]
		i = min
	}
	*h = a
}

// push appends e at its instant; entries are pushed in sequence order, so
// each FIFO is in (time, sequence) order.
func (q *queue) push(e *entry) {
	if q.buckets == nil {
		q.buckets = map[time.Duration]*bucket{}
	}
	b := q.buckets[e.hop.At]
	if b == nil {
		if n := len(q.spare); n > 0 {
			b, q.spare = q.spare[n-1], q.spare[:n-1]
		} else {
			b = &bucket{}
		}
		q.buckets[e.hop.At] = b
		q.times.push(e.hop.At)
	}
	b.entries = append(b.entries, e)
	q.n++
}

// peek is the earliest entry, or nil.
func (q *queue) peek() *entry {
	if q.n == 0 {
		return nil
	}
	b := q.buckets[q.times[0]]
	return b.entries[b.head]
}

// pop removes and returns the earliest entry; the queue must not be empty.
func (q *queue) pop() *entry {
	at := q.times[0]
	b := q.buckets[at]
	e := b.entries[b.head]
	b.entries[b.head] = nil
	b.head++
	q.n--
	if b.head == len(b.entries) {
		delete(q.buckets, at)
		q.times.pop()
		b.entries, b.head = b.entries[:0], 0
		q.spare = append(q.spare, b)
	}
	return e
}

// Kernel owns virtual time and the message queue. It is not safe for
// concurrent use: the cluster runs it from one goroutine.
type Kernel struct {
	clock Clock     // nil: virtual time
	epoch time.Time // the instant virtual time 0 stands for
	start time.Time // the wall-clock instant of time 0, in real time
	// live is the clock a virtual kernel follows for the while of RunLive,
	// from liveFrom (its reading) and liveAt (the kernel's time then).
	live     Clock
	liveFrom time.Time
	liveAt   time.Duration
	in       inbox
	now      time.Duration
	seq      uint64
	// background counts the queued hops marked Background.
	background int
	nextID     uint64
	q          queue
	observers  []func(Hop)
	rand       *rand.Rand
	aside      *rand.Rand
	addons     *rand.Rand
	delivered  uint64
	free       []*entry // delivered entries, reused by Send
	payloads   bool
}

// RecordPayloads makes components attach the objects hops carry, for a
// front end that shows them; off by default, since copying them costs.
func (k *Kernel) RecordPayloads(on bool) { k.payloads = on }

// Payloads reports whether hops should carry their objects.
func (k *Kernel) Payloads() bool { return k.payloads }

// NewKernel returns a kernel at virtual time 0 whose random source is
// seeded with seed.
func NewKernel(seed uint64) *Kernel {
	return &Kernel{epoch: Epoch, rand: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		aside:  rand.New(rand.NewPCG(seed^0x5bd1e9955bd1e995, seed)),
		addons: rand.New(rand.NewPCG(seed^0xc2b2ae3d27d4eb4f, seed^0x165667b19e3779f9)), in: inbox{wake: make(chan struct{}, 1), notify: make(chan struct{}, 1)}}
}

// NewRealtimeKernel returns a kernel whose time follows clock: hops due
// later are delivered when the clock reaches them, and waiting means
// waiting. Used with real containers.
func NewRealtimeKernel(seed uint64, clock Clock) *Kernel {
	k := NewKernel(seed)
	k.clock, k.start = clock, clock.Now()
	return k
}

// Realtime reports whether the kernel follows a wall clock.
func (k *Kernel) Realtime() bool { return k.clock != nil }

// sync moves the kernel's time up to the wall clock's, in real time, and
// takes in the hops other goroutines injected. A virtual kernel takes them
// too (kube-proxy's listeners hand it requests from outside), at its
// current virtual instant.
func (k *Kernel) sync() {
	switch {
	case k.clock != nil:
		if t := k.clock.Now().Sub(k.start); t > k.now {
			k.now = t
		}
	case k.live != nil:
		if t := k.liveAt + k.live.Now().Sub(k.liveFrom); t > k.now {
			k.now = t
		}
	}
	k.takeInjected()
}

// wall is the clock the kernel's time follows now, or nil in virtual time.
func (k *Kernel) wall() Clock {
	if k.clock != nil {
		return k.clock
	}
	return k.live
}

// RunLive delivers hops until done reports true, with the kernel's time
// flowing as clock's does: a real-time kernel as always, a virtual one
// from where it stands for the while, then virtual again. It is how a
// front end that waits for a person (the shell at its prompt) lets the
// cluster serve requests from outside — a real kubectl, a curl to a node
// port — whose pods must come up as the learner watches. done is checked
// after every hop; Inject a hop to make RunLive look at it sooner.
func (k *Kernel) RunLive(clock Clock, done func() bool) {
	if k.clock == nil {
		k.live, k.liveFrom, k.liveAt = clock, clock.Now(), k.now
		defer func() { k.live = nil }()
	}
	for !k.RunUntil(time.Hour, done) {
	}
}

// Rand is the kernel's seeded random source; components draw pod name
// suffixes and tie-breaks from it and from nothing else.
func (k *Kernel) Rand() *rand.Rand { return k.rand }

// RandAside is a second seeded source, for the names and UIDs of objects
// a controller derives from others (EndpointSlices): drawn from Rand,
// every Service would change the name of each pod created after it.
func (k *Kernel) RandAside() *rand.Rand { return k.aside }

// RandAddons is a third seeded source, for the names and UIDs of the
// objects the cluster's add-ons' controllers make (kube-proxy's pods, one
// per node at boot): drawn from Rand, they would change the name of each
// pod a learner creates, and of a cluster of a thousand nodes.
func (k *Kernel) RandAddons() *rand.Rand { return k.addons }

// Elapsed is the virtual time since the cluster started.
func (k *Kernel) Elapsed() time.Duration { return k.now }

// Now is the wall-clock instant of the kernel's current time.
func (k *Kernel) Now() time.Time {
	if k.clock != nil {
		return k.start.Add(k.now)
	}
	return k.epoch.Add(k.now)
}

// SetEpoch makes virtual time 0 stand for t instead of Epoch: a cluster
// that serves a real kubectl, which computes ages from its own clock,
// starts at the wall clock's now. Call it before anything happens.
func (k *Kernel) SetEpoch(t time.Time) { k.epoch = t }

// Delivered counts the hops delivered so far, internal ones included.
func (k *Kernel) Delivered() uint64 { return k.delivered }

// Observe registers fn to be called with every visible hop as it is
// delivered, before its effect runs.
func (k *Kernel) Observe(fn func(Hop)) { k.observers = append(k.observers, fn) }

// Send queues a hop to be delivered after delay; deliver is its effect on
// the receiving component.
func (k *Kernel) Send(delay time.Duration, h Hop, deliver func()) uint64 {
	return k.send(delay, h, deliver, nil)
}

// SendRunner is Send with r.Run as the hop's effect. r is the sender's
// until then: it may reuse r once Run is called.
func (k *Kernel) SendRunner(delay time.Duration, h Hop, r Runner) uint64 {
	return k.send(delay, h, nil, r)
}

func (k *Kernel) send(delay time.Duration, h Hop, deliver func(), run Runner) uint64 {
	if delay < 0 {
		delay = 0
	}
	k.seq++
	k.nextID++
	h.ID = k.nextID
	h.At = k.now + delay
	var e *entry
	if n := len(k.free); n > 0 {
		e, k.free = k.free[n-1], k.free[:n-1]
	} else {
		e = new(entry)
	}
	*e = entry{hop: h, seq: k.seq, deliver: deliver, run: run}
	k.q.push(e)
	if h.Background {
		k.background++
	}
	return h.ID
}

// AfterBackground is After for the cluster's own upkeep (Hop.Background).
func (k *Kernel) AfterBackground(delay time.Duration, component Component, why string, fn func()) {
	k.Send(delay, Hop{From: component, To: component, Verb: VerbTimer, Summary: why, Internal: true, Background: true}, fn)
}

// After runs fn after delay as an internal hop owned by component: a timer.
func (k *Kernel) After(delay time.Duration, component Component, why string, fn func()) {
	k.Send(delay, timer(component, why), fn)
}

// AfterRunner is After with r.Run as the timer's effect (see SendRunner).
func (k *Kernel) AfterRunner(delay time.Duration, component Component, why string, r Runner) {
	k.SendRunner(delay, timer(component, why), r)
}

// timer is the internal hop of a component's timer.
func timer(component Component, why string) Hop {
	return Hop{From: component, To: component, Verb: VerbTimer, Summary: why, Internal: true}
}

// Pending is the number of queued hops, background ones (Hop.Background)
// aside: the work still to come.
func (k *Kernel) Pending() int { return k.q.n - k.background }

// Next returns the hop that would be delivered next, if any.
func (k *Kernel) Next() (Hop, bool) {
	if e := k.q.peek(); e != nil {
		return e.hop, true
	}
	return Hop{}, false
}

// NextWork is Next passing over background hops (Hop.Background): the
// next hop of the work still to come, if any.
func (k *Kernel) NextWork() (Hop, bool) {
	if e := k.q.peek(); e == nil || !e.hop.Background {
		return k.Next()
	}
	if k.Pending() == 0 {
		return Hop{}, false
	}
	// Only while background hops come first, which is when the cluster
	// is quiet and its queue short: look through it.
	var best *entry
	for _, b := range k.q.buckets {
		for _, e := range b.entries[b.head:] {
			if !e.hop.Background {
				if best == nil || e.hop.At < best.hop.At || e.hop.At == best.hop.At && e.seq < best.seq {
					best = e
				}
				break
			}
		}
	}
	return best.hop, true
}

// Step delivers the earliest hop, moving the clock to its time. In real
// time it first takes in the hops injected by other goroutines.
func (k *Kernel) Step() (Hop, bool) {
	k.sync()
	if k.q.n == 0 {
		return Hop{}, false
	}
	e := k.q.pop()
	if e.hop.Background {
		k.background--
	}
	if e.hop.At > k.now {
		k.now = e.hop.At
	}
	k.delivered++
	if !e.hop.Internal {
		for _, o := range k.observers {
			o(e.hop)
		}
	}
	hop, deliver, run := e.hop, e.deliver, e.run
	*e = entry{}
	k.free = append(k.free, e)
	switch {
	case deliver != nil:
		deliver()
	case run != nil:
		run.Run()
	}
	return hop, true
}

// RunFor delivers every hop due within d of now and leaves the clock at
// now+d: in virtual time, with nothing due the clock jumps, so a long
// sleep costs nothing.
func (k *Kernel) RunFor(d time.Duration) {
	k.RunUntil(d, func() bool { return false })
}

// RunUntil delivers hops until done reports true or limit of time has
// passed; it reports whether done was reached. done is checked before the
// first hop and after every one.
func (k *Kernel) RunUntil(limit time.Duration, done func() bool) bool {
	k.sync()
	end := k.now + limit
	for {
		if done() {
			return true
		}
		if next := k.q.peek(); next != nil && next.hop.At <= k.now {
			k.Step()
			continue
		}
		wall := k.wall()
		if wall == nil {
			if k.in.waiting.Load() {
				// Injected after the last sync, perhaps by the request done
				// waits for: queue it before time jumps past it.
				k.takeInjected()
				continue
			}
			if next := k.q.peek(); next == nil || next.hop.At > end {
				k.now = max(k.now, end)
				return done()
			}
			k.Step()
			continue
		}
		if k.now >= end {
			return done()
		}
		// Real time: wait for the next hop, the end, or an injected hop.
		wait := end - k.now
		if next := k.q.peek(); next != nil {
			wait = min(wait, next.hop.At-k.now)
		}
		select {
		case <-wall.After(wait):
		case <-k.in.wake:
		}
		k.sync()
	}
}

// Settle delivers every hop due at the current instant, so that a command's
// immediate effects are visible before the next command, without letting
// virtual time pass.
func (k *Kernel) Settle() {
	for next := k.q.peek(); next != nil && next.hop.At <= k.now; next = k.q.peek() {
		k.Step()
	}
}
