// Package traffic is the traffic pane: a `load` run as it goes — requests
// sent, errors, p50/p99 latency and which pod answered — and its totals
// once it is over.
package traffic

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/kubeplay/kubeplay/engine/proxy"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/frame"
	"github.com/kubeplay/kubeplay/ui/present"
)

// KeyMap is the traffic pane's keys. Stop is the global esc, which
// interrupts the running command: listed here because here is where a
// learner looks for it.
type KeyMap struct{ Up, Down, Stop key.Binding }

// Model is the traffic pane.
type Model struct {
	c             *common.Common
	width, height int
	focused       bool
	t             present.Traffic
	has           bool
	offset        int // first pod row shown
	keys          KeyMap
}

// New returns a pane with no run yet.
func New(c *common.Common) *Model {
	return &Model{c: c, keys: KeyMap{
		Up:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑", c.T("key.up"))),
		Down: key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", c.T("key.down"))),
		Stop: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("key.stopload"))),
	}}
}

// SetSize sets the pane's size, border included.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// SetFocused lights the pane's border.
func (m *Model) SetFocused(f bool) { m.focused = f }

// SetTraffic shows a run; it reports whether the run is a new one.
func (m *Model) SetTraffic(t present.Traffic) bool {
	fresh := !m.has || t.Run != m.t.Run
	if fresh {
		m.offset = 0
	}
	m.t, m.has = t, true
	return fresh
}

// Has reports whether a run has been shown: the pane takes its place then.
func (m *Model) Has() bool { return m.has }

// ShortHelp is the pane's keys in short.
func (m *Model) ShortHelp() []key.Binding { return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Stop} }

// FullHelp is every key of the pane.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// Update scrolls the pods.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Up):
			m.offset = max(m.offset-1, 0)
		case key.Matches(msg, m.keys.Down):
			m.offset = min(m.offset+1, max(len(m.t.PerPod)-1, 0))
		}
	case tea.MouseWheelMsg:
		if msg.Button == tea.MouseWheelUp {
			m.offset = max(m.offset-1, 0)
		} else {
			m.offset = min(m.offset+1, max(len(m.t.PerPod)-1, 0))
		}
	}
	return nil
}

// View draws the pane under its own title.
func (m *Model) View() string { return m.ViewTitled(m.c.T("pane.traffic")) }

// ViewTitled draws the pane under another title (tabs).
func (m *Model) ViewTitled(title string) string {
	return frame.Render(m.c, title, m.focused, m.width, m.height, m.Body())
}

// Body is the pane's lines, without the frame.
func (m *Model) Body() string {
	t, th := m.t, m.c.Theme
	w, h := m.width-2, m.height-2
	if !m.has {
		return th.Dim.Render(m.c.T("traffic.none"))
	}
	state := th.Key.Render(m.c.T("traffic.running"))
	switch {
	case t.Stopped:
		state = th.Warning.Render(m.c.T("traffic.stopped"))
	case t.Done:
		state = th.Ready.Render(m.c.T("traffic.done"))
	}
	errs := th.Text.Render(fmt.Sprintf("%s %d", m.c.T("traffic.errors"), t.Errors))
	if t.Errors > 0 {
		errs = th.Failed.Render(fmt.Sprintf("%s %d", m.c.T("traffic.errors"), t.Errors))
	}
	sim := ""
	if t.Simulated {
		sim = th.Dim.Render(m.c.T("traffic.sim"))
	}
	lines := pack(w, " ", th.Title.Render("load svc/"+t.Service), th.Dim.Render(fmt.Sprintf("%d/s · %s", t.RPS, t.For)), state,
		fmt.Sprintf("%s %d/%d", bar(t.Sent, t.Total, min(max(w/3, 8), 24)), t.Sent, t.Total))
	lines = append(lines, pack(w, th.Dim.Render(" · "),
		th.Text.Render(fmt.Sprintf("%s %d", m.c.T("traffic.answered"), t.Answered)), errs,
		th.Text.Render(fmt.Sprintf("p50 %s · p99 %s", round(t.P50), round(t.P99)))+" "+sim)...)

	rows := h - len(lines)
	pods := t.PerPod
	if m.offset > 0 && m.offset < len(pods) {
		pods = pods[m.offset:]
	}
	nameW := 0
	for _, pc := range t.PerPod {
		nameW = max(nameW, lipgloss.Width(pc.Pod))
	}
	for i, pc := range pods {
		if i == rows-1 && len(pods) > rows {
			lines = append(lines, th.Dim.Render(fmt.Sprintf("  +%d ↓", len(pods)-i)))
			break
		}
		lines = append(lines, m.podLine(pc, nameW, w)...)
	}
	if t.NoEndpoint > 0 && len(lines) < h {
		lines = append(lines, th.Failed.Render(frame.Truncate(fmt.Sprintf("%s %d", m.c.T("traffic.noendpoint"), t.NoEndpoint), w)))
	}
	return strings.Join(lines, "\n")
}

// podLine is one pod: its name (whole, as on the board), its answers, its errors and its share of the
// traffic as a bar; wrapped when the pane is too narrow for all that.
func (m *Model) podLine(pc proxy.PodCount, nameW, w int) []string {
	th := m.c.Theme
	name := frame.Pad(pc.Pod, nameW)
	ok := th.Ready.Render(fmt.Sprintf("%5d %s", pc.OK, m.c.T("traffic.ok")))
	errs := th.Dim.Render(fmt.Sprintf("%4d %s", pc.Errs, m.c.T("traffic.err")))
	if pc.Errs > 0 {
		errs = th.Failed.Render(fmt.Sprintf("%4d %s", pc.Errs, m.c.T("traffic.err")))
	}
	line := th.Text.Render(name) + " " + ok + " " + errs
	if room := w - lipgloss.Width(line) - 1; room >= 4 {
		n := int(m.t.Share(pc)*float64(room) + 0.5)
		line += " " + th.Accent.Render(strings.Repeat("▇", n))
	}
	return common.Wrap(line, w)
}

// pack lays out words in lines of w cells, sep between two on a line:
// they follow each other while they fit, so the pane reads well at 40
// columns and at 120.
func pack(w int, sep string, words ...string) []string {
	var lines []string
	line := ""
	for _, word := range words {
		word = strings.TrimSpace(word)
		switch {
		case word == "":
		case line == "":
			line = word
		case lipgloss.Width(line)+lipgloss.Width(sep)+lipgloss.Width(word) <= w:
			line += sep + word
		default:
			lines = append(lines, frame.Truncate(line, w))
			line = word
		}
	}
	if line != "" {
		lines = append(lines, frame.Truncate(line, w))
	}
	return lines
}

// bar is n of total as w cells.
func bar(n, total, w int) string {
	if total <= 0 || w <= 0 {
		return ""
	}
	full := min(n*w/total, w)
	return "▕" + strings.Repeat("█", full) + strings.Repeat("░", w-full) + "▏"
}

// round keeps latencies readable: 1ms, 12.3ms, 850µs.
func round(d time.Duration) string {
	switch {
	case d >= 10*time.Millisecond:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(10 * time.Microsecond).String()
}
