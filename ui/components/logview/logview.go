// Package logview is a titled pane of lines that follows its tail while
// the learner has not scrolled up: the output and events panes. Lines
// wrap at spaces to the pane's width, so nothing a command says is cut.
package logview

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
	"github.com/kubeplay/kubeplay/ui/components/scroll"
)

// Model is a scrolling pane of lines.
type Model struct {
	c       *common.Common
	titleID string
	emptyID string
	win     scroll.Model
	lines   []string // as appended
	rows    []string // lines wrapped to the pane's width
	counts  []int    // rows each line took
	width   int
	height  int
	focused bool
	keys    scroll.KeyMap
	// Max bounds the lines kept, so a long session does not grow without end.
	Max int
}

// New returns an empty log titled by message titleID, saying emptyID
// while it has no lines.
func New(c *common.Common, titleID, emptyID string) *Model {
	return &Model{c: c, titleID: titleID, emptyID: emptyID, win: scroll.New(), Max: 5000, keys: scroll.NewKeyMap(c)}
}

// SetSize sets the pane's size, border included; the lines wrap again.
func (m *Model) SetSize(w, h int) {
	rewrap := w != m.width
	m.width, m.height = w, h
	m.win.SetRows(h - 2)
	if rewrap {
		m.rows, m.counts = nil, nil
		m.wrap(m.lines)
	}
	m.win.SetLines(m.rows)
}

// SetFocused lights the pane's border.
func (m *Model) SetFocused(f bool) { m.focused = f }

// wrap adds lines to the wrapped rows.
func (m *Model) wrap(lines []string) {
	for _, l := range lines {
		rows := common.Wrap(l, max(m.width-2, 1))
		m.rows = append(m.rows, rows...)
		m.counts = append(m.counts, len(rows))
	}
}

// Append adds text (one or more lines) at the bottom. A CR before a line
// feed is part of the line end, as a terminal shows it: HTTP's header
// lines (curl -i), a Docker exec's error; kept in the line, it sent the
// terminal's cursor back over it.
func (m *Model) Append(text string) {
	if text == "" {
		return
	}
	added := strings.Split(strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n"), "\n")
	m.lines = append(m.lines, added...)
	m.wrap(added)
	if over := len(m.lines) - m.Max; over > 0 {
		drop := 0
		for _, n := range m.counts[:over] {
			drop += n
		}
		m.lines, m.counts, m.rows = m.lines[over:], m.counts[over:], m.rows[drop:]
	}
	m.win.SetLines(m.rows)
}

// SetLast replaces the last line: a status that changes in place.
func (m *Model) SetLast(line string) {
	if len(m.lines) == 0 {
		m.Append(line)
		return
	}
	last := len(m.lines) - 1
	m.rows = m.rows[:len(m.rows)-m.counts[last]]
	m.lines, m.counts = m.lines[:last], m.counts[:last]
	m.Append(line)
}

// Lines are the lines held, as appended.
func (m *Model) Lines() []string { return m.lines }

// Following reports whether new lines come into view.
func (m *Model) Following() bool { return m.win.Following() }

// End shows the last lines and follows them again.
func (m *Model) End() { m.win.End() }

// ShortHelp is the log's keys in short.
func (m *Model) ShortHelp() []key.Binding { return m.keys.ShortHelp() }

// FullHelp is every key of the log.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.keys.FullHelp()} }

// Update scrolls on keys and the mouse wheel.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	m.win.Update(m.keys, msg)
	return nil
}

// View draws the pane; title overrides the pane's own title when set.
func (m *Model) View() string { return m.ViewTitled(m.c.T(m.titleID)) }

// Body is the log's lines as they show, without the frame.
func (m *Model) Body() string {
	if len(m.lines) == 0 {
		return strings.Join(common.Reflow(m.c.Theme.Dim.Render(m.c.T(m.emptyID)), max(m.width-2, 1)), "\n")
	}
	return strings.Join(m.win.Visible(), "\n")
}

// ViewTitled draws the pane under another title (tabs).
func (m *Model) ViewTitled(title string) string {
	return frame.RenderStatus(m.c, title, m.win.Status(m.c), m.focused, m.width, m.height, m.Body())
}
