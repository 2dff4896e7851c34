// Package prompt is the command line of the playground: history, and tab
// completion of verbs, kinds, names and flags.
package prompt

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
)

// SubmitMsg is a command line the learner entered.
type SubmitMsg struct{ Line string }

// KeyMap is the prompt's keys.
type KeyMap struct{ Run, Complete, History key.Binding }

// Model is the prompt.
type Model struct {
	c       *common.Common
	in      textinput.Model
	width   int
	history []string
	hist    int // index into history while browsing; len(history) when not
	draft   string
	names   map[string][]string // by resource ("pods"), for completion
	choices []string            // what tab could not decide between
	busy    bool
	waiting bool
	keys    KeyMap
}

// New returns an empty, focused prompt.
func New(c *common.Common) *Model {
	in := textinput.New()
	in.Prompt = "$ kubectl "
	st := textinput.DefaultStyles(c.Theme.Dark)
	// A blinking cursor would tick for ever; the playground is idle when
	// nothing moves.
	st.Cursor.Blink = false
	in.SetStyles(st)
	in.Focus()
	b := func(desc, k string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, c.T(desc))) }
	m := &Model{c: c, in: in, keys: KeyMap{Run: b("key.run", "enter"), Complete: b("key.complete", "tab"), History: b("key.history", "up")}}
	m.keys.History.SetHelp("↑/↓", c.T("key.history"))
	return m
}

// SetSize sets the width of the line.
func (m *Model) SetSize(w, _ int) { m.width = w; m.in.SetWidth(max(w-lenPrompt(m.in.Prompt)-1, 1)) }

func lenPrompt(p string) int { return len([]rune(p)) }

// SetNames sets the object names tab completes, by resource.
func (m *Model) SetNames(n map[string][]string) { m.names = n }

// SetBusy greys the prompt while a command runs.
func (m *Model) SetBusy(b bool) { m.busy = b }

// SetWaiting says the running command waits for the learner to step.
func (m *Model) SetWaiting(w bool) { m.waiting = w }

// Focus and Blur route keys to the prompt or away from it.
func (m *Model) Focus() { m.in.Focus() }

// Blur takes the keys away from the prompt.
func (m *Model) Blur() { m.in.Blur() }

// Value is the text typed so far.
func (m *Model) Value() string { return m.in.Value() }

// SetValue replaces the text, as a paste or a test would.
func (m *Model) SetValue(s string) { m.in.SetValue(s); m.in.CursorEnd() }

// ShortHelp is the prompt's keys in short.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Run, m.keys.Complete, m.keys.History}
}

// FullHelp is every key of the prompt.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// Update handles a key for the prompt.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.keys.Run):
			line := strings.TrimSpace(m.in.Value())
			if line == "" || m.busy {
				return nil
			}
			if len(m.history) == 0 || m.history[len(m.history)-1] != line {
				m.history = append(m.history, line)
			}
			m.hist, m.choices = len(m.history), nil
			m.in.SetValue("")
			return func() tea.Msg { return SubmitMsg{Line: line} }
		case key.Matches(k, m.keys.Complete):
			m.complete()
			return nil
		case k.String() == "up":
			m.browse(-1)
			return nil
		case k.String() == "down":
			m.browse(+1)
			return nil
		}
	}
	var cmd tea.Cmd
	m.in, cmd = m.in.Update(msg)
	m.choices = nil
	return cmd
}

func (m *Model) browse(d int) {
	if len(m.history) == 0 {
		return
	}
	if m.hist == len(m.history) {
		m.draft = m.in.Value()
	}
	m.hist = min(max(m.hist+d, 0), len(m.history))
	if m.hist == len(m.history) {
		m.SetValue(m.draft)
		return
	}
	m.SetValue(m.history[m.hist])
}

func (m *Model) complete() {
	v := m.in.Value()
	cands, word := Candidates(v, m.names)
	switch {
	case len(cands) == 0:
		m.choices = nil
	case len(cands) == 1:
		m.SetValue(v[:len(v)-len(word)] + cands[0] + " ")
		m.choices = nil
	default:
		m.SetValue(v[:len(v)-len(word)] + commonPrefix(cands))
		m.choices = cands
	}
}

// View draws the prompt line and, under it when tab offered choices,
// those choices.
func (m *Model) View() string {
	line := m.in.View()
	if m.busy {
		line = m.c.Theme.Dim.Render(m.in.Prompt + m.c.T("out.running"))
		if m.waiting {
			line += " " + m.c.Theme.Warning.Render(m.c.T("out.waiting")+m.c.T("out.waitstep"))
		}
	}
	if len(m.choices) > 0 {
		line += "  " + m.c.Theme.Dim.Render(strings.Join(m.choices, " "))
	}
	return frame.Truncate(line, m.width)
}

// Cursor is where the terminal's cursor goes, relative to the prompt.
func (m *Model) Cursor() *tea.Cursor {
	if m.busy {
		return nil
	}
	return m.in.Cursor()
}

func commonPrefix(s []string) string {
	p := s[0]
	for _, x := range s[1:] {
		for !strings.HasPrefix(x, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
