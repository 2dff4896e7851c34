package playground

import "github.com/charmbracelet/x/ansi"

// What the panes hold and show, for tests that check properties of the
// screen (nothing cut, no node hidden) rather than only its bytes.

// BoardLines are every line of the board, those scrolled out of view too.
func (m *Model) BoardLines() []string { return m.board.Lines() }

// EventLines are the events pane's lines, as added, before they wrap.
func (m *Model) EventLines() []string { return m.events.Lines() }

// OutputShown is the text the output pane shows now, without styles.
func (m *Model) OutputShown() string { return ansi.Strip(m.output.Body()) }
