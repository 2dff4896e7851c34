// Package helpview is the help line under the playground and the full
// help, both from the panes' key maps so that what help says is always
// what the keys do. The full help also teaches the tool: the modes, what
// a hop is and how to see what it carried, the panes.
package helpview

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
)

// Model draws help.
type Model struct {
	c      *common.Common
	h      help.Model
	width  int
	offset int // the first line of the full help shown
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

// keys joins the global keys and a pane's own into one key map, each key
// once: a pane that lists a global key (the flow pane lists the stepping
// keys) does not make the line say it twice.
type keys struct {
	global, pane help.KeyMap
}

func (k keys) ShortHelp() []key.Binding {
	return unique(append(append([]key.Binding{}, k.global.ShortHelp()...), k.pane.ShortHelp()...))
}

func (k keys) FullHelp() [][]key.Binding {
	var all []key.Binding
	for _, col := range append(append([][]key.Binding{}, k.pane.FullHelp()...), k.global.FullHelp()...) {
		all = append(all, col...)
	}
	return [][]key.Binding{unique(all)}
}

// unique keeps the first binding of each label, and those with a label.
func unique(bs []key.Binding) []key.Binding {
	seen := map[string]bool{}
	var out []key.Binding
	for _, b := range bs {
		label := b.Help().Key
		if label == "" || seen[label] || !b.Enabled() {
			continue
		}
		seen[label] = true
		out = append(out, b)
	}
	return out
}

// Short is the one-line help: the global keys, then the pane's.
func (m *Model) Short(global, pane help.KeyMap) string {
	m.h.ShowAll = false
	return frame.Truncate(" "+m.h.View(keys{global, pane}), m.width)
}

// ShortPane is the one-line help while pane title has the focus: its
// name and keys first, then the global keys, each once.
func (m *Model) ShortPane(title string, global, pane help.KeyMap) string {
	m.h.ShowAll = false
	name := m.c.Theme.PaneTitleFocused.Render("▸ " + title)
	return frame.Truncate(" "+name+"  "+m.h.View(keys{pane, global}), m.width)
}

// Scroll moves the full help by a key: up, down, pgup, pgdown, home; it
// reports whether the key was one of those.
func (m *Model) Scroll(k tea.KeyPressMsg) bool {
	switch k.String() {
	case "up":
		m.offset--
	case "down":
		m.offset++
	case "pgup":
		m.offset -= 10
	case "pgdown":
		m.offset += 10
	case "home":
		m.offset = 0
	default:
		return false
	}
	m.offset = max(m.offset, 0)
	return true
}

// Reset shows the full help from its top, when it opens.
func (m *Model) Reset() { m.offset = 0 }

// Full is the full help, titled, h lines high: what the tool is (modes,
// hops, panes), then every key of the pane and the global ones, each
// once, with what it does.
//
// A page around the playground adds its own sections (a lesson's keys)
// after those.
func (m *Model) Full(title string, global, pane help.KeyMap, h int, extra ...Section) string {
	t := m.c.Theme
	w := max(m.width-2, 10)
	var lines []string
	section := func(head string) {
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, t.Title.Render(head))
	}
	para := func(id string) { lines = append(lines, m.para(id, w)...) }
	section(m.c.T("help.keys"))
	lines = append(lines, m.keyTable(keys{global, pane}.FullHelp()[0], w)...)
	section(m.c.T("help.modes"))
	para("help.mode.step")
	para("help.mode.paced")
	para("help.mode.free")
	para("help.time")
	section(m.c.T("help.hops"))
	para("help.hop")
	para("help.details")
	section(m.c.T("help.panes"))
	for _, id := range []string{"help.pane.flow", "help.pane.board", "help.pane.event", "help.pane.out", "help.pane.hops", "help.pane.input"} {
		para(id)
	}
	section(m.c.T("help.scrolling"))
	para("help.scroll.how")
	for _, s := range extra {
		section(m.c.T(s.Title))
		for _, id := range s.Paras {
			para(id)
		}
	}
	return m.window(title, lines, h)
}

// Section is a part of the full help: a title and paragraphs, by
// message id.
type Section struct {
	Title string
	Paras []string
}

// Page is the full help of a page without the playground (the start
// page, the lesson list): its sections alone, titled, h lines high.
func (m *Model) Page(title string, h int, sections ...Section) string {
	w := max(m.width-2, 10)
	var lines []string
	for i, s := range sections {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, m.c.Theme.Title.Render(m.c.T(s.Title)))
		for _, id := range s.Paras {
			lines = append(lines, m.para(id, w)...)
		}
	}
	return m.window(title, lines, h)
}

// para is a paragraph of the help, wrapped to w and indented.
func (m *Model) para(id string, w int) []string {
	var lines []string
	for _, l := range common.WrapIndent(m.c.T(id), w-2, 0) {
		lines = append(lines, "  "+m.c.Theme.Text.Render(l))
	}
	return lines
}

// window is the help's lines from its offset, in a pane h lines high
// with the keys that scroll it at its foot.
func (m *Model) window(title string, lines []string, h int) string {
	t := m.c.Theme
	w := max(m.width-2, 10)
	room := max(h-3, 1)
	m.offset = min(m.offset, max(len(lines)-room, 0))
	shown := lines[m.offset:min(m.offset+room, len(lines))]
	body := strings.Join(shown, "\n") + "\n" + t.Dim.Render(frame.Truncate(m.c.T("help.scroll"), w))
	return frame.Render(m.c, m.c.T("pane.help")+" · "+title, true, m.width, h, body)
}

// keyTable lays bindings out as "key  what it does" cells, as many to a
// line as fit in w; a binding whose description is long gets a line of
// its own after them, so that it does not make every cell as wide.
func (m *Model) keyTable(bs []key.Binding, w int) []string {
	const descW = 20
	t := m.c.Theme
	keyW, cellW := 0, 0
	var cells, long []key.Binding
	for _, b := range bs {
		keyW = max(keyW, lipgloss.Width(b.Help().Key))
		if lipgloss.Width(b.Help().Desc) > descW {
			long = append(long, b)
		} else {
			cells = append(cells, b)
		}
	}
	for _, b := range cells {
		cellW = max(cellW, keyW+2+lipgloss.Width(b.Help().Desc))
	}
	cell := func(b key.Binding) string {
		return t.Key.Render(frame.Pad(b.Help().Key, keyW)) + "  " + t.Dim.Render(b.Help().Desc)
	}
	cols := max((w-2)/(cellW+3), 1)
	var lines []string
	for i := 0; i < len(cells); i += cols {
		var row []string
		for _, b := range cells[i:min(i+cols, len(cells))] {
			row = append(row, frame.Pad(cell(b), cellW))
		}
		lines = append(lines, frame.Truncate("  "+strings.Join(row, "   "), w))
	}
	for _, b := range long {
		lines = append(lines, frame.Truncate("  "+cell(b), w))
	}
	return lines
}

// Global is the global keys as a help.KeyMap; Running says a command
// runs and Line that the prompt holds a line, so that ctrl+c is shown as
// what it does then: it stops the command, else clears the line. Asks
// says quitting asks first (something would be lost): ^Q's and ^C's
// "quit" then end in "…", as a menu item that opens a question does.
type Global struct {
	K       common.Keys
	Running bool
	Line    bool
	Asks    bool
}

// ShortHelp is what the help line always shows.
func (g Global) ShortHelp() []key.Binding {
	k := g.K
	panes := key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp(k.Next.Help().Key, k.Panes))
	return []key.Binding{k.Step, k.Play, k.Mode, k.Help, g.ctrlC(), k.Speed, panes}
}

// quit is ^Q, "quit…" when it asks first.
func (g Global) quit() key.Binding {
	b := g.K.Quit
	if g.Asks {
		b.SetHelp(b.Help().Key, b.Help().Desc+"…")
	}
	return b
}

// ctrlC is ctrl+c as it acts now: it stops a running command, else
// clears the line typed, else quits as ^Q does, and says so as ^Q does.
func (g Global) ctrlC() key.Binding {
	desc := g.quit().Help().Desc
	switch {
	case g.Running:
		desc = g.K.Stop
	case g.Line:
		desc = g.K.Clear
	}
	return key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp(g.K.Interrupt.Help().Key, desc))
}

// FullHelp is every global key.
func (g Global) FullHelp() [][]key.Binding {
	k := g.K
	return [][]key.Binding{{k.Step, also(k.Play, "F5"), k.Slower, k.Faster, also(k.Mode, "F4")},
		{also(k.Next, "F6"), k.Prev, also(k.Help, "F1"), k.Back, k.Interrupt, also(g.quit(), "^D/F10")}, {k.Past, k.Presenter, k.Theme}}
}

// also is b with its other keys in its label, for the full help: the
// function keys, for terminals that pass them, and ^D, which quits on an
// empty prompt as it ends a shell.
func also(b key.Binding, keys string) key.Binding {
	b.SetHelp(b.Help().Key+"/"+keys, b.Help().Desc)
	return b
}
