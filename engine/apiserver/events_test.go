package apiserver

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	appsv1 "k8s.io/api/apps/v1"

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

// TestSimilarEventsAreCombined: as client-go's EventAggregator, events
// alike but for the message (here a ReplicaSet's SuccessfulCreate per pod)
// are recorded one by one up to the ninth distinct message; from the tenth
// within ten minutes they raise the count of one combined event carrying
// the latest message. After ten quiet minutes they start afresh, and
// events of another reason are never folded in.
func TestSimilarEventsAreCombined(t *testing.T) {
	k := sim.NewKernel(1)
	s := New(k, store.New(), nil)
	rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "web-1", Namespace: "default", UID: "uid-rs"}}
	created := func(from, to int) {
		for i := from; i < to; i++ {
			s.Record(rs, corev1.EventTypeNormal, "SuccessfulCreate", "replicaset-controller", fmt.Sprintf("Created pod: web-1-%d", i))
		}
	}
	created(0, 25)
	s.Record(rs, corev1.EventTypeNormal, "SuccessfulDelete", "replicaset-controller", "Deleted pod: web-1-0")
	var single, combined []corev1.Event
	for _, ev := range s.EventsFor("default", "uid-rs") {
		if strings.HasPrefix(ev.Message, combinedPrefix) {
			combined = append(combined, ev)
		} else if ev.Reason == "SuccessfulCreate" {
			single = append(single, ev)
		}
	}
	if len(single) != aggregateMaxEvents-1 || single[8].Message != "Created pod: web-1-8" {
		t.Fatalf("single SuccessfulCreate events: %d, want the first %d", len(single), aggregateMaxEvents-1)
	}
	if len(combined) != 1 {
		t.Fatalf("combined events: %d, want 1", len(combined))
	}
	if ev := combined[0]; ev.Count != 16 || ev.Message != "(combined from similar events): Created pod: web-1-24" || ev.Reason != "SuccessfulCreate" {
		t.Errorf("combined event: count %d, reason %s, message %q; want 16 SuccessfulCreate ending with web-1-24", ev.Count, ev.Reason, ev.Message)
	}
	if n := len(s.EventsFor("default", "uid-rs")); n != 11 {
		t.Errorf("%d events, want 9 single + 1 combined + 1 SuccessfulDelete", n)
	}
	// Ten quiet minutes later the aggregator has forgotten them.
	k.RunFor(aggregateInterval + time.Second)
	created(25, 26)
	last := s.EventsFor("default", "uid-rs")
	if n, ev := len(last), last[len(last)-1]; n != 12 || ev.Message != "Created pod: web-1-25" || ev.Count != 1 {
		t.Errorf("after ten quiet minutes: %d events, last %q counted %d; want a 12th, single event", n, ev.Message, ev.Count)
	}
}

// TestEventsAreStoredEncodedAndReadBackWhole: the store keeps events as
// protobuf, and reading one back gives every field that was written, in
// the engine's zone; an event whose TypeMeta protobuf would not keep is
// stored as it is.
func TestEventsAreStoredEncodedAndReadBackWhole(t *testing.T) {
	st := store.New()
	New(sim.NewKernel(1), st, nil) // gives st the event codec
	at := metav1.NewTime(time.Date(2026, 1, 1, 9, 0, 5, 0, time.UTC))
	ev := &corev1.Event{
		TypeMeta:       eventTypeMeta,
		ObjectMeta:     metav1.ObjectMeta{Name: "web.1", Namespace: "default", CreationTimestamp: at, Labels: map[string]string{"a": "b"}},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "default", Name: "web", UID: "uid-web", APIVersion: "v1", FieldPath: "spec.containers{app}"},
		Reason:         "Pulled", Message: "Container image \"nginx\" already present on machine", Type: corev1.EventTypeNormal,
		Source:         corev1.EventSource{Component: "kubelet", Host: "node-1"},
		FirstTimestamp: at, LastTimestamp: at, Count: 3, ReportingController: "kubelet",
		EventTime: metav1.NewMicroTime(at.Add(time.Microsecond)),
		Series:    &corev1.EventSeries{Count: 2, LastObservedTime: metav1.NewMicroTime(at.Time)},
	}
	key := store.Key("events", "default", "web.1")
	st.Put(key, ev.DeepCopy())
	if _, encoded := st.List(store.Prefix("events", ""))[0].(*corev1.Event); !encoded {
		t.Fatal("List does not hand out an Event")
	}
	got, _ := st.Get(key)
	want := ev.DeepCopy()
	want.ResourceVersion = "1"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back:\n%+v\nwant\n%+v", got, want)
	}
	odd := ev.DeepCopy()
	odd.TypeMeta = metav1.TypeMeta{}
	st.Put(key, odd)
	if got, _ := st.Get(key); got != odd {
		t.Errorf("an event without its TypeMeta was encoded: %+v", got)
	}
}

// TestEventsForAnObject: an object's events, oldest first, whatever else
// the namespace holds; a cluster-scoped object's events are in default and
// found with no namespace.
func TestEventsForAnObject(t *testing.T) {
	s := newServer(t)
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1", UID: "uid-node"}}
	web := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", UID: "uid-web"}}
	s.Record(node, corev1.EventTypeNormal, "Starting", "kubelet", "Starting kubelet.")
	s.Record(web, corev1.EventTypeNormal, "Scheduled", "default-scheduler", "Successfully assigned default/web to node-1")
	s.Record(web, corev1.EventTypeNormal, "Pulled", "kubelet", "Container image \"nginx\" already present on machine")
	reasons := func(evs []corev1.Event) (out []string) {
		for _, ev := range evs {
			out = append(out, ev.Reason)
		}
		return out
	}
	if got := reasons(s.EventsFor("default", "uid-web")); strings.Join(got, ",") != "Scheduled,Pulled" {
		t.Errorf("web's events: %v, want [Scheduled Pulled]", got)
	}
	if got := reasons(s.EventsFor("", "uid-node")); strings.Join(got, ",") != "Starting" {
		t.Errorf("node-1's events: %v, want [Starting]", got)
	}
	if got := s.EventsFor("kube-system", "uid-web"); len(got) != 0 {
		t.Errorf("web's events in kube-system: %v, want none", reasons(got))
	}
}
