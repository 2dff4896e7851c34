// Package walltest is a wall clock for tests of the UI's time: it moves
// only when the test moves it, and the timers the UI sets on it fire in
// order, so that a test of ten idle minutes takes neither time nor a
// sleep.
package walltest

import (
	"sort"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Clock is the fake wall clock. Not safe for concurrent use: the UI's
// goroutine (the test's) alone reads and sets it.
type Clock struct {
	now    time.Time
	timers []timer
}

type timer struct {
	at  time.Time
	msg tea.Msg
}

// New returns a clock at t.
func New(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time { return c.now }

// After is the UI's timer: msg is due once d has passed on the clock.
// The Cmd it returns reports nothing; Next hands msg over when due.
func (c *Clock) After(d time.Duration, msg tea.Msg) tea.Cmd {
	c.timers = append(c.timers, timer{c.now.Add(d), msg})
	sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
	return nil
}

// Next moves the clock to the earliest timer due by limit and returns its
// message; with none due by then it moves the clock to limit and reports
// false.
func (c *Clock) Next(limit time.Time) (tea.Msg, bool) {
	if len(c.timers) == 0 || c.timers[0].at.After(limit) {
		if limit.After(c.now) {
			c.now = limit
		}
		return nil, false
	}
	t := c.timers[0]
	c.timers = c.timers[1:]
	if t.at.After(c.now) {
		c.now = t.at
	}
	return t.msg, true
}

// Pending is the number of timers set and not fired.
func (c *Clock) Pending() int { return len(c.timers) }

// Run runs cmd as the program would, but on the caller's goroutine and
// at once, so that a story test is deterministic: each message it
// reports goes to update, and the Cmd update returns is run in turn.
// Timers on the Clock report nothing here; tea.Tick's sleep.
func Run(update func(tea.Msg) tea.Cmd, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			Run(update, c)
		}
	default:
		Run(update, update(msg))
	}
}
