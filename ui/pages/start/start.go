// Package start is the first screen: free play, lessons, language, quit,
// and which runtime the pods will run on, said plainly.
package start

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
)

// Choice is what the learner picked.
type Choice int

// The entries of the menu.
const (
	FreePlay Choice = iota
	Lessons
	Language
	Quit
)

// ChoseMsg reports a choice.
type ChoseMsg struct{ Choice Choice }

// Model is the start page.
type Model struct {
	c      *common.Common
	cursor Choice
	nodes  int
	keys   KeyMap
	docker bool   // pods are real containers
	why    string // why auto fell back to the simulated runtime
	// attached is the real cluster kubeplay is attached to, if it is.
	attached string
}

// KeyMap is the start page's keys.
type KeyMap struct {
	Up, Down, Enter, Quit, Help key.Binding
	// Choose names ↑ and ↓ as one entry in the status line ("↑/↓ choose",
	// not "↑ up • ↓ down"); Up and Down are what the page matches.
	Choose key.Binding
}

// New returns the start page for a cluster of nodes.
func New(c *common.Common, nodes int) *Model {
	m := &Model{c: c, nodes: nodes}
	m.Relabel()
	return m
}

// SetRuntime says which runtime the pods run on and, when auto fell back
// to the simulated one, why.
func (m *Model) SetRuntime(docker bool, why string) { m.docker, m.why = docker, why }

// SetAttached says the cluster is a real one (where: its context and
// server) with nodes nodes.
func (m *Model) SetAttached(where string, nodes int) { m.attached, m.nodes = where, nodes }

// Relabel rebuilds the key help after a language change.
func (m *Model) Relabel() {
	c := m.c
	// Neither letters (but q, which asks first when a cluster would be
	// lost) nor space: a learner back from a prompt may go on typing a
	// command, and its letters must not move the menu or choose.
	m.keys = KeyMap{
		Up:    key.NewBinding(key.WithKeys("up", "shift+tab"), key.WithHelp("↑", c.T("key.up"))),
		Down:  key.NewBinding(key.WithKeys("down", "tab"), key.WithHelp("↓", c.T("key.down"))),
		Enter: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("key.enter"))),
		Quit:  key.NewBinding(key.WithKeys("q", "ctrl+c", "esc"), key.WithHelp("q", c.T("key.quit"))),
		// The app opens the help; the binding is here to be shown.
		Help:   key.NewBinding(key.WithKeys("ctrl+g", "f1"), key.WithHelp("^G", c.T("key.help"))),
		Choose: key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", c.T("key.choose"))),
	}
}

// ShortHelp is the page's keys in short, the status line under the page;
// with the help key in it the page needs no second key line of its own.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Choose, m.keys.Enter, m.keys.Quit, m.keys.Help}
}

// FullHelp is every key of the page.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// Update moves the cursor and reports choices.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	choose := func(c Choice) tea.Cmd { return func() tea.Msg { return ChoseMsg{c} } }
	switch {
	case key.Matches(k, m.keys.Up):
		m.cursor = (m.cursor + Quit) % (Quit + 1)
	case key.Matches(k, m.keys.Down):
		m.cursor = (m.cursor + 1) % (Quit + 1)
	case key.Matches(k, m.keys.Enter):
		return choose(m.cursor)
	case key.Matches(k, m.keys.Quit):
		return choose(Quit)
	}
	return nil
}

// View draws the page centred in w×h.
func (m *Model) View(w, h int) string {
	t := m.c.Theme
	logo := t.Title.Render("kubeplay") + t.Dim.Render(" — "+m.c.T("app.tagline"))
	items := []struct {
		c          Choice
		label, sub string
	}{
		{FreePlay, "start.free", "start.free.desc"},
		{Lessons, "start.lessons", "start.lessons.desc"},
		{Language, "start.lang", "start.lang.desc"},
		{Quit, "start.quit", ""},
	}
	// Labels are padded to one display width: a Korean label is two
	// columns a letter, so padding by letters would push its
	// description out of line.
	width := 0
	for _, it := range items {
		width = max(width, ansi.StringWidth(m.c.T(it.label)))
	}
	var lines []string
	for _, it := range items {
		label := m.c.T(it.label)
		label += strings.Repeat(" ", width-ansi.StringWidth(label))
		sub := m.c.T(it.sub)
		if it.sub == "" {
			sub = ""
		}
		line := "  " + label + "  " + t.Dim.Render(sub)
		if it.c == m.cursor {
			line = t.Selected.Render("▸ "+label) + "  " + t.Text.Render(sub)
		}
		lines = append(lines, line)
	}
	runtime := t.Accent.Render(m.c.T("start.runtime"))
	if m.docker {
		runtime = t.Accent.Render(m.c.T("start.runtime.docker"))
	}
	if m.attached != "" {
		runtime = t.Accent.Render(m.c.T("start.attached") + m.attached)
	}
	if m.why != "" {
		runtime += "\n" + frame.Truncate(t.Warning.Render("⚠ "+m.why), max(w-4, 20))
	}
	body := strings.Join([]string{
		logo, "",
		strings.Join(lines, "\n"), "",
		runtime,
		t.Dim.Render(fmt.Sprintf("%d %s · --lang %s", m.nodes, m.c.T("start.nodes"), m.c.Lang)),
	}, "\n")
	// One block, left-aligned inside, centred as a whole.
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, lipgloss.NewStyle().Align(lipgloss.Left).Render(body))
}
