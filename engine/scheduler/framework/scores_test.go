package framework

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestLeastAllocatedScore(t *testing.T) {
	tests := []struct {
		name string
		pod  *corev1.Pod
		node *NodeInfo
		want int64
	}{
		{"empty node", makePod("p", "1", "2Gi"), filledNode(makeNode("n", "4", "8Gi")), 75},
		{"half used after placing", makePod("p", "1", "2Gi"), filledNode(makeNode("n", "4", "8Gi"), makePod("a", "1", "2Gi")), 50},
		// cpu (4000-2000)/4000 = 50, memory (8-1)/8 = 87: averaged in integers.
		{"uneven", makePod("p", "1", "512Mi"), filledNode(makeNode("n", "4", "8Gi"), makePod("a", "1", "512Mi")), 68},
		// A best-effort pod counts as 100m and 200Mi: cpu 90, memory 80.
		{"best-effort pod", makePod("p", "", ""), filledNode(makeNode("n", "1", "1Gi")), 85},
		// Five of them: cpu 500m of 1 (50), memory 1000Mi of 1Gi (2).
		{"best-effort pods already there count too", makePod("p", "", ""), filledNode(makeNode("n", "1", "1Gi"), pods("be", 4, "", "")...), 26},
		{"over-committed clamps at zero", makePod("p", "2", "1Gi"), filledNode(makeNode("n", "1", "1Gi")), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (&NodeResourcesFit{}).Score(tt.pod, tt.node); got != tt.want {
				t.Errorf("score = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestBalancedAllocationScore(t *testing.T) {
	tests := []struct {
		name string
		pod  *corev1.Pod
		node *NodeInfo
		want int64
	}{
		{"same share of both", makePod("p", "1", "2Gi"), filledNode(makeNode("n", "4", "8Gi")), 100},
		// cpu 0.25, memory 0.125: std 0.0625.
		{"more cpu than memory", makePod("p", "1", "1Gi"), filledNode(makeNode("n", "4", "8Gi")), 93},
		// cpu 1.0 (capped), memory 0: std 0.5.
		{"one resource full", makePod("p", "4", ""), filledNode(makeNode("n", "4", "8Gi")), 50},
		// Real requests, not the scoring defaults: a best-effort pod on
		// the node adds nothing here.
		{"reads real requests", makePod("p", "1", "2Gi"), filledNode(makeNode("n", "4", "8Gi"), makePod("be", "", "")), 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (&BalancedAllocation{}).Score(tt.pod, tt.node); got != tt.want {
				t.Errorf("score = %d, want %d", got, tt.want)
			}
		})
	}
	if !(&BalancedAllocation{}).SkipScore(makePod("p", "", "")) {
		t.Error("best-effort pods should skip the balanced score")
	}
}

func TestTaintTolerationScore(t *testing.T) {
	spot := withTaint("spot", "", corev1.TaintEffectPreferNoSchedule)
	old := withTaint("old", "", corev1.TaintEffectPreferNoSchedule)
	nodes := []*NodeInfo{plainNode(), plainNode(spot), plainNode(spot, old)}
	for _, tt := range []struct {
		name string
		pod  *corev1.Pod
		want []int64
	}{
		{"fewer untolerated taints score higher", makePod("p", "", ""), []int64{100, 50, 0}},
		{"tolerated taints do not count", makePod("p", "", "", withToleration(corev1.Toleration{Key: "spot", Operator: corev1.TolerationOpExists})), []int64{100, 100, 0}},
		{"no taints at all: everyone 100", makePod("p", "", "", withToleration(corev1.Toleration{Operator: corev1.TolerationOpExists})), []int64{100, 100, 100}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := make([]int64, len(nodes))
			for i, n := range nodes {
				got[i] = TaintToleration{}.Score(tt.pod, n)
			}
			TaintToleration{}.NormalizeScores(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("scores = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNodeAffinityScore(t *testing.T) {
	pod := makePod("p", "", "", func(p *corev1.Pod) {
		p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
			PreferredDuringSchedulingIgnoredDuringExecution: []corev1.PreferredSchedulingTerm{
				{Weight: 30, Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "disk", Operator: corev1.NodeSelectorOpIn, Values: []string{"ssd"}}}}},
				{Weight: 10, Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: corev1.NodeSelectorOpExists}}}},
			},
		}}
	})
	nodes := []*NodeInfo{plainNode(), plainNode(withLabel("zone", "a")), plainNode(withLabel("disk", "ssd"), withLabel("zone", "a"))}
	got := make([]int64, len(nodes))
	for i, n := range nodes {
		got[i] = NodeAffinity{}.Score(pod, n)
	}
	NodeAffinity{}.NormalizeScores(got)
	if want := []int64{0, 25, 100}; !slices.Equal(got, want) {
		t.Errorf("scores = %v, want %v", got, want)
	}
	if (NodeAffinity{}).SkipScore(pod) || !(NodeAffinity{}).SkipScore(makePod("q", "", "")) {
		t.Error("SkipScore should skip exactly the pods without preferred terms")
	}
}
