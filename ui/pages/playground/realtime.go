package playground

import (
	"github.com/kubeplay/kubeplay/ui/bridge"

	tea "charm.land/bubbletea/v2"
)

// On a real-time cluster (Docker) hops fall due by the wall clock and the
// container runtime's answers arrive whenever they come. The playground
// keeps one bridge waiter armed, off its goroutine, and delivers from
// Update only what is due: it never waits there, and an idle playground
// sleeps on a channel, costing no CPU.

// arm replaces the waiter by one that knows what is queued now. On a
// simulated cluster it listens for hops injected from outside instead.
func (m *Model) arm() tea.Cmd {
	if !m.d.Realtime() {
		return m.d.Injected()
	}
	if m.rtCancel != nil {
		close(m.rtCancel)
	}
	m.rtCancel = make(chan struct{})
	delivers := m.playing && (m.mode == Free || (m.mode == Paced && !m.anim.on))
	return m.d.Waiter(m.rtCancel, delivers)
}

// wake handles what the waiter saw: free and paced mode deliver what is
// due, as their clock would; step mode shows it, or delivers it when the
// learner already asked for a hop that had not arrived.
func (m *Model) wake() tea.Cmd {
	if !m.d.Holding() {
		return nil
	}
	if !m.d.Realtime() {
		m.d.C.CatchUp() // queue what came from outside
		m.outside()
	}
	if m.playing && m.mode != Step {
		return m.kick()
	}
	cmd := m.d.Poll()
	m.sync()
	if m.rtAsked && m.d.DueNow() {
		return tea.Batch(cmd, m.step())
	}
	return cmd
}

// waitingRuntime reports whether the learner waits on the container
// runtime: a command waits, or space was pressed, and nothing is due.
func (m *Model) waitingRuntime() bool {
	return m.rtIdle && (m.rtAsked || m.d.Parked())
}

// realtimeMsg reports whether msg may have changed what is queued, so
// that the waiter must be re-armed: all but the frames of a packet still
// moving, which come sixty times a second and change nothing.
func (m *Model) realtimeMsg(msg tea.Msg) bool {
	if !m.d.Realtime() {
		_, woke := msg.(bridge.WakeMsg)
		return woke // listen again for the next request from outside
	}
	_, frame := msg.(frameMsg)
	return !frame || !m.anim.on
}

// ListenOutside starts listening for requests from outside a simulated
// cluster (kubeplay's API, NodePorts); Init does the rest on a real-time
// one.
func (m *Model) ListenOutside() tea.Cmd {
	if m.d.Realtime() {
		return nil
	}
	return m.arm()
}
