package framework

import (
	"maps"
	"reflect"
	"slices"

	corev1 "k8s.io/api/core/v1"
)

// The equivalence cache. Pods of one template (a ReplicaSet's replicas)
// ask the same of every node, and between two cycles only the node the
// last pod went to has changed; so a node's filter verdict and raw scores
// for the previous pod hold for the next one, as long as neither the node
// nor what the pod asks for changed. Upstream kept such a cache
// (pkg/scheduler/core/equivalence_cache.go, keyed by the pod's
// equivalence class and invalidated per node on changes) until its own
// scheduling got cheap enough; here it turns a cycle over 420 nodes from
// ten plugin calls per node into one comparison. Results are the plugins'
// own, so what the learner sees does not change.

// memo is what one Scheduler worked out about a node for one class of
// pods, valid while the node stays at generation gen.
type memo struct {
	owner  *Scheduler
	class  uint64
	gen    uint64
	node   *corev1.Node
	status *Status
	scored bool
	raw    []int64 // by active score plugin
}

// class is what the filter and score plugins read of a pod, kept to tell
// whether the next pod belongs with it. A plugin that reads another field
// of the pod must add it here and to sameClass.
type class struct {
	pod      *corev1.Pod
	requests Resource
	nonZero  Resource
	ports    []HostPort
}

// setClass starts a new class unless pod asks the same as the last one;
// s.pod must already be refreshed for pod.
func (s *Scheduler) setClass(pod *corev1.Pod) {
	c := &s.last
	if c.pod != nil && sameClass(c, pod, s.pod) {
		c.pod = pod
		return
	}
	s.class++
	c.pod, c.requests, c.nonZero = pod, s.pod.requests, s.pod.nonZero
	c.ports = append(c.ports[:0], s.pod.ports...)
}

func sameClass(c *class, pod *corev1.Pod, pc *podCache) bool {
	a, b := &c.pod.Spec, &pod.Spec
	return c.requests == pc.requests && c.nonZero == pc.nonZero && slices.Equal(c.ports, pc.ports) &&
		a.NodeName == b.NodeName && maps.Equal(a.NodeSelector, b.NodeSelector) &&
		sameTolerations(a.Tolerations, b.Tolerations) &&
		(a.Affinity == b.Affinity || reflect.DeepEqual(a.Affinity, b.Affinity))
}

func sameTolerations(a, b []corev1.Toleration) bool {
	return slices.EqualFunc(a, b, func(x, y corev1.Toleration) bool {
		return x.Key == y.Key && x.Operator == y.Operator && x.Value == y.Value && x.Effect == y.Effect &&
			(x.TolerationSeconds == nil) == (y.TolerationSeconds == nil) &&
			(x.TolerationSeconds == nil || *x.TolerationSeconds == *y.TolerationSeconds)
	})
}

// memoFor returns n's memo for the current class, emptied if it was for
// another class or the node changed since.
func (s *Scheduler) memoFor(n *NodeInfo) (m *memo, valid bool) {
	m = &n.memo
	if m.valid(s, n) {
		return m, true
	}
	*m = memo{owner: s, class: s.class, gen: n.gen, node: n.Node, raw: m.raw[:0]}
	return m, false
}

func (m *memo) valid(s *Scheduler, n *NodeInfo) bool {
	return m.owner == s && m.class == s.class && m.gen == n.gen && m.node == n.Node
}

// filterCached is filter, remembered per node for the current class.
func (s *Scheduler) filterCached(pod *corev1.Pod, n *NodeInfo) *Status {
	m, ok := s.memoFor(n)
	if !ok {
		m.status = s.filter(pod, n)
	}
	return m.status
}

// rawScores are the active plugins' raw scores of a feasible node,
// remembered per node for the current class.
// The node's memo was made by filterCached in the same cycle.
func (s *Scheduler) rawScores(pod *corev1.Pod, n *NodeInfo, active []weighted) []int64 {
	m := &n.memo
	if m.scored && m.valid(s, n) {
		return m.raw
	}
	m.raw = m.raw[:0]
	for _, p := range active {
		m.raw = append(m.raw, p.Score(pod, n))
	}
	m.scored = m.valid(s, n)
	return m.raw
}
