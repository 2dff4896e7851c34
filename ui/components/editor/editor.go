// Package editor is the small YAML pane: paste or type a manifest, ctrl+s
// applies it as `apply -f -`. It opens over the panes below the board
// (the prompt's `edit`, a pasted manifest) and takes every key while it
// is open.
package editor

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
)

// ApplyMsg asks the page to apply the YAML written in the editor.
type ApplyMsg struct{ YAML string }

// Model is the editor, a common.Component.
type Model struct {
	c             *common.Common
	ta            textarea.Model
	open          bool
	width, height int
	apply, close  key.Binding
}

var _ common.Component = (*Model)(nil)

// New returns a closed editor.
func New(c *common.Common) *Model {
	ta := textarea.New()
	st := textarea.DefaultStyles(c.Theme.Dark)
	st.Cursor.Blink = false
	ta.SetStyles(st)
	ta.ShowLineNumbers = true
	return &Model{c: c, ta: ta,
		apply: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", c.T("key.apply"))),
		close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("key.back")))}
}

// Open opens the editor; it stays open until esc closes it or ctrl+s
// applies what it holds.
func (e *Model) Open() {
	e.open = true
	e.ta.Focus()
}

// IsOpen reports whether the editor is open.
func (e *Model) IsOpen() bool { return e.open }

// SetFocused follows the focus: the cursor shows only in an editor that
// has it. Focus does not open or close it.
func (e *Model) SetFocused(focused bool) {
	if focused && e.open {
		e.ta.Focus()
	} else {
		e.ta.Blur()
	}
}

func (e *Model) SetSize(w, h int) {
	e.width, e.height = w, h
	e.ta.SetWidth(max(w-2, 1))
	e.ta.SetHeight(max(h-3, 1))
}

func (e *Model) ShortHelp() []key.Binding  { return []key.Binding{e.apply, e.close} }
func (e *Model) FullHelp() [][]key.Binding { return [][]key.Binding{e.ShortHelp()} }

// Update takes a key or a paste: esc closes the editor, ctrl+s closes it
// and asks for what it held to be applied (ApplyMsg).
func (e *Model) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, e.close):
			e.open = false
			e.ta.Blur()
			return nil
		case key.Matches(k, e.apply):
			yaml := e.ta.Value()
			e.open = false
			e.ta.Blur()
			e.ta.Reset()
			return func() tea.Msg { return ApplyMsg{yaml} }
		}
	}
	var cmd tea.Cmd
	e.ta, cmd = e.ta.Update(msg)
	return cmd
}

func (e *Model) View() string {
	body := e.c.Theme.Dim.Render(e.c.T("editor.hint")) + "\n" + e.ta.View()
	return frame.Render(e.c, e.c.T("pane.editor"), true, e.width, e.height, body)
}
