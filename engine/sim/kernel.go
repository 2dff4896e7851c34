// Package sim is the discrete-event kernel of the kubeplay cluster: one queue
// of messages ordered by (time, sequence), a clock that jumps to the next
// message when nothing is due, a seeded random source and the hop trace.
//
// Every component of the cluster is driven from this one queue and from one
// goroutine, which is what makes a run repeatable byte for byte: the same
// input and seed deliver the same messages in the same order.
package sim

import (
	"container/heap"
	"math/rand/v2"
	"time"
)

// Epoch is the wall-clock instant that virtual time 0 stands for. It is fixed
// so that timestamps printed by the simulated cluster are repeatable.
var Epoch = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

// Hop is one message between two components of the cluster: what the
// learner sees travel along an arrow. Internal hops (timers a component sets
// for itself) are delivered in order like any other but are not published.
type Hop struct {
	ID       uint64
	At       time.Duration // virtual time since the cluster started
	From, To string
	Verb     string // "create", "watch", "bind", "start", ...
	Object   string // "deployments/web", "pods/web-7d4b9c-xk2pq"
	Summary  string // a short why: "want 3, have 2 → create 1"
	Internal bool
}

type entry struct {
	hop     Hop
	seq     uint64
	deliver func()
}

type queue []*entry

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if q[i].hop.At != q[j].hop.At {
		return q[i].hop.At < q[j].hop.At
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(*entry)) }
func (q *queue) Pop() any {
	old := *q
	n := len(old)
	e := old[n-1]
	old[n-1] = nil
	*q = old[:n-1]
	return e
}

// Kernel owns virtual time and the message queue. It is not safe for
// concurrent use: the cluster runs it from one goroutine.
type Kernel struct {
	clock     Clock     // nil: virtual time
	start     time.Time // the wall-clock instant of time 0, in real time
	in        inbox
	now       time.Duration
	seq       uint64
	nextID    uint64
	q         queue
	observers []func(Hop)
	rand      *rand.Rand
	delivered uint64
	free      []*entry // delivered entries, reused by Send
}

// NewKernel returns a kernel at virtual time 0 whose random source is
// seeded with seed.
func NewKernel(seed uint64) *Kernel {
	return &Kernel{rand: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), in: inbox{wake: make(chan struct{}, 1), notify: make(chan struct{}, 1)}}
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
	if k.clock != nil {
		if t := k.clock.Now().Sub(k.start); t > k.now {
			k.now = t
		}
	}
	k.takeInjected()
}

// Rand is the kernel's seeded random source; components draw pod name
// suffixes and tie-breaks from it and from nothing else.
func (k *Kernel) Rand() *rand.Rand { return k.rand }

// Elapsed is the virtual time since the cluster started.
func (k *Kernel) Elapsed() time.Duration { return k.now }

// Now is the wall-clock instant of the kernel's current time.
func (k *Kernel) Now() time.Time {
	if k.clock != nil {
		return k.start.Add(k.now)
	}
	return Epoch.Add(k.now)
}

// Delivered counts the hops delivered so far, internal ones included.
func (k *Kernel) Delivered() uint64 { return k.delivered }

// Observe registers fn to be called with every visible hop as it is
// delivered, before its effect runs.
func (k *Kernel) Observe(fn func(Hop)) { k.observers = append(k.observers, fn) }

// Send queues a hop to be delivered after delay; deliver is its effect on
// the receiving component.
func (k *Kernel) Send(delay time.Duration, h Hop, deliver func()) uint64 {
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
	*e = entry{hop: h, seq: k.seq, deliver: deliver}
	heap.Push(&k.q, e)
	return h.ID
}

// After runs fn after delay as an internal hop owned by component: a timer.
func (k *Kernel) After(delay time.Duration, component, why string, fn func()) {
	k.Send(delay, Hop{From: component, To: component, Verb: "timer", Summary: why, Internal: true}, fn)
}

// Pending is the number of queued hops.
func (k *Kernel) Pending() int { return len(k.q) }

// Next returns the hop that would be delivered next, if any.
func (k *Kernel) Next() (Hop, bool) {
	if len(k.q) == 0 {
		return Hop{}, false
	}
	return k.q[0].hop, true
}

// Step delivers the earliest hop, moving the clock to its time. In real
// time it first takes in the hops injected by other goroutines.
func (k *Kernel) Step() (Hop, bool) {
	k.sync()
	if len(k.q) == 0 {
		return Hop{}, false
	}
	e := heap.Pop(&k.q).(*entry)
	if e.hop.At > k.now {
		k.now = e.hop.At
	}
	k.delivered++
	if !e.hop.Internal {
		for _, o := range k.observers {
			o(e.hop)
		}
	}
	hop, deliver := e.hop, e.deliver
	*e = entry{}
	k.free = append(k.free, e)
	if deliver != nil {
		deliver()
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
		if len(k.q) > 0 && k.q[0].hop.At <= k.now {
			k.Step()
			continue
		}
		if k.clock == nil {
			if len(k.q) == 0 || k.q[0].hop.At > end {
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
		if len(k.q) > 0 {
			wait = min(wait, k.q[0].hop.At-k.now)
		}
		select {
		case <-k.clock.After(wait):
		case <-k.in.wake:
		}
		k.sync()
	}
}

// Settle delivers every hop due at the current instant, so that a command's
// immediate effects are visible before the next command, without letting
// virtual time pass.
func (k *Kernel) Settle() {
	for len(k.q) > 0 && k.q[0].hop.At <= k.now {
		k.Step()
	}
}
