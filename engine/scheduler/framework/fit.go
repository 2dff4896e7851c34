package framework

import (
	corev1 "k8s.io/api/core/v1"
)

// NodeResourcesFit rejects a node without room for the pod's requests or a
// free pod slot, and scores with upstream's default strategy,
// LeastAllocated: the emptier the node would be, the better.
type NodeResourcesFit struct{ cached }

func (*NodeResourcesFit) Name() string { return NodeResourcesFitName }

// Filter compares requests with allocatable minus what the node's pods
// already request; actual usage plays no part, which is why a node can be
// "full" while idle. A resource the pod does not request is not checked,
// so a pod without requests fits wherever a pod slot is free.
func (pl *NodeResourcesFit) Filter(pod *corev1.Pod, node *NodeInfo) *Status {
	want := pl.podInfo(pod).requests
	free := node.Allocatable
	free.sub(node.Requested)

	var reasons []string
	if free.Pods < want.Pods {
		reasons = append(reasons, ReasonTooManyPods)
	}
	if want.MilliCPU > 0 && want.MilliCPU > free.MilliCPU {
		reasons = append(reasons, ReasonInsufficientCPU)
	}
	if want.Memory > 0 && want.Memory > free.Memory {
		reasons = append(reasons, ReasonInsufficientMem)
	}
	if want.EphemeralStorage > 0 && want.EphemeralStorage > free.EphemeralStorage {
		reasons = append(reasons, ReasonInsufficientDisk)
	}
	if reasons == nil {
		return nil
	}
	return &Status{Plugin: NodeResourcesFitName, Reasons: reasons}
}

// Score is LeastAllocated over cpu and memory, weight 1 each: the share of
// each left free after placing the pod, times 100, averaged. It counts the
// scoring defaults (100m, 200Mi) for containers that request nothing.
func (pl *NodeResourcesFit) Score(pod *corev1.Pod, node *NodeInfo) int64 {
	want := pl.podInfo(pod).nonZero
	used := node.NonZeroRequested
	return averageScore(
		leastRequested(used.MilliCPU+want.MilliCPU, node.Allocatable.MilliCPU),
		leastRequested(used.Memory+want.Memory, node.Allocatable.Memory),
	)
}

// leastRequested returns the free share of one resource in 0..100, or -1
// when the node has none of it (upstream leaves such a resource out).
func leastRequested(requested, allocatable int64) int64 {
	switch {
	case allocatable == 0:
		return -1
	case requested > allocatable:
		return 0
	}
	return (allocatable - requested) * MaxNodeScore / allocatable
}

// averageScore averages the per-resource scores that exist, in integers,
// as upstream does (so 83 and 40 give 61, not 61.5).
func averageScore(scores ...int64) int64 {
	var sum, n int64
	for _, s := range scores {
		if s >= 0 {
			sum += s
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

// BalancedAllocation prefers the node where cpu and memory would be used in
// the same proportion, so that neither runs out while the other sits idle.
type BalancedAllocation struct{ cached }

func (*BalancedAllocation) Name() string { return BalancedAllocationName }

// SkipScore: upstream leaves best-effort pods out of this score
// (kubernetes#129138): to it every node with no requests looks perfectly
// balanced, so they would all pile onto one.
func (pl *BalancedAllocation) SkipScore(pod *corev1.Pod) bool {
	return pl.podInfo(pod).requests.isZero()
}

// Score is (1 - std) * 100, where std is the standard deviation of the
// requested shares of cpu and memory, which for two resources is half their
// difference. Unlike LeastAllocated it reads the real requests.
func (pl *BalancedAllocation) Score(pod *corev1.Pod, node *NodeInfo) int64 {
	want := pl.podInfo(pod).requests
	used := node.Requested
	var fractions [2]float64
	n := 0
	for _, r := range [2][2]int64{
		{used.MilliCPU + want.MilliCPU, node.Allocatable.MilliCPU},
		{used.Memory + want.Memory, node.Allocatable.Memory},
	} {
		if r[1] == 0 {
			continue
		}
		fractions[n] = min(float64(r[0])/float64(r[1]), 1)
		n++
	}
	std := 0.0
	if n == 2 {
		std = fractions[0] - fractions[1]
		if std < 0 {
			std = -std
		}
		std /= 2
	}
	return int64((1 - std) * float64(MaxNodeScore))
}
