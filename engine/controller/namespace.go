package controller

import (
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/watch"
)

// namespaces is the namespace controller: it deletes everything in a
// Terminating namespace and, once nothing is left, the namespace itself.
type namespaces struct{ *Manager }

// installNamespaces registers the namespace controller. It acts as a
// namespace becomes Terminating (Inline), and looks again a second later
// while pods are still terminating.
func installNamespaces(m *Manager) {
	m.Register(Controller{Name: "namespace-controller", Inline: true, Reconciler: namespaces{m}, Watches: []Watch{{
		Object: &corev1.Namespace{},
		Filter: func(ev store.Event) (string, bool) {
			o := ev.Object.(*corev1.Namespace)
			return "namespace terminating → delete its contents", o.DeletionTimestamp != nil && ev.Type == watch.Modified
		},
		Keys: ownKey,
	}}})
}

// Reconcile empties the namespace key names.
func (m namespaces) Reconcile(key Key) Result {
	ns := key.Name
	left := 0
	for _, res := range apiserver.Resources() {
		if !res.Namespaced {
			continue
		}
		for _, obj := range m.api.List(res, ns) {
			left++
			om, _ := meta.Accessor(obj)
			if om.GetDeletionTimestamp() != nil || res.Kind == "Event" {
				continue
			}
			m.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: res, Namespace: ns, Name: om.GetName(),
				Why: "namespace " + ns + " is terminating"})
		}
	}
	if left == 0 || m.onlyEvents(ns) {
		for _, obj := range m.api.List(resEvents, ns) {
			m.st.Delete(apiserver.KeyOf(obj))
		}
		m.api.RemoveNamespace(ns)
		return Result{}
	}
	return Result{RequeueAfter: secondRetry, Why: "namespace " + ns + " not empty yet"}
}

func (m namespaces) onlyEvents(ns string) bool {
	for _, res := range apiserver.Resources() {
		if res.Namespaced && res.Kind != "Event" && len(m.api.List(res, ns)) > 0 {
			return false
		}
	}
	return true
}
