// Package bridge hands the cluster back and forth between the UI and the
// command a learner typed.
//
// The cluster is single-threaded. kubectl (cobra) is synchronous, so a
// command runs on its own goroutine; whenever it needs the cluster to move
// on it calls Wait, which parks it and gives the cluster to the UI. The UI
// advances the kernel at the pace of the mode (a key press, an animation,
// the clock) and, once the command's condition holds or its time is up,
// hands the cluster back and touches it no more until the command parks
// again or finishes. Exactly one side holds the cluster at any time, and
// every hand-over is a channel operation, so the race detector sees a
// happens-before edge at each one.
//
// On a real-time cluster (Docker) the kernel's time is the wall clock and
// the container runtime's answers arrive from other goroutines (Inject).
// The UI never waits inside Update there: it delivers what is due now and
// waits off its goroutine, in the Cmd of Waiter, for the next thing due or
// injected.
package bridge

import (
	"bytes"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/proxy"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/present"

	tea "charm.land/bubbletea/v2"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	"k8s.io/apimachinery/pkg/watch"
)

// ParkedMsg says the running command waits for the cluster: the UI holds it.
type ParkedMsg struct{ r *request }

// WakeMsg says something may be due on a real-time cluster: the runtime
// injected a hop, the next queued hop's time came, or a parked command's.
type WakeMsg struct{}

// FinishedMsg says the running command is done.
type FinishedMsg struct {
	Line string // the command line that ran
	Code int
	Quit bool // the command was `exit`
}

type request struct {
	limit time.Duration
	done  func() bool
	from  time.Duration // the cluster's time when the command parked
	end   time.Duration
	reply chan bool
	// stopped says the UI answered false because the learner stopped the
	// command; written before reply is sent, read after it is received.
	stopped bool
	// forward marks `sleep`: a jump in time the learner asked for, so the
	// clock may leap over quiet stretches to its end. Every other wait
	// takes the time the mode gives it.
	forward bool
}

// Forward is a fast-forward the learner asked for (`sleep`): the
// cluster's time went From → To at once, for the UI to say so.
type Forward struct{ From, To time.Duration }

// Driver owns the cluster on behalf of the UI goroutine.
type Driver struct {
	C   backend.Cluster
	con *console.Console
	Out *Output

	// Owned by whoever holds the cluster: filled by the kernel's and the
	// store's callbacks, which run on the goroutine that advances it.
	hops     []sim.Hop
	events   []backend.Event
	forwards []Forward
	dirty    bool

	// Owned by the UI goroutine.
	running     bool
	parked      *request
	interrupted bool
	reqs        chan *request
	loans       chan *loan
	results     chan FinishedMsg
	quit        chan struct{}
	closeOnce   sync.Once
	gate        func(sim.Hop) bool // see SetGate
	load        *proxy.Load        // the load run Traffic last showed
	loadRun     int                // and its number
	// hpaHistory is each HPA's measures as its controller wrote them,
	// for the board's sparkline; filled by the store's callback.
	hpaHistory present.HPAHistory

	// Owned by the command goroutine (reset by Start before it runs):
	// whether one of the command's waits was ended by Interrupt.
	stopped bool
}

// New wraps c; lang is the language of kubeplay's hints.
func New(c backend.Cluster, lang bilingual.Lang) *Driver { return NewReading(c, lang, nil) }

// NewReading is New with kubectl's -f reading files through readFile (a
// lesson's manifests by name, then the disk); nil reads the disk.
func NewReading(c backend.Cluster, lang bilingual.Lang, readFile func(string) ([]byte, error)) *Driver {
	d := &Driver{C: c, Out: &Output{}, reqs: make(chan *request), loans: make(chan *loan), results: make(chan FinishedMsg, 1), quit: make(chan struct{}), dirty: true}
	d.con = console.New(c, d.Out, d.Out, console.Options{Lang: lang, Namespace: c.Capabilities().Namespace, Wait: d.wait, Sleep: d.sleep, Stopped: func() bool { return d.stopped }, ReadFile: readFile, Lend: d.lendTerminal})
	// The hop log shows the object each hop carried.
	c.RecordPayloads(true)
	c.Observe(func(h sim.Hop) { d.hops = append(d.hops, h) })
	c.Watch(func(ev backend.Event) {
		d.dirty = true
		if h, ok := ev.Object.(*autoscalingv2.HorizontalPodAutoscaler); ok && ev.Type == watch.Modified {
			d.hpaHistory.Observe(h)
		}
		if isEvent(ev.Key) {
			d.events = append(d.events, ev)
		}
	})
	return d
}

// Running reports whether a command is in flight (parked or not).
func (d *Driver) Running() bool { return d.running }

// Parked reports whether a running command waits on the UI to advance
// the cluster.
func (d *Driver) Parked() bool { return d.parked != nil }

// Holding reports whether the UI may touch the cluster now.
func (d *Driver) Holding() bool { return !d.running || d.parked != nil }

// Start runs line as the shell would, on its own goroutine. The returned
// Cmd reports when it parks or finishes.
func (d *Driver) Start(line string, stdin io.Reader) tea.Cmd {
	if d.running {
		return nil
	}
	d.running, d.interrupted, d.stopped = true, false, false
	go func() {
		res := FinishedMsg{Line: line, Code: 1}
		defer func() {
			// A panic in a command must not leave the UI waiting for ever,
			// nor kill the program with the terminal in raw mode.
			if p := recover(); p != nil {
				fmt.Fprintf(d.Out, "kubeplay: internal error: %v\n%s", p, debug.Stack())
			}
			d.results <- res
		}()
		res.Code, res.Quit = d.con.Exec(line, stdin)
	}()
	return d.listen()
}

func (d *Driver) listen() tea.Cmd {
	return func() tea.Msg {
		select {
		case r := <-d.reqs:
			return ParkedMsg{r}
		case l := <-d.loans:
			return d.lend(l)
		case res := <-d.results:
			return res
		case <-d.quit:
			return nil
		}
	}
}

// wait is the commands' Session.Wait: it runs on the command goroutine.
func (d *Driver) wait(limit time.Duration, done func() bool) bool {
	return d.ask(&request{limit: limit, done: done, reply: make(chan bool, 1)})
}

// sleep is the console's Sleep: a fast-forward of dur.
func (d *Driver) sleep(dur time.Duration) {
	d.ask(&request{limit: dur, done: func() bool { return false }, reply: make(chan bool, 1), forward: true})
}

// ask parks the command goroutine on r until the UI hands it back.
func (d *Driver) ask(r *request) bool {
	select {
	case d.reqs <- r:
	case <-d.quit:
		return false
	}
	select {
	case ok := <-r.reply:
		d.stopped = d.stopped || r.stopped
		return ok
	case <-d.quit:
		return false
	}
}

// Park takes the cluster from a waiting command. It returns a Cmd when the
// command could be handed back at once (its condition already holds).
func (d *Driver) Park(m ParkedMsg) tea.Cmd {
	if d.interrupted {
		m.r.stopped = true
		m.r.reply <- false
		return d.listen()
	}
	d.parked = m.r
	d.C.CatchUp()
	m.r.from = d.C.Elapsed()
	m.r.end = m.r.from + m.r.limit
	return d.settle()
}

// Finish records the end of the command.
func (d *Driver) Finish(FinishedMsg) { d.running, d.parked = false, nil }

// Interrupt makes the running command's waits fail, as Ctrl-C would stop
// kubectl: it prints its own error and ends.
func (d *Driver) Interrupt() tea.Cmd {
	if !d.running {
		return nil
	}
	d.interrupted = true
	if d.parked != nil {
		r := d.parked
		d.parked = nil
		r.stopped = true
		r.reply <- false
		return d.listen()
	}
	return nil
}

// Close releases a parked command and stops listening, on quit.
func (d *Driver) Close() { d.closeOnce.Do(func() { close(d.quit) }) }

// settle hands the cluster back when the parked command has what it
// waited for, or when its time is up.
func (d *Driver) settle() tea.Cmd { return d.handBack(false) }

// handBack hands the parked command back when it has what it waited for
// or its time is up. With nothing due before the end of its wait, time
// leaps there only for a fast-forward (sleep), or when expire says the
// learner asked it to move (space in step mode): otherwise the mode's
// clock must get there, so a quiet cluster never jumps ahead by itself.
// In real time the command always waits for the clock.
func (d *Driver) handBack(expire bool) tea.Cmd {
	r := d.parked
	if r == nil {
		return nil
	}
	c := d.C
	c.CatchUp()
	if !r.done() {
		if next, ok := c.Next(); ok && next.At <= r.end {
			return nil
		}
		if c.Elapsed() < r.end {
			if c.Realtime() || !(r.forward || expire) {
				return nil
			}
			c.RunFor(r.end - c.Elapsed())
		}
	}
	if r.forward && c.Elapsed() > r.from {
		d.forwards = append(d.forwards, Forward{From: r.from, To: c.Elapsed()})
	}
	d.parked = nil
	r.reply <- r.done()
	return d.listen()
}

// Step delivers hops until one is visible, and returns it: step mode,
// where time moves only as hops are delivered. It never delivers past
// the end of a parked command's wait — with nothing left before it, the
// key press ends the wait — nor, in real time, a hop that is not due
// yet. The Cmd, if any, listens for the command the step released.
func (d *Driver) Step() (sim.Hop, bool, tea.Cmd) { return d.deliver(-1) }

// Pace is paced mode's step: it delivers the next visible hop if it
// falls within budget of cluster time from now, moving the clock to it.
// Otherwise it lets the budget pass, delivering the timers within it,
// and reports false: the clock never runs ahead of what the wall clock
// allowed. A fast-forward (sleep) is not held to the budget.
func (d *Driver) Pace(budget time.Duration) (sim.Hop, bool, tea.Cmd) {
	return d.deliver(max(budget, 0))
}

// deliver is Step (budget < 0: no limit but the wait's) and Pace.
func (d *Driver) deliver(budget time.Duration) (sim.Hop, bool, tea.Cmd) {
	if !d.Holding() {
		return sim.Hop{}, false, nil
	}
	c := d.C
	c.CatchUp()
	limit, bounded := c.Elapsed()+budget, budget >= 0
	if r := d.parked; r != nil {
		switch {
		case r.forward || !bounded:
			limit, bounded = r.end, true
		default:
			limit = min(limit, r.end)
		}
	}
	for {
		c.CatchUp()
		next, ok := c.Next()
		if !ok || (bounded && next.At > limit) || (c.Realtime() && next.At > c.Elapsed()) {
			if budget >= 0 && bounded && !c.Realtime() && limit > c.Elapsed() {
				c.RunFor(limit - c.Elapsed())
			}
			return sim.Hop{}, false, d.handBack(budget < 0)
		}
		h, _ := c.Step()
		if !h.Internal {
			d.skipInternal()
			return h, true, d.settle()
		}
	}
}

// skipInternal delivers timers due now so that Next shows the next hop a
// learner will see; later timers wait, as they would.
func (d *Driver) skipInternal() {
	c := d.C
	for {
		next, ok := c.Next()
		if !ok || !next.Internal || next.At > c.Elapsed() {
			return
		}
		c.Step()
	}
}

// Advance lets dt of cluster time pass, delivering what falls due: free
// mode. It stops at a parked command's end and hands it back; a parked
// fast-forward (sleep) runs to its end at once, whatever dt says. In real
// time the clock has already moved: it delivers what is due now, whatever
// dt says, and never waits.
func (d *Driver) Advance(dt time.Duration) tea.Cmd {
	if !d.Holding() {
		return nil
	}
	c := d.C
	if c.Realtime() {
		dt = 0
	}
	if r := d.parked; r != nil {
		if r.forward {
			dt = r.end - c.Elapsed() // the jump the learner asked for
		}
		dt = min(dt, max(0, r.end-c.Elapsed()))
		d.runGated(dt, r.done)
		return d.settle()
	}
	d.runGated(dt, func() bool { return false })
	return nil
}

// Realtime reports whether the cluster's time is the wall clock.
func (d *Driver) Realtime() bool { return d.C.Realtime() }

// Poll takes in what the runtime sent and hands a parked command back if
// its time is up; it delivers nothing. For step mode in real time.
func (d *Driver) Poll() tea.Cmd {
	if !d.Holding() {
		return nil
	}
	return d.settle()
}

// DueNow reports whether a hop is due now, those the runtime sent
// included: what a step would deliver. In virtual time that is whether
// anything is queued.
func (d *Driver) DueNow() bool {
	if !d.Holding() {
		return false
	}
	d.C.CatchUp()
	next, ok := d.C.Next()
	return ok && (!d.Realtime() || next.At <= d.C.Elapsed())
}

// Waiter returns a Cmd that waits, off the UI goroutine, for the next
// thing that may be due on a real-time cluster — a hop the runtime
// injects, the time of the next queued hop, the end of a parked command's
// wait — and then reports WakeMsg. With deliver (the UI delivers on its
// own: free mode, paced between packets) a hop already due — it fell due
// since the UI last delivered — wakes it at once; without (step mode,
// paused, a packet moving) hops already due wait for the learner and set
// no timer, so it never spins. With nothing ahead it waits on the
// kernel's Wake alone and costs no CPU. It returns nil once cancel is
// closed or the driver is. The UI keeps one armed, re-arming it after
// each WakeMsg (and whenever what is queued may have changed), closing
// the previous one's cancel.
func (d *Driver) Waiter(cancel <-chan struct{}, deliver bool) tea.Cmd {
	delay, timed := d.ahead(deliver)
	wake, quit := d.C.Wake(), d.quit
	return func() tea.Msg {
		var at <-chan time.Time
		if timed {
			t := time.NewTimer(delay)
			defer t.Stop()
			at = t.C
		}
		select {
		case <-wake:
		case <-at:
		case <-cancel:
			return nil
		case <-quit:
			return nil
		}
		return WakeMsg{}
	}
}

// ahead is how long until the next hop (due or not, with deliver) or
// deadline that is not due yet.
func (d *Driver) ahead(deliver bool) (time.Duration, bool) {
	if !d.Holding() {
		return 0, false
	}
	c := d.C
	c.CatchUp()
	now := c.Elapsed()
	var at []time.Duration
	if next, ok := c.Next(); ok && (deliver || next.At > now) {
		at = append(at, max(next.At, now))
	}
	if r := d.parked; r != nil && r.end > now {
		at = append(at, r.end)
	}
	if c.Realtime() {
		// Real containers do not stop for step mode or a pause: the
		// cluster's time is the wall's, and the clock on screen moves
		// with it, second by second, also while hops wait for a key.
		at = append(at, now.Truncate(time.Second)+time.Second)
	}
	if len(at) == 0 {
		return 0, false
	}
	return slices.Min(at) - now, true
}

// Next is the next visible hop in the queue, if the head is one.
func (d *Driver) Next() (sim.Hop, bool) {
	if !d.Holding() {
		return sim.Hop{}, false
	}
	h, ok := d.C.Next()
	if !ok || h.Internal {
		return sim.Hop{}, false
	}
	return h, true
}

// Busy reports whether anything is queued or a command waits: whether
// ticks are worth having.
func (d *Driver) Busy() bool {
	if !d.Holding() {
		return d.running
	}
	return d.parked != nil || d.C.Pending() > 0
}

// TakeHops returns the hops delivered since the last call.
func (d *Driver) TakeHops() []sim.Hop {
	if !d.Holding() {
		return nil
	}
	h := d.hops
	d.hops = nil
	return h
}

// TakeForwards returns the fast-forwards (sleep) done since the last
// call.
func (d *Driver) TakeForwards() []Forward {
	if !d.Holding() {
		return nil
	}
	f := d.forwards
	d.forwards = nil
	return f
}

// TakeEvents returns the store's Event changes since the last call.
func (d *Driver) TakeEvents() []backend.Event {
	if !d.Holding() {
		return nil
	}
	e := d.events
	d.events = nil
	return e
}

// Changed reports, once, whether the store changed since the last call.
func (d *Driver) Changed() bool {
	if !d.Holding() {
		return false
	}
	c := d.dirty
	d.dirty = false
	return c
}

func isEvent(key string) bool {
	const p = "/registry/events/"
	return len(key) > len(p) && key[:len(p)] == p
}

// Output collects what commands print. Commands write from their own
// goroutine and the trace observer from whichever goroutine steps, so it
// locks.
type Output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

// Take returns what was written since the last call.
func (o *Output) Take() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.buf.String()
	o.buf.Reset()
	return s
}
