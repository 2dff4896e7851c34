package playground

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/flow"
	"github.com/kubeplay/kubeplay/ui/components/frame"
	"github.com/kubeplay/kubeplay/ui/components/helpview"
	"github.com/kubeplay/kubeplay/ui/present"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// MinWidth and MinHeight are the smallest terminal the playground draws
// in on its own; CompactHeight the fewest rows it draws in under a lesson;
// PictureHeight the fewest under a lesson that still draw the flow's
// picture (borderless) above four lines of output — below, the flow is
// one line.
const (
	MinWidth      = 80
	MinHeight     = 24
	CompactHeight = 10
	PictureHeight = 3 + flow.BareRows + 6
)

// box is a pane's place on the screen.
type box struct{ w, h int }

// geometry is where each pane goes for a terminal size.
type geometry struct {
	wide                bool // board|events and output|hops side by side
	compact             bool // one line of flow, every other pane a tab
	presenter           bool // the flow, the board if room, the key-cast line, the output strip
	flow, board, events box
	output, hops        box
	traffic             box // once a load has run
	bottom              box // the tabbed pane, or the help, or the editor
	prompt              box
}

// of is pane p's place.
func (g geometry) of(p pane) box {
	switch p {
	case panePrompt:
		return g.prompt
	case paneBoard:
		return g.board
	case paneEvents:
		return g.events
	case paneOutput:
		return g.output
	case paneHops:
		return g.hops
	case paneFlow:
		return g.flow
	case paneTraffic:
		return g.traffic
	case paneEditor:
		return g.bottom
	}
	return box{}
}

// geometryFor places the panes on a w×h terminal, for a presenter every
// pane the full width; traffic makes room for
// the traffic pane (a third pane beside output and hops, or a tab).
func geometryFor(w, h int, presenter, traffic, lesson bool) geometry {
	var g geometry
	rest := h - 3 // header, prompt, help line
	if h < MinHeight {
		// Under a lesson on a small terminal: the flow's compact picture
		// without its border (or, with fewer than PictureHeight rows, its
		// arrow on one line), the cluster a tab beside output, events and
		// hops.
		g.compact = true
		g.flow = box{w, 1}
		if h >= PictureHeight {
			g.flow = box{w, flow.BareRows}
		}
		g.bottom = box{w, rest - g.flow.h}
		g.board, g.events, g.output, g.hops, g.traffic = g.bottom, g.bottom, g.bottom, g.bottom, g.bottom
		return g
	}
	if presenter {
		return presenterGeometry(w, h)
	}
	// The flow is the picture of the cluster: it grows with the screen.
	flowH := max(h*9/20, 16)
	switch {
	case h < 32:
		flowH = 8
	case lesson:
		// Beside a lesson's text, which needs its rows: the picture with
		// its boxes, and two lines of why.
		flowH = 16
	}
	g.flow = box{w, flowH}
	rest -= flowH
	// A presenter's screen is read from the back of a room: every pane
	// the full width, the board and below it the command's output (or
	// events, or hops: the tabs), never panes side by side.
	g.wide = w >= 110 && h >= 32 && !presenter
	if g.wide {
		// Half: the pods are in the flow's picture too.
		boardH := rest / 2
		left := w * 3 / 5
		g.board, g.events = box{left, boardH}, box{w - left, boardH}
		g.bottom = box{w, rest - boardH}
		g.output, g.hops = box{w / 2, rest - boardH}, box{w - w/2, rest - boardH}
		if traffic {
			out, tr := w*3/8, w*3/8
			g.output, g.traffic, g.hops = box{out, rest - boardH}, box{tr, rest - boardH}, box{w - out - tr, rest - boardH}
		}
		return g
	}
	boardH := rest / 2
	g.board = box{w, boardH}
	g.bottom = box{w, rest - boardH}
	g.events, g.output, g.hops, g.traffic = g.bottom, g.bottom, g.bottom, g.bottom
	return g
}

// presenterGeometry is a presenter's screen, read from the back of a
// room: the flow as large as it is useful, the board below it when there
// are rows to spare, a line with the key-cast and the theme, and the
// command's output in a strip that is always there (no tabs to switch).
func presenterGeometry(w, h int) geometry {
	g := geometry{presenter: true}
	strip := 5
	switch {
	case h >= 44:
		strip = 9
	case h >= 32:
		strip = 7
	}
	rest := h - 3 - 1 - strip // header, prompt, help; the key-cast line
	// The flow's picture with boxes takes 16 rows, with a presenter's big
	// boxes (five rows high) as soon as they fit; the board what is left,
	// if that is worth a pane. At 120×36 that is the big picture and no
	// board: its pods are in the picture's nodes, and the strip keeps the
	// rows a get pods prints.
	flowH := max(rest*2/3, min(rest, 16))
	if rest >= flow.BigPaneRows {
		flowH = max(flowH, flow.BigPaneRows)
	}
	if rest-flowH < 4 {
		flowH = rest
	}
	g.flow = box{w, flowH}
	g.board = box{w, rest - flowH}
	g.output = box{w, strip}
	g.bottom = g.output
	g.events, g.hops, g.traffic = g.output, g.output, g.output
	return g
}

// geometry is where the panes go now: below the flow, the panes leave
// the side's columns to the page around the playground, while the flow
// keeps the whole width for its boxes.
func (m *Model) geometry(traffic bool) geometry {
	g := geometryFor(m.c.Width-m.side, m.c.Height, m.c.Presenter, traffic, m.side > 0)
	g.flow.w = m.c.Width
	g.prompt = box{m.c.Width - 1, 1} // the prompt line starts with a space
	return g
}

// SetSide leaves w columns at the right of the screen, from below the
// flow to above the prompt, to a pane of the page around the playground
// (a lesson's text), sized to the w×h cells it gets each time it is
// drawn. The flow, the header, the prompt and the keys keep the whole
// width. It takes effect at the next SetSize.
func (m *Model) SetSide(w int, side common.Component) {
	m.dropStill()
	m.side, m.sideView = w, side
	if side == nil {
		m.side = 0
	}
}

// InSide reports whether the screen cell x, y is in the side's columns.
func (m *Model) InSide(x, y int) bool {
	if m.side == 0 || m.full.IsOpen() {
		return false
	}
	top := 1 + m.geometry(m.traffic.Has()).flow.h
	return x >= m.c.Width-m.side && y >= top && y < m.c.Height-2
}

// beside draws the side's columns to the right of the panes below the
// flow.
func (m *Model) beside(panes string) string {
	if m.side == 0 {
		return panes
	}
	m.sideView.SetSize(m.side, strings.Count(panes, "\n")+1)
	return frame.Beside(panes, m.sideView.View())
}

// SetSize lays the panes out for a terminal of w×h.
func (m *Model) SetSize(w, h int) {
	m.dropStill()
	m.c.Width, m.c.Height = w, h
	m.layout()
}

func (m *Model) layout() {
	g := m.geometry(m.traffic.Has())
	for p := range m.panes {
		b := g.of(pane(p))
		m.panes[p].SetSize(b.w, b.h)
	}
	m.help.SetSize(m.c.Width, 1)
	m.full.SetSize(m.c.Width, m.c.Height-3) // between the header and the prompt
}

// View draws the page.
func (m *Model) View() string {
	w, h := m.c.Width, m.c.Height
	if w < MinWidth || h < MinHeight && (!m.embedded || h < CompactHeight) {
		return m.c.Tf("small", MinWidth, MinHeight, w, h)
	}
	g := m.geometry(m.traffic.Has())
	rows := []string{m.header()}
	// The panes below the flow as last drawn while only the packet moved
	// (still.go).
	below := &m.stillFor().below
	switch {
	case m.full.IsOpen():
		// The help has all the room between the header and the prompt:
		// it teaches, and is read at leisure.
		rows = append(rows, m.full.View())
	case g.compact:
		rows = append(rows, m.flow.Bare(), m.beside(below.get(func() string { return m.bottom(g, m.tabbed) })))
	case g.presenter:
		rows = append(rows, m.flow.View(), m.beside(below.get(func() string {
			s := m.castLine()
			if g.board.h > 0 {
				s = m.board.View() + "\n" + s
			}
			return s + "\n" + m.bottom(g, m.output.View)
		})))
	case g.wide:
		wide := m.wideRows()
		rows = append(rows, m.flow.View(), m.beside(below.get(func() string {
			return m.row(wide[0]) + "\n" + m.bottom(g, func() string { return m.row(wide[1]) })
		})))
	default:
		rows = append(rows, m.flow.View(), m.beside(below.get(func() string { return m.board.View() + "\n" + m.bottom(g, m.tabbed) })))
	}
	rows = append(rows, m.promptLines()...)
	return m.still.page.join(rows)
}

// paneAt is the pane drawn at the screen cell x, y, if a scrolling one is.
func (m *Model) paneAt(x, y int) (pane, bool) {
	if m.full.IsOpen() || m.focus == paneEditor || y < 1 {
		return 0, false
	}
	g := m.geometry(m.traffic.Has())
	y-- // the header
	if y < g.flow.h {
		return paneFlow, false
	}
	y -= g.flow.h
	if m.InSide(x, y+1+g.flow.h) {
		return 0, false
	}
	switch {
	case g.compact, !g.wide && y >= g.board.h:
		if !g.compact {
			y -= g.board.h
		}
		if y >= g.bottom.h {
			return 0, false
		}
		if g.compact && m.focus == paneBoard {
			return paneBoard, true
		}
		return m.tab, true
	case !g.wide:
		return paneBoard, y < g.board.h
	case y < g.board.h:
		return hit(g, x, m.wideRows()[0]), true
	case y < g.board.h+g.bottom.h:
		return hit(g, x, m.wideRows()[1]), true
	}
	return 0, false
}

// wideRows are the panes side by side below the flow in the wide
// layout: the board's row, and the bottom's (where the editor opens).
// View draws them and paneAt finds the pointer in them.
func (m *Model) wideRows() [2][]pane {
	bottom := []pane{paneOutput, paneHops}
	if m.traffic.Has() {
		bottom = []pane{paneOutput, paneTraffic, paneHops}
	}
	return [2][]pane{{paneBoard, paneEvents}, bottom}
}

// row draws panes side by side.
func (m *Model) row(ps []pane) string {
	views := make([]string, len(ps))
	for i, p := range ps {
		views[i] = m.panes[p].View()
	}
	return frame.Beside(views...)
}

// hit is the pane of a row drawn on g that column x falls in; the last
// has the columns after it.
func hit(g geometry, x int, ps []pane) pane {
	for _, p := range ps[:len(ps)-1] {
		if x < g.of(p).w {
			return p
		}
		x -= g.of(p).w
	}
	return ps[len(ps)-1]
}

// SetEmbedded lets the playground draw under a lesson on a terminal
// lower than MinHeight, compacted.
func (m *Model) SetEmbedded(b bool) { m.dropStill(); m.embedded = b }

// Compact reports whether the playground draws compacted.
func (m *Model) Compact() bool {
	return m.geometry(m.traffic.Has()).compact
}

// bottom is the editor or the panes, in the bottom area.
func (m *Model) bottom(g geometry, panes func() string) string {
	switch {
	case m.focus == paneEditor:
		return m.editor.View()
	}
	return panes()
}

// showOutput brings the output pane to the front, following its last
// line: a command was run, and what it says must show.
func (m *Model) showOutput() {
	if m.tab != paneOutput && m.panes[m.focus].tab {
		m.setFocus(paneOutput)
	}
	m.tab = paneOutput
	m.output.End()
}

// tabbed draws output, events and hops in one place with their names as
// tabs, for small terminals.
func (m *Model) tabbed() string {
	var tabs []string
	shown := []pane{paneOutput, paneEvents, paneHops}
	cur := m.tab
	if m.Compact() {
		shown = []pane{paneOutput, paneBoard, paneEvents, paneHops}
		if m.focus == paneBoard {
			cur = paneBoard
		}
	}
	if m.traffic.Has() {
		shown = append(shown, paneTraffic)
	}
	for _, p := range shown {
		name := m.c.T(m.panes[p].title)
		if p == cur {
			name = "▸" + strings.ToUpper(name)
		}
		tabs = append(tabs, name)
	}
	title := strings.Join(tabs, " │ ")
	if t, ok := m.panes[cur].Component.(titled); ok {
		return t.ViewTitled(title)
	}
	return m.output.ViewTitled(title)
}

// header is the page's first line: the runtime and the nodes at the
// left, the mode, the speed, the clock and the hops (or the past) at the
// right. Sixty frames a second draw it, and it changes about once a
// second (the clock): headerKey is every value it is drawn from, and a
// frame with the same key is the line drawn last.
func (m *Model) header() string {
	at, of, past := m.InPast()
	k := headerKey{
		w: m.c.Width, theme: m.c.Theme, lang: m.c.Lang,
		runtime: m.runtime, nodes: len(m.board.Nodes()), fallback: m.fallback, waiting: m.waitingRuntime(),
		mode: m.ModeText(), speed: m.Speed(), clock: m.Clock(), hops: m.hops.Len(), past: past, at: at, of: of,
	}
	if !m.head.ok || m.head.key != k {
		m.head.key, m.head.s, m.head.ok = k, m.drawHeader(), true
	}
	return m.head.s
}

// headerKey is what the header is drawn from.
type headerKey struct {
	w                   int
	theme               *theme.Theme
	lang                bilingual.Lang
	runtime, fallback   string
	nodes, hops, at, of int
	waiting, past       bool
	mode, speed, clock  string
}

// keptHeader is the header as last drawn, and what from.
type keptHeader struct {
	key headerKey
	s   string
	ok  bool
}

func (m *Model) drawHeader() string {
	t := m.c.Theme
	rt := "runtime"
	switch m.runtime {
	case "docker":
		rt = "runtime.docker"
	case "real":
		rt = "runtime.real"
	}
	left := t.Title.Render(" kubeplay") + t.Dim.Render(fmt.Sprintf(" · %s · %d %s", m.c.T(rt), len(m.board.Nodes()), m.c.T("nodes")))
	right := t.Key.Render(m.ModeText()) + "  " + t.Text.Render(m.Speed()) + "  " + t.Text.Render("⏱ "+m.Clock()) + "  " + t.Dim.Render(fmt.Sprintf("%s %d", m.c.T("pane.hops"), m.hops.Len()))
	if past := m.pastHeader(); past != "" {
		// "past: hop 12/40" says how many hops there are: the count
		// gives its room to it.
		right = past + "  " + t.Key.Render(m.ModeText()) + "  " + t.Text.Render(m.Speed()) + "  " + t.Text.Render("⏱ "+m.Clock())
	}
	if m.waitingRuntime() {
		right = t.Warning.Render("⏳ "+m.c.T("out.waitruntime")) + "  " + right
	}
	right += " "
	if m.fallback != "" {
		// Why there is no Docker, in what room the mode leaves.
		left = frame.Truncate(left+t.Warning.Render(" ⚠ "+m.fallback), max(m.c.Width-lipgloss.Width(right)-1, lipgloss.Width(left)))
	}
	gap := m.c.Width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 && m.c.Width-lipgloss.Width(right) > 20 {
		// The mode, the clock and the past are what the keys change:
		// the runtime's name gives way first.
		left = frame.Truncate(left, m.c.Width-lipgloss.Width(right)-1)
		gap = m.c.Width - lipgloss.Width(left) - lipgloss.Width(right)
	}
	if gap < 1 {
		return frame.Truncate(left+" "+right, m.c.Width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// castLine is the presenter's line between the cluster and the output:
// the theme on screen at the left (F3 changes it), the key-cast at the
// right, bold, for a room to read.
func (m *Model) castLine() string {
	t := m.c.Theme
	w := m.c.Width - m.side
	left := t.Dim.Render(" " + m.c.T("key.presenter") + " · " + m.c.T(themeLabel(t)) + " (" + m.c.Keys.Theme.Help().Key + ")")
	cast := m.cast.text(max(w-lipgloss.Width(left)-3, 10))
	if cast == "" {
		return frame.Truncate(left, w)
	}
	right := t.Packet.Render(cast) + " "
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return frame.Truncate(right, w)
	}
	return left + strings.Repeat(" ", gap) + right
}

// promptLines are the prompt and the keys; while a question is asked
// (quit, back), the question in their two lines.
func (m *Model) promptLines() []string {
	if m.asking != "" {
		l := m.c.Question(m.asking, m.c.Width)
		return l[:]
	}
	still := m.stillFor()
	return []string{" " + still.prompt.get(m.prompt.View), still.help.get(m.helpLine)}
}

// helpLine is the keys in short. With a pane focused its own keys come
// first, after its name, so that a narrow terminal cuts the global ones
// rather than what the focus stop does.
func (m *Model) helpLine() string {
	title, km := m.focusedKeys()
	g := helpview.Global{K: m.c.Keys, Running: m.d.Running(), Line: m.prompt.Value() != "", Asks: m.HasState()}
	if m.panes[m.focus].writing {
		return m.help.Short(g, km)
	}
	return m.help.ShortPane(title, g, km)
}

// names are the objects tab completes, by resource.
func names(b present.Board) map[string][]string {
	n := map[string][]string{}
	for _, col := range b.Nodes {
		n["nodes"] = append(n["nodes"], col.Name)
		for _, p := range col.Pods {
			n["pods"] = append(n["pods"], p.Name)
		}
	}
	for _, p := range b.Unscheduled {
		n["pods"] = append(n["pods"], p.Name)
	}
	for _, d := range b.Deploys {
		n["deployments"] = append(n["deployments"], d.Name)
		for _, rs := range d.RSs {
			n["replicasets"] = append(n["replicasets"], rs.Name)
		}
	}
	return n
}
