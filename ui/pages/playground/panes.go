package playground

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/common"
)

// pane identifies what has focus.
type pane int

// The panes, in the order the focus keys go through them.
const (
	panePrompt pane = iota
	paneBoard
	paneEvents
	paneOutput
	paneHops
	paneFlow
	paneTraffic // once a load has run
	panes
)

// paneEntry is one pane in the page's table: its model, the message id
// of its name (help's title, its tab, FocusedPane), and whether it is a
// tab — one of the panes below the board that share one place when the
// terminal is small.
type paneEntry struct {
	common.Component
	title string
	tab   bool
}

// register builds the table of panes: a new pane is its model and one
// line here (and its place in geometry.of).
func (m *Model) register() {
	m.panes = [panes]paneEntry{
		panePrompt:  {Component: m.prompt, title: "pane.prompt"},
		paneBoard:   {Component: m.board, title: "pane.board"},
		paneEvents:  {Component: m.events, title: "pane.events", tab: true},
		paneOutput:  {Component: m.output, title: "pane.output", tab: true},
		paneHops:    {Component: m.hops, title: "pane.hops", tab: true},
		paneFlow:    {Component: m.flow, title: "pane.flow"},
		paneTraffic: {Component: m.traffic, title: "pane.traffic", tab: true},
	}
}

func (m *Model) setFocus(p pane) {
	m.focus = p
	if m.panes[p].tab {
		m.tab = p
	}
	for q := range m.panes {
		m.panes[q].SetFocused(pane(q) == p)
	}
}

// nextPane is the pane by steps after the focused one in the focus
// order, leaving out those that are not a stop now (focusable).
func (m *Model) nextPane(by pane) pane {
	p := (m.focus + by) % panes
	for !m.focusable(p) {
		p = (p + by) % panes
	}
	return p
}

// focusable reports whether pane p is a stop of the focus keys: drawn,
// with a border that shows the focus, and keys of its own. The flow has
// none (the stepping keys are global), and in the presenter's layout
// only the board is drawn beside it; the traffic pane once a load ran.
func (m *Model) focusable(p pane) bool {
	switch p {
	case panePrompt:
		return true
	case paneFlow:
		return false
	case paneTraffic:
		return m.traffic.Has() && !m.c.Presenter
	}
	return p == paneBoard || !m.c.Presenter
}

// focusedKeys is the key map of the focused pane, for help: the
// editor's while it is open over the prompt.
func (m *Model) focusedKeys() (string, help.KeyMap) {
	if m.focus == panePrompt && m.editor.open {
		return m.c.T("pane.editor"), m.editor
	}
	e := m.panes[m.focus]
	return m.c.T(e.title), e
}

// FocusedPane is the message id of the pane with the focus
// ("pane.prompt", "pane.board", …), for tests and the presenter.
func (m *Model) FocusedPane() string { return m.panes[m.focus].title }

// titled is a pane that draws itself under a title it is given: a row
// of tabs, where panes share one place.
type titled interface {
	ViewTitled(title string) string
}

// scrollPane gives a scroll (a key, the wheel) to pane p.
func (m *Model) scrollPane(p pane, msg tea.Msg) tea.Cmd {
	return m.panes[p].Update(msg)
}
