package controller

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

// TestPodTalliesFollowTheStore churns pods through a store (created,
// readied, relabelled, finished, deleted, moved between owners) and checks
// after every write that each owner's tally says what walking its pods
// says, as ReplicaSet status used to be computed.
func TestPodTalliesFollowTheStore(t *testing.T) {
	st := store.New()
	tallies := podTallies{}
	st.Watch(tallies.observe)
	rnd := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	owners := []types.UID{"rs-a", "rs-b"}
	const minReady = 5
	for step := range 3000 {
		name := fmt.Sprintf("p%d", rnd.IntN(40))
		key := store.Key("pods", "default", name)
		if rnd.IntN(6) == 0 {
			st.Delete(key)
		} else {
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default",
				Labels: map[string]string{"app": "web", "tier": []string{"a", "b"}[rnd.IntN(2)]}}}
			if rnd.IntN(8) != 0 {
				p.OwnerReferences = []metav1.OwnerReference{{UID: owners[rnd.IntN(2)], Controller: ptr.To(true), Kind: "ReplicaSet", Name: "x"}}
			}
			p.Status.Phase = []corev1.PodPhase{corev1.PodPending, corev1.PodRunning, corev1.PodRunning, corev1.PodSucceeded}[rnd.IntN(4)]
			if rnd.IntN(10) == 0 {
				p.DeletionTimestamp = &metav1.Time{Time: t0}
			}
			if rnd.IntN(2) == 0 {
				p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue,
					LastTransitionTime: metav1.NewTime(t0.Add(time.Duration(rnd.IntN(10)) * time.Second))}}
			}
			st.Put(key, p)
		}
		now := t0.Add(time.Duration(rnd.IntN(20)) * time.Second)
		for _, uid := range owners {
			var active, ready, avail, labelled int
			var wait time.Duration
			for _, o := range st.List(store.Prefix("pods", "")) {
				p := o.(*corev1.Pod)
				if ref := metav1.GetControllerOfNoCopy(p); ref == nil || ref.UID != uid || !isActive(p) {
					continue
				}
				active++
				if p.Labels["tier"] == "a" {
					labelled++
				}
				if podutilReady(p) {
					ready++
					if isAvailable(p, minReady, now) {
						avail++
					} else if d := readySince(p).Add(minReady * time.Second).Sub(now); wait == 0 || d < wait {
						wait = d
					}
				}
			}
			tally := tallies[string(uid)]
			if tally == nil {
				tally = &podTally{}
			}
			gotAvail, gotWait := tally.available(minReady, now)
			gotLabelled := tally.fullyLabeled(labels.SelectorFromSet(labels.Set{"tier": "a"}))
			if tally.active != active || tally.ready != ready || gotAvail != avail || gotWait != wait || gotLabelled != labelled {
				t.Fatalf("step %d, %s: tally active %d ready %d available %d (wait %v) labelled %d; pods say %d %d %d (%v) %d",
					step, uid, tally.active, tally.ready, gotAvail, gotWait, gotLabelled, active, ready, avail, wait, labelled)
			}
		}
	}
}
