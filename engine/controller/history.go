package controller

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/rand"
)

// ControllerRevisions are how a StatefulSet remembers its pod templates,
// as upstream's pkg/controller/history: each revision holds a patch that
// puts one template back (revisionPatch, shared with the DaemonSet), is
// named after the controller and a hash of that patch, and is numbered
// in the order the templates were in use. (The DaemonSet names its
// revisions by a hash of the template itself, as upstream's does:
// constructHistory in daemonset.go; both find or make the current one
// with syncRevision.)

// ControllerRevisionHashLabel is the label a revision carries its hash in.
const ControllerRevisionHashLabel = "controller.kubernetes.io/hash"

// hashRevision is history.HashControllerRevision: FNV-32 of the data and
// the collision count, safe-encoded.
func hashRevision(data []byte, collisionCount *int32) string {
	hf := fnv.New32()
	hf.Write(data)
	if collisionCount != nil {
		hf.Write([]byte(strconv.FormatInt(int64(*collisionCount), 10)))
	}
	return rand.SafeEncodeString(fmt.Sprint(hf.Sum32()))
}

// newRevision is history.NewControllerRevision: a revision of parent
// holding its template's patch, labelled with the template's labels and
// its hash, named <parent>-<hash>.
func newRevision(parent metav1.Object, kind schema.GroupVersionKind, templateLabels map[string]string, data []byte,
	revision int64, collisionCount *int32) *appsv1.ControllerRevision {
	labels := make(map[string]string, len(templateLabels)+1)
	for k, v := range templateLabels {
		labels[k] = v
	}
	hash := hashRevision(data, collisionCount)
	labels[ControllerRevisionHashLabel] = hash
	return &appsv1.ControllerRevision{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ControllerRevision"},
		ObjectMeta: metav1.ObjectMeta{Name: parent.GetName() + "-" + hash, Namespace: parent.GetNamespace(), Labels: labels,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(parent, kind)}},
		Data:     runtime.RawExtension{Raw: data},
		Revision: revision,
	}
}

// revisionsOf are the revisions owner controls, oldest first (by
// revision number, then creation, then name: SortControllerRevisions).
func (m *Manager) revisionsOf(owner metav1.Object) []*appsv1.ControllerRevision {
	var out []*appsv1.ControllerRevision
	for _, o := range m.st.ByIndex(apiserver.PrefixOf(resControllerRevisions), IndexOwner, string(owner.GetUID())) {
		out = append(out, o.(*appsv1.ControllerRevision))
	}
	slices.SortStableFunc(out, func(a, b *appsv1.ControllerRevision) int {
		switch {
		case a.Revision != b.Revision:
			return int(a.Revision - b.Revision)
		case !a.CreationTimestamp.Equal(&b.CreationTimestamp):
			return a.CreationTimestamp.Compare(b.CreationTimestamp.Time)
		}
		return cmpString(a.Name, b.Name)
	})
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// nextRevision is one more than the highest revision number.
func nextRevision(revisions []*appsv1.ControllerRevision) int64 {
	if len(revisions) == 0 {
		return 1
	}
	return revisions[len(revisions)-1].Revision + 1
}

// equalRevision reports whether two revisions hold the same template.
func equalRevision(a, b *appsv1.ControllerRevision) bool {
	return string(a.Data.Raw) == string(b.Data.Raw)
}

// syncRevision finds or makes the revision of the template in want (a
// revision not yet stored, numbered next): the newest revision if it is
// the same template; an older one with the same template, renumbered to
// come last (a rollback: back says why, from the old revision); else want
// itself, created (why). It returns the revision to use now, before any
// write it sends lands. The StatefulSet and the DaemonSet keep their
// history with it; they differ in how they name and label a revision.
func (m *Manager) syncRevision(revisions []*appsv1.ControllerRevision, want *appsv1.ControllerRevision, why string,
	back func(old *appsv1.ControllerRevision) string) *appsv1.ControllerRevision {
	var equal []*appsv1.ControllerRevision
	for _, r := range revisions {
		if equalRevision(r, want) {
			equal = append(equal, r)
		}
	}
	switch {
	case len(equal) > 0 && equal[len(equal)-1] == revisions[len(revisions)-1]:
		return revisions[len(revisions)-1]
	case len(equal) > 0:
		r := equal[len(equal)-1].DeepCopy()
		r.Revision = want.Revision
		m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: r, Why: back(equal[len(equal)-1])})
		return r
	}
	m.submit(apiserver.Request{Verb: sim.VerbCreate, Object: want, Why: why})
	return want
}

// truncateHistory deletes the oldest revisions beyond limit that are
// neither in use (live) nor current nor the update revision.
func (m *Manager) truncateHistory(revisions []*appsv1.ControllerRevision, live map[string]bool, limit int32) {
	var old []*appsv1.ControllerRevision
	for _, r := range revisions {
		if !live[r.Name] {
			old = append(old, r)
		}
	}
	for i := 0; i < len(old)-int(limit); i++ {
		r := old[i]
		m.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: resControllerRevisions, Namespace: r.Namespace, Name: r.Name,
			Why: fmt.Sprintf("revisionHistoryLimit %d: drop revision %d", limit, r.Revision)})
	}
}
