package controller

import (
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/watch"
)

// garbageCollector deletes the dependents of a deleted owner: the garbage
// collector's background cascading deletion. Its key is the owner that
// is gone, by UID.
type garbageCollector struct{ *Manager }

// installGarbageCollector registers the garbage collector. It watches
// every deletion of an object something depends on, and acts as it
// arrives (Inline). Installed last, it hears a deletion after the owner's
// own controllers.
func installGarbageCollector(m *Manager) {
	gc := garbageCollector{m}
	m.Register(Controller{Name: "garbage-collector", Inline: true, Reconciler: gc, Watches: []Watch{{
		Filter: gc.ownerDeleted,
		Keys: func(ev store.Event) []Key {
			om, _ := meta.Accessor(ev.Object)
			return []Key{{Namespace: om.GetNamespace(), Name: om.GetName(), UID: string(om.GetUID())}}
		},
	}}})
}

func (gc garbageCollector) ownerDeleted(ev store.Event) (string, bool) {
	if ev.Type != watch.Deleted {
		return "", false
	}
	uid := uidOf(ev.Object)
	for _, res := range gcDependents {
		if gc.st.IndexLen(apiserver.PrefixOf(res), IndexAnyOwner, uid) > 0 {
			return "owner deleted", true
		}
	}
	return "", false
}

// gcDependents are the kinds whose objects have owners, indexed by them
// (IndexOwner, IndexAnyOwner), in the order their orphans are deleted;
// claims last, which a StatefulSet's retention policy lets go with the
// set or with a pod scaled away.
var gcDependents = []*apiserver.Resource{resJobs, resReplicaSets, resControllerRevisions, resPods, resPVCs}

// Reconcile deletes what still depends on the owner key names.
func (gc garbageCollector) Reconcile(owner Key) Result {
	for _, res := range gcDependents {
		for _, obj := range gc.st.ByIndex(apiserver.PrefixOf(res), IndexAnyOwner, owner.UID) {
			om, _ := meta.Accessor(obj)
			if om.GetDeletionTimestamp() != nil {
				continue
			}
			gc.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: res, Namespace: om.GetNamespace(), Name: om.GetName(),
				Why: "garbage collector: owner " + owner.Name + " is gone"})
		}
	}
	return Result{}
}
