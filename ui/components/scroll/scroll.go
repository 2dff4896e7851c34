// Package scroll is a window on more lines than a pane has rows. It
// follows the last line as lines come, until the learner scrolls up; End
// (or scrolling back to the bottom) follows again. Its keys are ones no
// command line types — arrows, PgUp/PgDn, Home/End — and the wheel.
package scroll

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/common"
)

// KeyMap is a scrolled pane's keys.
type KeyMap struct{ Up, Down, PageUp, PageDown, Top, End key.Binding }

// NewKeyMap is the keys with help in c's language.
func NewKeyMap(c *common.Common) KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", c.T("key.scroll"))),
		Down:     key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", c.T("key.scroll"))),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", c.T("key.page"))),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", c.T("key.page"))),
		Top:      key.NewBinding(key.WithKeys("home"), key.WithHelp("home", c.T("key.home"))),
		End:      key.NewBinding(key.WithKeys("end"), key.WithHelp("end", c.T("key.follow"))),
	}
}

// ShortHelp is the keys a help line shows.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.PageUp, k.End} }

// FullHelp is every key.
func (k KeyMap) FullHelp() []key.Binding { return []key.Binding{k.Up, k.PageUp, k.Top, k.End} }

// Model is the window: the lines, the rows shown and where they start.
type Model struct {
	lines  []string
	rows   int
	offset int
	follow bool
}

// New is an empty window that follows.
func New() Model { return Model{follow: true, rows: 1} }

// SetRows sets how many lines show at once.
func (m *Model) SetRows(n int) { m.rows = max(n, 1); m.clamp() }

// Rows is how many lines show at once.
func (m *Model) Rows() int { return m.rows }

// SetLines replaces the lines; a following window shows the last ones.
func (m *Model) SetLines(lines []string) { m.lines = lines; m.clamp() }

// Lines are all the lines.
func (m *Model) Lines() []string { return m.lines }

// Following reports whether new lines come into view.
func (m *Model) Following() bool { return m.follow }

// Offset is the first line shown.
func (m *Model) Offset() int { return m.offset }

// Above and Below are the lines out of view before and after the window.
func (m *Model) Above() int { return m.offset }

// Below is the number of lines after the window.
func (m *Model) Below() int { return max(len(m.lines)-m.offset-m.rows, 0) }

func (m *Model) bottom() int { return max(len(m.lines)-m.rows, 0) }

func (m *Model) clamp() {
	if m.follow {
		m.offset = m.bottom()
		return
	}
	m.offset = min(max(m.offset, 0), m.bottom())
}

// By scrolls n lines, down when n > 0; reaching the bottom follows again.
func (m *Model) By(n int) {
	m.offset = min(max(m.offset+n, 0), m.bottom())
	m.follow = m.offset == m.bottom()
}

// Top shows the first line and stops following.
func (m *Model) Top() { m.offset, m.follow = 0, m.bottom() == 0 }

// End shows the last line and follows.
func (m *Model) End() { m.follow = true; m.clamp() }

// Show scrolls as little as needed for lines [from, to) to be in view,
// from first when they do not all fit.
func (m *Model) Show(from, to int) {
	switch {
	case from < m.offset:
		m.By(from - m.offset)
	case to > m.offset+m.rows:
		m.By(min(to-m.offset-m.rows, from-m.offset))
	}
}

// Visible are the lines in view.
func (m *Model) Visible() []string {
	end := min(m.offset+m.rows, len(m.lines))
	return m.lines[min(m.offset, end):end]
}

// Update scrolls on the window's keys and the wheel; it reports whether
// msg was one of them.
func (m *Model) Update(keys KeyMap, msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, keys.Up):
			m.By(-1)
		case key.Matches(msg, keys.Down):
			m.By(1)
		case key.Matches(msg, keys.PageUp):
			m.By(-max(m.rows-1, 1))
		case key.Matches(msg, keys.PageDown):
			m.By(max(m.rows-1, 1))
		case key.Matches(msg, keys.Top):
			m.Top()
		case key.Matches(msg, keys.End):
			m.End()
		default:
			return false
		}
		return true
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.By(-3)
		case tea.MouseWheelDown:
			m.By(3)
		default:
			return false
		}
		return true
	}
	return false
}

// Status is what the pane's border says about the window: how many lines
// are below it and that End shows them; "" when none is.
func (m *Model) Status(c *common.Common) string {
	if below := m.Below(); below > 0 {
		return c.Tf("scroll.below", below)
	}
	return ""
}
