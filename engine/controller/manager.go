// Package controller is kube-controller-manager: level-based reconcilers
// for ReplicaSets, Deployments, StatefulSets, Endpoints, PersistentVolumes and their
// claims, and Namespaces, and the garbage collector, each in its own file
// with its own watches, run on one work queue (reconciler.go). Each reads
// the store as an informer's cache and changes the cluster only through
// requests to the apiserver, so every change is a hop.
package controller

import (
	"maps"
	"reflect"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/metrics"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// Name is the component name of the controller manager in hops.
const Name = sim.Component(sim.KindControllerManager)

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
	// ControllerRevisions keep the templates of DaemonSets and StatefulSets.
	resControllerRevisions, _ = apiserver.ResourceFor("controllerrevisions")
	resDaemonSets, _          = apiserver.ResourceFor("daemonsets")
	resNodes, _               = apiserver.ResourceFor("nodes")
)

// Manager is kube-controller-manager: the controllers, their watches
// and the one work queue they share (reconciler.go).
type Manager struct {
	api         *apiserver.Server
	k           *sim.Kernel
	st          *store.Store
	controllers []*Controller
	byType      map[reflect.Type][]boundWatch
	dirty       map[queueKey]struct{}
	armed       bool
	// busy is until when a key's last sync keeps it (Result.Busy); held
	// are the busy keys that changed since, each with a timer for its end.
	busy map[queueKey]time.Duration
	held map[queueKey]bool
	// inflight are the writes sent but not yet answered, by verb and key:
	// a sync that runs again before its write lands would send it again.
	inflight map[string]runtime.Object
	// tallies count the active pods of each controller, by its UID.
	tallies podTallies
	labels  map[labelKey]string // see defaultLabel
	// metrics is the metrics API (metrics-server) the HPA controller
	// reads; nil: none is served.
	metrics metrics.Reader
}

// SetMetrics gives the controllers the cluster's metrics API.
func (m *Manager) SetMetrics(r metrics.Reader) { m.metrics = r }

// registry installs the controllers the manager runs, each from its own
// file: adding a controller is one line here. Their Order fields, not
// this list, say in which order a pass reconciles their keys; this list
// orders their watches (the first to accept a change names its hop, and
// the garbage collector hears a deletion after the owner's controllers).
var registry = []func(m *Manager){
	installReplicaSets,
	installDeployments,
	installJobs,
	installDaemonSets,
	installTTLAfterFinished,
	installCronJobs,
	installStatefulSets,
	installHPAs,
	installEndpoints,
	installEndpointSlices,
	installEndpointSliceMirroring,
	installPersistentVolumes,
	installNamespaces,
	installGarbageCollector,
}

// New starts the controller manager on api.
func New(api *apiserver.Server) *Manager {
	m := &Manager{api: api, k: api.Kernel(), st: api.Store(), byType: map[reflect.Type][]boundWatch{}, labels: map[labelKey]string{},
		dirty: map[queueKey]struct{}{}, busy: map[queueKey]time.Duration{}, held: map[queueKey]bool{},
		inflight: map[string]runtime.Object{}}
	for _, res := range gcDependents {
		p := apiserver.PrefixOf(res)
		m.st.AddIndex(p, IndexOwner, controllerUID)
		m.st.AddIndex(p, IndexAnyOwner, ownerUIDs)
	}
	m.tallies = podTallies{}
	m.tallies.fill(m.st.List(apiserver.PrefixOf(resPods)))
	m.st.Watch(m.tallies.observe)
	for _, install := range registry {
		install(m)
	}
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

// podChanged is the filter of the controllers' pod watches: kubelet's
// frequent status writes that change nothing a controller counts do not
// reach them as hops.
func podChanged(ev store.Event) (string, bool) {
	if ev.Type == watch.Modified && !podChangeMatters(ev.Old.(*corev1.Pod), ev.Object.(*corev1.Pod)) {
		return "", false
	}
	return "", true
}

// ownKey is the key of the object that changed: the Keys of a
// controller's watch on its own kind.
func ownKey(ev store.Event) []Key {
	m, _ := meta.Accessor(ev.Object)
	return []Key{{Namespace: m.GetNamespace(), Name: m.GetName()}}
}

// podChangeMatters is podChanged's test of an update.
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

// submit sends a request to the apiserver from the controller manager,
// unless the same write is already on its way.
func (m *Manager) submit(req apiserver.Request) {
	key := req.Verb.String() + " "
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
