// Package logview is a titled pane of lines that follows its tail while
// the learner has not scrolled up: the output and events panes.
package logview

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
)

// Model is a scrolling pane of lines.
type Model struct {
	c       *common.Common
	titleID string
	emptyID string
	vp      viewport.Model
	lines   []string
	width   int
	height  int
	focused bool
	keys    KeyMap
	// Max bounds the lines kept, so a long session does not grow without end.
	Max int
}

// KeyMap is a log's keys.
type KeyMap struct{ Up, Down, Top key.Binding }

// New returns an empty log titled by message titleID, saying emptyID
// while it has no lines.
func New(c *common.Common, titleID, emptyID string) *Model {
	vp := viewport.New()
	vp.MouseWheelEnabled = true
	return &Model{c: c, titleID: titleID, emptyID: emptyID, vp: vp, Max: 5000, keys: KeyMap{
		Up:   key.NewBinding(key.WithKeys("up", "k", "pgup"), key.WithHelp("↑/pgup", c.T("key.scroll"))),
		Down: key.NewBinding(key.WithKeys("down", "j", "pgdown"), key.WithHelp("↓/pgdn", c.T("key.scroll"))),
		Top:  key.NewBinding(key.WithKeys("home", "end", "g", "G"), key.WithHelp("home/end", c.T("key.top"))),
	}}
}

// SetSize sets the pane's size, border included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.vp.SetWidth(max(w-2, 1))
	m.vp.SetHeight(max(h-2, 1))
	m.refresh(true)
}

// SetFocused lights the pane's border.
func (m *Model) SetFocused(f bool) { m.focused = f }

// Append adds text (one or more lines) at the bottom.
func (m *Model) Append(text string) {
	if text == "" {
		return
	}
	follow := m.vp.AtBottom() || len(m.lines) == 0
	m.lines = append(m.lines, strings.Split(strings.TrimRight(text, "\n"), "\n")...)
	if over := len(m.lines) - m.Max; over > 0 {
		m.lines = m.lines[over:]
	}
	m.refresh(follow)
}

// SetLast replaces the last line: a status that changes in place.
func (m *Model) SetLast(line string) {
	if len(m.lines) == 0 {
		m.Append(line)
		return
	}
	m.lines[len(m.lines)-1] = line
	m.refresh(m.vp.AtBottom())
}

// Lines are the lines held.
func (m *Model) Lines() []string { return m.lines }

func (m *Model) refresh(follow bool) {
	m.vp.SetContentLines(m.lines)
	if follow {
		m.vp.GotoBottom()
	}
}

// ShortHelp is the log's keys in short.
func (m *Model) ShortHelp() []key.Binding { return []key.Binding{m.keys.Up, m.keys.Down} }

// FullHelp is every key of the log.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Up, m.keys.Down, m.keys.Top}}
}

// Update scrolls on keys and the mouse wheel.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "home", "g":
			m.vp.GotoTop()
			return nil
		case "end", "G":
			m.vp.GotoBottom()
			return nil
		}
	}
	var cmd tea.Cmd
	m.vp, cmd = m.vp.Update(msg)
	return cmd
}

// View draws the pane; title overrides the pane's own title when set.
func (m *Model) View() string { return m.ViewTitled(m.c.T(m.titleID)) }

// Body is the log's lines as they would show, without the frame.
func (m *Model) Body() string {
	if len(m.lines) == 0 {
		return m.c.Theme.Dim.Render(m.c.T(m.emptyID))
	}
	return m.vp.View()
}

// ViewTitled draws the pane under another title (tabs).
func (m *Model) ViewTitled(title string) string {
	return frame.Render(m.c, title, m.focused, m.width, m.height, m.Body())
}
