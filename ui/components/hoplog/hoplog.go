// Package hoplog is the trace so far: one line per hop, a cursor, and on
// enter the object the hop carried with its sender's reasoning.
package hoplog

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
	"github.com/kubeplay/kubeplay/ui/present"
)

// DetailsMsg asks for the object of a hop; the playground answers with
// SetDetails, since only it may read the cluster.
type DetailsMsg struct{ Hop sim.Hop }

// KeyMap is the hop log's keys.
type KeyMap struct{ Up, Down, Open, Close key.Binding }

// Model is the hop log.
type Model struct {
	c             *common.Common
	width, height int
	focused       bool
	hops          []sim.Hop
	cursor        int
	follow        bool
	details       bool
	vp            viewport.Model
	keys          KeyMap
	// Max bounds the hops kept.
	Max int
}

// New returns an empty hop log.
func New(c *common.Common) *Model {
	b := func(desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], c.T(desc)))
	}
	vp := viewport.New()
	return &Model{c: c, follow: true, vp: vp, Max: 10000, keys: KeyMap{
		Up: b("key.up", "up", "k"), Down: b("key.down", "down", "j"),
		Open: b("key.details", "enter"), Close: b("key.back", "esc"),
	}}
}

// SetSize sets the pane's size, border included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.vp.SetWidth(max(w-2, 1))
	m.vp.SetHeight(max(h-2, 1))
}

// SetFocused lights the pane's border.
func (m *Model) SetFocused(f bool) { m.focused = f }

// Add appends hops; the cursor follows the newest unless moved.
func (m *Model) Add(hops []sim.Hop) {
	m.hops = append(m.hops, hops...)
	if over := len(m.hops) - m.Max; over > 0 {
		m.hops = m.hops[over:]
		m.cursor = max(0, m.cursor-over)
	}
	if m.follow {
		m.cursor = len(m.hops) - 1
	}
}

// Len is the number of hops held.
func (m *Model) Len() int { return len(m.hops) }

// InDetails reports whether the details of a hop are open.
func (m *Model) InDetails() bool { return m.details }

// SetDetails opens the details of the selected hop with its object in YAML.
// carried says the YAML is what the hop carried, not the object now.
func (m *Model) SetDetails(h sim.Hop, yaml string, carried, readable bool) {
	var b strings.Builder
	t := m.c.Theme
	b.WriteString(t.Title.Render(present.HopLine(h)) + "\n")
	if h.Summary != "" {
		b.WriteString(t.Reason.Render(m.c.T("details.why")+": "+h.Summary) + "\n")
	}
	b.WriteString("\n")
	switch {
	case !readable:
		b.WriteString(t.Dim.Render(m.c.T("details.busy")))
	case yaml == "":
		b.WriteString(t.Dim.Render(m.c.T("details.gone")))
	case carried:
		b.WriteString(t.Dim.Render(m.c.T("details.carried")) + "\n" + yaml)
	default:
		b.WriteString(t.Dim.Render(m.c.T("details.now")) + "\n" + yaml)
	}
	m.vp.SetContent(b.String())
	m.vp.GotoTop()
	m.details = true
}

// ShortHelp is the hop log's keys in short.
func (m *Model) ShortHelp() []key.Binding {
	if m.details {
		return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Close}
	}
	return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Open}
}

// FullHelp is every key of the hop log.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Up, m.keys.Down, m.keys.Open, m.keys.Close}}
}

// Update moves the cursor, opens and closes details.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if m.details {
		if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, m.keys.Close) {
			m.details = false
			return nil
		}
		var cmd tea.Cmd
		m.vp, cmd = m.vp.Update(msg)
		return cmd
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Up):
			m.move(-1)
		case key.Matches(msg, m.keys.Down):
			m.move(+1)
		case key.Matches(msg, m.keys.Open) && len(m.hops) > 0:
			h := m.hops[m.cursor]
			return func() tea.Msg { return DetailsMsg{Hop: h} }
		}
	case tea.MouseWheelMsg:
		if msg.Button == tea.MouseWheelUp {
			m.move(-3)
		} else if msg.Button == tea.MouseWheelDown {
			m.move(+3)
		}
	}
	return nil
}

func (m *Model) move(d int) {
	if len(m.hops) == 0 {
		return
	}
	m.cursor = min(max(m.cursor+d, 0), len(m.hops)-1)
	m.follow = m.cursor == len(m.hops)-1
}

// Body is the log as it would show, without the frame.
func (m *Model) Body() string {
	if m.details {
		return m.vp.View()
	}
	if len(m.hops) == 0 {
		return m.c.Theme.Dim.Render(m.c.T("hops.none"))
	}
	rows := max(m.height-2, 1)
	first := min(max(m.cursor-rows+1, 0), max(len(m.hops)-rows, 0))
	if m.cursor < first {
		first = m.cursor
	}
	var lines []string
	for i := first; i < len(m.hops) && i < first+rows; i++ {
		l := frame.Truncate(present.HopLine(m.hops[i]), m.width-2)
		if i == m.cursor {
			l = m.c.Theme.Selected.Render(l)
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

// View draws the pane.
func (m *Model) View() string { return m.ViewTitled(m.c.T("pane.hops")) }

// ViewTitled draws the pane under another title (tabs).
func (m *Model) ViewTitled(title string) string {
	return frame.Render(m.c, title, m.focused, m.width, m.height, m.Body())
}
