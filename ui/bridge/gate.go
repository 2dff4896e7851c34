package bridge

import (
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"
)

// SetGate makes Advance (free mode) stop right after delivering a visible
// hop gate selects, as step and paced mode do after every hop: a lesson's
// step-through mode stops the cluster at each hop it explains, so the
// hops after it wait for the learner. nil lets time run. gate runs on the
// UI goroutine, while the UI holds the cluster.
func (d *Driver) SetGate(gate func(sim.Hop) bool) { d.gate = gate }

// runGated lets up to dt of cluster time pass until done holds, stopping
// after the first hop the gate selects; it reports whether done holds.
func (d *Driver) runGated(dt time.Duration, done func() bool) bool {
	c := d.C
	if d.gate == nil {
		return c.Wait(dt, done)
	}
	end := c.Elapsed() + dt
	gated := func() bool {
		h, ok := c.Next()
		return ok && !h.Internal && h.At <= end && (!c.Realtime() || h.At <= c.Elapsed()) && d.gate(h)
	}
	if c.Wait(dt, func() bool { return done() || gated() }) && !done() {
		c.Step()
	}
	return done()
}
