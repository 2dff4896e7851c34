package controller

import (
	"github.com/kubeplay/kubeplay/engine/apiserver"

	"k8s.io/apimachinery/pkg/api/meta"
)

// emptyNamespace is the namespace controller: it deletes everything in a
// Terminating namespace and, once nothing is left, the namespace itself.
// It looks again a second later while pods are still terminating.
func (m *Manager) emptyNamespace(ns string) {
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
			m.submit(apiserver.Request{Verb: apiserver.VerbDelete, Resource: res, Namespace: ns, Name: om.GetName(),
				Why: "namespace " + ns + " is terminating"})
		}
	}
	if left == 0 || m.onlyEvents(ns) {
		for _, obj := range m.api.List(resEvents, ns) {
			m.st.Delete(apiserver.KeyOf(obj))
		}
		m.api.RemoveNamespace(ns)
		return
	}
	m.k.After(secondRetry, Name, "namespace "+ns+" not empty yet", func() { m.emptyNamespace(ns) })
}

func (m *Manager) onlyEvents(ns string) bool {
	for _, res := range apiserver.Resources() {
		if res.Namespaced && res.Kind != "Event" && len(m.api.List(res, ns)) > 0 {
			return false
		}
	}
	return true
}
