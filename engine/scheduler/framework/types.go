package framework

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Plugin names, as kube-scheduler registers them; learners see them in
// traces and in kube-scheduler's own documentation.
const (
	NodeUnschedulableName  = "NodeUnschedulable"
	NodeNameName           = "NodeName"
	TaintTolerationName    = "TaintToleration"
	NodeAffinityName       = "NodeAffinity"
	NodePortsName          = "NodePorts"
	NodeResourcesFitName   = "NodeResourcesFit"
	BalancedAllocationName = "NodeResourcesBalancedAllocation"
)

// MaxNodeScore is the best score a score plugin can give a node.
const MaxNodeScore int64 = 100

// Plugin is anything the scheduling cycle runs.
type Plugin interface{ Name() string }

// FilterPlugin says whether a pod may run on a node. A nil Status means it
// may; otherwise the Status says why not, in kube-scheduler's words.
type FilterPlugin interface {
	Plugin
	Filter(pod *corev1.Pod, node *NodeInfo) *Status
}

// ScorePlugin ranks a node that passed every filter, from 0 to MaxNodeScore
// (before ScoreNormalizer, if the plugin has one).
type ScorePlugin interface {
	Plugin
	Score(pod *corev1.Pod, node *NodeInfo) int64
}

// ScoreNormalizer is a ScorePlugin whose raw scores only mean something
// next to the other nodes' (a count of taints, a sum of weights); it rescales
// them to 0..MaxNodeScore in place, like upstream's NormalizeScore.
type ScoreNormalizer interface {
	NormalizeScores(scores []int64)
}

// ScoreSkipper is a ScorePlugin with nothing to say about some pods
// (upstream's PreScore returning Skip): it then adds nothing to any node.
type ScoreSkipper interface {
	SkipScore(pod *corev1.Pod) bool
}

// Status says why a filter rejected a node.
type Status struct {
	Plugin  string
	Reasons []string
	// Unresolvable is upstream's UnschedulableAndUnresolvable: evicting
	// pods from the node would not help (a label, a taint, a cordon), so
	// preemption does not even try this node.
	Unresolvable bool
}

// Message joins the reasons the way upstream's Status.Message does.
func (s *Status) Message() string {
	if s == nil {
		return ""
	}
	return strings.Join(s.Reasons, ", ")
}

func unresolvable(plugin, reason string) *Status {
	return &Status{Plugin: plugin, Reasons: []string{reason}, Unresolvable: true}
}

// The statuses that say nothing of the pod or node they are about are
// made once and shared (no one changes a Status): a DaemonSet's pod is
// filtered out of every node but its own, a thousand pods of a
// thousand-node cluster's kube-proxy a million times.
var (
	statusUnschedulable = unresolvable(NodeUnschedulableName, ReasonUnschedulable)
	statusNodeName      = unresolvable(NodeNameName, ReasonNodeName)
	statusNodeAffinity  = unresolvable(NodeAffinityName, ReasonNodeAffinity)
)

// NodeScore is one feasible node's score. ByPlugin holds each plugin's score
// after normalization and before weighting; Total is the weighted sum that
// picks the node.
type NodeScore struct {
	Node     string
	Total    int64
	ByPlugin PluginScores
}

// PluginScores lists score plugins' scores in the order the plugins ran.
// It is a slice rather than a map so that the screen shows them in a stable
// order, and so that scoring 100 nodes costs one allocation, not 100 maps.
type PluginScores []PluginScore

// PluginScore is one plugin's score for a node, with the weight it counts for.
type PluginScore struct {
	Plugin string
	Score  int64
	Weight int64
}

// Get returns a plugin's score, and false if the plugin did not score (it
// had nothing to say about the pod, or there was only one feasible node).
func (ps PluginScores) Get(plugin string) (int64, bool) {
	for _, s := range ps {
		if s.Plugin == plugin {
			return s.Score, true
		}
	}
	return 0, false
}

// Preemption is what kube-scheduler's DefaultPreemption would do when no node
// fits: evict Victims (lower-priority pods) from Node and nominate the pod
// there. kubeplay's engine decides whether to act on it.
type Preemption struct {
	Node    string
	Victims []*corev1.Pod
}

// Result is the outcome of one scheduling cycle.
type Result struct {
	// Node is the chosen node, "" if none fits.
	Node string
	// Scores lists the best-scored feasible nodes, best first, five at
	// most (upstream reports its top three), so that a cycle over hundreds
	// of nodes, which an even cluster has tied, does not write out
	// hundreds of scores no one reads. It is valid until the next Schedule
	// call (its memory is reused). The node the tie-break chose comes
	// first, in the place of the best in search order, which takes the
	// chosen one's place (out of the list if that was past the fifth).
	// With a single feasible node upstream skips scoring, and so does
	// kubeplay: its ByPlugin is nil.
	Scores []NodeScore
	// Tied is how many other feasible nodes share the chosen node's total.
	Tied int
	// Feasible is how many nodes passed the filters.
	Feasible int
	// Filtered says, per node, why it was filtered out; nil if none was.
	// It is valid until the next Schedule call (its memory is reused).
	Filtered map[string]*Status
	// Message is, when Node is "", the FailedScheduling event message
	// exactly as kube-scheduler writes it.
	Message string
	// Preemption is set when Node is "" but evicting lower-priority pods
	// would make room.
	Preemption *Preemption
	// Why is one short line for the trace.
	Why string
}
