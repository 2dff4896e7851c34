// Package hoplog is the trace so far: one line per hop, a cursor, and on
// enter the object the hop carried with its sender's reasoning.
package hoplog

import (
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
	"github.com/kubeplay/kubeplay/ui/components/scroll"
)

// DetailsMsg asks for the object of a hop; the playground answers with
// SetDetails, since only it may read the cluster.
type DetailsMsg struct{ Hop sim.Hop }

// KeyMap is the hop log's keys: the cursor moves as a scrolled pane's
// keys move its window, End selects the newest hop and follows again.
type KeyMap struct {
	scroll.KeyMap
	Open, Close key.Binding
}

// Model is the hop log.
type Model struct {
	c             *common.Common
	width, height int
	focused       bool
	hops          []sim.Hop
	cursor        int
	first         int // the first hop shown
	follow        bool
	details       bool
	detail        string       // the details as set, wrapped to the width when drawn
	win           scroll.Model // the details' window
	keys          KeyMap
	// Max bounds the hops kept.
	Max int
	// view caches the drawn pane: the page redraws at 60 frames a second
	// while a packet moves, and the log changes only when hops come.
	view     string
	viewFrom viewKey
}

// viewKey is everything the drawn pane depends on.
type viewKey struct {
	title                 string
	w, h                  int
	focused               bool
	n                     int
	last                  uint64
	cursor, first, offset int
	follow, details       bool
	detail                string
	theme                 any
	lang                  bilingual.Lang
}

func (m *Model) key(title string) viewKey {
	k := viewKey{title: title, w: m.width, h: m.height, focused: m.focused, n: len(m.hops), cursor: m.cursor, first: m.first,
		offset: m.win.Offset(), follow: m.follow, details: m.details, detail: m.detail, theme: m.c.Theme, lang: m.c.Lang}
	if len(m.hops) > 0 {
		k.last = m.hops[len(m.hops)-1].ID
	}
	return k
}

// New returns an empty hop log.
func New(c *common.Common) *Model {
	b := func(desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], c.T(desc)))
	}
	return &Model{c: c, follow: true, win: scroll.New(), Max: 10000, keys: KeyMap{
		KeyMap: scroll.NewKeyMap(c),
		Open:   b("key.details", "enter"), Close: b("key.back", "esc"),
	}}
}

// SetSize sets the pane's size, border included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.win.SetRows(h - 2)
	m.win.SetLines(common.Wrap(m.detail, max(w-2, 1)))
}

// SetFocused lights the pane's border.
func (m *Model) SetFocused(f bool) { m.focused = f }

// Add appends hops; the cursor follows the newest unless moved.
func (m *Model) Add(hops []sim.Hop) {
	m.hops = append(m.hops, hops...)
	if over := len(m.hops) - m.Max; over > 0 {
		m.hops = m.hops[over:]
		m.cursor = max(0, m.cursor-over)
		m.first = max(0, m.first-over)
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
	m.open(h, b.String())
}

// SetList opens the details of a list hop, which names no one object:
// what it listed, as text.
func (m *Model) SetList(h sim.Hop, text string) { m.open(h, m.c.Theme.Text.Render(text)) }

// open shows the details of h: the hop, why it was sent, then body.
func (m *Model) open(h sim.Hop, body string) {
	t := m.c.Theme
	head := t.Title.Render(m.c.HopLine(h, sim.TimeWidth(h.At))) + "\n"
	if h.Summary != "" {
		// In the screen's language, as the flow says it: a request from
		// the learner's own kubectl is summed up with who sent it.
		head += t.Reason.Render(m.c.T("details.why")+": "+common.Why(m.c.Lang, h.Summary)) + "\n"
	}
	m.detail = head + "\n" + body
	m.win.SetLines(common.Wrap(m.detail, max(m.width-2, 1)))
	m.win.Top()
	m.details = true
}

// ShortHelp is the hop log's keys in short.
func (m *Model) ShortHelp() []key.Binding {
	if m.details {
		return []key.Binding{m.keys.Up, m.keys.PageUp, m.keys.Close}
	}
	return []key.Binding{m.keys.Up, m.keys.End, m.keys.Open}
}

// FullHelp is every key of the hop log.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{append(m.keys.FullHelp(), m.keys.Open, m.keys.Close)}
}

// Update moves the cursor, opens and closes details.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if m.details {
		if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, m.keys.Close) {
			m.details = false
			return nil
		}
		m.win.Update(m.keys.KeyMap, msg)
		return nil
	}
	page := max(m.height-3, 1)
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Up):
			m.move(-1)
		case key.Matches(msg, m.keys.Down):
			m.move(+1)
		case key.Matches(msg, m.keys.PageUp):
			m.move(-page)
		case key.Matches(msg, m.keys.PageDown):
			m.move(page)
		case key.Matches(msg, m.keys.Top):
			m.move(-len(m.hops))
		case key.Matches(msg, m.keys.End):
			m.move(len(m.hops))
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

// Show puts the cursor on the hop with id, the moment the timeline shows,
// and reports whether the log still holds it; Follow goes back to the
// newest hop.
func (m *Model) Show(id uint64) bool {
	for i := len(m.hops) - 1; i >= 0; i-- {
		if m.hops[i].ID == id {
			m.cursor = i
			m.follow = false
			return true
		}
	}
	return false
}

// Selected is the hop under the cursor, if the log holds any.
func (m *Model) Selected() (sim.Hop, bool) {
	if len(m.hops) == 0 {
		return sim.Hop{}, false
	}
	return m.hops[m.cursor], true
}

// Follow selects the newest hop and follows the ones to come.
func (m *Model) Follow() { m.move(len(m.hops)) }

// Following reports whether the cursor follows the newest hop.
func (m *Model) Following() bool { return m.follow }

// hopRows is hop i as its lines: wrapped, never cut.
// An inferred hop's rows are dim: nobody saw it, kubeplay knows it
// happened (its mark says so in words, for a screen without colour).
func (m *Model) hopRows(i int) []string {
	rows := common.Wrap(m.line(i), max(m.width-2, 1))
	switch {
	case i == m.cursor:
		for j, r := range rows {
			rows[j] = m.c.Theme.Selected.Render(r)
		}
	case m.hops[i].Evidence == sim.Inferred:
		for j, r := range rows {
			rows[j] = m.c.Theme.Dim.Render(r)
		}
	}
	return rows
}

// line is hop i as text, its time as wide as the newest hop's: hop
// times only grow, so every row of the log lines up with the last.
func (m *Model) line(i int) string {
	return m.c.HopLine(m.hops[i], sim.TimeWidth(m.hops[len(m.hops)-1].At))
}

// window picks the first hop shown: as late as keeps the cursor's hop in
// view, as early as it was while that still does.
func (m *Model) window() {
	rows := max(m.height-2, 1)
	m.first = min(m.first, m.cursor)
	used := 0
	for i := m.cursor; i >= m.first; i-- {
		used += len(common.Wrap(m.line(i), max(m.width-2, 1)))
		if used > rows {
			m.first = min(i+1, m.cursor)
			break
		}
	}
}

// Body is the log as it shows, without the frame.
func (m *Model) Body() string {
	if m.details {
		return strings.Join(m.win.Visible(), "\n")
	}
	if len(m.hops) == 0 {
		return m.c.Theme.Dim.Render(m.c.T("hops.none"))
	}
	m.window()
	rows := max(m.height-2, 1)
	var lines []string
	for i := m.first; i < len(m.hops) && len(lines) < rows; i++ {
		lines = append(lines, m.hopRows(i)...)
	}
	return strings.Join(lines[:min(len(lines), rows)], "\n")
}

// View draws the pane.
func (m *Model) View() string { return m.ViewTitled(m.c.T("pane.hops")) }

// ViewTitled draws the pane under another title (tabs).
func (m *Model) ViewTitled(title string) string {
	if k := m.key(title); m.view != "" && k == m.viewFrom {
		return m.view
	}
	m.view = frame.RenderStatus(m.c, title, m.status(), m.focused, m.width, m.height, m.Body())
	m.viewFrom = m.key(title) // Body may have moved the window
	return m.view
}

// status says how many hops are newer than the cursor's, when it does not
// follow them.
func (m *Model) status() string {
	if m.details {
		return m.win.Status(m.c)
	}
	if newer := len(m.hops) - 1 - m.cursor; newer > 0 {
		return m.c.Tf("scroll.below", newer)
	}
	return ""
}
