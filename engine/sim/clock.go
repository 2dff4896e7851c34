package sim

import (
	"sync"
	"sync/atomic"
	"time"
)

// Clock is the wall clock a real-time kernel follows. The kernel is the
// only part of the engine that reads it; components read the kernel.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the machine's clock, for clusters whose containers are
// real (Docker): probes and grace periods must take real seconds there.
type SystemClock struct{}

// Now implements Clock.
func (SystemClock) Now() time.Time { return time.Now() }

// After implements Clock.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// inbox takes hops from other goroutines (a Docker call finishing, a
// container dying) for the kernel goroutine to deliver.
type inbox struct {
	mu      sync.Mutex
	pending []*entry
	waiting atomic.Bool   // pending is not empty: a Step need not lock when it is
	wake    chan struct{} // RunUntil's
	notify  chan struct{} // a front end's: see Wake
}

// Inject queues a hop from another goroutine, to be delivered by the
// kernel goroutine as soon as it runs. It is the only Kernel method that
// is safe to call concurrently.
func (k *Kernel) Inject(h Hop, deliver func()) {
	k.in.mu.Lock()
	k.in.pending = append(k.in.pending, &entry{hop: h, deliver: deliver})
	k.in.waiting.Store(true)
	k.in.mu.Unlock()
	for _, ch := range []chan struct{}{k.in.wake, k.in.notify} {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Wake is for a front end that delivers hops from its own event loop (the
// TUI) rather than by waiting in RunUntil: it receives a value after every
// Inject, so the front end knows to come back and deliver. Values are
// coalesced — one waits while nobody reads — so a wake-up that arrives
// while the front end is busy is kept, not lost. It is not the channel
// RunUntil waits on: reading it never takes a wake-up from the kernel.
// Safe to call and read from any goroutine; the delivering itself stays
// on the one goroutine that runs the kernel.
func (k *Kernel) Wake() <-chan struct{} { return k.in.notify }

// CatchUp moves a real-time kernel's time up to its clock and queues the
// injected hops, delivering nothing: after it, Next and Elapsed tell what
// is due now. In virtual time it only queues the injected hops.
func (k *Kernel) CatchUp() { k.sync() }

// takeInjected moves injected hops onto the queue at the current time, in
// the order they arrived.
func (k *Kernel) takeInjected() {
	if !k.in.waiting.Load() {
		return
	}
	k.in.mu.Lock()
	pending := k.in.pending
	k.in.pending = nil
	k.in.waiting.Store(false)
	k.in.mu.Unlock()
	for _, e := range pending {
		k.Send(0, e.hop, e.deliver)
	}
}
