package framework

import (
	"fmt"
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// TestEquivalenceCacheDecidesAsWithout schedules a mix of pod classes one
// after another on nodes that fill up, get tainted, lose pods and see pods resized, and
// checks every cycle against a scheduler with nothing remembered.
func TestEquivalenceCacheDecidesAsWithout(t *testing.T) {
	var nodes []*NodeInfo
	for i := range 8 {
		cpu := fmt.Sprint(2 + i%3)
		nodes = append(nodes, NewNodeInfo(makeNode(fmt.Sprintf("node-%d", i), cpu, "4Gi", withLabel("zone", fmt.Sprint(i%2))), nil))
	}
	tolerate := corev1.Toleration{Key: "dedicated", Operator: corev1.TolerationOpExists}
	templates := []func(string) *corev1.Pod{
		func(n string) *corev1.Pod { return makePod(n, "500m", "256Mi") },
		func(n string) *corev1.Pod { return makePod(n, "500m", "256Mi") },
		func(n string) *corev1.Pod { return makePod(n, "250m", "") },
		func(n string) *corev1.Pod { return makePod(n, "500m", "256Mi", withNodeSelector("zone", "1")) },
		func(n string) *corev1.Pod { return makePod(n, "500m", "256Mi", withToleration(tolerate)) },
		func(n string) *corev1.Pod { return makePod(n, "100m", "64Mi", withHostPort(8080, "", "")) },
	}
	cached := New(nil)
	var placed []*corev1.Pod
	for i := range 120 {
		pod := templates[(i/3)%len(templates)](fmt.Sprintf("p-%d", i))
		got := cached.ScheduleSorted(pod, nodes)
		// Clones remember nothing, and a scheduler of their own leaves
		// the cached one's memos alone.
		fresh := make([]*NodeInfo, len(nodes))
		for j, n := range nodes {
			fresh[j] = n.Clone()
		}
		want := New(nil).ScheduleSorted(pod, fresh)
		if got.Why != want.Why || got.Feasible != want.Feasible || !reflect.DeepEqual(got.Filtered, want.Filtered) {
			t.Fatalf("pod %d: %s, filtered %v; without the cache %s, %v", i, got.Why, got.Filtered, want.Why, want.Filtered)
		}
		if !reflect.DeepEqual(got.Scores, want.Scores) || got.Message != want.Message {
			t.Fatalf("pod %d: scores %+v %q; without the cache %+v %q", i, got.Scores, got.Message, want.Scores, want.Message)
		}
		for _, n := range nodes {
			if n.Name() == got.Node {
				// A copy, as the store keeps one per version: the
				// scheduler compares the next pod with this one.
				bound := pod.DeepCopy()
				bound.Spec.NodeName = n.Name()
				n.AddPod(bound)
				placed = append(placed, bound)
			}
		}
		switch i {
		case 40: // mid-class (pods 39–41 are alike): a taint on half the nodes
			for _, n := range nodes[:4] {
				n.SetNode(makeNode(n.Name(), fmt.Sprint(n.Allocatable.MilliCPU/1000), "4Gi", withTaint("dedicated", "x", corev1.TaintEffectNoSchedule)))
			}
		case 79: // pods leave
			for _, p := range placed[:30] {
				for _, n := range nodes {
					n.RemovePod(p)
				}
			}
		case 85: // pods are resized
			for _, p := range placed[30:60] {
				resized := p.DeepCopy()
				resized.Spec.Containers[0].Resources.Requests[corev1.ResourceCPU] = resource.MustParse("1")
				for _, n := range nodes {
					n.UpdatePod(resized)
				}
			}
		}
	}
}
