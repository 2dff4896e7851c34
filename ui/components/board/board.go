// Package board draws the cluster's state: nodes as columns of pod chips,
// Deployments with their ReplicaSets and, during a rollout, a budget meter.
package board

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
	"github.com/kubeplay/kubeplay/ui/present"
)

// Model is the board pane.
type Model struct {
	c             *common.Common
	width, height int
	focused       bool
	b             present.Board
	offset        int // first pod row shown, when the columns are long
	keys          KeyMap
	// view caches the drawn pane: the packet animates at 60 frames a
	// second while the board changes only when the store does.
	view     string
	viewFrom any
}

// KeyMap is the board's keys.
type KeyMap struct{ Up, Down key.Binding }

// New returns an empty board.
func New(c *common.Common) *Model {
	return &Model{c: c, keys: KeyMap{
		Up:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑", c.T("key.up"))),
		Down: key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", c.T("key.down"))),
	}}
}

// SetSize sets the pane's size, border included.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// SetFocused lights the pane's border.
func (m *Model) SetFocused(f bool) { m.focused = f }

// SetBoard replaces what the board shows.
func (m *Model) SetBoard(b present.Board) { m.b, m.viewFrom = b, nil }

// Scroll moves the pod rows by n.
func (m *Model) Scroll(n int) { m.offset = max(0, m.offset+n) }

// ShortHelp is the board's keys in short.
func (m *Model) ShortHelp() []key.Binding { return []key.Binding{m.keys.Up, m.keys.Down} }

// FullHelp is every key of the board.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// ChipStyle is the style of a pod state.
func (m *Model) ChipStyle(s present.PodState) lipgloss.Style {
	t := m.c.Theme
	return [...]lipgloss.Style{t.Pending, t.NotReady, t.Ready, t.Failed, t.Gone}[s]
}

type viewKey struct {
	w, h, offset int
	focused      bool
	theme        any
	lang         string
}

// View draws the pane, from cache while nothing it shows has changed.
func (m *Model) View() string {
	k := viewKey{m.width, m.height, m.offset, m.focused, m.c.Theme, m.c.Lang}
	if m.viewFrom != nil && m.viewFrom == any(k) {
		return m.view
	}
	m.view, m.viewFrom = m.draw(), k
	return m.view
}

func (m *Model) draw() string {
	w, h := m.width-2, m.height-2
	// Deployments first: with many pods the columns are what gets cut.
	deploys := m.deployLines(w)
	podRows := max(h-len(deploys)-2, 1)
	body := m.columns(w, podRows)
	if len(deploys) > 0 {
		body = strings.Join(deploys, "\n") + "\n" + body
	}
	title := fmt.Sprintf("%s · %d %s", m.c.T("pane.board"), len(m.b.Nodes), m.c.T("nodes"))
	return frame.Render(m.c, title, m.focused, m.width, m.height, body)
}

// columns draws each node as a column of chips, as many columns as fit.
func (m *Model) columns(w, rows int) string {
	cols := m.b.Nodes
	if len(m.b.Unscheduled) > 0 {
		cols = append([]present.NodeColumn{{Name: "(pending)", Ready: true, Pods: m.b.Unscheduled}}, cols...)
	}
	if len(cols) == 0 {
		return m.c.Theme.Dim.Render(m.c.T("board.nopods"))
	}
	colW := max(w/len(cols), 20)
	fit := max(w/colW, 1)
	var out [][]string
	height := 0
	for i, n := range cols {
		if i >= fit {
			break
		}
		c := m.column(n, colW, rows)
		height = max(height, len(c))
		out = append(out, c)
	}
	// Columns side by side, each line padded to the column's width.
	var b strings.Builder
	for r := 0; r < height; r++ {
		if r > 0 {
			b.WriteString("\n")
		}
		for _, c := range out {
			l := ""
			if r < len(c) {
				l = c[r]
			}
			b.WriteString(frame.Pad(l, colW))
		}
	}
	s := b.String()
	if len(cols) > fit {
		s += "\n" + m.c.Theme.Dim.Render(fmt.Sprintf("+%d %s", len(cols)-fit, m.c.T("nodes")))
	}
	return s
}

func (m *Model) column(n present.NodeColumn, w, rows int) []string {
	t := m.c.Theme
	head := t.Title.Render(n.Name)
	if !n.Ready {
		head += " " + t.Failed.Render("NotReady")
	}
	lines := []string{frame.Truncate(head+t.Dim.Render(fmt.Sprintf(" (%d)", len(n.Pods))), w-1)}
	pods := n.Pods
	if m.offset < len(pods) {
		pods = pods[m.offset:]
	} else if len(pods) > 0 {
		pods = nil
	}
	for i, p := range pods {
		if i == rows-1 && len(pods) > rows {
			lines = append(lines, t.Dim.Render(fmt.Sprintf("  +%d", len(pods)-i)))
			break
		}
		lines = append(lines, frame.Truncate(m.ChipStyle(p.State).Render(p.Fit(w-1)), w-1))
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
			rss = append(rss, fmt.Sprintf("%s%d %s %d/%d", m.c.T("board.rev"), rs.Revision, rs.Name, rs.Ready, rs.Desired))
		}
		line = t.Title.Render(line) + "  " + t.Dim.Render(strings.Join(rss, " · "))
		out = append(out, frame.Truncate(line, w))
		if d.Rolling {
			out = append(out, frame.Truncate("  "+Meter(m.c, d.Budget), w))
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
