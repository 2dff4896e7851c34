package apiserver

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// eventLog is the apiserver side of client-go's EventCorrelator
// (tools/record/events_cache.go). It remembers which Event object stands
// for an (object, reason, message, source), so a repeat raises the count
// instead of writing a new Event; and, like the correlator's aggregator,
// it combines similar events (same source, object, type and reason, any
// message): from the tenth distinct message within ten minutes on, they
// go to one Event whose message is "(combined from similar events): " and
// the latest message. A ReplicaSet of 100,000 replicas thus keeps 10
// SuccessfulCreate events, not 100,000. Like the correlator's, its memory
// is the last eventCacheSize keys: a repeat of an older one starts a new
// Event, and a cluster of 100,000 pods does not keep a key for each of
// their half a million events.
type eventLog struct {
	index   *lruCache[correlationKey, string] // -> etcd key
	similar *lruCache[string, *similarEvents] // by aggregate key
	seq     int64
}

// correlationKey is getEventKey: the aggregate key and the message, or the
// aggregate key alone for the combined event. A struct, not one more
// string joined for every event.
type correlationKey struct {
	aggregate, message string
	combined           bool
}

// similarEvents is the aggregator's record of one aggregate key: the
// distinct messages seen lately, oldest first, and when the last came.
type similarEvents struct {
	messages []string
	last     time.Time
}

const (
	// eventCacheSize is client-go's maxLruCacheEntries.
	eventCacheSize = 4096
	// aggregateMaxEvents and aggregateInterval are client-go's
	// defaultAggregateMaxEvents and defaultAggregateIntervalInSeconds.
	aggregateMaxEvents = 10
	aggregateInterval  = 600 * time.Second
	// combinedPrefix starts a combined event's message, as
	// EventAggregatorByReasonMessageFunc writes it.
	combinedPrefix = "(combined from similar events): "
)

func newEventLog() eventLog {
	return eventLog{index: newLRU[correlationKey, string](eventCacheSize), similar: newLRU[string, *similarEvents](eventCacheSize)}
}

// aggregate notes message under the aggregate key at now and reports
// whether the event must go to the combined event, as EventAggregate does.
// Where client-go drops an arbitrary message once the set is full, this
// drops the oldest, so the same input gives the same events.
func (l *eventLog) aggregate(aggKey, message string, now time.Time) bool {
	sim, _ := l.similar.Get(aggKey)
	if sim == nil || now.Sub(sim.last) > aggregateInterval {
		sim = &similarEvents{}
	}
	sim.last = now
	l.similar.Add(aggKey, sim)
	if !slices.Contains(sim.messages, message) {
		sim.messages = append(sim.messages, message)
	}
	if len(sim.messages) < aggregateMaxEvents {
		return false
	}
	sim.messages = slices.Delete(sim.messages, 0, 1)
	return true
}

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
	// The aggregate key is getEventKey without the message; NUL cannot
	// occur in names, so no two keys run together.
	aggKey := strings.Join([]string{component, res.Kind, m.GetNamespace(), m.GetName(), string(m.GetUID()), res.APIVersion(), eventType, reason}, "\x00")
	corr := correlationKey{aggregate: aggKey, message: message}
	combined := s.events.aggregate(aggKey, message, now)
	if combined {
		corr = correlationKey{aggregate: aggKey, combined: true}
		message = combinedPrefix + message
	}
	if key, ok := s.events.index.Get(corr); ok {
		if old, ok := s.st.Get(key); ok {
			ev := old.(*corev1.Event).DeepCopy()
			ev.Count++
			ev.Message = message
			ev.LastTimestamp = metav1.NewTime(now.Truncate(time.Second))
			s.st.Put(key, ev)
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
	}
	if !combined {
		// client-go's combined event carries no reporting controller.
		ev.ReportingController = component
	}
	s.events.index.Add(corr, key)
	s.st.Put(key, ev)
}

// indexInvolvedUID files events by their object's UID, so that describe
// reads (and decodes) an object's few events, not the hundreds of
// thousands of a big cluster's namespace.
const indexInvolvedUID = "involvedObject.uid"

// EventsFor returns the events about the object with uid in a namespace
// (any, if empty), in the order they were first recorded.
func (s *Server) EventsFor(namespace string, uid string) []corev1.Event {
	var out []corev1.Event
	for _, o := range s.st.ByIndex(store.Prefix("events", ""), indexInvolvedUID, uid) {
		if ev := o.(*corev1.Event); namespace == "" || ev.Namespace == namespace {
			out = append(out, *ev)
		}
	}
	return out
}
