package framework

import corev1 "k8s.io/api/core/v1"

// What the DaemonSet controller asks of a node before it makes a pod for
// it (upstream's daemon controller predicates, which read the same rules
// through component-helpers): the answers are the scheduler's, so that a
// pod the controller makes for a node is one the scheduler binds there.

// FitsNodeAffinity reports whether the pod's nodeSelector and required
// node affinity accept the node.
func FitsNodeAffinity(pod *corev1.Pod, node *NodeInfo) bool {
	return NodeAffinity{}.Filter(pod, node) == nil
}

// UntoleratedTaint is v1helper.FindMatchingUntoleratedTaint over the
// node's taints (and the one its Ready condition stands for): the first
// whose effect is one of effects that the tolerations do not tolerate.
func (n *NodeInfo) UntoleratedTaint(tolerations []corev1.Toleration, effects ...corev1.TaintEffect) *corev1.Taint {
	var bad *corev1.Taint
	n.eachTaint(func(t *corev1.Taint) bool {
		for _, e := range effects {
			if t.Effect == e && !tolerated(tolerations, t) {
				bad = t
				return false
			}
		}
		return true
	})
	return bad
}
