// Package flow draws the cluster's components as boxes and the current hop
// as a packet travelling along an arrow from the component that sends it
// to the one that receives it, with the sender's reasoning underneath.
package flow

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
	"github.com/kubeplay/kubeplay/ui/present"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// controlPlane are the boxes of the first row, in the order of a request.
var controlPlane = []sim.Component{
	sim.Component(sim.KindKubectl), sim.Component(sim.KindAPIServer), sim.Component(sim.KindEtcd),
	sim.Component(sim.KindControllerManager), sim.Component(sim.KindScheduler),
}

// Model is the flow pane.
type Model struct {
	c             *common.Common
	width, height int
	focused       bool
	nodes         []string
	hop           sim.Hop
	hasHop        bool
	next          sim.Hop
	hasNext       bool
	stepping      bool    // the next hop waits for a step (STEP mode)
	pos           float64 // where the packet is on its arrow, 0 to 1
	board         present.Board
	past          string       // the timeline's line, while the flow shows a hop of the past
	codesOf       *theme.Theme // the theme inkCodes were taken from
	inkCodes      *inkCodes
	// gen counts the changes of what the pane draws but the packet's
	// place: every setter but SetPos, SetSize and SetFocused (those are
	// in the caches' keys) bumps it. The caches below are keyed by it.
	gen  uint64
	pic  picture // the diagram but its packet (diagram.go)
	pane drawn   // the pane but its packet (cache.go)
}

// New returns an empty flow pane.
func New(c *common.Common) *Model { return &Model{c: c} }

// SetSize sets the pane's size, border included.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// SetFocused lights the pane's border.
func (m *Model) SetFocused(f bool) { m.focused = f }

// Update takes nothing: the flow has no keys of its own (the stepping
// keys are the page's), and the page moves its packet (SetPos).
func (m *Model) Update(tea.Msg) tea.Cmd { return nil }

// SetNodes sets the nodes whose kubelets are drawn.
func (m *Model) SetNodes(nodes []string) { m.nodes = nodes; m.gen++ }

// SetHop makes h the hop in flight, its packet at the start of the arrow.
func (m *Model) SetHop(h sim.Hop) { m.hop, m.hasHop, m.pos = h, true, 0; m.gen++ }

// SetNext shows the hop that the next step delivers; stepping says it
// waits for the learner to step (STEP mode).
func (m *Model) SetNext(h sim.Hop, ok, stepping bool) {
	m.next, m.hasNext, m.stepping = h, ok, stepping
	m.gen++
}

// SetPos moves the packet along the arrow.
func (m *Model) SetPos(p float64) { m.pos = min(max(p, 0), 1) }

// Hop is the hop in flight, if any.
func (m *Model) Hop() (sim.Hop, bool) { return m.hop, m.hasHop }

// ShortHelp is the pane's own keys: none — the stepping keys are the
// global ones, which the help line shows already.
func (m *Model) ShortHelp() []key.Binding { return nil }

// FullHelp is every key of the pane: none of its own.
func (m *Model) FullHelp() [][]key.Binding { return nil }

// Compact reports whether the pane is too low for the picture and
// draws its components on one line.
func (m *Model) Compact() bool { return m.height-2-2 < compactRows }

// SetPast shows line in place of the next hop's ("" for none): the hop
// on the flow is one of the past, and how to move and come back.
func (m *Model) SetPast(line string) { m.past = line; m.gen++ }

// SetBoard gives the flow the cluster as the board shows it: the pods
// inside their nodes, and those waiting for the scheduler.
func (m *Model) SetBoard(b present.Board) { m.board = b; m.gen++ }

// codes are the theme's escape codes of each ink, kept while the theme
// is the same (the diagram redraws at 60 frames a second).
func (m *Model) codes() *inkCodes {
	if m.codesOf != m.c.Theme {
		m.codesOf, m.inkCodes = m.c.Theme, codesOf(m.c.Theme)
	}
	return m.inkCodes
}

// View draws the pane: the picture, and under it what the hop in flight
// carries and why, and the hop the next step delivers. The text wraps
// while the pane has rows for it; past that it is cut, and the hop log's
// details (enter on a hop) show it whole.
func (m *Model) View() string {
	k := paneKey{m.width, m.height, m.focused, m.gen, m.c.Theme, m.c.Lang, m.c.Presenter}
	d := &m.pane
	if !d.ok || d.key != k {
		pic, body := m.layoutPane()
		if pic == nil {
			// The one-line flow: its arrow moves with the packet, and
			// is cheap; nothing is kept.
			d.ok = false
			return frame.RenderDrawn(m.c, m.c.T("pane.flow"), m.focused, m.width, m.height, nil, body)
		}
		framed := frame.RenderDrawn(m.c, m.c.T("pane.flow"), m.focused, m.width, m.height, pic.lines, body)
		*d = drawn{key: k, ok: true, pic: *pic, lines: strings.Split(framed, "\n"), at: pt{-1, -1}}
	}
	return d.with(m)
}

// layoutPane is the pane's picture without its packet (nil when the pane
// is too low for one and draws the flow on a line) and the text under
// it: what the hop in flight carries and why, and the hop the next step
// delivers.
func (m *Model) layoutPane() (*picture, string) {
	w, avail := m.width-2, m.height-2
	var about []string
	if m.hasHop {
		about = m.reasoning()
	} else {
		about = common.Wrap(m.c.Theme.Dim.Render(m.c.T("flow.idle")), w)
	}
	next := m.nextLine()
	if m.past != "" {
		next = common.Wrap(m.c.Theme.Warning.Bold(true).Render(m.past), w)
	}
	rows := 0
	switch want := min(max(len(about)+len(next), 2), 4); {
	case avail-want >= fullRows:
		rows = avail - want
	case avail-1 >= fullRows:
		rows = fullRows
	case avail-2 >= compactRows:
		rows = compactRows
	}
	var lines []string
	var pic *picture
	if rows > 0 {
		pic = m.picture(w, rows)
	} else {
		lines = append(lines, m.line())
		if m.hasHop {
			lines = append(lines, m.arrow(w))
		}
		rows = len(lines)
	}
	room := max(avail-rows, 0)
	if room == 1 && len(about) > 0 {
		next = nil // one line: what is in flight and why
	}
	if len(about)+len(next) > room {
		next = fit(next, min(len(next), max(room-len(about), 1)), w)
		about = fit(about, max(room-len(next), 0), w)
	}
	lines = append(append(lines, about...), next...)
	return pic, strings.Join(lines, "\n")
}

// fit keeps the first n of lines, the last one kept ending in … when
// some are left out.
func fit(lines []string, n, w int) []string {
	if len(lines) <= n {
		return lines
	}
	if n == 0 {
		return nil
	}
	out := append([]string(nil), lines[:n]...)
	out[n-1] = frame.Truncate(out[n-1]+" …", w)
	if !strings.HasSuffix(ansi.Strip(out[n-1]), "…") {
		out[n-1] = frame.Truncate(out[n-1], w-1) + "…"
	}
	return out
}

// boxName is a control-plane box's label: the kubectl box says when the
// request in flight came from the learner's own kubectl over HTTP.
func (m *Model) boxName(n sim.Component) string {
	if m.hasHop && m.hop.From == n {
		return m.endName(m.hop, n)
	}
	return present.DisplayName(n)
}

// endName is end, the sender or the receiver of h, as the flow names it:
// as Kubernetes spells it, the learner's own kubectl as such.
func (m *Model) endName(h sim.Hop, end sim.Component) string {
	if present.OwnKubectl(h, end) {
		return m.c.T("flow.external")
	}
	return present.DisplayName(end)
}

// line is the flow on one line, for small terminals.
func (m *Model) line() string {
	t := m.c.Theme
	var parts []string
	for _, n := range controlPlane {
		parts = append(parts, m.inline(n, m.boxName(n)))
	}
	node := ""
	if m.hasHop {
		if n := m.hop.To.Node(); n != "" {
			node = n
		} else if n := m.hop.From.Node(); n != "" {
			node = n
		}
	}
	if node == "" && len(m.nodes) > 0 {
		node = m.nodes[0]
	}
	parts = append(parts, m.inline(sim.KindKubelet.On(node), "kubelet"), m.inline(sim.KindRuntime.On(node), "runtime"))
	// Spaced while it fits; at 80 columns the arrows close up rather
	// than the runtime fall off the end.
	line := strings.Join(parts, t.Arrow.Render(" ─ "))
	if lipgloss.Width(line) > m.width-2 {
		line = strings.Join(parts, t.Arrow.Render("─"))
	}
	return frame.Truncate(line, m.width-2)
}

func (m *Model) inline(name sim.Component, label string) string {
	t := m.c.Theme
	switch {
	case m.hasHop && m.hop.From == name:
		return t.Packet.Render("[" + label + "]")
	case m.hasHop && m.hop.To == name:
		return t.BoxTarget.UnsetBorderStyle().UnsetPadding().Render("<" + label + ">")
	}
	return t.Text.Render(label)
}

// arrow is the hop in flight: sender, the arrow with the packet on it at
// pos, receiver and what it carries.
func (m *Model) arrow(w int) string {
	t := m.c.Theme
	if !m.hasHop {
		return t.Dim.Render(frame.Truncate(m.c.T("flow.idle"), w))
	}
	from, to := m.endName(m.hop, m.hop.From), m.endName(m.hop, m.hop.To)
	// The label as spelt, in presenter mode too: etcd keys and object
	// names are case-sensitive.
	label := m.hop.Label()
	n := w - lipgloss.Width(from) - lipgloss.Width(to) - lipgloss.Width(label) - 6
	n = min(max(n, 6), 40)
	at := int(m.pos*float64(n-1) + 0.5)
	line, packet := "─", "●"
	if m.hop.Evidence == sim.Inferred {
		line, packet = "╌", "○" // as the diagram draws it: dashed, hollow
	}
	shaft := t.Arrow.Render(strings.Repeat(line, at)) + t.Packet.Render(packet) + t.Arrow.Render(strings.Repeat(line, n-1-at)+"▶")
	return frame.Truncate(t.BoxActive.UnsetBorderStyle().UnsetPadding().Render(from)+" "+shaft+" "+
		t.BoxTarget.UnsetBorderStyle().UnsetPadding().Render(to)+"  "+t.Title.Render(label), w)
}

// Strip is the flow in one line of w cells, for a playground compacted
// under a lesson: the hop in flight on its arrow, or what is idle.
func (m *Model) Strip(w int) string {
	if !m.hasHop {
		return m.c.Theme.Dim.Render(frame.Truncate(m.c.T("flow.idle.short"), w))
	}
	return m.arrow(w)
}

// reasoning is the sender's why, wrapped to the pane.
func (m *Model) reasoning() []string {
	if !m.hasHop {
		return nil
	}
	t := m.c.Theme
	why := present.Reasoning(m.hop, func(s string) string { return common.Why(m.c.Lang, s) })
	reason := t.Reason
	if m.c.Presenter {
		reason = reason.Bold(true) // read from the back of a room
	}
	s := t.Title.Render("▸ "+m.hop.Label()) + "  " + reason.Render(why)
	if m.hop.Summary == "" {
		s = t.Title.Render("▸ ") + reason.Render(why)
	}
	if e := m.c.Evidence(m.hop.Evidence); e != "" {
		// On a real cluster: did it say so, or does kubeplay know?
		s += "  " + t.Dim.Render(e)
	}
	return common.Wrap(s, m.width-2)
}

// nextLine is the hop the next step delivers, wrapped to the pane.
func (m *Model) nextLine() []string {
	t := m.c.Theme
	if !m.hasNext {
		if m.hasHop {
			return common.Wrap(t.Dim.Render(m.c.T("flow.nothing")), m.width-2)
		}
		return nil
	}
	s := fmt.Sprintf("%s ▸ %s  %s", m.c.T("flow.next"), m.c.HopRoute(m.next), m.next.Label())
	if m.next.Internal {
		s = fmt.Sprintf("%s ▸ %s ⏲ %s", m.c.T("flow.next"), m.c.HopEnd(m.next, m.next.From), common.Timer(m.c.Lang, m.next.Summary))
	}
	lines := common.Wrap(t.Dim.Render(s), m.width-2)
	if m.stepping && m.next.Origin == sim.OriginExternal {
		// The learner's own kubectl, in another shell, hangs until its
		// hops are stepped: nothing there says why, so this does.
		k := m.c.Keys
		say := m.c.Tf("flow.external.waits", k.Step.Help().Key, k.Mode.Help().Key, m.c.T("mode.paced"))
		lines = append(common.Wrap(t.Warning.Render(say), m.width-2), lines...)
	}
	return lines
}
