package framework

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func seeded(seed uint64) *Scheduler { return New(rand.New(rand.NewPCG(seed, seed))) }

func TestScheduleFailureMessages(t *testing.T) {
	full := func(name string, opts ...func(*corev1.Node)) *NodeInfo {
		// 1 core, 900m taken by a pod of the same (default) priority.
		return filledNode(makeNode(name, "1", "2Gi", opts...), makePod(name+"-busy", "900m", "1Gi"))
	}
	never := corev1.PreemptNever
	tests := []struct {
		name  string
		pod   *corev1.Pod
		nodes []*NodeInfo
		want  string
		why   string
	}{
		{
			name:  "insufficient cpu everywhere",
			pod:   makePod("web", "500m", "128Mi"),
			nodes: []*NodeInfo{full("node-1"), full("node-2"), full("node-3")},
			want:  "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
			why:   "0/3 nodes fit: 3 Insufficient cpu",
		},
		{
			name: "mixed reasons are counted and sorted",
			pod:  makePod("web", "100m", "1536Mi", withNodeSelector("disk", "ssd")),
			nodes: []*NodeInfo{
				full("node-1", withLabel("disk", "ssd")),
				full("node-2"),
				full("node-3"),
			},
			want: "0/3 nodes are available: 1 Insufficient memory, 2 node(s) didn't match Pod's node affinity/selector. " +
				"preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
			why: "0/3 nodes fit: 1 Insufficient memory, 2 node(s) didn't match Pod's node affinity/selector",
		},
		{
			name: "one node, two resources",
			pod:  makePod("web", "2", "4Gi"),
			nodes: []*NodeInfo{
				full("node-1"),
			},
			want: "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
			why:  "0/1 nodes fit: 1 Insufficient cpu, 1 Insufficient memory",
		},
		{
			name: "taints, cordon and readiness are beyond preemption",
			pod:  makePod("web", "", ""),
			nodes: []*NodeInfo{
				full("node-1", withTaint("dedicated", "db", corev1.TaintEffectNoSchedule)),
				full("node-2", cordoned),
				full("node-3", withReady(corev1.ConditionFalse)),
			},
			want: "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. " +
				"preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
			why: "0/3 nodes fit: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable",
		},
		{
			name:  "counts sort as strings, as upstream",
			pod:   makePod("web", "500m", ""),
			nodes: append([]*NodeInfo{full("a-1"), full("a-2")}, fullCordoned(10)...),
			want: "0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu. " +
				"preemption: 0/12 nodes are available: 10 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
			why: "0/12 nodes fit: 10 node(s) were unschedulable, 2 Insufficient cpu",
		},
		{
			name:  "host port taken",
			pod:   makePod("web", "", "", withHostPort(80, "", "")),
			nodes: []*NodeInfo{filledNode(makeNode("node-1", "1", "1Gi"), makePod("lb", "", "", withHostPort(80, "", "")))},
			want:  "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
			why:   "0/1 nodes fit: 1 node(s) didn't have free ports for the requested pod ports",
		},
		{
			name:  "preemptionPolicy Never",
			pod:   makePod("web", "500m", "", func(p *corev1.Pod) { p.Spec.PreemptionPolicy = &never }),
			nodes: []*NodeInfo{full("node-1")},
			want:  "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
			why:   "0/1 nodes fit: 1 Insufficient cpu",
		},
		{
			name:  "victims that would not make enough room",
			pod:   makePod("web", "2", "", withPriority(1000)),
			nodes: []*NodeInfo{full("node-1")},
			want:  "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.",
			why:   "0/1 nodes fit: 1 Insufficient cpu",
		},
		{
			name: "no nodes",
			pod:  makePod("web", "", ""),
			want: "no nodes available to schedule pods",
			why:  "no nodes in the cluster",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := seeded(1).Schedule(tt.pod, tt.nodes)
			if r.Node != "" {
				t.Fatalf("scheduled on %s", r.Node)
			}
			if r.Message != tt.want {
				t.Errorf("Message\n got %q\nwant %q", r.Message, tt.want)
			}
			if r.Why != tt.why {
				t.Errorf("Why\n got %q\nwant %q", r.Why, tt.why)
			}
			if r.Preemption != nil {
				t.Errorf("unexpected preemption %+v", r.Preemption)
			}
		})
	}
}

func fullCordoned(n int) []*NodeInfo {
	out := make([]*NodeInfo, n)
	for i := range out {
		out[i] = NewNodeInfo(makeNode(fmt.Sprintf("c-%02d", i), "1", "1Gi", cordoned), nil)
	}
	return out
}

func TestSchedulePreemption(t *testing.T) {
	low := func(name, cpu string, prio int32) *corev1.Pod { return makePod(name, cpu, "", withPriority(prio)) }
	nodes := []*NodeInfo{
		// Needs both of its pods gone, one of them important.
		filledNode(makeNode("node-1", "2", "4Gi"), low("a", "1", 500), low("b", "1", 10)),
		// One small low-priority pod is enough; the other one is reprieved.
		filledNode(makeNode("node-2", "2", "4Gi"), low("c", "1", 10), low("d", "1", 5)),
		// Same priority as the preemptor: not a victim.
		filledNode(makeNode("node-3", "2", "4Gi"), low("e", "2", 1000)),
	}
	r := seeded(1).Schedule(makePod("urgent", "1", "", withPriority(1000)), nodes)
	if r.Node != "" {
		t.Fatalf("scheduled on %s", r.Node)
	}
	if want := "0/3 nodes are available: 3 Insufficient cpu."; r.Message != want {
		t.Errorf("Message %q, want %q", r.Message, want)
	}
	p := r.Preemption
	if p == nil || p.Node != "node-2" || len(p.Victims) != 1 || p.Victims[0].Name != "d" {
		t.Fatalf("Preemption = %+v, want node-2 evicting d", p)
	}
	if want := "0/3 nodes fit: 3 Insufficient cpu; evicting 1 lower-priority pod(s) on node-2 would make room"; r.Why != want {
		t.Errorf("Why %q, want %q", r.Why, want)
	}
}

func TestSchedulePlacement(t *testing.T) {
	tests := []struct {
		name  string
		pod   *corev1.Pod
		nodes []*NodeInfo
		want  string
		why   string
	}{
		{
			name: "least allocated wins",
			pod:  makePod("web", "500m", "512Mi"),
			nodes: []*NodeInfo{
				filledNode(makeNode("node-1", "2", "4Gi"), makePod("a", "1", "2Gi")),
				filledNode(makeNode("node-2", "2", "4Gi")),
			},
			want: "node-2",
			// node-2: cpu 75 free, memory 87 free, shares .25 and .125.
			why: "node-2 scores 474 (least allocated 81, balanced 93, taints 100×3); node-1 424",
		},
		{
			name: "nodeSelector",
			pod:  makePod("web", "", "", withNodeSelector("disk", "ssd")),
			nodes: []*NodeInfo{
				plainNamed("node-1"), plainNamed("node-2", withLabel("disk", "ssd")), plainNamed("node-3"),
			},
			want: "node-2",
			why:  "only node-2 fits; filtered out: 2 node(s) didn't match Pod's node affinity/selector",
		},
		{
			name: "untolerated taint",
			pod:  makePod("web", "", ""),
			nodes: []*NodeInfo{
				plainNamed("node-1", withTaint("gpu", "true", corev1.TaintEffectNoSchedule)), plainNamed("node-2"),
			},
			want: "node-2",
			why:  "only node-2 fits; filtered out: 1 node(s) had untolerated taint {gpu: true}",
		},
		{
			name: "tolerated taint",
			pod:  makePod("web", "", "", withToleration(corev1.Toleration{Key: "gpu", Operator: corev1.TolerationOpExists})),
			nodes: []*NodeInfo{
				plainNamed("node-1", withTaint("gpu", "true", corev1.TaintEffectNoSchedule)),
				plainNamed("node-2", withTaint("gpu", "true", corev1.TaintEffectNoSchedule), cordoned),
			},
			want: "node-1",
			why:  "only node-1 fits; filtered out: 1 node(s) were unschedulable",
		},
		{
			name: "PreferNoSchedule steers away",
			pod:  makePod("web", "100m", "100Mi"),
			nodes: []*NodeInfo{
				plainNamed("node-1", withTaint("spot", "", corev1.TaintEffectPreferNoSchedule)), plainNamed("node-2"),
			},
			want: "node-2",
			why:  "node-2 scores 494 (least allocated 96, balanced 98, taints 100×3); node-1 194",
		},
		{
			name: "host port",
			pod:  makePod("web", "", "", withHostPort(8080, "", "")),
			nodes: []*NodeInfo{
				filledNode(makeNode("node-1", "2", "4Gi"), makePod("old", "", "", withHostPort(8080, "", ""))),
				plainNamed("node-2"),
			},
			want: "node-2",
			why:  "only node-2 fits; filtered out: 1 node(s) didn't have free ports for the requested pod ports",
		},
		{
			name:  "cordoned node",
			pod:   makePod("web", "", ""),
			nodes: []*NodeInfo{plainNamed("node-1", cordoned), plainNamed("node-2")},
			want:  "node-2",
			why:   "only node-2 fits; filtered out: 1 node(s) were unschedulable",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := seeded(1).Schedule(tt.pod, tt.nodes)
			if r.Node != tt.want || r.Message != "" {
				t.Fatalf("Node %q (message %q), want %q", r.Node, r.Message, tt.want)
			}
			if r.Why != tt.why {
				t.Errorf("Why\n got %q\nwant %q", r.Why, tt.why)
			}
			if len(r.Scores)+len(r.Filtered) != len(tt.nodes) {
				t.Errorf("%d scored + %d filtered for %d nodes", len(r.Scores), len(r.Filtered), len(tt.nodes))
			}
		})
	}
}

func plainNamed(name string, opts ...func(*corev1.Node)) *NodeInfo {
	return NewNodeInfo(makeNode(name, "2", "4Gi", opts...), nil)
}

func TestScheduleScoresDetail(t *testing.T) {
	nodes := []*NodeInfo{
		filledNode(makeNode("node-b", "4", "8Gi"), makePod("a", "2", "2Gi")),
		filledNode(makeNode("node-a", "4", "8Gi")),
		filledNode(makeNode("node-c", "1", "1Gi"), makePod("b", "1", "")),
	}
	orig := slices.Clone(nodes)
	r := seeded(1).Schedule(makePod("web", "1", "2Gi"), nodes)
	if !slices.Equal(nodes, orig) {
		t.Error("Schedule reordered the caller's slice")
	}
	want := []NodeScore{
		{Node: "node-a", Total: 475, ByPlugin: PluginScores{
			{NodeResourcesFitName, 75, 1}, {BalancedAllocationName, 100, 1}, {TaintTolerationName, 100, 3},
		}},
		// cpu 3/4 used (25 free), memory 4/8 (50 free); balance |.75-.5|/2.
		{Node: "node-b", Total: 424, ByPlugin: PluginScores{
			{NodeResourcesFitName, 37, 1}, {BalancedAllocationName, 87, 1}, {TaintTolerationName, 100, 3},
		}},
	}
	if len(r.Scores) != len(want) {
		t.Fatalf("Scores = %+v", r.Scores)
	}
	for i := range want {
		g, w := r.Scores[i], want[i]
		if g.Node != w.Node || g.Total != w.Total || !slices.Equal(g.ByPlugin, w.ByPlugin) {
			t.Errorf("Scores[%d] = %+v, want %+v", i, g, w)
		}
	}
	if got, ok := r.Scores[1].ByPlugin.Get(BalancedAllocationName); !ok || got != 87 {
		t.Errorf("Get(balanced) = %d, %v", got, ok)
	}
	if st := r.Filtered["node-c"]; st == nil || st.Plugin != NodeResourcesFitName || st.Unresolvable {
		t.Errorf("Filtered[node-c] = %+v", st)
	}
}

func TestScheduleBestEffortSkipsBalanced(t *testing.T) {
	r := seeded(1).Schedule(makePod("be", "", ""), []*NodeInfo{plainNamed("node-1"), plainNamed("node-2")})
	for _, s := range r.Scores {
		if _, ok := s.ByPlugin.Get(BalancedAllocationName); ok {
			t.Errorf("%s has a balanced score for a best-effort pod", s.Node)
		}
	}
}

func TestTieBreak(t *testing.T) {
	nodes := []*NodeInfo{plainNamed("node-3"), plainNamed("node-1"), plainNamed("node-2")}
	pod := makePod("web", "100m", "100Mi")
	run := func(seed uint64, n int) []string {
		s := seeded(seed)
		out := make([]string, n)
		for i := range out {
			out[i] = s.Schedule(pod, nodes).Node
		}
		return out
	}

	a, b := run(42, 300), run(42, 300)
	if !slices.Equal(a, b) {
		t.Fatal("same seed, different choices")
	}
	count := map[string]int{}
	for _, n := range a {
		count[n]++
	}
	for _, n := range []string{"node-1", "node-2", "node-3"} {
		// Uniform would give 100 each; 60 is far outside chance.
		if count[n] < 60 {
			t.Errorf("tie-break is not spreading: %v", count)
		}
	}

	r := seeded(42).Schedule(pod, nodes)
	if r.Scores[0].Node != r.Node {
		t.Errorf("the pick %s is not first in %+v", r.Node, r.Scores)
	}
	if !slices.ContainsFunc(r.Scores[1:], func(s NodeScore) bool { return s.Total == r.Scores[0].Total }) {
		t.Errorf("expected a tie, got %+v", r.Scores)
	}

	if want := "tied with 2 nodes: picked at random"; !strings.Contains(r.Why, want) {
		t.Errorf("Why %q does not say %q", r.Why, want)
	}

	// Without a rand the first node by name wins every time.
	if got := New(nil).Schedule(pod, nodes).Node; got != "node-1" {
		t.Errorf("nil rand picked %s", got)
	}
}

func TestTieBreakWhy(t *testing.T) {
	nodes := []*NodeInfo{plainNamed("node-1"), plainNamed("node-2")}
	r := New(nil).Schedule(makePod("web", "100m", "100Mi"), nodes)
	want := "node-1 scores 494 (least allocated 96, balanced 98, taints 100×3), tied with node-2: picked at random; node-2 494"
	if r.Why != want {
		t.Errorf("Why\n got %q\nwant %q", r.Why, want)
	}
}

// TestScheduleThenAddPod is how the engine uses the package: schedule,
// bind, AddPod, repeat. Least allocated should then fill nodes evenly.
func TestScheduleThenAddPod(t *testing.T) {
	nodes := []*NodeInfo{plainNamed("node-1"), plainNamed("node-2"), plainNamed("node-3")}
	s := seeded(7)
	byName := map[string]*NodeInfo{}
	for _, n := range nodes {
		byName[n.Name()] = n
	}
	for i := range 12 {
		p := makePod(fmt.Sprintf("web-%d", i), "100m", "128Mi")
		r := s.Schedule(p, nodes)
		if r.Node == "" {
			t.Fatalf("pod %d: %s", i, r.Message)
		}
		p.Spec.NodeName = r.Node
		byName[r.Node].AddPod(p)
	}
	for _, n := range nodes {
		if len(n.Pods) != 4 {
			t.Errorf("%s has %d pods, want 4 each", n.Name(), len(n.Pods))
		}
	}
}

// BenchmarkSchedule100Nodes places one pod against 100 nodes that each run
// 100 pods: the engine's worst everyday case.
func BenchmarkSchedule100Nodes(b *testing.B) {
	nodes := make([]*NodeInfo, 100)
	for i := range nodes {
		n := makeNode(fmt.Sprintf("node-%03d", i), "64", "256Gi")
		nodes[i] = filledNode(n, pods(n.Name, 100, "100m", "128Mi")...)
	}
	pod := makePod("web", "100m", "128Mi")
	s := seeded(1)
	b.ReportAllocs()
	for b.Loop() {
		if r := s.Schedule(pod, nodes); r.Node == "" {
			b.Fatal(r.Message)
		}
	}
}
