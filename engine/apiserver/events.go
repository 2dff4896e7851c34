package apiserver

import (
	"hash/maphash"
	"slices"
	"strconv"
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
	index   *lruCache[correlationKey, string]       // -> etcd key
	similar *lruCache[aggregateKey, *similarEvents] // by aggregate key
	seq     int64
	seed    maphash.Seed // for the caches' hashes
	buf     []byte       // where Record builds a new event's key
}

// aggregateKey is getEventKey without the message: source, object, type
// and reason. A struct of the strings the event has anyway, not one more
// string joined from them for every event.
type aggregateKey struct {
	component, kind, namespace, name, uid, apiVersion, eventType, reason string
}

// hash is the key's hash for the caches: its strings hashed one by one
// and mixed, with no string joined.
func (k *aggregateKey) hash(seed maphash.Seed) uint64 {
	h := uint64(0)
	for _, s := range [...]string{k.component, k.kind, k.namespace, k.name, k.uid, k.apiVersion, k.eventType, k.reason} {
		h = mix(h, maphash.String(seed, s))
	}
	return h
}

// mix combines a hash so far with the next part's.
func mix(h, next uint64) uint64 { return (h^next)*0x9e3779b97f4a7c15 + (h >> 29) }

// correlationKey is getEventKey: the aggregate key and the message, or the
// aggregate key alone for the combined event.
type correlationKey struct {
	aggregate aggregateKey
	message   string
	combined  bool
}

// similarEvents is the aggregator's record of one aggregate key: the
// distinct messages seen lately, oldest first, and when the last came.
type similarEvents struct {
	messages []string
	last     time.Time
}

// forget empties the record for a new start.
func (s *similarEvents) forget() {
	clear(s.messages)
	s.messages = s.messages[:0]
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
	return eventLog{index: newLRU[correlationKey, string](eventCacheSize), similar: newLRU[aggregateKey, *similarEvents](eventCacheSize),
		seed: maphash.MakeSeed()}
}

// aggregate notes message under the aggregate key (of hash h) at now and
// reports whether the event must go to the combined event, as
// EventAggregate does. Where client-go drops an arbitrary message once
// the set is full, this drops the oldest, so the same input gives the
// same events.
func (l *eventLog) aggregate(h uint64, aggKey aggregateKey, message string, now time.Time) bool {
	sim, _ := l.similar.Get(h, aggKey)
	switch {
	case sim != nil && now.Sub(sim.last) > aggregateInterval:
		sim.forget()
	case sim == nil:
		// A new key puts out the oldest, whose record is then this one's.
		if old, ok := l.similar.Oldest(); ok {
			sim = old
			sim.forget()
		} else {
			sim = &similarEvents{}
		}
	}
	sim.last = now
	l.similar.Add(h, aggKey, sim)
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
	aggKey := aggregateKey{component, res.Kind, m.GetNamespace(), m.GetName(), string(m.GetUID()), res.APIVersion(), eventType, reason}
	aggHash := aggKey.hash(s.events.seed)
	corr := correlationKey{aggregate: aggKey, message: message}
	corrHash := mix(aggHash, maphash.String(s.events.seed, message))
	combined := s.events.aggregate(aggHash, aggKey, message, now)
	if combined {
		corr = correlationKey{aggregate: aggKey, combined: true}
		corrHash = mix(aggHash, 1)
		message = combinedPrefix + message
	}
	if key, ok := s.events.index.Get(corrHash, corr); ok {
		if old, ok := s.st.Get(key); ok {
			// Stored objects are never changed in place, and a count
			// changes none of the parts a shallow copy shares.
			ev := new(corev1.Event)
			*ev = *old.(*corev1.Event)
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
	// One string for the key and the name, built in one allocation:
	// events fill most of the store.
	buf := append(s.events.buf[:0], "/registry/events/"...) // store.Key's form
	buf = append(buf, ns...)
	buf = append(buf, '/')
	nameAt := len(buf)
	buf = append(buf, m.GetName()...)
	buf = append(buf, '.')
	buf = strconv.AppendInt(buf, now.UnixNano()+s.events.seq, 16)
	s.events.buf = buf
	key := string(buf)
	name := key[nameAt:]
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
	s.events.index.Add(corrHash, corr, key)
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
