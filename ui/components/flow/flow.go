// Package flow draws the cluster's components as boxes and the current hop
// as a packet travelling along an arrow from the component that sends it
// to the one that receives it, with the sender's reasoning underneath.
package flow

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/kubeplay/kubeplay/engine/httpapi"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
	"github.com/kubeplay/kubeplay/ui/present"
)

// controlPlane are the boxes of the first row, in the order of a request.
var controlPlane = []string{"kubectl", "apiserver", "etcd", "controller-manager", "scheduler"}

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
	pos           float64 // where the packet is on its arrow, 0 to 1
}

// New returns an empty flow pane.
func New(c *common.Common) *Model { return &Model{c: c} }

// SetSize sets the pane's size, border included.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// SetFocused lights the pane's border.
func (m *Model) SetFocused(f bool) { m.focused = f }

// SetNodes sets the nodes whose kubelets are drawn.
func (m *Model) SetNodes(nodes []string) { m.nodes = nodes }

// SetHop makes h the hop in flight, its packet at the start of the arrow.
func (m *Model) SetHop(h sim.Hop) { m.hop, m.hasHop, m.pos = h, true, 0 }

// SetNext shows the hop that the next step delivers.
func (m *Model) SetNext(h sim.Hop, ok bool) { m.next, m.hasNext = h, ok }

// SetPos moves the packet along the arrow.
func (m *Model) SetPos(p float64) { m.pos = min(max(p, 0), 1) }

// Hop is the hop in flight, if any.
func (m *Model) Hop() (sim.Hop, bool) { return m.hop, m.hasHop }

// ShortHelp is the pane's keys in short.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Step, k.Play, k.Faster, k.Mode}
}

// FullHelp is every key of the pane.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Step, k.Play, k.Faster, k.Slower, k.Mode}, {k.Next, k.Prev, k.Presenter, k.Theme, k.Quit}}
}

// Compact reports whether the pane draws its boxes on one line.
func (m *Model) Compact() bool { return m.height < 11 }

// View draws the pane.
func (m *Model) View() string {
	var body []string
	if m.Compact() {
		body = append(body, m.line())
	} else {
		body = append(body, m.boxes(controlPlane, ""), m.nodeBoxes())
	}
	body = append(body, m.arrow(m.width-2), m.reasoning(), m.nextLine())
	return frame.Render(m.c, m.c.T("pane.flow"), m.focused, m.width, m.height, strings.Join(body, "\n"))
}

// role is how a component takes part in the hop in flight.
func (m *Model) role(name string) lipgloss.Style {
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

func (m *Model) boxes(names []string, _ string) string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, m.role(n).Render(m.boxName(n)))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, out...)
}

// nodeBoxes draws one box per node, kubelet and runtime inside; as many as
// fit, then how many more there are.
func (m *Model) nodeBoxes() string {
	t := m.c.Theme
	var out []string
	used := 0
	for i, n := range m.nodes {
		kl, rt := "kubelet/"+n, "runtime/"+n
		st := t.Box
		inner := m.part(kl, "kubelet") + " ▸ " + m.part(rt, "runtime")
		if m.hasHop && (m.hop.From == kl || m.hop.From == rt) {
			st = t.BoxActive
		} else if m.hasHop && (m.hop.To == kl || m.hop.To == rt) {
			st = t.BoxTarget
		}
		box := st.Render(n + " " + inner)
		w := lipgloss.Width(box)
		if used+w > m.width-2-8 && i < len(m.nodes)-1 {
			out = append(out, t.Dim.Render(fmt.Sprintf("\n +%d", len(m.nodes)-i)))
			break
		}
		used += w
		out = append(out, box)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, out...)
}

// boxName is a control-plane box's label: the kubectl box says when the
// request in flight came from the learner's own kubectl over HTTP.
func (m *Model) boxName(n string) string {
	if n == "kubectl" && m.hasHop && m.hop.From == n && httpapi.FromOutside(m.hop) {
		return "external kubectl"
	}
	return present.DisplayName(n)
}

func (m *Model) part(name, label string) string {
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
		if _, n := present.Component(m.hop.To); n != "" {
			node = n
		} else if _, n := present.Component(m.hop.From); n != "" {
			node = n
		}
	}
	if node == "" && len(m.nodes) > 0 {
		node = m.nodes[0]
	}
	parts = append(parts, m.inline("kubelet/"+node, "kubelet"), m.inline("runtime/"+node, "runtime"))
	return frame.Truncate(strings.Join(parts, t.Arrow.Render(" ─ ")), m.width-2)
}

func (m *Model) inline(name, label string) string {
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
	label := present.Label(m.hop)
	if m.c.Presenter {
		label = strings.ToUpper(label)
	}
	n := w - lipgloss.Width(from) - lipgloss.Width(to) - lipgloss.Width(label) - 6
	n = min(max(n, 6), 40)
	at := int(m.pos*float64(n-1) + 0.5)
	shaft := t.Arrow.Render(strings.Repeat("─", at)) + t.Packet.Render("●") + t.Arrow.Render(strings.Repeat("─", n-1-at)+"▶")
	return frame.Truncate(t.BoxActive.UnsetBorderStyle().UnsetPadding().Render(from)+" "+shaft+" "+
		t.BoxTarget.UnsetBorderStyle().UnsetPadding().Render(to)+"  "+t.Title.Render(label), w)
}

func (m *Model) reasoning() string {
	if !m.hasHop {
		return ""
	}
	return frame.Truncate(m.c.Theme.Reason.Render(present.Reasoning(m.hop)), m.width-2)
}

func (m *Model) nextLine() string {
	t := m.c.Theme
	if !m.hasNext {
		if m.hasHop {
			return t.Dim.Render(m.c.T("flow.nothing"))
		}
		return ""
	}
	s := fmt.Sprintf("%s ▸ %s → %s  %s", m.c.T("flow.next"), m.next.From, m.next.To, present.Label(m.next))
	if m.next.Internal {
		s = fmt.Sprintf("%s ▸ %s ⏲ %s", m.c.T("flow.next"), m.next.From, m.next.Summary)
	}
	return t.Dim.Render(frame.Truncate(s, m.width-2))
}
