package playground

import (
	"math"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/harmonica"
	"github.com/kubeplay/kubeplay/engine/sim"
)

// fps is the frame rate of the packet animation.
const fps = 60

// freeTick is how often the free mode lets cluster time catch up with the
// wall clock while hops are due; clockTick how often at least, so the
// time on screen moves on.
const (
	freeTick  = 100 * time.Millisecond
	clockTick = time.Second
)

// anim is the packet moving along its arrow: a spring from 0 to 1.
type anim struct {
	id       int
	on       bool
	pos, vel float64
	spring   harmonica.Spring
}

// frameMsg and tickMsg carry the id of the animation or ticker that sent
// them: a message from one that was replaced is dropped, so switching mode
// or speed never leaves two clocks running.
type frameMsg struct{ id int }

type tickMsg struct{ id int }

func (m *Model) frameCmd() tea.Cmd {
	return m.after(time.Second/fps, frameMsg{m.anim.id})
}

// startAnim sends the packet of the hop just delivered on its way.
func (m *Model) startAnim() tea.Cmd {
	m.anim.id++
	m.anim.on, m.anim.pos, m.anim.vel = true, 0, 0
	// Faster speeds advance the spring by more time per frame: the same
	// motion, sooner. Critically damped, so it never overshoots the box.
	m.anim.spring = harmonica.NewSpring(harmonica.FPS(fps)*speeds[m.speed], 12.0, 1.0)
	if m.instant {
		// The packet lands at once; paced mode goes on from there.
		id := m.anim.id
		return func() tea.Msg { return frameMsg{id} }
	}
	m.flow.SetPos(0)
	return m.frameCmd()
}

func (m *Model) frame(f frameMsg) tea.Cmd {
	if f.id != m.anim.id || !m.anim.on {
		return nil
	}
	a := &m.anim
	a.pos, a.vel = a.spring.Update(a.pos, a.vel, 1)
	m.flow.SetPos(a.pos)
	if !m.instant && (math.Abs(1-a.pos) > 0.01 || math.Abs(a.vel) > 0.05) {
		return m.frameCmd()
	}
	// Landed: what comes next (kick) may deliver a hop to the panes.
	m.dropStill()
	a.on = false
	m.flow.SetPos(1)
	if m.mode == Paced && m.playing {
		return m.kick()
	}
	return nil
}

// setMode switches mode; pending frames and ticks of the old one become
// stale. The kernel's queue is untouched: no hop is lost or reordered.
func (m *Model) setMode(mode Mode) {
	if m.mode != mode {
		m.anim.id++
		m.anim.on = false
		m.flow.SetPos(1)
	}
	m.mode = mode
	m.tickID++
	m.ticking = false
	m.rtAsked = false
	m.trackClock()
}

// The cluster's clock in paced and free mode follows the wall clock,
// times the speed: clockAt is the wall instant up to which the cluster
// has had its time, and each tick, each paced hop, lets the wall time
// since then pass — never more, so a quiet cluster does not leap ahead
// to its next timer. A fast-forward is a command (sleep). Step mode
// stops the clock: time moves only as space delivers hops. A simulated
// cluster only: a real-time one's clock is the wall's already.

// clockRuns reports whether the cluster's time follows the wall clock
// now: paced or free mode, playing, and not held by the page around the
// playground (a lesson, between commands).
func (m *Model) clockRuns() bool {
	return m.playing && m.mode != Step && (!m.hold || m.d.Running() || m.now().Before(m.outsideUntil))
}

// outsideGrace is how long a hold lets the clock run for a request from
// outside (the learner's own kubectl, a curl to a NodePort): its hops
// are milliseconds apart, and it is the learner's act like a command.
const outsideGrace = 2 * time.Second

// outside notes a request from outside a held cluster: the clock runs
// for outsideGrace so that it is answered.
func (m *Model) outside() {
	if m.hold {
		m.outsideUntil = m.now().Add(outsideGrace)
		m.trackClock()
	}
}

// trackClock notices the clock starting or stopping: the wall time it
// was stopped for is never given to the cluster. Everything that can
// start or stop it calls this after the change.
func (m *Model) trackClock() {
	on := m.clockRuns()
	if on && !m.clockOn {
		m.clockAt = m.now()
	}
	m.clockOn = on
}

// budget is the cluster time the wall clock allows since the cluster
// last had its time, and takes it: the speed times the wall time since.
func (m *Model) budget() time.Duration {
	m.trackClock()
	if !m.clockOn {
		return 0
	}
	now := m.now()
	wall := now.Sub(m.clockAt)
	m.clockAt = now
	if wall <= 0 {
		return 0
	}
	return time.Duration(float64(wall) * speeds[m.speed])
}

// setSpeed changes the speed to speeds[i], within bounds. The time owed
// at the old speed is given first, so a change never multiplies it.
func (m *Model) setSpeed(i int) tea.Cmd {
	cmd := m.catchUp()
	m.clockAt = m.now()
	m.speed = max(0, min(i, len(speeds)-1))
	return cmd
}

// step delivers one visible hop: ⏎ on an empty prompt, or ^N. While the
// clock runs with the wall (PACED or FREE, playing) it delivers only a
// hop the wall clock has already allowed, so a key press never leaps
// ahead of it; stopped (STEP, paused, held) it goes to the next hop,
// however far, and the header's clock shows the move.
func (m *Model) step() tea.Cmd {
	if !m.d.Holding() {
		return nil
	}
	var (
		h   sim.Hop
		ok  bool
		cmd tea.Cmd
	)
	if m.trackClock(); m.clockOn && !m.d.Realtime() {
		h, ok, cmd = m.d.Pace(m.budget())
	} else {
		h, ok, cmd = m.d.Step()
	}
	m.rtAsked = !ok && m.d.Realtime()
	m.sync()
	if ok {
		m.show(h)
		return tea.Batch(cmd, m.startAnim())
	}
	return cmd
}

// show puts hop h on the flow pane, unless it is there already, and
// reports whether it was not. step and pace show the hop the driver
// returns: the buffer sync reads stays out of reach when that hop handed
// the cluster back to the command that waited for it, until the command
// waits again.
func (m *Model) show(h sim.Hop) bool {
	if m.timeline.at >= 0 {
		// The past is on the flow: the hop waits for the way back.
		m.timeline.liveHop, m.timeline.liveHas = h, true
		return false
	}
	if shown, ok := m.flow.Hop(); ok && shown.ID == h.ID {
		return false
	}
	m.flow.SetHop(h)
	return true
}

// kick starts whatever the mode does on its own, if it is not running
// already: the next paced hop, or the free mode's ticker.
func (m *Model) kick() tea.Cmd {
	m.trackClock()
	if !m.playing {
		return nil
	}
	switch m.mode {
	case Paced:
		return m.pace()
	case Free:
		if m.d.Realtime() {
			// The clock is the wall's: deliver what is due; the waiter
			// comes back for the rest.
			cmd := m.d.Advance(0)
			m.sync()
			return cmd
		}
		if m.ticking || !m.clockOn {
			return nil
		}
		return m.tickCmd()
	}
	return nil
}

// pace delivers the next hop in paced mode when the wall clock has
// allowed its time, and animates it; otherwise the clock moves on by
// what was allowed and a tick comes back when the hop is due.
func (m *Model) pace() tea.Cmd {
	if m.anim.on || !m.d.Holding() {
		return nil
	}
	var (
		h   sim.Hop
		ok  bool
		cmd tea.Cmd
	)
	if m.d.Realtime() {
		h, ok, cmd = m.d.Step()
	} else {
		h, ok, cmd = m.d.Pace(m.budget())
	}
	m.sync()
	if ok {
		m.show(h)
		return tea.Batch(cmd, m.startAnim())
	}
	if m.d.Realtime() || !m.clockOn {
		return cmd
	}
	return tea.Batch(cmd, m.tickCmd())
}

// catchUp gives the cluster the time that passed since the last tick,
// before a command starts: its requests leave at the cluster's now, as
// the wall clock has it.
func (m *Model) catchUp() tea.Cmd {
	m.trackClock()
	if !m.clockOn || !m.d.Holding() || m.d.Realtime() {
		return nil
	}
	switch m.mode {
	case Paced:
		return m.pace()
	case Free:
		cmd := m.d.Advance(m.budget())
		m.sync()
		return cmd
	}
	return nil
}

// wakeTicker brings the ticker back within a tick when it sleeps until
// a timer far ahead: a command just started, and what it does is due
// now. The time it slept still counts (clockAt stays).
func (m *Model) wakeTicker() tea.Cmd {
	if !m.ticking || !m.clockOn || m.d.Realtime() {
		return nil
	}
	return m.tickCmd()
}

// tickCmd arms the one ticker; an armed one before it becomes stale.
func (m *Model) tickCmd() tea.Cmd {
	m.ticking = true
	m.tickID++
	id := m.tickID
	return m.after(m.tickDelay(), tickMsg{id})
}

// tickDelay is how long the clock may go without a tick: until the next
// hop is due (at the speed), when that is later than freeTick, at most
// clockTick, so that the time on screen moves as the wall clock does —
// also with nothing queued: a cluster's clock runs while it is quiet.
// Step mode, a pause or a hold stop the ticks, and the clock.
func (m *Model) tickDelay() time.Duration {
	if !m.d.Holding() || m.d.Parked() {
		return freeTick
	}
	next, ok := m.d.C.Next()
	if !ok {
		return clockTick
	}
	wall := time.Duration(float64(next.At-m.d.C.Elapsed()) / speeds[m.speed])
	return min(max(wall, freeTick), clockTick)
}

// tick lets the cluster's time follow the wall clock.
func (m *Model) tick(t tickMsg) tea.Cmd {
	if t.id != m.tickID {
		return nil
	}
	m.ticking = false
	m.trackClock()
	if !m.clockOn || m.d.Realtime() {
		return nil
	}
	switch m.mode {
	case Paced:
		return m.pace()
	case Free:
		var cmd tea.Cmd
		if m.d.Holding() {
			cmd = m.d.Advance(m.budget())
			m.sync()
		}
		return tea.Batch(cmd, m.tickCmd())
	}
	return nil
}
