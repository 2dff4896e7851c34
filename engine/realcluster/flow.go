package realcluster

import (
	"strconv"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// This file rebuilds the flow from what a real cluster tells: a watch
// event says an object was written, and its managedFields say who wrote
// it (kube-controller-manager, kube-scheduler, kubelet); that write is an
// observed hop from that component to the apiserver. That the apiserver
// wrote etcd first nobody tells, but it must have: an inferred hop.

var apiserverComponent = sim.Component(sim.KindAPIServer)

// Component is the component a managedFields manager stands for: the
// names the control plane's binaries write under, kubectl's, and
// kubeplay's own; anyone else is a client.
func Component(manager string, pod *corev1.Pod) sim.Component {
	switch {
	case manager == "kube-controller-manager":
		return sim.Component(sim.KindControllerManager)
	case manager == "kube-scheduler":
		return sim.Component(sim.KindScheduler)
	case manager == "kubelet" || manager == "kwok":
		// KWOK plays every node's kubelet on a test control plane.
		if pod != nil && pod.Spec.NodeName != "" {
			return sim.KindKubelet.On(pod.Spec.NodeName)
		}
		return sim.Component(sim.KindKubelet)
	case manager == FieldManager || strings.HasPrefix(manager, "kubectl"):
		return sim.Component(sim.KindKubectl)
	}
	return sim.Component(sim.KindClient)
}

// writer is the managedFields entry of the write that made obj out of old
// (nil: obj was created): the entry whose fields or time changed, the
// latest when several did. Timestamps have a second's resolution, so a
// changed field set counts first.
func writer(old, obj runtime.Object) (metav1.ManagedFieldsEntry, bool) {
	m, err := meta.Accessor(obj)
	if err != nil {
		return metav1.ManagedFieldsEntry{}, false
	}
	entries := m.GetManagedFields()
	var before []metav1.ManagedFieldsEntry
	if old != nil {
		if om, err := meta.Accessor(old); err == nil {
			before = om.GetManagedFields()
		}
	}
	var best *metav1.ManagedFieldsEntry
	for i := range entries {
		e := &entries[i]
		if changedEntry(e, before) && (best == nil || later(e, best)) {
			best = e
		}
	}
	if best == nil {
		for i := range entries {
			if best == nil || later(&entries[i], best) {
				best = &entries[i]
			}
		}
	}
	if best == nil {
		return metav1.ManagedFieldsEntry{}, false
	}
	return *best, true
}

// changedEntry reports whether e is new or differs from its counterpart
// (same manager, operation and subresource) in before.
func changedEntry(e *metav1.ManagedFieldsEntry, before []metav1.ManagedFieldsEntry) bool {
	for i := range before {
		b := &before[i]
		if b.Manager == e.Manager && b.Operation == e.Operation && b.Subresource == e.Subresource {
			return !equality.Semantic.DeepEqual(b.FieldsV1, e.FieldsV1) || !b.Time.Equal(e.Time)
		}
	}
	return true
}

func later(a, b *metav1.ManagedFieldsEntry) bool {
	if a.Time == nil || b.Time == nil {
		return a.Time != nil
	}
	return b.Time.Before(a.Time)
}

// writtenHop is the observed hop of the write a watch event tells of:
// from the component that wrote it to the apiserver. A write of
// kubeplay's own is the request's hop already: that one is internal.
func writtenHop(res *apiserver.Resource, old, obj runtime.Object) sim.Hop {
	own := false
	m, _ := meta.Accessor(obj)
	pod, _ := obj.(*corev1.Pod)
	verb := sim.VerbCreate
	if old != nil {
		verb = sim.VerbUpdate
	}
	from := sim.Component(sim.KindClient)
	why := "watch event"
	if e, ok := writer(old, obj); ok {
		from = Component(e.Manager, pod)
		// kubeplay's own write: its request is a hop already.
		own = e.Manager == FieldManager
		why = "managedFields: " + e.Manager
		switch {
		case e.Subresource == "status" && old != nil:
			verb = sim.VerbUpdateStatus
		case e.Subresource == "binding":
			verb = sim.VerbBind
		case e.Operation == metav1.ManagedFieldsOperationApply:
			verb = sim.VerbPatch
		}
		if e.Subresource != "" {
			why += " (" + e.Subresource + ")"
		}
	}
	evidence := sim.Observed
	object := objectName(res, m.GetName())
	if old != nil && m.GetDeletionTimestamp() != nil {
		om, _ := meta.Accessor(old)
		if om.GetDeletionTimestamp() == nil {
			// A delete request changes no managedFields: who sent it no
			// field says. kubeplay's own is its request's hop (the caller
			// marks it); an object with a controller is deleted by the
			// controller-manager (its controller scaling down, or the
			// garbage collector), most likely — inferred; else a client.
			verb, why, evidence = sim.VerbDelete, "deletionTimestamp set; who asked, no field says", sim.Inferred
			from, own = sim.Component(sim.KindClient), false
			if metav1.GetControllerOfNoCopy(m) != nil {
				from = sim.Component(sim.KindControllerManager)
				why = "deletionTimestamp set; who asked, no field says: its controller, in the controller-manager, most likely"
			}
		}
	}
	if op, _ := old.(*corev1.Pod); pod != nil && op != nil && op.DeletionTimestamp != nil && pod.DeletionTimestamp != nil &&
		pod.Spec.NodeName != "" && !anyEntryChanged(op, pod) {
		// A write to a pod being deleted that no managedFields entry
		// shows: its kubelet's last delete (grace period 0) setting
		// deletionGracePeriodSeconds before the pod goes. Inferred.
		from, verb, evidence, own = sim.KindKubelet.On(pod.Spec.NodeName), sim.VerbDelete, sim.Inferred, false
		why = "deletionGracePeriodSeconds " + grace(pod) + ": the kubelet's last delete, no field says so"
	}
	if pod != nil && old != nil && verb == sim.VerbUpdate {
		// The scheduler's binding shows as spec.nodeName set.
		if op, _ := old.(*corev1.Pod); op != nil && op.Spec.NodeName == "" && pod.Spec.NodeName != "" {
			verb, from = sim.VerbBind, sim.Component(sim.KindScheduler)
		}
	}
	if pod != nil && verb == sim.VerbBind && pod.Spec.NodeName != "" {
		object += " → " + pod.Spec.NodeName // as the embedded scheduler's bind hop names it
	}
	if ev, ok := obj.(*corev1.Event); ok {
		if src := eventSource(ev); src != sim.Component(sim.KindClient) {
			from = src // names the node, where managedFields name only kubelet
		}
		why = eventWhy(ev)
	}
	if changes := conditionChanges(old, obj); changes != "" {
		why += "; conditions: " + changes
	}
	if msg, ok := newlyUnschedulable(old, obj); ok {
		// The scheduler's why, as the embedded scheduler's hop says it.
		why = "unschedulable: " + msg + "; " + why
	}
	return sim.Hop{From: from, To: apiserverComponent, Verb: verb, Object: object,
		Summary: why, Evidence: evidence, Internal: own}
}

// eventWhy is what an Event says, for its hop: "Event Scheduled:
// Successfully assigned default/web-1 to node-1".
func eventWhy(ev *corev1.Event) string {
	return "Event " + ev.Reason + ": " + ev.Message
}

// eventSource is the component an Event's reporter stands for, when its
// managedFields say nothing (events of the older API carry source only).
func eventSource(ev *corev1.Event) sim.Component {
	src := ev.ReportingController
	if src == "" {
		src = ev.Source.Component
	}
	switch {
	case src == "default-scheduler" || strings.HasSuffix(src, "scheduler"):
		return sim.Component(sim.KindScheduler)
	case src == "kubelet" || strings.HasSuffix(src, "/kubelet"):
		if host := ev.Source.Host; host != "" {
			return sim.KindKubelet.On(host)
		}
		if host := ev.ReportingInstance; host != "" {
			return sim.KindKubelet.On(host)
		}
		return sim.Component(sim.KindKubelet)
	case strings.HasSuffix(src, "-controller") || strings.HasPrefix(src, "kube-controller-manager"):
		return sim.Component(sim.KindControllerManager)
	}
	return sim.Component(sim.KindClient)
}

// conditionChanges are a pod's condition transitions between two
// versions: "Ready → True, ContainersReady → True".
func conditionChanges(old, obj runtime.Object) string {
	p, ok := obj.(*corev1.Pod)
	if !ok {
		return ""
	}
	was := map[corev1.PodConditionType]corev1.ConditionStatus{}
	if op, ok := old.(*corev1.Pod); ok && op != nil {
		for _, c := range op.Status.Conditions {
			was[c.Type] = c.Status
		}
	}
	var changes []string
	for _, c := range p.Status.Conditions {
		if was[c.Type] != c.Status {
			changes = append(changes, string(c.Type)+" → "+string(c.Status))
		}
	}
	return strings.Join(changes, ", ")
}

// newlyUnschedulable is the message of a pod's PodScheduled condition
// when this write made it Unschedulable or changed its message: the
// scheduler's FailedScheduling message.
func newlyUnschedulable(old, obj runtime.Object) (string, bool) {
	msg := func(o runtime.Object) string {
		p, ok := o.(*corev1.Pod)
		if !ok || p == nil {
			return ""
		}
		for _, c := range p.Status.Conditions {
			if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable {
				return c.Message
			}
		}
		return ""
	}
	now := msg(obj)
	return now, now != "" && now != msg(old)
}

// deletedHop is the observed removal of an object a watch tells of.
func deletedHop(res *apiserver.Resource, obj runtime.Object) sim.Hop {
	m, _ := meta.Accessor(obj)
	return sim.Hop{From: apiserverComponent, To: sim.Component(sim.KindEtcd), Verb: sim.VerbDelete,
		Object: apiserver.KeyOf(obj), Summary: "watch event: " + objectName(res, m.GetName()) + " deleted", Evidence: sim.Observed}
}

// kubeletDeleteHop is the last delete of a pod its kubelet stopped, which
// a watch tells only as the pod gone: a pod bound to a node and deleted
// gracefully is removed by that node's kubelet (grace period 0) once its
// containers have stopped. Nobody says so: inferred.
func kubeletDeleteHop(obj runtime.Object) (sim.Hop, bool) {
	pod, ok := obj.(*corev1.Pod)
	if !ok || pod.Spec.NodeName == "" || pod.DeletionTimestamp == nil {
		return sim.Hop{}, false
	}
	return sim.Hop{From: sim.KindKubelet.On(pod.Spec.NodeName), To: apiserverComponent, Verb: sim.VerbDelete,
		Object: "pods/" + pod.Name, Summary: "containers stopped → remove the pod (the watch tells only that it is gone)", Evidence: sim.Inferred}, true
}

// etcdHop is the apiserver's write to etcd that a watch event proves.
func etcdHop(res *apiserver.Resource, obj runtime.Object) sim.Hop {
	return sim.Hop{From: apiserverComponent, To: sim.Component(sim.KindEtcd), Verb: sim.VerbPut,
		Object: apiserver.KeyOf(obj), Summary: "resourceVersion " + rv(obj), Evidence: sim.Inferred}
}

// objectName is how hops name an object: "pods/web-1".
func objectName(res *apiserver.Resource, name string) string {
	if name == "" {
		return res.Name // a list
	}
	return res.Name + "/" + name
}

// payload is what a hop carries when the kernel records payloads.
func payload(k *sim.Kernel, obj runtime.Object) any {
	if obj == nil || !k.Payloads() {
		return nil
	}
	return obj.DeepCopyObject()
}

// anyEntryChanged reports whether a managedFields entry of obj is new or
// changed since old.
func anyEntryChanged(old, obj *corev1.Pod) bool {
	for i := range obj.ManagedFields {
		if changedEntry(&obj.ManagedFields[i], old.ManagedFields) {
			return true
		}
	}
	return false
}

func grace(p *corev1.Pod) string {
	if p.DeletionGracePeriodSeconds == nil {
		return "unset"
	}
	return strconv.FormatInt(*p.DeletionGracePeriodSeconds, 10)
}
