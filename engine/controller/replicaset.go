package controller

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/utils/ptr"
)

// rsController is the name the ReplicaSet controller signs its events with.
const rsController = "replicaset-controller"

// burstReplicas caps the pods one sync creates or deletes, as upstream.
const burstReplicas = 500

// expectations are the creates and deletes a ReplicaSet has asked for but
// not yet seen come back through its watch; until they have, its view of
// the pods is stale and it must not act on it again (upstream's
// ControllerExpectations, keyed by pod name).
type expectations struct {
	creates map[string]struct{}
	deletes map[string]struct{}
}

func (e *expectations) satisfied() bool { return len(e.creates) == 0 && len(e.deletes) == 0 }

// expectationSet holds a controller's expectations by "ns/name" of the
// object that owns the pods.
type expectationSet map[string]*expectations

func (s expectationSet) of(ns, name string) *expectations {
	key := ns + "/" + name
	e := s[key]
	if e == nil {
		e = &expectations{creates: map[string]struct{}{}, deletes: map[string]struct{}{}}
		s[key] = e
	}
	return e
}

// observe lowers the expectations a change of a pod that owner (in the
// pod's namespace) controls fulfils.
func (s expectationSet) observe(ev store.Event, owner string) {
	pod := ev.Object.(*corev1.Pod)
	e := s[pod.Namespace+"/"+owner]
	if e == nil {
		return
	}
	switch {
	case ev.Type == watch.Added:
		delete(e.creates, pod.Name)
	case ev.Type == watch.Deleted || pod.DeletionTimestamp != nil:
		delete(e.deletes, pod.Name)
	}
}

type replicaSets struct {
	m      *Manager
	q      Queue
	expect expectationSet
	// owner is what podKeys hands out for a pod a ReplicaSet owns: one
	// slice, not one per pod change (see Watch.Keys; the one key is read
	// before anything the change leads to can call podKeys again).
	owner [1]Key
}

// installReplicaSets registers the ReplicaSet controller: a ReplicaSet's
// own changes and those of the pods it owns, or could adopt, concern it.
func installReplicaSets(m *Manager) {
	c := &replicaSets{m: m, expect: expectationSet{}}
	c.q = m.Register(Controller{Name: rsController, Order: 50, Reconciler: c, Watches: []Watch{
		{Object: &appsv1.ReplicaSet{}, Keys: ownKey},
		{Object: &corev1.Pod{}, Filter: podChanged, Keys: c.podKeys},
	}})
}

// podKeys are the ReplicaSets a pod change concerns: its owner, or, for
// an orphan, every ReplicaSet of its namespace (one may adopt it).
func (c *replicaSets) podKeys(ev store.Event) []Key {
	c.observePod(ev)
	o := ev.Object.(*corev1.Pod)
	if ref := metav1.GetControllerOfNoCopy(o); ref != nil && ref.Kind == "ReplicaSet" {
		c.owner[0] = Key{Namespace: o.Namespace, Name: ref.Name}
		return c.owner[:]
	}
	if ev.Type == watch.Deleted {
		return nil
	}
	var keys []Key
	for _, obj := range c.m.api.List(resReplicaSets, o.Namespace) {
		keys = append(keys, Key{Namespace: o.Namespace, Name: obj.(*appsv1.ReplicaSet).Name})
	}
	return keys
}

// observePod lowers the expectations a pod change fulfils.
func (c *replicaSets) observePod(ev store.Event) {
	pod := ev.Object.(*corev1.Pod)
	if ref := metav1.GetControllerOfNoCopy(pod); ref != nil && ref.Kind == "ReplicaSet" {
		c.expect.observe(ev, ref.Name)
	}
}

// Reconcile is the ReplicaSet controller's syncReplicaSet.
func (c *replicaSets) Reconcile(key Key) Result {
	m := c.m
	rs, ok := liveOwner[*appsv1.ReplicaSet](m, resReplicaSets, key, c.expect)
	if !ok {
		return Result{}
	}
	selector, err := metav1.LabelSelectorAsSelector(rs.Spec.Selector)
	if err != nil {
		return Result{}
	}
	// The pods' counts come from the tally the store keeps up to date:
	// walking every pod on every sync would make n pods cost n².
	adopted := c.adoptOrphans(rs, selector)
	tally := c.m.tallies[string(rs.UID)]
	if tally == nil {
		tally = &podTally{}
	}
	if len(adopted) > 0 {
		tally = tally.clone()
		for _, p := range adopted {
			tally.add(p, 1)
		}
	}

	e := c.expect.of(key.Namespace, key.Name)
	if e.satisfied() && rs.DeletionTimestamp == nil {
		c.manage(rs, tally.active, func() []*corev1.Pod { return c.activePods(rs, adopted) }, e)
	}
	c.updateStatus(rs, tally)
	return Result{}
}

// activePods lists the ReplicaSet's active pods and the orphans it is
// adopting, in no particular order: podsToDelete ranks them by a total
// order of its own.
func (c *replicaSets) activePods(rs *appsv1.ReplicaSet, adopted []*corev1.Pod) []*corev1.Pod {
	var active []*corev1.Pod
	for _, o := range c.m.st.ByIndexAnyOrder(apiserver.PrefixOf(resPods), IndexOwner, string(rs.UID)) {
		if p := o.(*corev1.Pod); isActive(p) {
			active = append(active, p)
		}
	}
	return append(active, adopted...)
}

// adoptOrphans claims active pods in the namespace with no controller whose
// labels match the selector, as the ReplicaSet's ControllerRefManager does.
func (c *replicaSets) adoptOrphans(rs *appsv1.ReplicaSet, selector labels.Selector) []*corev1.Pod {
	var adopted []*corev1.Pod
	if selector.Empty() {
		return nil
	}
	for _, o := range c.m.st.ByIndex(apiserver.PrefixOf(resPods), IndexOwner, "") {
		p := o.(*corev1.Pod)
		if p.Namespace != rs.Namespace || !isActive(p) || !selector.Matches(labels.Set(p.Labels)) {
			continue
		}
		p = p.DeepCopy()
		p.OwnerReferences = append(p.OwnerReferences, *metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet")))
		c.m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: p,
			Why: fmt.Sprintf("adopt orphan: its labels match the selector of replicaset %s", rs.Name)})
		adopted = append(adopted, p)
	}
	return adopted
}

// manage creates or deletes pods until have (the active pods) is what the
// ReplicaSet wants; active lists them, only when some must go.
func (c *replicaSets) manage(rs *appsv1.ReplicaSet, have int, active func() []*corev1.Pod, e *expectations) {
	want := int(ptr.Deref(rs.Spec.Replicas, 1))
	diff := have - want
	switch {
	case diff < 0:
		n := min(-diff, burstReplicas)
		why := fmt.Sprintf("want %d, have %d → create %d", want, have, n)
		c.createSlowStart(rs, n, e, why)
	case diff > 0:
		n := min(diff, burstReplicas)
		victims := podsToDelete(active(), n)
		why := fmt.Sprintf("want %d, have %d → delete %d", want, have, n)
		for _, p := range victims {
			c.m.deletePod(rs, rsController, p, why, e)
		}
	}
}

// createSlowStart creates n pods in slow-start batches (slowStart).
func (c *replicaSets) createSlowStart(rs *appsv1.ReplicaSet, n int, e *expectations, why string) {
	slowStart(n, func(_ int, done func(bool)) {
		c.m.createPod(rs, rsController, newPod(rs, c.m), why, e, done)
	}, func() {
		// The remaining creates of this sync will not happen; let the
		// next sync see the shortfall and try again.
		c.q.AddAfter(Key{Namespace: rs.Namespace, Name: rs.Name}, time.Second, "retry failed creates")
	})
}

// newPod builds a pod from the ReplicaSet's template, named as the
// apiserver would name it from generateName.
func newPod(rs *appsv1.ReplicaSet, m *Manager) *corev1.Pod {
	return PodOf(rs, rs.Name+"-"+apiserver.NameSuffix(m.k, rs.Namespace, rs.Spec.Template.Labels))
}

// PodOf is the pod named name that a ReplicaSet's controller makes from
// its template: also how the cluster's installer ships an add-on's.
func PodOf(rs *appsv1.ReplicaSet, name string) *corev1.Pod {
	t := rs.Spec.Template
	return &corev1.Pod{
		TypeMeta: metav1.TypeMeta{Kind: "Pod", APIVersion: "v1"},
		ObjectMeta: metav1.ObjectMeta{
			Name:         name,
			GenerateName: rs.Name + "-",
			Namespace:    rs.Namespace,
			// Shared with the template: stored objects are never changed
			// in place, and a copy per pod is 400 bytes of every pod.
			Labels:          t.Labels,
			Annotations:     t.Annotations,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))},
		},
		Spec: *t.Spec.DeepCopy(),
	}
}

func copyMap(in map[string]string) map[string]string {
	if in == nil {
		return nil
	}
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}

// podsToDelete ranks pods as upstream's ActivePods ordering does and picks
// the first n: unscheduled before scheduled, pending before running, not
// ready before ready, ready for less time before longer, more restarts
// before fewer, newer before older. Each pod's rank is read once, not at
// every comparison: scaling down a ReplicaSet of 100,000 pods ranks them
// all for every batch of deletes.
func podsToDelete(pods []*corev1.Pod, n int) []*corev1.Pod {
	type rank struct {
		pod                 *corev1.Pod
		scheduled, ready    bool
		phase               int
		readySince, created time.Time
		restarts            int32
	}
	phaseRank := map[corev1.PodPhase]int{corev1.PodPending: 0, corev1.PodUnknown: 1, corev1.PodRunning: 2}
	ranked := make([]rank, len(pods))
	for i, p := range pods {
		ranked[i] = rank{pod: p, scheduled: p.Spec.NodeName != "", ready: podutilReady(p), phase: phaseRank[p.Status.Phase],
			readySince: readySince(p), created: p.CreationTimestamp.Time, restarts: restarts(p)}
	}
	// A total order (names are unique), so an unstable sort picks the same.
	slices.SortFunc(ranked, func(a, b rank) int {
		switch {
		case a.scheduled != b.scheduled:
			return boolOrder(!a.scheduled)
		case a.phase != b.phase:
			return cmp.Compare(a.phase, b.phase)
		case a.ready != b.ready:
			return boolOrder(!a.ready)
		case a.ready && !a.readySince.Equal(b.readySince):
			return b.readySince.Compare(a.readySince)
		case a.restarts != b.restarts:
			return cmp.Compare(b.restarts, a.restarts)
		case !a.created.Equal(b.created):
			return b.created.Compare(a.created)
		}
		return cmp.Compare(a.pod.Name, b.pod.Name)
	})
	out := make([]*corev1.Pod, n)
	for i := range out {
		out[i] = ranked[i].pod
	}
	return out
}

// boolOrder is -1 when first comes first, else 1.
func boolOrder(first bool) int {
	if first {
		return -1
	}
	return 1
}

func (c *replicaSets) updateStatus(rs *appsv1.ReplicaSet, pods *podTally) {
	available, waitForAvailable := pods.available(rs.Spec.MinReadySeconds, c.m.k.Now())
	st := appsv1.ReplicaSetStatus{Replicas: int32(pods.active), ObservedGeneration: rs.Generation, Conditions: rs.Status.Conditions,
		FullyLabeledReplicas: int32(pods.fullyLabeled(labels.SelectorFromSet(rs.Spec.Template.Labels))),
		ReadyReplicas:        int32(pods.ready), AvailableReplicas: int32(available)}
	if waitForAvailable > 0 {
		c.q.AddAfter(Key{Namespace: rs.Namespace, Name: rs.Name}, waitForAvailable, "minReadySeconds elapse")
	}
	if equalRSStatus(rs.Status, st) {
		return
	}
	// A status write replaces only the status: a shallow copy will do.
	updated := *rs
	updated.Status = st
	updated.ResourceVersion = "" // status writes are patches: no precondition
	c.m.submit(apiserver.Request{Verb: sim.VerbUpdateStatus, Object: &updated,
		Why: fmt.Sprintf("status: %d replicas, %d ready, %d available", st.Replicas, st.ReadyReplicas, st.AvailableReplicas)})
}

func equalRSStatus(a, b appsv1.ReplicaSetStatus) bool {
	return a.Replicas == b.Replicas && a.FullyLabeledReplicas == b.FullyLabeledReplicas && a.ReadyReplicas == b.ReadyReplicas &&
		a.AvailableReplicas == b.AvailableReplicas && a.ObservedGeneration == b.ObservedGeneration
}
