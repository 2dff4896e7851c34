package lesson

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/common"
)

// textPane is the lesson pane as a pane of the page, a common.Component:
// the step's text, what to do and what happens now, the lesson's keys at
// its foot. Beside the playground's panes it is the playground's side
// (playground.SetSide); above them the page draws it. It never takes the
// focus — what the learner types goes to the prompt — so its keys work
// wherever the focus is, and the wheel over it and ⇧↑/⇧↓ scroll it.
type textPane struct {
	m    *Model
	w, h int
}

var _ common.Component = (*textPane)(nil)

func (p *textPane) SetSize(w, h int)          { p.w, p.h = w, h }
func (p *textPane) SetFocused(bool)           {}
func (p *textPane) View() string              { return p.m.pane(p.w, p.h) }
func (p *textPane) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// ShortHelp is the lesson's keys, as the pane's foot names them: ⏎
// first while an explained hop holds the cluster.
func (p *textPane) ShortHelp() []key.Binding {
	k := p.m.keys
	bs := []key.Binding{k.Hint, k.Next, k.Back, k.Through, k.Again, k.Quit}
	if p.m.held {
		bs = append([]key.Binding{k.Continue}, bs...)
	}
	return bs
}

// Update scrolls the text: by three lines a turn of the wheel, by a page
// for ⇧↑/⇧↓ (which no pane and no line editing uses).
func (p *textPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		p.m.scroll.By(map[bool]int{true: -3, false: 3}[msg.Button == tea.MouseWheelUp])
	case tea.KeyPressMsg:
		page := max(p.m.scroll.Rows()-1, 1)
		switch msg.String() {
		case "shift+up":
			p.m.scroll.By(-page)
		case "shift+down":
			p.m.scroll.By(page)
		}
	}
	return nil
}
