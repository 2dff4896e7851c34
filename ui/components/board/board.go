// Package board draws the cluster's state: nodes as columns of pod chips,
// Deployments with their ReplicaSets and, during a rollout, a budget meter.
package board

import (
	"fmt"
	"k8s.io/apimachinery/pkg/util/duration"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
	"github.com/kubeplay/kubeplay/ui/components/scroll"
	"github.com/kubeplay/kubeplay/ui/present"
)

// Model is the board pane.
type Model struct {
	c             *common.Common
	width, height int
	focused       bool
	b             present.Board
	win           scroll.Model // the board's lines, when they are more than its rows
	keys          scroll.KeyMap
	// view caches the drawn pane: the packet animates at 60 frames a
	// second while the board changes only when the store does.
	view     string
	viewFrom any
	note     string // after the title: the board is the past (the timeline)
}

// SetNote writes note after the pane's title ("" for none): that what the
// board shows is the cluster as it was.
func (m *Model) SetNote(note string) { m.note, m.viewFrom = note, nil }

// New returns an empty board.
func New(c *common.Common) *Model {
	return &Model{c: c, keys: scroll.NewKeyMap(c)}
}

// SetSize sets the pane's size, border included.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// SetFocused lights the pane's border.
func (m *Model) SetFocused(f bool) { m.focused = f }

// SetBoard replaces what the board shows.
func (m *Model) SetBoard(b present.Board) { m.b, m.viewFrom = b, nil }

// Scroll moves the board's lines by n.
func (m *Model) Scroll(n int) { m.win.By(n) }

// Update scrolls on the scroll keys and the wheel.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	m.win.Update(m.keys, msg)
	return nil
}

// ShortHelp is the board's keys in short.
func (m *Model) ShortHelp() []key.Binding { return []key.Binding{m.keys.Up, m.keys.PageUp} }

// FullHelp is every key of the board.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.keys.FullHelp()} }

// ChipStyle is the style of a pod state.
func (m *Model) ChipStyle(s present.PodState) lipgloss.Style {
	t := m.c.Theme
	return [...]lipgloss.Style{t.Pending, t.NotReady, t.Ready, t.Failed, t.Gone}[s]
}

type viewKey struct {
	w, h, offset int
	focused      bool
	theme        any
	lang         bilingual.Lang
}

// View draws the pane, from cache while nothing it shows has changed.
func (m *Model) View() string {
	k := viewKey{m.width, m.height, m.win.Offset(), m.focused, m.c.Theme, m.c.Lang}
	if m.viewFrom != nil && m.viewFrom == any(k) {
		return m.view
	}
	m.view = m.draw()
	m.viewFrom = viewKey{m.width, m.height, m.win.Offset(), m.focused, m.c.Theme, m.c.Lang}
	return m.view
}

// Lines are every line of the board, as it draws them at its width
// before they are scrolled: the deployments, then the nodes.
func (m *Model) Lines() []string {
	w := max(m.width-2, 1)
	return append(append(append(append(append(append(append(append(append(m.deployLines(w), m.hpaLines(w)...), m.statefulSetLines(w)...), m.daemonSetLines(w)...), m.batchLines(w)...), m.ingressLines(w)...), m.serviceLines(w)...), m.nodeLines(w)...), m.unschedulableLines(w)...), m.addonLines(w)...)
}

// unschedulableLines say, under the nodes, why the scheduler left pods
// without one: the reasons of its FailedScheduling message, each with how
// many nodes gave it, one a line ("⏸ big: no node fits (0/3)", then "2
// Insufficient cpu"); pods that wait for the same reasons share the
// lines. The reasons stay in the scheduler's words, as kubectl describe
// shows them.
func (m *Model) unschedulableLines(w int) []string {
	t := m.c.Theme
	var out []string
	seen := map[string]int{} // message → index in groups
	type group struct {
		pods []string
		u    present.Unschedulable
	}
	var groups []group
	for _, u := range m.b.Unschedulable {
		if i, ok := seen[u.Message]; ok {
			groups[i].pods = append(groups[i].pods, u.Pod)
			continue
		}
		seen[u.Message] = len(groups)
		groups = append(groups, group{pods: []string{u.Pod}, u: u})
	}
	for _, g := range groups {
		pods := strings.Join(g.pods, ", ")
		var head string
		var reasons []string
		switch why := g.u.Why; {
		case !g.u.Parsed:
			head = m.c.Tf("board.unschedulable.said", pods, g.u.Message)
		case why.NoNodes:
			head = m.c.Tf("board.unschedulable.nonodes", pods)
		default:
			head = m.c.Tf("board.unschedulable", pods, why.Nodes)
			if why.PreFilter != "" {
				reasons = append(reasons, why.PreFilter)
			}
			for _, r := range why.Reasons {
				reasons = append(reasons, fmt.Sprintf("%d%s%s", r.Count, common.NBSP, r.Reason))
			}
		}
		out = append(out, common.WrapIndent(t.Warning.Render("⏸ "+head), w, 2)...)
		for _, r := range reasons {
			out = append(out, common.WrapIndent(t.Dim.Render("    "+r), w, 6)...)
		}
	}
	return out
}

// addonLines say, under the nodes, which of the cluster's add-ons run
// without being drawn, and how to see them, a line for each namespace
// they run in: "kube-system add-ons: coredns 2/2 · kubectl get pods -n
// kube-system".
func (m *Model) addonLines(w int) []string {
	t := m.c.Theme
	var lines []string
	for i := 0; i < len(m.b.Addons); {
		ns := m.b.Addons[i].Namespace
		line := t.Dim.Render(ns + " " + m.c.T("board.addons"))
		for ; i < len(m.b.Addons) && m.b.Addons[i].Namespace == ns; i++ {
			a := m.b.Addons[i]
			st := t.Ready
			if a.Ready < a.Replicas || a.Replicas == 0 {
				st = t.NotReady
			}
			line += " " + st.Render(fmt.Sprintf("%s%s%d/%d", a.Name, common.NBSP, a.Ready, a.Replicas))
		}
		line += t.Dim.Render(" · kubectl get pods -n " + ns)
		lines = append(lines, common.Wrap(line, w)...)
	}
	return lines
}

func (m *Model) draw() string {
	title := fmt.Sprintf("%s · %d %s", m.c.T("pane.board"), len(m.b.Nodes), m.c.T("nodes"))
	if m.note != "" {
		title += " · " + m.note
	}
	return m.ViewTitled(title)
}

// ViewTitled draws the pane under another title (tabs).
func (m *Model) ViewTitled(title string) string {
	m.win.SetRows(m.height - 2)
	m.win.SetLines(m.Lines())
	return frame.RenderStatus(m.c, title, m.win.Status(m.c), m.focused, m.width, m.height, strings.Join(m.win.Visible(), "\n"))
}

// nodeLines draw the nodes and their pods' chips. Every node and every
// pod shows, its name whole — the name a learner types next: each node a
// column while the columns fit side by side, else each node a line, its
// chips following its name and wrapping under it.
func (m *Model) nodeLines(w int) []string {
	cols := m.b.Nodes
	if len(m.b.Unscheduled) > 0 {
		cols = append([]present.NodeColumn{{Name: m.c.T("board.pending"), Ready: true, Pods: m.b.Unscheduled}}, cols...)
	}
	if len(cols) == 0 {
		return []string{m.c.Theme.Dim.Render(m.c.T("board.nopods"))}
	}
	colW := m.columnWidth(cols)
	if colW*len(cols) > w {
		return m.rows(cols, w)
	}
	colW = max(colW, w/len(cols))
	var drawn [][]string
	height := 0
	for _, n := range cols {
		c := m.column(n, colW)
		height = max(height, len(c))
		drawn = append(drawn, c)
	}
	var out []string
	for r := 0; r < height; r++ {
		var b strings.Builder
		for i, c := range drawn {
			l := ""
			if r < len(c) {
				l = c[r]
			}
			if i < len(drawn)-1 {
				l = frame.Pad(l, colW)
			}
			b.WriteString(l)
		}
		out = append(out, b.String())
	}
	return out
}

// rows draw each node as one line: its head, then its chips, wrapping
// under the first chip when they are more than a line holds. A chip is
// split only when it is wider than a line, and then between its words.
func (m *Model) rows(cols []present.NodeColumn, w int) []string {
	headW, chipW := 0, 0
	for _, n := range cols {
		headW = max(headW, lipgloss.Width(m.head(n)))
		for _, p := range n.Pods {
			chipW = max(chipW, lipgloss.Width(p.Text()))
		}
	}
	// Continued lines start under the first chip, or near the margin
	// when a chip would not fit there.
	indent := headW + 2
	if indent+chipW > w {
		indent = 2
	}
	var out []string
	for _, n := range cols {
		line := frame.Pad(m.head(n), headW)
		for _, p := range n.Pods {
			chip := p.Text()
			if lipgloss.Width(chip) <= w-indent {
				chip = strings.ReplaceAll(chip, " ", common.NBSP)
			}
			line += "  " + m.ChipStyle(p.State).Render(chip)
		}
		out = append(out, common.WrapIndent(line, w, indent)...)
	}
	return out
}

// columnWidth is the cells the widest head or chip of cols takes, with
// two to spare between columns.
func (m *Model) columnWidth(cols []present.NodeColumn) int {
	widest := 0
	for _, n := range cols {
		widest = max(widest, lipgloss.Width(m.head(n)))
		for _, p := range n.Pods {
			widest = max(widest, lipgloss.Width(p.Text()))
		}
	}
	return widest + 2
}

// head is a column's first line: the node, NotReady, its pod count.
func (m *Model) head(n present.NodeColumn) string {
	t := m.c.Theme
	head := t.Title.Render(n.Name)
	if !n.Ready {
		head += common.NBSP + t.Failed.Render("NotReady")
	}
	return head + t.Dim.Render(fmt.Sprintf("%s(%d)", common.NBSP, len(n.Pods)))
}

// column is a node's head and its chips in w cells; a chip wider than
// that, in a very narrow pane, wraps rather than loses its name.
func (m *Model) column(n present.NodeColumn, w int) []string {
	lines := common.Wrap(m.head(n), max(w-1, 1))
	for _, p := range n.Pods {
		st := m.ChipStyle(p.State)
		for _, l := range common.Wrap(p.Text(), max(w-1, 1)) {
			lines = append(lines, st.Render(l))
		}
	}
	return lines
}

// deployLines are one line per Deployment and ReplicaSet, and the budget
// meter while it rolls out.
func (m *Model) deployLines(w int) []string {
	t := m.c.Theme
	var out []string
	for _, d := range m.b.Deploys {
		line := fmt.Sprintf("deploy/%s %d/%d", d.Name, d.Ready, d.Replicas)
		var rss []string
		for _, rs := range d.RSs {
			rss = append(rss, strings.Join([]string{fmt.Sprintf("%s%d", m.c.T("board.rev"), rs.Revision), rs.Name, fmt.Sprintf("%d/%d", rs.Ready, rs.Desired)}, common.NBSP))
		}
		line = t.Title.Render(line) + "  " + t.Dim.Render(strings.Join(rss, " · "))
		out = append(out, common.Wrap(line, w)...)
		if d.Rolling {
			out = append(out, common.Wrap("  "+Meter(m.c, d.Budget), w)...)
		}
	}
	return out
}

// statefulSetLines are a StatefulSet's head (ready/replicas), then one
// line per ordinal: the pod's chip (or — when it has none now) and its
// claims, ⛁ when bound, ○ while pending.
func (m *Model) statefulSetLines(w int) []string {
	t := m.c.Theme
	var out []string
	for _, s := range m.b.StatefulSets {
		out = append(out, common.Wrap(t.Title.Render(fmt.Sprintf("statefulset/%s %d/%d", s.Name, s.Ready, s.Replicas)), w)...)
		for _, o := range s.Ordinals {
			line := t.Dim.Render(fmt.Sprintf("  %d", o.Ordinal)) + "  "
			if o.Pod != nil {
				line += m.ChipStyle(o.Pod.State).Render(strings.ReplaceAll(o.Pod.Text(), " ", common.NBSP))
			} else {
				line += t.Dim.Render("—")
			}
			for _, c := range o.Claims {
				mark, st := "○", t.Pending
				if c.Bound {
					mark, st = "⛁", t.Ready
				}
				line += "  " + st.Render(mark+common.NBSP+c.Name)
			}
			out = append(out, common.Wrap(line, w)...)
		}
	}
	return out
}

// daemonSetLines are a DaemonSet's head (ready/desired, counted in
// nodes), then one chip per node: its daemon pod's state under the
// node's name ("● node-1 1/1"), or "— node-3" on a node that has none;
// pods not bound to a node yet follow, under "(pending)".
// The pods' own names are in the node columns below; here the chips stand
// in a grid, as many side by side as fit, so that one pod per node reads
// at a glance. A pod a rolling update has not reached yet says so.
func (m *Model) daemonSetLines(w int) []string {
	t := m.c.Theme
	var out []string
	for _, d := range m.b.DaemonSets {
		head := t.Title.Render(fmt.Sprintf("daemonset/%s %d/%d", d.Name, d.Ready, d.Desired))
		if d.Namespace != "" && d.Namespace != "default" {
			head += "  " + t.Dim.Render("-n"+common.NBSP+d.Namespace)
		}
		out = append(out, common.Wrap(head, w)...)
		var cells []string
		for _, n := range d.Nodes {
			node := n.Node
			if node == "" {
				node = m.c.T("board.pending")
			}
			if len(n.Pods) == 0 {
				cells = append(cells, t.Dim.Render("—"+common.NBSP+node))
			}
			for _, p := range n.Pods {
				chip := p.Chip
				chip.Name = node
				text := chip.Text()
				if p.Outdated {
					text += " " + m.c.T("board.outdated")
				}
				cells = append(cells, m.ChipStyle(p.State).Render(strings.ReplaceAll(text, " ", common.NBSP)))
			}
		}
		out = append(out, grid(cells, w, 2)...)
	}
	return out
}

// grid lays cells out in columns as wide as the widest cell, as many to
// a line as fit in w after indent; a cell wider than a line wraps.
func grid(cells []string, w, indent int) []string {
	const gap = 2
	cellW := 0
	for _, c := range cells {
		cellW = max(cellW, lipgloss.Width(c))
	}
	perLine := max(1, (w-indent+gap)/(cellW+gap))
	var out []string
	for i := 0; i < len(cells); i += perLine {
		end := min(i+perLine, len(cells))
		line := strings.Repeat(" ", indent)
		for j := i; j < end; j++ {
			if j < end-1 {
				line += frame.Pad(cells[j], cellW) + strings.Repeat(" ", gap)
			} else {
				line += cells[j]
			}
		}
		out = append(out, common.WrapIndent(line, w, indent+2)...)
	}
	return out
}

// batchLines are one line per Job, its completions m/n, and one per
// CronJob with its last and next run.
func (m *Model) batchLines(w int) []string {
	t := m.c.Theme
	var out []string
	for _, j := range m.b.Jobs {
		st := t.NotReady
		switch j.State {
		case "Complete":
			st = t.Ready
		case "Failed":
			st = t.Failed
		}
		line := t.Title.Render(fmt.Sprintf("job/%s %d/%d", j.Name, j.Succeeded, j.Completions)) + "  " + st.Render(j.State)
		out = append(out, common.Wrap(line, w)...)
	}
	for _, cj := range m.b.CronJobs {
		last := m.c.T("board.never")
		if cj.HasLast {
			last = duration.HumanDuration(cj.Last)
		}
		next := m.c.T("board.suspended")
		if !cj.Suspended {
			next = duration.HumanDuration(cj.Next)
		}
		line := t.Title.Render(fmt.Sprintf("cronjob/%s", cj.Name)) + " " + t.Dim.Render(cj.Schedule) + "  " +
			t.Dim.Render(strings.Join([]string{m.c.T("board.last"), last, "·", m.c.T("board.next"), next}, common.NBSP))
		out = append(out, common.Wrap(line, w)...)
	}
	return out
}

// ingressLines are each Ingress with its address, then one line per
// route: host and path (a trailing * for a Prefix path, as kubectl
// create ingress writes it) to its Service and how many of its pods are
// ready; the default backend last.
func (m *Model) ingressLines(w int) []string {
	t := m.c.Theme
	var out []string
	for _, ing := range m.b.Ingresses {
		head := t.Title.Render("ingress/" + ing.Name)
		switch {
		case !ing.Served:
			head += "  " + t.Failed.Render(fmt.Sprintf("%s %q: %s", m.c.T("board.class"), ing.Class, m.c.T("board.noctl")))
		case ing.Address == "":
			head += "  " + t.NotReady.Render(m.c.T("board.noaddr"))
		default:
			head += " " + t.Dim.Render("→") + " " + ing.Address
		}
		out = append(out, common.Wrap(head, w)...)
		for _, r := range ing.Routes {
			from := r.Host + r.Path
			switch {
			case r.Default:
				from = m.c.T("board.defaultbackend")
			case r.Host == "":
				from = "*" + r.Path
			}
			if r.Prefix && !r.Default {
				from += "*"
			}
			st, state := t.Ready, fmt.Sprintf("%d %s", r.Ready, m.c.T("board.ready"))
			switch {
			case r.Missing:
				st, state = t.Failed, m.c.T("board.noservice")
			case r.Ready == 0:
				st = t.NotReady
			}
			line := "  " + from + " " + t.Dim.Render("→") + " " + r.Backend + "  " + st.Render(state)
			out = append(out, common.Wrap(line, w)...)
		}
	}
	return out
}

// Meter is the rolling-update budget: available pods against the minimum
// allowed, all pods against the most allowed; over or under turns it red.
func Meter(c *common.Common, b present.Budget) string {
	t := c.Theme
	avail := fmt.Sprintf("%s %d ≥ %s %d", c.T("board.avail"), b.Available, c.T("board.min"), b.MinAvailable)
	total := fmt.Sprintf("%s %d ≤ %s %d", c.T("board.total"), b.Total, c.T("board.maxs"), b.MaxTotal)
	sa, st := t.Ready, t.Ready
	if b.Available < b.MinAvailable {
		sa = t.Failed
	} else if b.Available == b.MinAvailable {
		sa = t.NotReady
	}
	if b.Total > b.MaxTotal {
		st = t.Failed
	} else if b.Total == b.MaxTotal {
		st = t.NotReady
	}
	return t.Dim.Render(c.T("board.budget")+" ") + sa.Render(bar(b.Available, b.MaxTotal)+" "+avail) + "  " + st.Render(total)
}

// bar is n of max as blocks.
func bar(n, most int32) string {
	if most <= 0 {
		return ""
	}
	n = min(max(n, 0), most)
	return strings.Repeat("█", int(n)) + strings.Repeat("░", int(most-n))
}

// Nodes is the number of nodes shown.
func (m *Model) Nodes() []present.NodeColumn { return m.b.Nodes }
