// Package controller is kube-controller-manager: level-based reconcile
// loops for ReplicaSets, Deployments and Endpoints, and the garbage collector. Each
// loop reads the store as an informer's cache and changes the cluster only
// through requests to the apiserver, so every change is a hop.
package controller

import (
	"maps"
	"sort"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// Name is the component name of the controller manager in hops.
const Name = "controller-manager"

// Index names the manager adds to the store.
const (
	// IndexOwner files pods and ReplicaSets by their controller's UID ("" for
	// orphans).
	IndexOwner = "owner"
	// IndexAnyOwner files objects by every owner's UID, for the garbage
	// collector.
	IndexAnyOwner = "any-owner"
)

// secondRetry is how long a controller waits before looking again at work
// that depends on others finishing theirs.
const secondRetry = time.Second

var (
	resEvents, _      = apiserver.ResourceFor("events")
	resPods, _        = apiserver.ResourceFor("pods")
	resReplicaSets, _ = apiserver.ResourceFor("replicasets")
	resDeployments, _ = apiserver.ResourceFor("deployments")
)

type kind int

const (
	kindReplicaSet kind = iota
	kindDeployment
	kindEndpoints
	kindVolume
	kindClaim
)

type queueKey struct {
	kind      kind
	namespace string
	name      string
}

// Manager runs the controllers on one work queue: a key is reconciled once
// however many changes marked it dirty since its last sync.
type Manager struct {
	api   *apiserver.Server
	k     *sim.Kernel
	st    *store.Store
	dirty map[queueKey]struct{}
	armed bool
	rs    *replicaSets
	dep   *deployments
	// inflight are the writes sent but not yet answered, by verb and key:
	// a sync that runs again before its write lands would send it again.
	inflight map[string]runtime.Object
	// resync are the unbound claims with a resync armed, by "ns/name".
	resync map[string]bool
	// tallies count the active pods of each controller, by its UID.
	tallies podTallies
}

// New starts the controller manager on api.
func New(api *apiserver.Server) *Manager {
	m := &Manager{api: api, k: api.Kernel(), st: api.Store(), dirty: map[queueKey]struct{}{}, inflight: map[string]runtime.Object{}, resync: map[string]bool{}}
	m.rs = &replicaSets{m: m, expect: map[string]*expectations{}}
	m.dep = &deployments{m: m, sameTemplate: map[templatePair]bool{}}
	for _, p := range []string{apiserver.PrefixOf(resPods), apiserver.PrefixOf(resReplicaSets)} {
		m.st.AddIndex(p, IndexOwner, controllerUID)
		m.st.AddIndex(p, IndexAnyOwner, ownerUIDs)
	}
	m.tallies = podTallies{}
	m.tallies.fill(m.st.List(apiserver.PrefixOf(resPods)))
	m.st.Watch(m.tallies.observe)
	api.Watch(apiserver.Watcher{Component: Name, Filter: m.filter, Handle: m.handle})
	return m
}

func controllerUID(obj runtime.Object, dst []string) []string {
	m, _ := meta.Accessor(obj)
	if ref := metav1.GetControllerOfNoCopy(m); ref != nil {
		return append(dst, string(ref.UID))
	}
	return append(dst, "")
}

func ownerUIDs(obj runtime.Object, dst []string) []string {
	m, _ := meta.Accessor(obj)
	for _, r := range m.GetOwnerReferences() {
		dst = append(dst, string(r.UID))
	}
	return dst
}

func (m *Manager) filter(ev store.Event) (string, bool) {
	switch o := ev.Object.(type) {
	case *appsv1.Deployment:
		return "deployment " + ev.Verb(), true
	case *appsv1.ReplicaSet:
		return "replicaset " + ev.Verb(), true
	case *corev1.Service:
		return "service " + ev.Verb(), true
	case *corev1.PersistentVolume:
		return "persistentvolume " + ev.Verb(), true
	case *corev1.PersistentVolumeClaim:
		return "persistentvolumeclaim " + ev.Verb(), true
	case *corev1.Pod:
		if ev.Type == watch.Modified && !podChangeMatters(ev.Old.(*corev1.Pod), o) {
			return "", false
		}
		return "pod " + ev.Verb(), true
	case *corev1.Namespace:
		if o.DeletionTimestamp != nil && ev.Type == watch.Modified {
			return "namespace terminating → delete its contents", true
		}
	}
	if ev.Type == watch.Deleted {
		// The garbage collector watches every deletion for dependents.
		if m.st.IndexLen(apiserver.PrefixOf(resPods), IndexAnyOwner, uidOf(ev.Object)) > 0 ||
			m.st.IndexLen(apiserver.PrefixOf(resReplicaSets), IndexAnyOwner, uidOf(ev.Object)) > 0 {
			return "owner deleted", true
		}
	}
	return "", false
}

// podChangeMatters keeps kubelet's frequent status writes that change
// nothing a controller counts from reaching the controllers as hops.
func podChangeMatters(old, cur *corev1.Pod) bool {
	return podutilReady(old) != podutilReady(cur) || old.Status.Phase != cur.Status.Phase ||
		(old.DeletionTimestamp == nil) != (cur.DeletionTimestamp == nil) ||
		old.Spec.NodeName != cur.Spec.NodeName || !sameOwner(old, cur) || restarts(old) != restarts(cur) ||
		!maps.Equal(old.Labels, cur.Labels) // Services select by label
}

func sameOwner(a, b *corev1.Pod) bool {
	ra, rb := metav1.GetControllerOfNoCopy(a), metav1.GetControllerOfNoCopy(b)
	if ra == nil || rb == nil {
		return ra == rb
	}
	return ra.UID == rb.UID
}

func uidOf(obj runtime.Object) string {
	m, _ := meta.Accessor(obj)
	return string(m.GetUID())
}

func (m *Manager) handle(ev store.Event) {
	switch o := ev.Object.(type) {
	case *appsv1.Deployment:
		m.enqueue(kindDeployment, o.Namespace, o.Name)
	case *appsv1.ReplicaSet:
		m.enqueue(kindReplicaSet, o.Namespace, o.Name)
		if ref := metav1.GetControllerOfNoCopy(o); ref != nil && ref.Kind == "Deployment" {
			m.enqueue(kindDeployment, o.Namespace, ref.Name)
		}
	case *corev1.Namespace:
		if o.DeletionTimestamp != nil && ev.Type != watch.Deleted {
			m.emptyNamespace(o.Name)
		}
	case *corev1.Service:
		m.enqueue(kindEndpoints, o.Namespace, o.Name)
	case *corev1.PersistentVolume:
		m.enqueue(kindVolume, volumeKey, o.Name)
	case *corev1.PersistentVolumeClaim:
		if ev.Type != watch.Deleted {
			m.enqueue(kindClaim, o.Namespace, o.Name)
		} else if o.Spec.VolumeName != "" {
			m.enqueue(kindVolume, volumeKey, o.Spec.VolumeName)
		}
	case *corev1.Pod:
		m.rs.observePod(ev)
		m.claimsOfGonePod(ev, o)
		var old *corev1.Pod
		if ev.Old != nil {
			old = ev.Old.(*corev1.Pod)
		}
		m.servicesSelecting(o, old)
		if ref := metav1.GetControllerOfNoCopy(o); ref != nil && ref.Kind == "ReplicaSet" {
			m.enqueue(kindReplicaSet, o.Namespace, ref.Name)
			if ev.Type == watch.Deleted {
				m.enqueueOwnerDeployment(o.Namespace, ref.Name)
			}
		} else if ev.Type != watch.Deleted {
			// An orphan may be adopted by a ReplicaSet whose selector matches.
			for _, obj := range m.api.List(resReplicaSets, o.Namespace) {
				m.enqueue(kindReplicaSet, o.Namespace, obj.(*appsv1.ReplicaSet).Name)
			}
		}
	}
	if ev.Type == watch.Deleted {
		m.collectGarbage(ev.Object)
	}
}

func (m *Manager) enqueueOwnerDeployment(namespace, rsName string) {
	if obj, err := m.api.Get(resReplicaSets, namespace, rsName); err == nil {
		if ref := metav1.GetControllerOfNoCopy(obj.(*appsv1.ReplicaSet)); ref != nil && ref.Kind == "Deployment" {
			m.enqueue(kindDeployment, namespace, ref.Name)
		}
	}
}

// enqueue marks a key dirty and arms one sync for everything dirty now.
func (m *Manager) enqueue(k kind, namespace, name string) {
	m.dirty[queueKey{k, namespace, name}] = struct{}{}
	if !m.armed {
		m.armed = true
		m.k.After(0, Name, "sync dirty keys", m.sync)
	}
}

// enqueueAfter re-queues a key after d, as a work queue's AddAfter does.
func (m *Manager) enqueueAfter(d time.Duration, k kind, namespace, name, why string) {
	m.k.After(d, Name, why, func() { m.enqueue(k, namespace, name) })
}

func (m *Manager) sync() {
	m.armed = false
	keys := make([]queueKey, 0, len(m.dirty))
	for k := range m.dirty {
		keys = append(keys, k)
	}
	clear(m.dirty)
	// Map order is random; sort so that runs repeat exactly.
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.kind != b.kind {
			return a.kind > b.kind // deployments before their ReplicaSets; endpoints first
		}
		if a.namespace != b.namespace {
			return a.namespace < b.namespace
		}
		return a.name < b.name
	})
	for _, k := range keys {
		switch k.kind {
		case kindReplicaSet:
			m.rs.sync(k.namespace, k.name)
		case kindDeployment:
			m.dep.sync(k.namespace, k.name)
		case kindEndpoints:
			m.syncEndpoints(k.namespace, k.name)
		case kindVolume:
			m.syncVolume(k.name)
		case kindClaim:
			m.syncClaim(k.namespace, k.name)
		}
	}
}

// submit sends a request to the apiserver from the controller manager,
// unless the same write is already on its way.
func (m *Manager) submit(req apiserver.Request) {
	key := req.Verb + " "
	if req.Object != nil {
		key += apiserver.KeyOf(req.Object)
	} else {
		key += req.Resource.Name + "/" + req.Namespace + "/" + req.Name
	}
	if prev, ok := m.inflight[key]; ok && (req.Object == nil || apiequality.Semantic.DeepEqual(prev, req.Object)) {
		return
	}
	m.inflight[key] = req.Object
	done := req.Done
	req.Done = func(obj runtime.Object, err error) {
		delete(m.inflight, key)
		if done != nil {
			done(obj, err)
		}
	}
	m.api.Submit(Name, req)
}

// collectGarbage deletes the dependents of a deleted owner: the garbage
// collector's background cascading deletion.
func (m *Manager) collectGarbage(owner runtime.Object) {
	uid := uidOf(owner)
	for _, res := range []*apiserver.Resource{resReplicaSets, resPods} {
		for _, obj := range m.st.ByIndex(apiserver.PrefixOf(res), IndexAnyOwner, uid) {
			om, _ := meta.Accessor(obj)
			if om.GetDeletionTimestamp() != nil {
				continue
			}
			m.submit(apiserver.Request{Verb: apiserver.VerbDelete, Resource: res, Namespace: om.GetNamespace(), Name: om.GetName(),
				Why: "garbage collector: owner " + nameOf(owner) + " is gone"})
		}
	}
}

func nameOf(obj runtime.Object) string {
	m, _ := meta.Accessor(obj)
	return m.GetName()
}

func podutilReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// readySince is when the pod last became Ready.
func readySince(p *corev1.Pod) time.Time {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return c.LastTransitionTime.Time
		}
	}
	return time.Time{}
}

func restarts(p *corev1.Pod) int32 {
	var n int32
	for _, c := range p.Status.ContainerStatuses {
		n += c.RestartCount
	}
	return n
}

// isActive is controller.IsPodActive: not finished and not being deleted.
func isActive(p *corev1.Pod) bool {
	return p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed && p.DeletionTimestamp == nil
}

// isAvailable is podutil.IsPodAvailable: ready for at least minReadySeconds.
func isAvailable(p *corev1.Pod, minReady int32, now time.Time) bool {
	if !podutilReady(p) {
		return false
	}
	return minReady == 0 || !readySince(p).Add(time.Duration(minReady)*time.Second).After(now)
}
