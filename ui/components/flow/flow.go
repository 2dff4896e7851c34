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
func (m *Model) SetNodes(nodes []string) { m.nodes = nodes }

// SetHop makes h the hop in flight, its packet at the start of the arrow.
func (m *Model) SetHop(h sim.Hop) { m.hop, m.hasHop, m.pos = h, true, 0 }

// SetNext shows the hop that the next step delivers; stepping says it
// waits for the learner to step (STEP mode).
func (m *Model) SetNext(h sim.Hop, ok, stepping bool) {
	m.next, m.hasNext, m.stepping = h, ok, stepping
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

// Compact reports whether the pane draws its boxes on one line.
func (m *Model) Compact() bool { return m.height < 11 }

// View draws the pane. The reasoning and the next hop wrap while the pane
// has rows for them; past that they are cut, and the hop log's details
// (enter on a hop) show them whole.
func (m *Model) View() string {
	var body []string
	if m.Compact() {
		body = append(body, m.line())
	} else {
		body = append(body, m.boxes(controlPlane, ""), m.nodeBoxes())
	}
	if m.hasHop {
		body = append(body, m.arrow(m.width-2))
	} else {
		body = append(body, common.Wrap(m.c.Theme.Dim.Render(m.c.T("flow.idle")), m.width-2)...)
	}
	room := max(m.height-2-len(strings.Split(strings.Join(body, "\n"), "\n")), 0)
	why, next := m.reasoning(), m.nextLine()
	if len(why)+len(next) > room {
		next = fit(next, min(len(next), max(room-len(why), 1)), m.width-2)
		why = fit(why, max(room-len(next), 0), m.width-2)
	}
	body = append(append(body, why...), next...)
	return frame.Render(m.c, m.c.T("pane.flow"), m.focused, m.width, m.height, strings.Join(body, "\n"))
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

// role is how a component takes part in the hop in flight.
func (m *Model) role(name sim.Component) lipgloss.Style {
	t := m.c.Theme
	switch {
	case !m.hasHop:
		return t.Box
	case m.hop.From == name:
		return t.BoxActive
	case m.hop.To == name:
		return t.BoxTarget
	}
	return t.Box
}

func (m *Model) boxes(names []sim.Component, _ string) string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, m.role(n).Render(m.boxName(n)))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, out...)
}

// nodeBoxes draws one box per node, every node: kubelet and runtime
// named inside while all the boxes fit so, else the node's name alone
// (and the part a hop involves), else the names without boxes.
func (m *Model) nodeBoxes() string {
	w := m.width - 2
	for _, full := range []bool{true, false} {
		// Measured before drawn: the flow redraws at 60 frames a second.
		used := 0
		for _, n := range m.nodes {
			used += lipgloss.Width(m.nodeLabel(n, full)) + m.nodeStyle(n).GetHorizontalFrameSize()
		}
		if used > w {
			continue
		}
		out := make([]string, 0, len(m.nodes))
		for _, n := range m.nodes {
			out = append(out, m.nodeStyle(n).Render(m.nodeLabel(n, full)))
		}
		return lipgloss.JoinHorizontal(lipgloss.Top, out...)
	}
	var names []string
	for _, n := range m.nodes {
		names = append(names, m.nodeStyle(n).UnsetBorderStyle().UnsetPadding().Render(n))
	}
	return strings.Join(fit(common.Wrap(strings.Join(names, "  "), w), 3, w), "\n")
}

// nodeStyle is the box style of node n: lit when its kubelet or runtime
// sends or receives the hop in flight.
func (m *Model) nodeStyle(n string) lipgloss.Style {
	t := m.c.Theme
	kl, rt := sim.KindKubelet.On(n), sim.KindRuntime.On(n)
	switch {
	case m.hasHop && (m.hop.From == kl || m.hop.From == rt):
		return t.BoxActive
	case m.hasHop && (m.hop.To == kl || m.hop.To == rt):
		return t.BoxTarget
	}
	return t.Box
}

// nodeLabel is what node n's box says: kubelet and runtime inside when
// full, or only the one the hop in flight involves.
func (m *Model) nodeLabel(n string, full bool) string {
	kl, rt := sim.KindKubelet.On(n), sim.KindRuntime.On(n)
	label := n
	switch {
	case full:
		label += " " + m.part(kl, "kubelet") + " ▸ " + m.part(rt, "runtime")
	case m.hasHop && (m.hop.From == kl || m.hop.To == kl):
		label += " " + m.part(kl, "kubelet")
	case m.hasHop && (m.hop.From == rt || m.hop.To == rt):
		label += " " + m.part(rt, "runtime")
	}
	return label
}

// boxName is a control-plane box's label: the kubectl box says when the
// request in flight came from the learner's own kubectl over HTTP.
func (m *Model) boxName(n sim.Component) string {
	if n.Kind() == sim.KindKubectl && m.hasHop && m.hop.From == n && m.hop.Origin == sim.OriginExternal {
		return m.c.T("flow.external")
	}
	return present.DisplayName(n)
}

func (m *Model) part(name sim.Component, label string) string {
	if m.hasHop && (m.hop.From == name || m.hop.To == name) {
		return strings.ToUpper(label)
	}
	return label
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
	from, to := present.DisplayName(m.hop.From), present.DisplayName(m.hop.To)
	// The label as spelt, in presenter mode too: etcd keys and object
	// names are case-sensitive.
	label := m.hop.Label()
	n := w - lipgloss.Width(from) - lipgloss.Width(to) - lipgloss.Width(label) - 6
	n = min(max(n, 6), 40)
	at := int(m.pos*float64(n-1) + 0.5)
	shaft := t.Arrow.Render(strings.Repeat("─", at)) + t.Packet.Render("●") + t.Arrow.Render(strings.Repeat("─", n-1-at)+"▶")
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
	return common.Wrap(m.c.Theme.Reason.Render(present.Reasoning(m.hop)), m.width-2)
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
	s := fmt.Sprintf("%s ▸ %s  %s", m.c.T("flow.next"), m.next.Route(), m.next.Label())
	if m.next.Internal {
		s = fmt.Sprintf("%s ▸ %s ⏲ %s", m.c.T("flow.next"), m.next.From, common.Timer(m.c.Lang, m.next.Summary))
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
