package apiserver

import (
	"strconv"
	"time"

	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/lru"
)

// eventLog remembers which Event object stands for an (object, reason,
// message, source), so a repeat raises the count as the event recorder's
// correlator does, instead of writing a new Event. Like the correlator's,
// its memory is the last eventCacheSize events: a repeat of an older one
// starts a new Event, and a cluster of 100,000 pods does not keep a key for
// each of their half a million events.
type eventLog struct {
	index *lru.Cache // correlation key -> etcd key
	seq   int64
}

// eventCacheSize is client-go's maxLruCacheEntries
// (tools/record/events_cache.go).
const eventCacheSize = 4096

func newEventLog() eventLog { return eventLog{index: lru.New(eventCacheSize)} }

// Record writes an Event about obj, as a component's event recorder does.
// Events are written straight to the store, without a hop of their own,
// to keep the flow readable: they are a side channel, not the flow.
func (s *Server) Record(obj runtime.Object, eventType, reason, component, message string) {
	m, err := meta.Accessor(obj)
	if err != nil {
		return
	}
	res, err := ResourceOf(obj)
	if err != nil {
		return
	}
	now := s.k.Now()
	corr := string(m.GetUID()) + "/" + res.Kind + "/" + m.GetName() + "/" + reason + "/" + message + "/" + component
	if key, ok := s.events.index.Get(corr); ok {
		if old, ok := s.st.Get(key.(string)); ok {
			ev := old.(*corev1.Event).DeepCopy()
			ev.Count++
			ev.LastTimestamp = metav1.NewTime(now.Truncate(time.Second))
			s.st.Put(key.(string), ev)
			return
		}
	}
	ns := m.GetNamespace()
	if ns == "" {
		ns = metav1.NamespaceDefault
	}
	s.events.seq++
	// kubectl's recorder names events <object>.<unix nanos in hex>; the
	// sequence keeps names unique when virtual time stands still.
	name := m.GetName() + "." + strconv.FormatInt(now.UnixNano()+s.events.seq, 16)
	key := store.Key("events", ns, name)
	name = key[len(key)-len(name):] // one string for both: events fill most of the store
	ts := metav1.NewTime(now.Truncate(time.Second))
	ev := &corev1.Event{
		TypeMeta:   metav1.TypeMeta{Kind: "Event", APIVersion: "v1"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, CreationTimestamp: ts},
		InvolvedObject: corev1.ObjectReference{
			Kind: res.Kind, Namespace: m.GetNamespace(), Name: m.GetName(), UID: m.GetUID(),
			APIVersion: res.APIVersion(), ResourceVersion: m.GetResourceVersion(),
		},
		Reason: reason, Message: message, Type: eventType,
		Source:         corev1.EventSource{Component: component},
		FirstTimestamp: ts, LastTimestamp: ts, Count: 1,
		ReportingController: component,
	}
	s.events.index.Add(corr, key)
	s.st.Put(key, ev)
}

// EventsFor returns the events about the object with uid, in the order
// they were first recorded.
func (s *Server) EventsFor(namespace string, uid string) []corev1.Event {
	var out []corev1.Event
	for _, o := range s.st.List(store.Prefix("events", namespace)) {
		ev := o.(*corev1.Event)
		if string(ev.InvolvedObject.UID) == uid {
			out = append(out, *ev)
		}
	}
	return out
}
