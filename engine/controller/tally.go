package controller

import (
	"maps"
	"time"

	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// podTally adds up what a ReplicaSet's status counts over the active pods
// one controller owns. The tallies follow every write to the store, so a
// sync reads them in time independent of the number of pods instead of
// walking every pod: with one pod event per sync, walking them made a
// Deployment of n replicas cost n² (issue 13, item 10).
type podTally struct {
	active int // pods that are neither finished nor being deleted
	ready  int // active pods whose Ready condition is True
	// readySince counts the ready pods by when they became ready, for
	// minReadySeconds; pods that start together share an instant.
	readySince map[time.Time]int
	// labelSets counts the active pods by their labels: a ReplicaSet's pods
	// carry its template's labels, so there are one or two sets.
	labelSets []labelCount
}

type labelCount struct {
	labels map[string]string // one pod's, shared with the store
	n      int
}

// empty reports whether the tally counts nothing (all of it, not only
// active: a write made while another is being told could be counted out
// before it is counted in).
func (t *podTally) empty() bool {
	return t.active == 0 && t.ready == 0 && len(t.readySince) == 0 && len(t.labelSets) == 0
}

// add counts pod in (sign 1) or out (sign -1); inactive pods count nothing.
func (t *podTally) add(pod *corev1.Pod, sign int) {
	if !isActive(pod) {
		return
	}
	t.active += sign
	if podutilReady(pod) {
		t.ready += sign
		since := readySince(pod)
		if t.readySince == nil {
			t.readySince = map[time.Time]int{}
		}
		if t.readySince[since] += sign; t.readySince[since] == 0 {
			delete(t.readySince, since)
		}
	}
	for i := range t.labelSets {
		if ls := &t.labelSets[i]; maps.Equal(ls.labels, pod.Labels) {
			if ls.n += sign; ls.n == 0 {
				t.labelSets = append(t.labelSets[:i], t.labelSets[i+1:]...)
			}
			return
		}
	}
	t.labelSets = append(t.labelSets, labelCount{pod.Labels, sign})
}

// clone copies the tally so that pods not yet stored (adopted orphans) can
// be counted in without changing the shared one.
func (t *podTally) clone() *podTally {
	c := &podTally{active: t.active, ready: t.ready, readySince: maps.Clone(t.readySince)}
	c.labelSets = append(c.labelSets, t.labelSets...)
	return c
}

// fullyLabeled counts the pods whose labels the selector matches.
func (t *podTally) fullyLabeled(sel labels.Selector) int {
	n := 0
	for _, ls := range t.labelSets {
		if sel.Matches(labels.Set(ls.labels)) {
			n += ls.n
		}
	}
	return n
}

// available counts the ready pods that have been ready for minReady
// seconds at now (podutil.IsPodAvailable), and says how long until the
// next of the others becomes available (0: none will).
func (t *podTally) available(minReady int32, now time.Time) (n int, wait time.Duration) {
	if minReady == 0 {
		return t.ready, 0
	}
	for since, count := range t.readySince {
		at := since.Add(time.Duration(minReady) * time.Second)
		if !at.After(now) {
			n += count
		} else if d := at.Sub(now); wait == 0 || d < wait {
			wait = d
		}
	}
	return n, wait
}

// podTallies keeps one podTally per controller UID, following the store.
type podTallies map[string]*podTally

// observe is a store watch: it moves a changed pod's counts from its old
// state to its new one.
func (ts podTallies) observe(ev store.Event) {
	pod, ok := ev.Object.(*corev1.Pod)
	if !ok {
		return
	}
	if ev.Old != nil {
		ts.count(ev.Old.(*corev1.Pod), -1)
	}
	if ev.Type != watch.Deleted {
		ts.count(pod, 1)
	}
}

func (ts podTallies) count(pod *corev1.Pod, sign int) {
	ref := metav1.GetControllerOfNoCopy(pod)
	if ref == nil || !isActive(pod) {
		return
	}
	t := ts[string(ref.UID)]
	if t == nil {
		t = &podTally{}
		ts[string(ref.UID)] = t
	}
	t.add(pod, sign)
	if t.empty() {
		delete(ts, string(ref.UID))
	}
}

// fill counts the pods already stored.
func (ts podTallies) fill(pods []runtime.Object) {
	for _, o := range pods {
		ts.count(o.(*corev1.Pod), 1)
	}
}
