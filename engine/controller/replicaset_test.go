package controller

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// rankPod is a pod for podsToDelete: scheduled or not, its phase, when it
// became ready (zero: not ready), its restarts and its creation.
func rankPod(name, node string, phase corev1.PodPhase, readyAt time.Time, restarts int32, created time.Time) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: metav1.NewTime(created)},
		Spec:       corev1.PodSpec{NodeName: node},
		Status: corev1.PodStatus{Phase: phase,
			ContainerStatuses: []corev1.ContainerStatus{{Name: "app", RestartCount: restarts}}},
	}
	if !readyAt.IsZero() {
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(readyAt)}}
	}
	return p
}

func TestPodsToDeleteRanking(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	running := corev1.PodRunning
	tests := []struct {
		name string
		pods []*corev1.Pod
		want string // the first pod picked
	}{
		{"unscheduled before scheduled", []*corev1.Pod{
			rankPod("serving", "node-1", running, at(5), 0, at(0)),
			rankPod("unscheduled", "", corev1.PodPending, time.Time{}, 0, at(0)),
		}, "unscheduled"},
		{"pending before running", []*corev1.Pod{
			rankPod("serving", "node-1", running, at(5), 0, at(10)),
			rankPod("pending", "node-1", corev1.PodPending, time.Time{}, 0, at(0)),
		}, "pending"},
		{"not ready before ready", []*corev1.Pod{
			rankPod("ready", "node-1", running, at(5), 0, at(10)),
			rankPod("unready", "node-1", running, time.Time{}, 0, at(0)),
		}, "unready"},
		{"ready for less time first", []*corev1.Pod{
			rankPod("long", "node-1", running, at(5), 0, at(0)),
			rankPod("recent", "node-1", running, at(50), 0, at(0)),
		}, "recent"},
		{"more restarts first", []*corev1.Pod{
			rankPod("steady", "node-1", running, at(5), 0, at(0)),
			rankPod("flaky", "node-1", running, at(5), 4, at(0)),
		}, "flaky"},
		{"newer first", []*corev1.Pod{
			rankPod("old", "node-1", running, at(5), 0, at(0)),
			rankPod("new", "node-1", running, at(5), 0, at(3)),
		}, "new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, pods := range [][]*corev1.Pod{tt.pods, {tt.pods[1], tt.pods[0]}} {
				if got := podsToDelete(pods, 1)[0].Name; got != tt.want {
					t.Errorf("picked %s, want %s", got, tt.want)
				}
			}
		})
	}
}

// TestPodsToDeleteMatchesPairwiseRanking checks the ranking on many random
// pods against the pairwise rules written out one comparison at a time.
func TestPodsToDeleteMatchesPairwiseRanking(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	rnd := rand.New(rand.NewPCG(5, 6))
	at := func() time.Time { return t0.Add(time.Duration(rnd.IntN(4)) * time.Second) }
	var pods []*corev1.Pod
	for i := range 300 {
		node := []string{"", "node-1"}[rnd.IntN(2)]
		phase := []corev1.PodPhase{corev1.PodPending, corev1.PodRunning, corev1.PodUnknown}[rnd.IntN(3)]
		var ready time.Time
		if rnd.IntN(2) == 0 {
			ready = at()
		}
		pods = append(pods, rankPod(fmt.Sprintf("p%03d", rnd.IntN(1000)*1000+i), node, phase, ready, int32(rnd.IntN(3)), at()))
	}
	phaseRank := map[corev1.PodPhase]int{corev1.PodPending: 0, corev1.PodUnknown: 1, corev1.PodRunning: 2}
	want := slices.Clone(pods)
	sort.SliceStable(want, func(i, j int) bool {
		a, b := want[i], want[j]
		if (a.Spec.NodeName == "") != (b.Spec.NodeName == "") {
			return a.Spec.NodeName == ""
		}
		if phaseRank[a.Status.Phase] != phaseRank[b.Status.Phase] {
			return phaseRank[a.Status.Phase] < phaseRank[b.Status.Phase]
		}
		if podutilReady(a) != podutilReady(b) {
			return !podutilReady(a)
		}
		if ra, rb := readySince(a), readySince(b); podutilReady(a) && !ra.Equal(rb) {
			return ra.After(rb)
		}
		if restarts(a) != restarts(b) {
			return restarts(a) > restarts(b)
		}
		if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
			return a.CreationTimestamp.After(b.CreationTimestamp.Time)
		}
		return a.Name < b.Name
	})
	if got := podsToDelete(pods, 120); !slices.Equal(got, want[:120]) {
		t.Errorf("podsToDelete picked a different first 120")
	}
}
