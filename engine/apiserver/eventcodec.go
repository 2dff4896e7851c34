package apiserver

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// eventCodec keeps Events in the store as protobuf, the form etcd holds
// every object in. Events are most of a big cluster's objects (a pod
// leaves four or more: Scheduled, Pulled, Created, Started), are written
// once or counted up, and are read only by `get events` and `describe`:
// encoded, one takes about 300 bytes in a block the garbage collector
// does not scan, where a corev1.Event takes 768 in pointers.
type eventCodec struct{}

// encodedEvent is an Event's protobuf encoding. Its TypeMeta is not in it
// (protobuf leaves it to the envelope): only Events with the usual one
// are encoded.
type encodedEvent []byte

func (encodedEvent) GetObjectKind() schema.ObjectKind { return schema.EmptyObjectKind }

// DeepCopyObject returns e itself: encoded events are never changed.
func (e encodedEvent) DeepCopyObject() runtime.Object { return e }

var eventTypeMeta = metav1.TypeMeta{Kind: "Event", APIVersion: "v1"}

func (eventCodec) Encode(obj runtime.Object) runtime.Object {
	ev, ok := obj.(*corev1.Event)
	if !ok || ev.TypeMeta != eventTypeMeta {
		return obj
	}
	data, err := ev.Marshal()
	if err != nil {
		return obj
	}
	return encodedEvent(data)
}

func (eventCodec) Decode(stored runtime.Object) runtime.Object {
	data, ok := stored.(encodedEvent)
	if !ok {
		return stored
	}
	ev := &corev1.Event{}
	if err := ev.Unmarshal(data); err != nil {
		// Encode wrote it a moment ago with the same library.
		panic("apiserver: stored event does not decode: " + err.Error())
	}
	ev.TypeMeta = eventTypeMeta
	// Protobuf gives times back in the local zone, as it does to real
	// clients; the engine's times, and so its output, are in UTC.
	for _, t := range []*metav1.Time{&ev.CreationTimestamp, ev.DeletionTimestamp, &ev.FirstTimestamp, &ev.LastTimestamp} {
		if t != nil {
			t.Time = t.UTC()
		}
	}
	ev.EventTime.Time = ev.EventTime.UTC()
	if ev.Series != nil {
		ev.Series.LastObservedTime.Time = ev.Series.LastObservedTime.UTC()
	}
	return ev
}
