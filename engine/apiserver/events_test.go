package apiserver

import (
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestEventRepeatsCountWithinTheCorrelatorsMemory: a repeated event raises
// the count of the one recorded, as client-go's correlator does, while it
// is among the last 4,096 recorded; an older one starts a new Event, so
// the index never grows past that.
func TestEventRepeatsCountWithinTheCorrelatorsMemory(t *testing.T) {
	s := newServer(t)
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", UID: "uid-web"}}
	count := func() (events int, top int32) {
		for _, ev := range s.EventsFor("default", "uid-web") {
			events++
			top = max(top, ev.Count)
		}
		return events, top
	}
	s.Record(pod, corev1.EventTypeWarning, "BackOff", "kubelet", "Back-off restarting failed container")
	s.Record(pod, corev1.EventTypeWarning, "BackOff", "kubelet", "Back-off restarting failed container")
	if n, c := count(); n != 1 || c != 2 {
		t.Fatalf("after a repeat: %d events, top count %d; want 1 event counted 2", n, c)
	}
	for i := range eventCacheSize {
		other := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("p%d", i), Namespace: "default", UID: "u"}}
		s.Record(other, corev1.EventTypeNormal, "Started", "kubelet", "Started container app")
	}
	if s.events.index.Len() != eventCacheSize {
		t.Errorf("the correlator remembers %d events, want %d", s.events.index.Len(), eventCacheSize)
	}
	s.Record(pod, corev1.EventTypeWarning, "BackOff", "kubelet", "Back-off restarting failed container")
	if n, c := count(); n != 2 || c != 2 {
		t.Errorf("a repeat after %d other events: %d events, top count %d; want a second event", eventCacheSize, n, c)
	}
}
