package framework

import (
	"strconv"

	corev1 "k8s.io/api/core/v1"
)

// Failure reasons, word for word as kube-scheduler's plugins write them,
// because learners will meet them again in real `kubectl describe` output.
const (
	ReasonUnschedulable    = "node(s) were unschedulable"
	ReasonNodeName         = "node(s) didn't match the requested node name"
	ReasonNodeAffinity     = "node(s) didn't match Pod's node affinity/selector"
	ReasonNodePorts        = "node(s) didn't have free ports for the requested pod ports"
	ReasonTooManyPods      = "Too many pods"
	ReasonInsufficientCPU  = "Insufficient cpu"
	ReasonInsufficientMem  = "Insufficient memory"
	ReasonInsufficientDisk = "Insufficient ephemeral-storage"
)

// NodeUnschedulable rejects cordoned nodes (spec.unschedulable), unless the
// pod tolerates the taint a cordon stands for, as DaemonSet pods do.
type NodeUnschedulable struct{}

func (NodeUnschedulable) Name() string { return NodeUnschedulableName }

func (NodeUnschedulable) Filter(pod *corev1.Pod, node *NodeInfo) *Status {
	if !node.Node.Spec.Unschedulable {
		return nil
	}
	cordon := corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}
	if tolerated(pod.Spec.Tolerations, &cordon) {
		return nil
	}
	return statusUnschedulable
}

// NodeName keeps a pod that already names its node (spec.nodeName) off
// every other node.
type NodeName struct{}

func (NodeName) Name() string { return NodeNameName }

func (NodeName) Filter(pod *corev1.Pod, node *NodeInfo) *Status {
	if pod.Spec.NodeName == "" || pod.Spec.NodeName == node.Node.Name {
		return nil
	}
	return statusNodeName
}

// NodePorts rejects a node where another pod already holds a host port this
// pod asks for. A port bound on every address (0.0.0.0) clashes with the
// same port on any address, and the other way round.
type NodePorts struct{ cached }

func (*NodePorts) Name() string { return NodePortsName }

func (pl *NodePorts) Filter(pod *corev1.Pod, node *NodeInfo) *Status {
	for _, want := range pl.podInfo(pod).ports {
		for _, used := range node.UsedPorts {
			if want.Port == used.Port && want.Protocol == used.Protocol &&
				(want.IP == used.IP || want.IP == wildcardIP || used.IP == wildcardIP) {
				// Resolvable: evicting the holder frees the port.
				return &Status{Plugin: NodePortsName, Reasons: []string{ReasonNodePorts}}
			}
		}
	}
	return nil
}

// NodeAffinity enforces spec.nodeSelector and the required node affinity:
// every nodeSelector label must match, and so must at least one of the
// required terms. It also scores preferred terms (weight 2 upstream).
type NodeAffinity struct{}

func (NodeAffinity) Name() string { return NodeAffinityName }

func (NodeAffinity) Filter(pod *corev1.Pod, node *NodeInfo) *Status {
	// Checked first: even an empty map costs to range over, for every node.
	if len(pod.Spec.NodeSelector) > 0 {
		labels := node.Node.Labels
		for k, v := range pod.Spec.NodeSelector {
			if got, ok := labels[k]; !ok || got != v {
				return statusNodeAffinity
			}
		}
	}
	if a := pod.Spec.Affinity; a != nil && a.NodeAffinity != nil {
		if req := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution; req != nil {
			for i := range req.NodeSelectorTerms {
				if termMatches(&req.NodeSelectorTerms[i], node.Node) {
					return nil
				}
			}
			return statusNodeAffinity
		}
	}
	return nil
}

// SkipScore: with no preferred terms every node would score the same.
func (NodeAffinity) SkipScore(pod *corev1.Pod) bool {
	a := pod.Spec.Affinity
	return a == nil || a.NodeAffinity == nil || len(a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution) == 0
}

// Score adds up the weights of the preferred terms the node matches.
func (NodeAffinity) Score(pod *corev1.Pod, node *NodeInfo) int64 {
	var sum int64
	if a := pod.Spec.Affinity; a != nil && a.NodeAffinity != nil {
		for i := range a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution {
			t := &a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution[i]
			if termMatches(&t.Preference, node.Node) {
				sum += int64(t.Weight)
			}
		}
	}
	return sum
}

// NormalizeScores makes the best-matching node 100.
func (NodeAffinity) NormalizeScores(scores []int64) { normalize(scores, false) }

// termMatches ANDs a term's expressions; a term with none matches nothing,
// as upstream's nodeaffinity helper decides.
func termMatches(t *corev1.NodeSelectorTerm, node *corev1.Node) bool {
	if len(t.MatchExpressions) == 0 && len(t.MatchFields) == 0 {
		return false
	}
	for i := range t.MatchExpressions {
		r := &t.MatchExpressions[i]
		v, ok := node.Labels[r.Key]
		if !requirementMatches(r, v, ok) {
			return false
		}
	}
	for i := range t.MatchFields {
		r := &t.MatchFields[i]
		// metadata.name is the only field selector the API accepts here.
		if r.Key != "metadata.name" || !requirementMatches(r, node.Name, true) {
			return false
		}
	}
	return true
}

func requirementMatches(r *corev1.NodeSelectorRequirement, v string, ok bool) bool {
	switch r.Operator {
	case corev1.NodeSelectorOpIn:
		return ok && contains(r.Values, v)
	case corev1.NodeSelectorOpNotIn:
		return !ok || !contains(r.Values, v)
	case corev1.NodeSelectorOpExists:
		return ok
	case corev1.NodeSelectorOpDoesNotExist:
		return !ok
	case corev1.NodeSelectorOpGt, corev1.NodeSelectorOpLt:
		if !ok || len(r.Values) != 1 {
			return false
		}
		have, err1 := strconv.ParseInt(v, 10, 64)
		want, err2 := strconv.ParseInt(r.Values[0], 10, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		if r.Operator == corev1.NodeSelectorOpGt {
			return have > want
		}
		return have < want
	}
	return false
}

func contains(values []string, v string) bool {
	for _, x := range values {
		if x == v {
			return true
		}
	}
	return false
}
