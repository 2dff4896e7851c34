package framework

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

type filterCase struct {
	name string
	pod  *corev1.Pod
	node *NodeInfo
	want []string // reasons; nil means the node fits
}

func runFilterCases(t *testing.T, pl FilterPlugin, tests []filterCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := pl.Filter(tt.pod, tt.node)
			if st == nil {
				if tt.want != nil {
					t.Fatalf("fits, want %q", tt.want)
				}
				return
			}
			if !slices.Equal(st.Reasons, tt.want) || st.Plugin != pl.Name() {
				t.Fatalf("got %s %q, want %q", st.Plugin, st.Reasons, tt.want)
			}
		})
	}
}

func plainNode(opts ...func(*corev1.Node)) *NodeInfo {
	return NewNodeInfo(makeNode("n1", "2", "4Gi", opts...), nil)
}

func TestNodeUnschedulable(t *testing.T) {
	runFilterCases(t, NodeUnschedulable{}, []filterCase{
		{"schedulable node", makePod("p", "", ""), plainNode(), nil},
		{"cordoned node", makePod("p", "", ""), plainNode(cordoned), []string{ReasonUnschedulable}},
		{"cordoned, but the pod tolerates the unschedulable taint",
			makePod("p", "", "", withToleration(corev1.Toleration{Key: corev1.TaintNodeUnschedulable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule})),
			plainNode(cordoned), nil},
	})
}

func TestNodeName(t *testing.T) {
	named := func(n string) func(*corev1.Pod) { return func(p *corev1.Pod) { p.Spec.NodeName = n } }
	runFilterCases(t, NodeName{}, []filterCase{
		{"no node named", makePod("p", "", ""), plainNode(), nil},
		{"this node named", makePod("p", "", "", named("n1")), plainNode(), nil},
		{"another node named", makePod("p", "", "", named("n2")), plainNode(), []string{ReasonNodeName}},
	})
}

func TestNodeAffinity(t *testing.T) {
	required := func(terms ...corev1.NodeSelectorTerm) func(*corev1.Pod) {
		return func(p *corev1.Pod) {
			p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
				RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: terms},
			}}
		}
	}
	expr := func(key string, op corev1.NodeSelectorOperator, values ...string) corev1.NodeSelectorTerm {
		return corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: key, Operator: op, Values: values}}}
	}
	ssd := plainNode(withLabel("disk", "ssd"), withLabel("cores", "8"))
	miss := []string{ReasonNodeAffinity}
	runFilterCases(t, NodeAffinity{}, []filterCase{
		{"no selector", makePod("p", "", ""), ssd, nil},
		{"selector matches", makePod("p", "", "", withNodeSelector("disk", "ssd")), ssd, nil},
		{"selector value differs", makePod("p", "", "", withNodeSelector("disk", "hdd")), ssd, miss},
		{"selector label missing", makePod("p", "", "", withNodeSelector("zone", "a")), ssd, miss},
		{"In", makePod("p", "", "", required(expr("disk", corev1.NodeSelectorOpIn, "nvme", "ssd"))), ssd, nil},
		{"NotIn", makePod("p", "", "", required(expr("disk", corev1.NodeSelectorOpNotIn, "ssd"))), ssd, miss},
		{"NotIn matches a missing label", makePod("p", "", "", required(expr("gpu", corev1.NodeSelectorOpNotIn, "a100"))), ssd, nil},
		{"Exists", makePod("p", "", "", required(expr("disk", corev1.NodeSelectorOpExists))), ssd, nil},
		{"DoesNotExist", makePod("p", "", "", required(expr("disk", corev1.NodeSelectorOpDoesNotExist))), ssd, miss},
		{"Gt", makePod("p", "", "", required(expr("cores", corev1.NodeSelectorOpGt, "4"))), ssd, nil},
		{"Lt", makePod("p", "", "", required(expr("cores", corev1.NodeSelectorOpLt, "4"))), ssd, miss},
		{"terms are ORed", makePod("p", "", "", required(expr("disk", corev1.NodeSelectorOpIn, "hdd"), expr("cores", corev1.NodeSelectorOpIn, "8"))), ssd, nil},
		{"an empty term matches nothing", makePod("p", "", "", required(corev1.NodeSelectorTerm{})), ssd, miss},
		{"matchFields on the node name", makePod("p", "", "", required(corev1.NodeSelectorTerm{MatchFields: []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: corev1.NodeSelectorOpIn, Values: []string{"n1"}}}})), ssd, nil},
		{"selector and affinity must both match", makePod("p", "", "", withNodeSelector("disk", "hdd"), required(expr("disk", corev1.NodeSelectorOpExists))), ssd, miss},
	})
}

func TestNodePorts(t *testing.T) {
	holder := func(opts ...func(*corev1.Pod)) *NodeInfo {
		return filledNode(makeNode("n1", "2", "4Gi"), makePod("holder", "", "", opts...))
	}
	clash := []string{ReasonNodePorts}
	runFilterCases(t, &NodePorts{}, []filterCase{
		{"no host ports", makePod("p", "", ""), holder(withHostPort(80, "", "")), nil},
		{"same port, protocol defaults to TCP", makePod("p", "", "", withHostPort(80, corev1.ProtocolTCP, "")), holder(withHostPort(80, "", "")), clash},
		{"same port, other protocol", makePod("p", "", "", withHostPort(80, corev1.ProtocolUDP, "")), holder(withHostPort(80, "", "")), nil},
		{"other port", makePod("p", "", "", withHostPort(8080, "", "")), holder(withHostPort(80, "", "")), nil},
		{"different addresses", makePod("p", "", "", withHostPort(80, "", "10.0.0.1")), holder(withHostPort(80, "", "10.0.0.2")), nil},
		{"wildcard against an address", makePod("p", "", "", withHostPort(80, "", "")), holder(withHostPort(80, "", "10.0.0.2")), clash},
		{"address against a wildcard", makePod("p", "", "", withHostPort(80, "", "10.0.0.1")), holder(withHostPort(80, "", "0.0.0.0")), clash},
	})
}

func TestTaintTolerationFilter(t *testing.T) {
	gpu := withTaint("gpu", "true", corev1.TaintEffectNoSchedule)
	tol := func(key string, op corev1.TolerationOperator, value string, effect corev1.TaintEffect) func(*corev1.Pod) {
		return withToleration(corev1.Toleration{Key: key, Operator: op, Value: value, Effect: effect})
	}
	runFilterCases(t, TaintToleration{}, []filterCase{
		{"no taints", makePod("p", "", ""), plainNode(), nil},
		{"untolerated NoSchedule", makePod("p", "", ""), plainNode(gpu), []string{"node(s) had untolerated taint {gpu: true}"}},
		{"untolerated NoExecute", makePod("p", "", ""), plainNode(withTaint("dedicated", "db", corev1.TaintEffectNoExecute)), []string{"node(s) had untolerated taint {dedicated: db}"}},
		{"PreferNoSchedule does not filter", makePod("p", "", ""), plainNode(withTaint("spot", "", corev1.TaintEffectPreferNoSchedule)), nil},
		{"Equal with the same value", makePod("p", "", "", tol("gpu", corev1.TolerationOpEqual, "true", corev1.TaintEffectNoSchedule)), plainNode(gpu), nil},
		{"no operator means Equal", makePod("p", "", "", tol("gpu", "", "true", "")), plainNode(gpu), nil},
		{"Equal with another value", makePod("p", "", "", tol("gpu", corev1.TolerationOpEqual, "false", "")), plainNode(gpu), []string{"node(s) had untolerated taint {gpu: true}"}},
		{"Exists ignores the value", makePod("p", "", "", tol("gpu", corev1.TolerationOpExists, "", corev1.TaintEffectNoSchedule)), plainNode(gpu), nil},
		{"other effect", makePod("p", "", "", tol("gpu", corev1.TolerationOpExists, "", corev1.TaintEffectNoExecute)), plainNode(gpu), []string{"node(s) had untolerated taint {gpu: true}"}},
		{"empty key with Exists tolerates everything", makePod("p", "", "", tol("", corev1.TolerationOpExists, "", "")), plainNode(gpu, cordoned, withReady(corev1.ConditionFalse)), nil},
		{"not ready reads as the not-ready taint", makePod("p", "", ""), plainNode(withReady(corev1.ConditionFalse)), []string{"node(s) had untolerated taint {node.kubernetes.io/not-ready: }"}},
		{"unknown readiness reads as unreachable", makePod("p", "", ""), plainNode(withReady(corev1.ConditionUnknown)), []string{"node(s) had untolerated taint {node.kubernetes.io/unreachable: }"}},
		{"the default NoExecute toleration does not cover NoSchedule", makePod("p", "", "", tol(corev1.TaintNodeNotReady, corev1.TolerationOpExists, "", corev1.TaintEffectNoExecute)), plainNode(withReady(corev1.ConditionFalse)), []string{"node(s) had untolerated taint {node.kubernetes.io/not-ready: }"}},
		{"a real not-ready taint is not doubled", makePod("p", "", "", tol(corev1.TaintNodeNotReady, corev1.TolerationOpExists, "", "")), plainNode(withReady(corev1.ConditionFalse), withTaint(corev1.TaintNodeNotReady, "", corev1.TaintEffectNoSchedule)), nil},
	})
}

func TestNodeResourcesFitFilter(t *testing.T) {
	busy := func(opts ...func(*corev1.Node)) *NodeInfo {
		// 2 cores, 4Gi; 1.5 cores and 3Gi requested.
		return filledNode(makeNode("n1", "2", "4Gi", opts...), makePod("a", "1", "2Gi"), makePod("b", "500m", "1Gi"))
	}
	runFilterCases(t, &NodeResourcesFit{}, []filterCase{
		{"fits exactly", makePod("p", "500m", "1Gi"), busy(), nil},
		{"too much cpu", makePod("p", "600m", "1Gi"), busy(), []string{ReasonInsufficientCPU}},
		{"too much memory", makePod("p", "100m", "2Gi"), busy(), []string{ReasonInsufficientMem}},
		{"too much of both", makePod("p", "1", "2Gi"), busy(), []string{ReasonInsufficientCPU, ReasonInsufficientMem}},
		{"no requests fit a full node", makePod("p", "", ""), filledNode(makeNode("n1", "1", "1Gi"), makePod("a", "1", "1Gi")), nil},
		{"no pod slot left", makePod("p", "", ""), busy(withPodSlots("2")), []string{ReasonTooManyPods}},
		{"no slot and no cpu", makePod("p", "1", ""), busy(withPodSlots("2")), []string{ReasonTooManyPods, ReasonInsufficientCPU}},
	})
}
