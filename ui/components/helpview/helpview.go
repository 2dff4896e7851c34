// Package helpview is the help line under the playground and the full
// help of the focused pane, both from bubbles' help and the panes' key maps
// so that what `?` says is always what the keys do.
package helpview

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
)

// Model draws help.
type Model struct {
	c     *common.Common
	h     help.Model
	width int
}

// New returns a help view.
func New(c *common.Common) *Model {
	h := help.New()
	h.Styles = c.Theme.Help
	return &Model{c: c, h: h}
}

// SetSize sets the width help may use.
func (m *Model) SetSize(w, _ int) { m.width = w; m.h.SetWidth(w) }

// Restyle follows a theme change.
func (m *Model) Restyle() { m.h.Styles = m.c.Theme.Help }

// keys joins the global keys and a pane's own into one key map.
type keys struct {
	global, pane help.KeyMap
}

func (k keys) ShortHelp() []key.Binding {
	return append(append([]key.Binding{}, k.global.ShortHelp()...), k.pane.ShortHelp()...)
}

func (k keys) FullHelp() [][]key.Binding {
	return append(append([][]key.Binding{}, k.pane.FullHelp()...), k.global.FullHelp()...)
}

// Short is the one-line help: the global keys, then the pane's.
func (m *Model) Short(global, pane help.KeyMap) string {
	m.h.ShowAll = false
	return frame.Truncate(" "+m.h.View(keys{global, pane}), m.width)
}

// Full is every key of the pane and the global ones, titled, h lines high.
func (m *Model) Full(title string, global, pane help.KeyMap, h int) string {
	m.h.ShowAll = true
	return frame.Render(m.c, m.c.T("pane.help")+" · "+title, true, m.width, h, m.h.View(keys{global, pane}))
}

// Global is the global keys as a help.KeyMap.
type Global struct{ K common.Keys }

// ShortHelp is what the help line always shows.
func (g Global) ShortHelp() []key.Binding {
	return []key.Binding{g.K.Step, g.K.Play, g.K.Faster, g.K.Mode, g.K.Next, g.K.Help, g.K.Quit}
}

// FullHelp is every global key.
func (g Global) FullHelp() [][]key.Binding {
	k := g.K
	return [][]key.Binding{{k.Step, k.Play, k.Faster, k.Slower, k.Mode}, {k.Next, k.Prev, k.Help, k.Back, k.Quit}, {k.Presenter, k.Theme}}
}
