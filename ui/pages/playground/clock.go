package playground

import (
	"math"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/harmonica"
)

// fps is the frame rate of the packet animation.
const fps = 60

// freeTick is how often the free mode lets cluster time catch up with the
// wall clock.
const freeTick = 100 * time.Millisecond

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
	id := m.anim.id
	return tea.Tick(time.Second/fps, func(time.Time) tea.Msg { return frameMsg{id} })
}

// startAnim sends the packet of the hop just delivered on its way.
func (m *Model) startAnim() tea.Cmd {
	m.anim.id++
	m.anim.on, m.anim.pos, m.anim.vel = true, 0, 0
	// Faster speeds advance the spring by more time per frame: the same
	// motion, sooner. Critically damped, so it never overshoots the box.
	m.anim.spring = harmonica.NewSpring(harmonica.FPS(fps)*speeds[m.speed], 12.0, 1.0)
	if m.instant {
		m.anim.on = false
		m.flow.SetPos(1)
		return nil
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
	if math.Abs(1-a.pos) > 0.01 || math.Abs(a.vel) > 0.05 {
		return m.frameCmd()
	}
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
}

// step delivers one visible hop: the space key.
func (m *Model) step() tea.Cmd {
	if !m.d.Holding() {
		return nil
	}
	_, ok, cmd := m.d.Step()
	m.rtAsked = !ok && m.d.Realtime()
	m.sync()
	if ok {
		return tea.Batch(cmd, m.startAnim())
	}
	return cmd
}

// kick starts whatever the mode does on its own, if it is not running
// already and there is something to do: the next paced hop, or the free
// mode's ticker. With nothing queued it starts nothing, so an idle
// playground costs no CPU.
func (m *Model) kick() tea.Cmd {
	if !m.playing {
		return nil
	}
	switch m.mode {
	case Paced:
		if m.anim.on || !m.d.Holding() {
			return nil
		}
		_, ok, cmd := m.d.Step()
		m.sync()
		if ok {
			return tea.Batch(cmd, m.startAnim())
		}
		return cmd
	case Free:
		if m.d.Realtime() {
			// The clock is the wall's: deliver what is due; the waiter
			// comes back for the rest.
			cmd := m.d.Advance(0)
			m.sync()
			return cmd
		}
		if m.ticking || !m.d.Busy() {
			return nil
		}
		m.ticking = true
		m.tickID++
		m.lastTick = m.now()
		return m.tickCmd()
	}
	return nil
}

// wakeTicker brings the free mode's ticker back within a tick when it
// sleeps until a timer far ahead: a command just started, and what it
// does is due now. The time it slept still counts (lastTick stays).
func (m *Model) wakeTicker() tea.Cmd {
	if m.mode != Free || !m.ticking || !m.playing || m.d.Realtime() {
		return nil
	}
	m.tickID++
	return m.tickCmd()
}

func (m *Model) tickCmd() tea.Cmd {
	id := m.tickID
	return tea.Tick(m.tickDelay(), func(time.Time) tea.Msg { return tickMsg{id} })
}

// tickDelay is how long the free mode may sleep: until the next hop is
// due, when that is later than a tick (a timer minutes away), so a quiet
// cluster costs no CPU; at most a minute, so the clock does not drift far.
func (m *Model) tickDelay() time.Duration {
	if !m.d.Holding() || m.d.Parked() {
		return freeTick
	}
	next, ok := m.d.C.K.Next()
	if !ok {
		return freeTick
	}
	return min(max(next.At-m.d.C.K.Elapsed(), freeTick), time.Minute)
}

// tick lets the cluster's time follow the wall clock: the free mode.
func (m *Model) tick(t tickMsg) tea.Cmd {
	if t.id != m.tickID || m.mode != Free || !m.playing {
		return nil
	}
	now := m.now()
	dt := now.Sub(m.lastTick)
	m.lastTick = now
	var cmd tea.Cmd
	if m.d.Holding() {
		cmd = m.d.Advance(dt)
		m.sync()
	}
	if !m.d.Busy() {
		m.ticking = false
		return cmd
	}
	return tea.Batch(cmd, m.tickCmd())
}
