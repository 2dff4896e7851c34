package controller

import (
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/store"

	"k8s.io/apimachinery/pkg/runtime"
)

// A controller here is what one is in kube-controller-manager: watches
// that say which keys a change concerns, and a Reconcile that brings one
// key to what its objects say (controller-runtime's reconcile.Reconciler,
// sample-controller's syncHandler). The Manager runs them all on one work
// queue, on the kernel's one goroutine: a key is reconciled once however
// many changes marked it dirty since its last sync, and the dirty keys of
// one pass are reconciled in a fixed order, so that runs repeat exactly.

// Key names what a controller reconciles: a namespaced object, a
// cluster-scoped one (Namespace ""), or, for the garbage collector, an
// owner that is gone (UID set).
type Key struct {
	Namespace, Name string
	UID             string
}

func (k Key) String() string {
	if k.Namespace == "" {
		return k.Name
	}
	return k.Namespace + "/" + k.Name
}

// Result says when to reconcile the key again without a change to say so:
// RequeueAfter 0 means only when a watched change does. Why labels the
// timer. Busy is how long the sync took the controller, on the cluster's
// clock: changes to the key within it are reconciled together once it is
// over, as a work queue holds a key that is re-added while a worker syncs
// it (the virtual clock does not move while a sync runs, so a sync whose
// cost grows with its objects says so here, or every change in a burst
// would get a sync of its own).
type Result struct {
	RequeueAfter time.Duration
	Why          string
	Busy         time.Duration
}

// Reconciler brings one key to what its objects say. It reads the store
// as an informer's cache and changes the cluster only through requests
// to the apiserver, so every change it makes is a hop.
type Reconciler interface {
	Reconcile(key Key) Result
}

// ReconcileFunc is a function as a Reconciler.
type ReconcileFunc func(key Key) Result

// Reconcile calls f.
func (f ReconcileFunc) Reconcile(key Key) Result { return f(key) }

// Watch is a controller's interest in one type of object: an informer's
// event handler. Filter, when set, says whether a change concerns the
// controller (evaluated as the change is stored, and again as it
// arrives) and may name the hop's label; nil means every change, labelled
// by kind and verb. Keys are the controller's keys the change concerns;
// it may also note what the change fulfils (the ReplicaSet controller's
// expectations), as upstream's handlers do. The keys are only read, once
// each, in order, before the next call of Keys may come: a Keys may hand
// out a slice of its own, refilled at every call.
type Watch struct {
	Object runtime.Object // a value of the type watched; nil: every type
	Filter func(ev store.Event) (label string, ok bool)
	Keys   func(ev store.Event) []Key
}

// Controller is one controller's registration.
type Controller struct {
	Name string // upstream's name for it, for the reader
	// Order places the controller's keys in a pass: lower first. Spaced
	// out so that a new controller fits between two.
	Order   int
	Watches []Watch
	// Inline controllers reconcile a key as the change arrives instead of
	// on the queue: the namespace controller and the garbage collector act
	// on the watch event, as kubeplay has always shown them.
	Inline     bool
	Reconciler Reconciler

	seq int // registration order: the tie-break between equal Orders
}

// Queue is one controller's handle on the work queue.
type Queue struct {
	m *Manager
	c *Controller
}

// Add marks key dirty: it is reconciled in the next pass (an inline
// controller's, at once).
func (q Queue) Add(key Key) { q.m.add(q.c, key) }

// AddAfter adds key after d, as a work queue's AddAfter, with a timer
// labelled why. Each call arms its own timer.
func (q Queue) AddAfter(key Key, d time.Duration, why string) {
	q.m.k.After(d, Name, why, func() { q.m.add(q.c, key) })
}

// AddAfterBackground is AddAfter for the cluster's own upkeep (a
// cluster add-on's progress check): its timer is a background hop
// (sim.Hop.Background), not work a front end waits or steps for.
func (q Queue) AddAfterBackground(key Key, d time.Duration, why string) {
	q.m.k.AfterBackground(d, Name, why, func() { q.m.add(q.c, key) })
}

// Register adds a controller to the manager and returns its queue.
func (m *Manager) Register(c Controller) Queue {
	c.seq = len(m.controllers)
	m.controllers = append(m.controllers, &c)
	clear(m.byType) // rebuilt with the new watches
	return Queue{m, &c}
}

// boundWatch is a watch with its controller.
type boundWatch struct {
	*Watch
	c *Controller
}

// watchesOf are the watches of ev's type, in registration order.
func (m *Manager) watchesOf(obj runtime.Object) []boundWatch {
	t := reflect.TypeOf(obj)
	ws, ok := m.byType[t]
	if !ok {
		for _, c := range m.controllers {
			for i := range c.Watches {
				w := &c.Watches[i]
				if w.Object == nil || reflect.TypeOf(w.Object) == t {
					ws = append(ws, boundWatch{w, c})
				}
			}
		}
		m.byType[t] = ws
	}
	return ws
}

// accepts reports whether w takes the change, with the label it names
// ("": the default one).
func (w boundWatch) accepts(ev store.Event) (string, bool) {
	if w.Filter == nil {
		return "", true
	}
	return w.Filter(ev)
}

// defaultLabel is "pod added", "service updated", …: made once per kind
// and verb, not for each of the changes (a few per pod) that carry it.
func (m *Manager) defaultLabel(ev store.Event) string {
	t := reflect.TypeOf(ev.Object)
	key := labelKey{t, ev.Verb()}
	if label, ok := m.labels[key]; ok {
		return label
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	label := strings.ToLower(t.Name()) + " " + key.verb
	m.labels[key] = label
	return label
}

// labelKey is what a default label is made of: the object's type and the
// change's verb.
type labelKey struct {
	t    reflect.Type
	verb string
}

// filter lets a change through as a hop when a watch accepts it, with the
// first accepting watch's label.
func (m *Manager) filter(ev store.Event) (string, bool) {
	for _, w := range m.watchesOf(ev.Object) {
		if label, ok := w.accepts(ev); ok {
			if label == "" {
				label = m.defaultLabel(ev)
			}
			return label, true
		}
	}
	return "", false
}

// handle gives a change that arrived to every watch that accepts it:
// queued controllers' keys are marked dirty, inline ones reconciled now.
func (m *Manager) handle(ev store.Event) {
	for _, w := range m.watchesOf(ev.Object) {
		if _, ok := w.accepts(ev); !ok {
			continue
		}
		for _, key := range w.Keys(ev) {
			m.add(w.c, key)
		}
	}
}

// add reconciles an inline controller's key now, or queues another's.
func (m *Manager) add(c *Controller, key Key) {
	if c.Inline {
		m.reconcile(c, key)
		return
	}
	m.enqueue(c, key)
}

type queueKey struct {
	c *Controller
	Key
}

// enqueue marks a key dirty and arms one pass for everything dirty now;
// a key whose last sync is still busy (Result.Busy) waits for its end.
func (m *Manager) enqueue(c *Controller, key Key) {
	qk := queueKey{c, key}
	if until, ok := m.busy[qk]; ok {
		now := m.k.Elapsed()
		if until > now {
			if !m.held[qk] {
				m.held[qk] = true
				m.k.After(until-now, Name, "sync dirty keys", func() {
					delete(m.held, qk)
					m.enqueue(c, key)
				})
			}
			return
		}
		delete(m.busy, qk)
	}
	m.dirty[qk] = struct{}{}
	if !m.armed {
		m.armed = true
		m.k.After(0, Name, "sync dirty keys", m.sync)
	}
}

// sync is one pass of the queue: every dirty key once, by the
// controllers' Order, then namespace and name.
func (m *Manager) sync() {
	m.armed = false
	keys := make([]queueKey, 0, len(m.dirty))
	for k := range m.dirty {
		keys = append(keys, k)
	}
	clear(m.dirty)
	// Map order is random; sort so that runs repeat exactly.
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.c != b.c {
			if a.c.Order != b.c.Order {
				return a.c.Order < b.c.Order
			}
			return a.c.seq < b.c.seq
		}
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.UID < b.UID
	})
	for _, k := range keys {
		m.reconcile(k.c, k.Key)
	}
}

func (m *Manager) reconcile(c *Controller, key Key) {
	res := c.Reconciler.Reconcile(key)
	if res.RequeueAfter > 0 {
		Queue{m, c}.AddAfter(key, res.RequeueAfter, res.Why)
	}
	if res.Busy > 0 && !c.Inline {
		m.busy[queueKey{c, key}] = m.k.Elapsed() + res.Busy
	}
}
