// Package simtest has what tests of real-time code share.
package simtest

import (
	"sync"
	"time"
)

// JumpClock is a wall clock (a sim.Clock) that moves only when the kernel
// waits on it, and then by exactly the time waited, or when a test says
// (Pass): real-time code, tested instantly and repeatably.
type JumpClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewJumpClock is a JumpClock standing at start.
func NewJumpClock(start time.Time) *JumpClock { return &JumpClock{now: start} }

// Now implements sim.Clock.
func (c *JumpClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After implements sim.Clock: the time waited passes at once.
func (c *JumpClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- c.Pass(d)
	return ch
}

// Pass moves the clock d ahead, as wall time spent elsewhere (a slow
// Docker call) would, and returns the new time.
func (c *JumpClock) Pass(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}
