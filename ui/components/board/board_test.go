package board

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/present"
	"github.com/kubeplay/kubeplay/ui/theme"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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

// A DaemonSet shows one chip per node, its pod's state under the node's
// name or — where it has none, side by side as many as fit: ten nodes
// take three lines at 80 columns, two at 120, one at 200. A pod a rolling
// update has not reached says so.
func TestBoardDaemonSetChipPerNode(t *testing.T) {
	var b present.Board
	row := present.DaemonSetRow{Namespace: "kube-system", Name: "fluentd-elasticsearch", Desired: 10, Ready: 8}
	for n := 1; n <= 10; n++ {
		cell := present.DaemonNodeCell{Node: fmt.Sprintf("node-%d", n)}
		if n != 3 {
			cell.Pods = []present.DaemonPod{{Chip: present.Chip{Name: fmt.Sprintf("fluentd-elasticsearch-x7k2%d", n), State: present.Ready, Ready: "1/1", Left: -1}, Outdated: n == 2}}
		}
		row.Nodes = append(row.Nodes, cell)
	}
	b.DaemonSets = []present.DaemonSetRow{row}
	for _, tc := range []struct{ w, lines int }{{80, 3}, {120, 2}, {200, 1}} {
		m := New(common.New("en", theme.NoColor, true))
		m.SetSize(tc.w, 12)
		m.SetBoard(b)
		var lines []string
		for _, l := range m.Lines() {
			if lipgloss.Width(l) > tc.w-2 {
				t.Errorf("w=%d: line %q is wider than the pane", tc.w, ansi.Strip(l))
			}
			lines = append(lines, strings.ReplaceAll(ansi.Strip(l), common.NBSP, " "))
		}
		if lines[0] != "daemonset/fluentd-elasticsearch 8/10  -n kube-system" {
			t.Errorf("w=%d: head %q", tc.w, lines[0])
		}
		got := strings.Join(lines[1:1+tc.lines], "\n")
		for _, want := range []string{"  ● node-1 1/1 ", "● node-2 1/1 old", "— node-3", "● node-10 1/1"} {
			if !strings.Contains(got, want) {
				t.Errorf("w=%d: board lacks %q in its %d lines of chips:\n%s", tc.w, want, tc.lines, got)
			}
		}
		if len(lines) > 1+tc.lines && strings.Contains(lines[1+tc.lines], "node-") {
			t.Errorf("w=%d: the chips take more than %d lines:\n%s", tc.w, tc.lines, strings.Join(lines, "\n"))
		}
	}
}

// The add-ons line names each namespace the add-ons run in, with the
// command that lists their pods there: kube-system's coredns, and the
// ingress controller in its own namespace.
func TestBoardAddonLinePerNamespace(t *testing.T) {
	var b present.Board
	b.Addons = []present.AddonRow{{Namespace: "kube-system", Name: "coredns", Ready: 2, Replicas: 2},
		{Namespace: "ingress-kubeplay", Name: "ingress-kubeplay-controller", Ready: 0, Replicas: 1}}
	for lang, want := range map[string][]string{
		"en": {"kube-system add-ons: coredns 2/2 · kubectl get pods -n kube-system",
			"ingress-kubeplay add-ons: ingress-kubeplay-controller 0/1 · kubectl get pods -n ingress-kubeplay"},
		"ko": {"kube-system 애드온: coredns 2/2 · kubectl get pods -n kube-system",
			"ingress-kubeplay 애드온: ingress-kubeplay-controller 0/1 · kubectl get pods -n ingress-kubeplay"},
	} {
		m := New(common.New(bilingual.Lang(lang), theme.NoColor, true))
		m.SetSize(200, 12)
		m.SetBoard(b)
		got := strings.ReplaceAll(ansi.Strip(strings.Join(m.Lines(), "\n")), common.NBSP, " ")
		for _, w := range want {
			if !strings.Contains(got, w+"\n") && !strings.HasSuffix(got, w) {
				t.Errorf("%s: board lacks the line %q:\n%s", lang, w, got)
			}
		}
	}
}

// A pod the scheduler found no node for shows its why under the nodes:
// the reasons of its PodScheduled condition's message (a real cluster's
// FailedScheduling message, which the embedded scheduler writes alike),
// each with how many nodes gave it; pods waiting for the same reasons
// share the lines; a message that is no FitError shows as it is.
func TestBoardSaysWhyPodsAreUnschedulable(t *testing.T) {
	kind := "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
	pod := func(name, reason, msg string) *corev1.Pod {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c"}}},
			Status: corev1.PodStatus{Phase: corev1.PodPending}}
		if reason != "" {
			p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: reason, Message: msg}}
		}
		return p
	}
	nodes := []*corev1.Node{{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}}
	pods := []*corev1.Pod{pod("big-1", "Unschedulable", kind), pod("big-2", "Unschedulable", kind), pod("fresh", "", ""),
		pod("odd", "Unschedulable", "running PreBind plugin \"VolumeBinding\": binding volumes: timed out"),
		pod("lonely", "SchedulingGated", "Scheduling is blocked due to non-empty scheduling gates")}
	b := present.BuildBoard(nodes, pods, nil, nil, time.Time{})
	for lang, want := range map[bilingual.Lang][]string{
		"en": {
			"⏸ big-1, big-2: no node fits (0/3), the scheduler says:",
			"    1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }",
			"    2 Insufficient cpu",
			`⏸ odd: not scheduled: running PreBind plugin "VolumeBinding": binding volumes: timed out`,
		},
		"ko": {
			"⏸ big-1, big-2: 맞는 노드가 없어요 (0/3). 스케줄러가 말하는 이유:",
			"    1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }",
			"    2 Insufficient cpu",
			`⏸ odd: 스케줄되지 않았어요: running PreBind plugin "VolumeBinding": binding volumes: timed out`,
		},
	} {
		m := New(common.New(lang, theme.NoColor, true))
		m.SetSize(200, 30)
		m.SetBoard(b)
		var got []string
		for _, l := range m.Lines() {
			if l := strings.ReplaceAll(ansi.Strip(l), common.NBSP, " "); strings.HasPrefix(l, "⏸") || strings.HasPrefix(l, "    ") {
				got = append(got, strings.TrimRight(l, " "))
			}
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: got\n%s\nwant\n%s", lang, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
