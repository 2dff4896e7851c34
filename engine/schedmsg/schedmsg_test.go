package schedmsg

import (
	"reflect"
	"testing"
)

// TestParse reads FailedScheduling messages as upstream's
// FitError.Error() (pkg/scheduler/framework/types.go, v1.33: "0/X nodes
// are available: <PreFilterMsg>. <FilterMsg>. <PostFilterMsg>") and
// DefaultPreemption write them, the way a real cluster's events and
// PodScheduled conditions carry them.
func TestParse(t *testing.T) {
	pre := func(r ...ReasonCount) *FitError { return &FitError{Nodes: 3, Reasons: r} }
	tests := []struct {
		name string
		msg  string
		want FitError
		why  string
	}{{
		name: "kind: a control-plane taint and no room on the workers",
		msg:  "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
		want: FitError{Nodes: 3, Reasons: []ReasonCount{{1, "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"}, {2, "Insufficient cpu"}},
			Preemption: pre(ReasonCount{1, "Preemption is not helpful for scheduling"}, ReasonCount{2, "No preemption victims found for incoming pod"})},
		why: "0/3 nodes fit: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu; preemption: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod",
	}, {
		name: "a node may give two reasons: counts add up to more than the nodes",
		msg:  "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
		want: FitError{Nodes: 1, Reasons: []ReasonCount{{1, "Insufficient cpu"}, {1, "Insufficient memory"}},
			Preemption: &FitError{Nodes: 1, Reasons: []ReasonCount{{1, "No preemption victims found for incoming pod"}}}},
		why: "0/1 nodes fit: 1 Insufficient cpu, 1 Insufficient memory; preemption: 1 No preemption victims found for incoming pod",
	}, {
		name: "counts of two digits sort as strings",
		msg:  "0/12 nodes are available: 10 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.",
		want: FitError{Nodes: 12, Reasons: []ReasonCount{{10, "node(s) were unschedulable"}, {2, "node(s) didn't match Pod's node affinity/selector"}},
			Preemption: &FitError{Nodes: 12, Reasons: []ReasonCount{{12, "Preemption is not helpful for scheduling"}}}},
		why: "0/12 nodes fit: 10 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector; preemption: 12 Preemption is not helpful for scheduling",
	}, {
		name: "a PreFilter plugin turned the pod away: its reason once, not counted",
		msg:  "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
		want: FitError{Nodes: 3, PreFilter: "pod has unbound immediate PersistentVolumeClaims",
			Preemption: pre(ReasonCount{3, "Preemption is not helpful for scheduling"})},
		why: "0/3 nodes fit: pod has unbound immediate PersistentVolumeClaims; preemption: 3 Preemption is not helpful for scheduling",
	}, {
		name: "preemptionPolicy Never: the dry run says a sentence",
		msg:  "0/3 nodes are available: 3 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
		want: FitError{Nodes: 3, Reasons: []ReasonCount{{3, "Insufficient cpu"}}, PreemptionText: "not eligible due to preemptionPolicy=Never."},
		why:  "0/3 nodes fit: 3 Insufficient cpu; preemption: not eligible due to preemptionPolicy=Never",
	}, {
		name: "before DefaultPreemption wrote into the message (v1.22 and earlier)",
		msg:  "0/3 nodes are available: 3 Insufficient memory.",
		want: FitError{Nodes: 3, Reasons: []ReasonCount{{3, "Insufficient memory"}}},
		why:  "0/3 nodes fit: 3 Insufficient memory",
	}, {
		name: "no node at all",
		msg:  "no nodes available to schedule pods",
		want: FitError{NoNodes: true},
		why:  "no nodes in the cluster",
	}, {
		name: "a reason with a comma of its own stays whole",
		msg:  "0/2 nodes are available: 1 node(s) didn't satisfy plugin(s) [NodeAffinity, TaintToleration], 1 Too many pods.",
		want: FitError{Nodes: 2, Reasons: []ReasonCount{{1, "node(s) didn't satisfy plugin(s) [NodeAffinity, TaintToleration]"}, {1, "Too many pods"}}},
		why:  "0/2 nodes fit: 1 node(s) didn't satisfy plugin(s) [NodeAffinity, TaintToleration], 1 Too many pods",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Parse(tt.msg)
			if !ok {
				t.Fatalf("Parse(%q) not ok", tt.msg)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.msg, got, tt.want)
			}
			if w := got.Why(); w != tt.why {
				t.Errorf("Why()\n got %q\nwant %q", w, tt.why)
			}
		})
	}
}

// TestParseRefuses: what the scheduler's events say besides a
// FitError is not read as one.
func TestParseRefuses(t *testing.T) {
	for _, msg := range []string{
		`running PreBind plugin "VolumeBinding": binding volumes: timed out waiting for the condition`,
		`Operation cannot be fulfilled on pods/binding "web-1": pod web-1 is already assigned to node "node-2"`,
		`0/x nodes are available: 3 Insufficient cpu.`,
		`skip schedule deleting pod: default/web-1`,
		``,
	} {
		if f, ok := Parse(msg); ok {
			t.Errorf("Parse(%q) = %+v, ok; want not ok", msg, f)
		}
	}
}
