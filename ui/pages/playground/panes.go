package playground

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/helpview"
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
	paneEditor  // while open, over the panes below the board
	panes
)

// paneEntry is one pane in the page's table: its model, the message id
// of its name (help's title, its tab, FocusedPane), whether it is a tab —
// one of the panes below the board that share one place when the
// terminal is small — and whether it is where the learner writes (the
// prompt, the editor), which the help line does not name: the keys it
// shows are plainly its.
type paneEntry struct {
	common.Component
	title   string
	tab     bool
	writing bool
}

// register builds the table of panes: a new pane is its model and one
// line here (and its place in geometry.of).
func (m *Model) register() {
	m.panes = [panes]paneEntry{
		panePrompt:  {Component: m.prompt, title: "pane.prompt", writing: true},
		paneBoard:   {Component: m.board, title: "pane.board"},
		paneEvents:  {Component: m.events, title: "pane.events", tab: true},
		paneOutput:  {Component: m.output, title: "pane.output", tab: true},
		paneHops:    {Component: m.hops, title: "pane.hops", tab: true},
		paneFlow:    {Component: m.flow, title: "pane.flow"},
		paneTraffic: {Component: m.traffic, title: "pane.traffic", tab: true},
		paneEditor:  {Component: m.editor, title: "pane.editor", writing: true},
	}
}

func (m *Model) setFocus(p pane) {
	if p != paneEditor && !m.focusable(p) {
		// The focus never sits on a pane the layout does not draw.
		p = panePrompt
	}
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
// none (the stepping keys are global); in the presenter's layout the
// board (when it has rows) and the output strip are drawn beside it; the
// traffic pane once a load ran.
// The editor is not a stop: it takes the focus when it opens, and every
// key while it has it, and gives the focus back when it closes (edit).
func (m *Model) focusable(p pane) bool {
	switch p {
	case panePrompt:
		return true
	case paneFlow, paneEditor:
		return false
	case paneTraffic:
		return m.traffic.Has() && !m.c.Presenter
	}
	if !m.c.Presenter {
		return true
	}
	if g := m.geometry(m.traffic.Has()); g.compact {
		return true // tabs, each shown when it has the focus
	} else if p == paneBoard {
		return g.board.h > 0
	}
	return p == paneOutput
}

// edit gives msg (a key, a paste) to the editor, opening it first: it
// has the focus while it is open, and gives it back to the pane that had
// it when it closes (esc, or ctrl+s applying what it holds).
func (m *Model) edit(msg tea.Msg) tea.Cmd {
	if !m.editor.IsOpen() {
		m.editor.Open()
		m.unedited = m.focus
		m.setFocus(paneEditor)
	}
	if msg == nil {
		return nil
	}
	cmd := m.editor.Update(msg)
	if !m.editor.IsOpen() {
		m.setFocus(m.unedited)
	}
	return cmd
}

// focusedKeys is the name and the key map of the focused pane, for help.
func (m *Model) focusedKeys() (string, help.KeyMap) {
	e := m.panes[m.focus]
	return m.c.T(e.title), e
}

// explained is what the full help explains: the focused pane and its
// keys, and the global keys as they act now.
func (m *Model) explained() (string, help.KeyMap, help.KeyMap) {
	title, km := m.focusedKeys()
	return title, helpview.Global{K: m.c.Keys, Running: m.d.Running(), Asks: m.HasState()}, km
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
