package framework

import (
	"reflect"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/schedmsg"
)

// TestFailureMessagesReadBack: what the embedded scheduler writes in a
// FailedScheduling event reads back (schedmsg, which the front ends use
// on a real cluster's messages too) as the reasons it counted per node.
func TestFailureMessagesReadBack(t *testing.T) {
	statuses := map[string]*Status{
		"node-1": {Reasons: []string{"Insufficient cpu"}},
		"node-2": {Reasons: []string{"Insufficient cpu", "Insufficient memory"}},
		"node-3": {Reasons: []string{"node(s) had untolerated taint {dedicated: db}"}},
	}
	msg := FitErrorMessage(3, statuses, "") + " preemption: " + FitErrorMessage(3, nil, msgPreemptionNoHelp)
	got, ok := schedmsg.Parse(msg)
	want := schedmsg.FitError{Nodes: 3, Reasons: []schedmsg.ReasonCount{{Count: 1, Reason: "Insufficient memory"},
		{Count: 1, Reason: "node(s) had untolerated taint {dedicated: db}"}, {Count: 2, Reason: "Insufficient cpu"}},
		Preemption: &schedmsg.FitError{Nodes: 3, Reasons: []schedmsg.ReasonCount{{Count: 3, Reason: msgPreemptionNoHelp}}}}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(%q)\n got %+v, %v\nwant %+v", msg, got, ok, want)
	}
	r := Result{Filtered: statuses}
	if w, fw := got.Why(), FormatWhy(r); !strings.HasPrefix(w, fw) {
		t.Errorf("read back: %q\nthe embedded scheduler's own why: %q", w, fw)
	}
	pmsg := PreFilterMessage(3, &Status{Reasons: []string{"pod has unbound immediate PersistentVolumeClaims"}})
	if got, ok := schedmsg.Parse(pmsg); !ok || got.PreFilter != "pod has unbound immediate PersistentVolumeClaims" || got.Preemption == nil {
		t.Errorf("Parse(%q) = %+v, %v", pmsg, got, ok)
	}
	if got, ok := schedmsg.Parse(msgNoNodes); !ok || !got.NoNodes {
		t.Errorf("Parse(%q) = %+v, %v", msgNoNodes, got, ok)
	}
}
