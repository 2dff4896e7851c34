package backend

import (
	"github.com/kubeplay/kubeplay/engine/apiserver"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// StoreReads answers the reads of Objects from an apiserver and the store
// behind it. Both clusters keep their objects that way — the embedded
// engine in its own etcd stand-in, a real cluster in the mirror its
// watches feed — so both embed it for those methods; Submit, the one
// write, is each cluster's own.
type StoreReads struct{ api *apiserver.Server }

// NewStoreReads reads through api and its store.
func NewStoreReads(api *apiserver.Server) StoreReads { return StoreReads{api} }

// Get reads one object.
func (r StoreReads) Get(res *Resource, namespace, name string) (runtime.Object, error) {
	return r.api.Get(res, namespace, name)
}

// List reads every object of a resource in a namespace ("" for all).
func (r StoreReads) List(res *Resource, namespace string) []runtime.Object {
	return r.api.List(res, namespace)
}

// ByIndex lists the objects of a resource an index maps to value.
func (r StoreReads) ByIndex(res *Resource, index, value string) []runtime.Object {
	return r.api.Store().ByIndex(apiserver.PrefixOf(res), index, value)
}

// ObjectAt is the object stored under an etcd key.
func (r StoreReads) ObjectAt(key string) (runtime.Object, bool) { return r.api.Store().Get(key) }

// EventsFor are the Events about one object.
func (r StoreReads) EventsFor(namespace, uid string) []corev1.Event {
	return r.api.EventsFor(namespace, uid)
}

// Watch calls fn for every change of the store, until stop.
func (r StoreReads) Watch(fn func(Event)) (stop func()) { return r.api.Store().Watch(fn) }

// Revision is the store's latest revision: the embedded engine's
// resourceVersion; for a real cluster, kubeplay's count of the changes its
// mirror has seen, not the cluster's resourceVersion.
func (r StoreReads) Revision() int64 { return r.api.Store().Revision() }
