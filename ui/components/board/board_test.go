package board

import (
	"fmt"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/present"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// Whatever the width, every node and every pod of the board has its name
// in the board's lines, never cut with …, and no line is wider than the
// pane; the pane scrolls to those below.
func TestBoardHidesNoName(t *testing.T) {
	var b present.Board
	for n := 1; n <= 5; n++ {
		col := present.NodeColumn{Name: fmt.Sprintf("node-%d", n), Ready: n != 3}
		for p := 0; p < n; p++ {
			col.Pods = append(col.Pods, present.Chip{Name: fmt.Sprintf("nginx-deployment-5899dd46b4-r%d%dxq", n, p), State: present.Ready, Ready: "1/1", Left: -1})
		}
		b.Nodes = append(b.Nodes, col)
	}
	b.Unscheduled = []present.Chip{{Name: "web-pending-one", State: present.Pending, Ready: "0/1", Left: -1}}
	for _, w := range []int{40, 60, 80, 120, 200} {
		m := New(common.New("en", theme.NoColor, true))
		m.SetSize(w, 8)
		m.SetBoard(b)
		lines := ansi.Strip(strings.Join(m.Lines(), "\n"))
		for _, l := range m.Lines() {
			if lipgloss.Width(l) > w-2 {
				t.Errorf("w=%d: line %q is wider than the pane", w, ansi.Strip(l))
			}
		}
		if strings.Contains(lines, "…") {
			t.Errorf("w=%d: a name is elided:\n%s", w, lines)
		}
		for _, n := range b.Nodes {
			if !strings.Contains(lines, n.Name) {
				t.Errorf("w=%d: node %s is missing:\n%s", w, n.Name, lines)
			}
			for _, p := range n.Pods {
				if !strings.Contains(lines, p.Name) {
					t.Errorf("w=%d: pod %s is missing:\n%s", w, p.Name, lines)
				}
			}
		}
		if len(m.Lines()) > 6 && !strings.Contains(ansi.Strip(m.View()), "more · end") {
			t.Errorf("w=%d: the pane does not say more is below:\n%s", w, ansi.Strip(m.View()))
		}
	}
}

// A StatefulSet shows by ordinal: each pod beside its claim, and an
// ordinal scaled away still shows its kept claim with no pod.
func TestBoardStatefulSetByOrdinal(t *testing.T) {
	var b present.Board
	b.StatefulSets = []present.StatefulSetRow{{Name: "web", Ready: 1, Replicas: 2, Ordinals: []present.OrdinalCell{
		{Ordinal: 0, Pod: &present.Chip{Name: "web-0", State: present.Ready, Ready: "1/1", Left: -1}, Claims: []present.ClaimCell{{Name: "www-web-0", Bound: true}}},
		{Ordinal: 1, Pod: &present.Chip{Name: "web-1", State: present.Pending, Ready: "0/1", Left: -1}, Claims: []present.ClaimCell{{Name: "www-web-1"}}},
		{Ordinal: 2, Claims: []present.ClaimCell{{Name: "www-web-2", Bound: true}}},
	}}}
	m := New(common.New("en", theme.NoColor, true))
	m.SetSize(80, 12)
	m.SetBoard(b)
	got := strings.ReplaceAll(ansi.Strip(strings.Join(m.Lines(), "\n")), common.NBSP, " ")
	for _, want := range []string{"statefulset/web 1/2\n", "  0  ● web-0 1/1  ⛁ www-web-0\n", "  1  ", "web-1 0/1  ○ www-web-1\n", "  2  —  ⛁ www-web-2"} {
		if !strings.Contains(got, want) {
			t.Errorf("board lacks %q:\n%s", want, got)
		}
	}
}
