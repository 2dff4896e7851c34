package framework

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// TaintToleration rejects nodes with a NoSchedule or NoExecute taint the
// pod does not tolerate, and scores down nodes with PreferNoSchedule taints
// it does not tolerate (weight 3 upstream).
type TaintToleration struct{}

func (TaintToleration) Name() string { return TaintTolerationName }

func (TaintToleration) Filter(pod *corev1.Pod, node *NodeInfo) *Status {
	var bad *corev1.Taint
	node.eachTaint(func(t *corev1.Taint) bool {
		if (t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute) &&
			!tolerated(pod.Spec.Tolerations, t) {
			bad = t
			return false
		}
		return true
	})
	if bad == nil {
		return nil
	}
	return unresolvable(TaintTolerationName,
		fmt.Sprintf("node(s) had untolerated taint {%s: %s}", bad.Key, bad.Value))
}

// Score counts the PreferNoSchedule taints the pod does not tolerate;
// NormalizeScores turns "fewest" into 100.
func (TaintToleration) Score(pod *corev1.Pod, node *NodeInfo) int64 {
	var n int64
	node.eachTaint(func(t *corev1.Taint) bool {
		if t.Effect == corev1.TaintEffectPreferNoSchedule && !tolerated(pod.Spec.Tolerations, t) {
			n++
		}
		return true
	})
	return n
}

func (TaintToleration) NormalizeScores(scores []int64) { normalize(scores, true) }

// The taints the node lifecycle controller puts on a node whose Ready
// condition is False (or missing) or Unknown. kubeplay has no such
// controller, so the scheduler reads the condition as if it had run.
var (
	notReadyTaint    = corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoSchedule}
	unreachableTaint = corev1.Taint{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoSchedule}
)

// eachTaint calls f with the node's taints and then, if the node is not
// Ready and does not already say so, the taint that stands for it. It stops
// when f returns false. It allocates nothing: it runs for every node.
func (n *NodeInfo) eachTaint(f func(*corev1.Taint) bool) {
	for i := range n.Node.Spec.Taints {
		if !f(&n.Node.Spec.Taints[i]) {
			return
		}
	}
	if n.conditionTaint != nil {
		f(n.conditionTaint)
	}
}

// conditionTaint is the taint a node's Ready condition stands for, nil if
// it is Ready or already carries a not-ready or unreachable taint.
func conditionTaint(node *corev1.Node) *corev1.Taint {
	for i := range node.Spec.Taints {
		if k := node.Spec.Taints[i].Key; k == corev1.TaintNodeNotReady || k == corev1.TaintNodeUnreachable {
			return nil
		}
	}
	switch readyStatus(node) {
	case corev1.ConditionTrue:
		return nil
	case corev1.ConditionUnknown:
		return &unreachableTaint
	default:
		return &notReadyTaint
	}
}

func readyStatus(node *corev1.Node) corev1.ConditionStatus {
	for i := range node.Status.Conditions {
		if c := &node.Status.Conditions[i]; c.Type == corev1.NodeReady {
			return c.Status
		}
	}
	return corev1.ConditionFalse
}

// tolerated follows corev1.Toleration.ToleratesTaint: an empty effect
// matches every effect, an empty key (with Exists) every key, Exists any
// value, Equal (or no operator) the same value. The Lt and Gt operators sit
// behind a feature gate that is off by default, so they tolerate nothing.
func tolerated(tolerations []corev1.Toleration, t *corev1.Taint) bool {
	for i := range tolerations {
		tol := &tolerations[i]
		if tol.Effect != "" && tol.Effect != t.Effect {
			continue
		}
		if tol.Key != "" && tol.Key != t.Key {
			continue
		}
		switch tol.Operator {
		case corev1.TolerationOpExists:
			return true
		case "", corev1.TolerationOpEqual:
			if tol.Value == t.Value {
				return true
			}
		}
	}
	return false
}

// normalize is upstream's DefaultNormalizeScore: scale so the largest raw
// score becomes MaxNodeScore; reverse when fewer is better. All zeros stay
// zero, or all become MaxNodeScore when reversed.
func normalize(scores []int64, reverse bool) {
	var top int64
	for _, s := range scores {
		top = max(top, s)
	}
	for i, s := range scores {
		if top > 0 {
			s = MaxNodeScore * s / top
		}
		if reverse {
			s = MaxNodeScore - s
		}
		scores[i] = s
	}
}
