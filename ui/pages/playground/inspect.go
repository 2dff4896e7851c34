package playground

import (
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/charmbracelet/x/ansi"
)

// What the panes hold and show, for tests that check properties of the
// screen (nothing cut, no node hidden) rather than only its bytes.

// BoardLines are every line of the board, those scrolled out of view too.
func (m *Model) BoardLines() []string { return m.board.Lines() }

// EventLines are the events pane's lines, as added, before they wrap.
func (m *Model) EventLines() []string { return m.events.Lines() }

// OutputShown is the text the output pane shows now, without styles.
func (m *Model) OutputShown() string { return ansi.Strip(m.output.Body()) }

// BoardView is the board pane as drawn, without styles.
func (m *Model) BoardView() string { return ansi.Strip(m.board.View()) }

// SelectedHop is the hop the hop log selects (its cursor's).
func (m *Model) SelectedHop() (sim.Hop, bool) { return m.hops.Selected() }

// FlowHop is the hop the flow draws in flight, if any.
func (m *Model) FlowHop() (sim.Hop, bool) { return m.flow.Hop() }
