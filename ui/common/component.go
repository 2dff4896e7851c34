package common

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// Component is what every pane is to the page that holds it, as
// soft-serve's common.Component: it takes the messages given it, draws
// itself in the size it is given, shows whether it has the focus, and
// names its keys for the help. A page keeps its panes in one table and
// loops over it, so that a new pane is its own file and one entry there.
type Component interface {
	help.KeyMap
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	SetFocused(focused bool)
}
