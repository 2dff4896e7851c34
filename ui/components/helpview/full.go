package helpview

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/common"
)

// Full is the full help as a pane of the page, a common.Component: open
// (^G/F1) over the page's panes, from below its header to above its
// prompt, it teaches the tool and names every key. What it explains —
// the pane with the focus and its keys, the global keys as they act now —
// it asks the page each time it is drawn (about); the page's own
// sections (a lesson's keys) follow the playground's.
type Full struct {
	m      *Model
	about  func() (title string, global, pane help.KeyMap)
	extra  []Section
	open   bool
	h      int
	scroll key.Binding
}

var _ common.Component = (*Full)(nil)

// NewFull returns the full help on m, closed.
func NewFull(m *Model, about func() (title string, global, pane help.KeyMap)) *Full {
	return &Full{m: m, about: about,
		scroll: key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown", "home"), key.WithHelp("↑/↓", m.c.T("key.scroll")))}
}

// SetSections sets the page's own sections, after the playground's.
func (f *Full) SetSections(extra ...Section) { f.extra = extra }

// Toggle opens the help from its top, or closes it.
func (f *Full) Toggle() {
	f.open = !f.open
	f.m.Reset()
}

// Close closes the help.
func (f *Full) Close() { f.open = false }

// IsOpen reports whether the help is open.
func (f *Full) IsOpen() bool { return f.open }

// Takes reports whether the open help takes key k: the keys that scroll
// it. Other keys do what they always do.
func (f *Full) Takes(k tea.KeyPressMsg) bool { return f.open && key.Matches(k, f.scroll) }

// Update scrolls the help by a key it takes.
func (f *Full) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && f.Takes(k) {
		f.m.Scroll(k)
	}
	return nil
}

// SetSize is the room the help has: the page's width, h rows.
func (f *Full) SetSize(w, h int) {
	f.m.SetSize(w, 1)
	f.h = h
}

// SetFocused does nothing: the help is read, never focused; the focus
// stays on the pane it explains.
func (f *Full) SetFocused(bool) {}

func (f *Full) View() string {
	title, global, pane := f.about()
	return f.m.Full(title, global, pane, f.h, f.extra...)
}

func (f *Full) ShortHelp() []key.Binding  { return []key.Binding{f.scroll} }
func (f *Full) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }
