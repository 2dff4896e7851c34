package playground

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
)

// applyMsg applies the editor's YAML.
type applyMsg struct{ yaml string }

// editor is the small YAML pane: paste or type a manifest, ctrl+s applies
// it as `apply -f -`.
type editor struct {
	c             *common.Common
	ta            textarea.Model
	open          bool
	width, height int
	apply, close  key.Binding
}

func newEditor(c *common.Common) *editor {
	ta := textarea.New()
	st := textarea.DefaultStyles(c.Theme.Dark)
	st.Cursor.Blink = false
	ta.SetStyles(st)
	ta.ShowLineNumbers = true
	return &editor{c: c, ta: ta,
		apply: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", c.T("key.apply"))),
		close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("key.back")))}
}

func (e *editor) Open() {
	e.open = true
	e.ta.Focus()
}

func (e *editor) SetSize(w, h int) {
	e.width, e.height = w, h
	e.ta.SetWidth(max(w-2, 1))
	e.ta.SetHeight(max(h-3, 1))
}

func (e *editor) ShortHelp() []key.Binding  { return []key.Binding{e.apply, e.close} }
func (e *editor) FullHelp() [][]key.Binding { return [][]key.Binding{e.ShortHelp()} }

func (e *editor) Update(msg tea.Msg) tea.Cmd {
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
			return func() tea.Msg { return applyMsg{yaml} }
		}
	}
	var cmd tea.Cmd
	e.ta, cmd = e.ta.Update(msg)
	return cmd
}

func (e *editor) View() string {
	body := e.c.Theme.Dim.Render(e.c.T("editor.hint")) + "\n" + e.ta.View()
	return frame.Render(e.c, e.c.T("pane.editor"), true, e.width, e.height, body)
}
