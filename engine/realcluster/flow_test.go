package realcluster

import (
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

func entry(manager, sub string, at int, fields string) metav1.ManagedFieldsEntry {
	t := metav1.NewTime(time.Date(2026, 1, 1, 0, 0, at, 0, time.UTC))
	return metav1.ManagedFieldsEntry{Manager: manager, Operation: metav1.ManagedFieldsOperationUpdate, Subresource: sub,
		Time: &t, FieldsType: "FieldsV1", FieldsV1: metav1.NewFieldsV1(fields)}
}

// TestWrittenHopNamesWhoWrote: the component of each write is its
// managedFields manager's, the verb what the write did.
func TestWrittenHopNamesWhoWrote(t *testing.T) {
	pods, _ := apiserver.ResourceFor("pods")
	created := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-1", ResourceVersion: "10",
		ManagedFields: []metav1.ManagedFieldsEntry{entry("kube-controller-manager", "", 1, `{"f:spec":{}}`)}}}
	bound := created.DeepCopy()
	bound.Spec.NodeName = "node-2"
	bound.ManagedFields = append(bound.ManagedFields, entry("kube-scheduler", "binding", 1, `{"f:spec":{"f:nodeName":{}}}`))
	scheduled := bound.DeepCopy()
	scheduled.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionTrue}}
	scheduled.ManagedFields = append(scheduled.ManagedFields, entry("kube-scheduler", "status", 1, `{"f:status":{}}`))
	running := scheduled.DeepCopy()
	running.Status.Phase = corev1.PodRunning
	running.Status.Conditions = append(running.Status.Conditions, corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue})
	running.ManagedFields = append(running.ManagedFields, entry("kubelet", "status", 2, `{"f:status":{"f:phase":{}}}`))

	for _, tc := range []struct {
		old, obj runtime.Object
		from     sim.Component
		verb     sim.Verb
		why      string
	}{
		{nil, created, "controller-manager", sim.VerbCreate, "managedFields: kube-controller-manager"},
		{created, bound, "scheduler", sim.VerbBind, "managedFields: kube-scheduler (binding)"},
		{bound, scheduled, "scheduler", sim.VerbUpdateStatus, "managedFields: kube-scheduler (status); conditions: PodScheduled → True"},
		{scheduled, running, "kubelet/node-2", sim.VerbUpdateStatus, "managedFields: kubelet (status); conditions: Ready → True"},
	} {
		h := writtenHop(pods, tc.old, tc.obj)
		object := "pods/web-1"
		if tc.verb == sim.VerbBind {
			object += " → node-2" // as the embedded scheduler names its bind
		}
		if h.From != tc.from || h.Verb != tc.verb || h.Summary != tc.why || h.Evidence != sim.Observed || h.Object != object {
			t.Errorf("got %s %s (%s) %v, want %s %s (%s)", h.From, h.Verb, h.Summary, h.Evidence, tc.from, tc.verb, tc.why)
		}
	}
	if h := etcdHop(pods, running); h.Evidence != sim.Inferred || h.Trace() != "  0.000  apiserver → etcd  put /registry/pods/web-1  (inferred: resourceVersion 10)" {
		t.Errorf("etcd hop %q", h.Trace())
	}
}

func TestEventHopIsItsReporters(t *testing.T) {
	events, _ := apiserver.ResourceFor("events")
	ev := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "web-1.1"}, Reason: "Scheduled",
		Message: "Successfully assigned default/web-1 to node-1", Source: corev1.EventSource{Component: "default-scheduler"}}
	h := writtenHop(events, nil, ev)
	if h.From != "scheduler" || h.Summary != "Event Scheduled: Successfully assigned default/web-1 to node-1" {
		t.Errorf("%s: %s", h.From, h.Summary)
	}
	ev.Source = corev1.EventSource{Component: "kubelet", Host: "node-3"}
	if h := writtenHop(events, nil, ev); h.From != "kubelet/node-3" {
		t.Errorf("a kubelet's event comes from %s", h.From)
	}
}

// TestDeletesNoFieldTellsAreInferred: a delete request changes no
// managedFields, so the deletion of an owned pod is the controller-
// manager's, inferred, and of one without an owner a client's; the
// kubelet's last delete of a pod it stopped, which a watch tells only as
// the pod gone, is inferred too, and there is none for a pod never bound.
func TestDeletesNoFieldTellsAreInferred(t *testing.T) {
	pods, _ := apiserver.ResourceFor("pods")
	yes := true
	running := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-1", ResourceVersion: "10",
		OwnerReferences: []metav1.OwnerReference{{Kind: "ReplicaSet", Name: "web-7", UID: "u", Controller: &yes}},
		ManagedFields:   []metav1.ManagedFieldsEntry{entry("kubelet", "status", 2, `{"f:status":{"f:phase":{}}}`)}},
		Spec: corev1.PodSpec{NodeName: "node-2"}}
	now := metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 5, 0, time.UTC))
	deleting := running.DeepCopy()
	deleting.DeletionTimestamp = &now
	h := writtenHop(pods, running, deleting)
	if h.From != "controller-manager" || h.Verb != sim.VerbDelete || h.Evidence != sim.Inferred || h.Internal {
		t.Errorf("an owned pod's deletion: %s %s %v internal %v (%s)", h.From, h.Verb, h.Evidence, h.Internal, h.Summary)
	}
	orphan, gone := running.DeepCopy(), deleting.DeepCopy()
	orphan.OwnerReferences, gone.OwnerReferences = nil, nil
	if h := writtenHop(pods, orphan, gone); h.From != "client" || h.Evidence != sim.Inferred {
		t.Errorf("an orphan's deletion: %s %v", h.From, h.Evidence)
	}
	if h, ok := kubeletDeleteHop(deleting); !ok || h.From != "kubelet/node-2" || h.Verb != sim.VerbDelete || h.Evidence != sim.Inferred || h.Object != "pods/web-1" {
		t.Errorf("the kubelet's last delete: %v %s", ok, h.Trace())
	}
	unbound := deleting.DeepCopy()
	unbound.Spec.NodeName = ""
	if _, ok := kubeletDeleteHop(unbound); ok {
		t.Error("a kubelet deletes a pod no node ran")
	}
}

// TestUnschedulableHopSaysWhy: the scheduler's status write that makes a
// pod Unschedulable says the scheduler's why as the embedded scheduler's
// hop does ("unschedulable: 0/3 nodes are available: …"), before what
// the watch event showed; the same message again (a retry) adds nothing.
func TestUnschedulableHopSaysWhy(t *testing.T) {
	pods, _ := apiserver.ResourceFor("pods")
	msg := "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
	created := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "big", ResourceVersion: "10",
		ManagedFields: []metav1.ManagedFieldsEntry{entry("kubectl-create", "", 1, `{"f:spec":{}}`)}}}
	failed := created.DeepCopy()
	failed.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable, Message: msg}}
	failed.ManagedFields = append(failed.ManagedFields, entry("kube-scheduler", "status", 2, `{"f:status":{"f:conditions":{}}}`))
	h := writtenHop(pods, created, failed)
	want := "unschedulable: " + msg + "; managedFields: kube-scheduler (status); conditions: PodScheduled → False"
	if h.From != "scheduler" || h.Verb != sim.VerbUpdateStatus || h.Summary != want {
		t.Errorf("got %s %s %q\nwant scheduler update-status %q", h.From, h.Verb, h.Summary, want)
	}
	again := failed.DeepCopy()
	again.ManagedFields[1] = entry("kube-scheduler", "status", 9, `{"f:status":{"f:conditions":{}}}`)
	if h := writtenHop(pods, failed, again); h.Summary != "managedFields: kube-scheduler (status)" {
		t.Errorf("a retry with the same why: %q", h.Summary)
	}
}
