// Package store is kubeplay's stand-in for etcd: a versioned key/value map
// keyed as kube-apiserver keys etcd (/registry/pods/default/web-1), with one
// global resourceVersion, secondary indexes and a stream of changes.
//
// Objects handed out are shared, as an informer's cache is: readers must not
// modify them. Writers store a fresh copy.
package store

import (
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// Event is one change to the store, as an etcd watch would report it.
type Event struct {
	Type   watch.EventType // Added, Modified, Deleted
	Key    string
	Object runtime.Object // the new object; for Deleted the last one stored
	Old    runtime.Object // the previous object for Modified and Deleted
	Rev    int64
}

// Verb is the change in a word, for hop labels: added, updated, deleted.
func (e Event) Verb() string {
	switch e.Type {
	case watch.Added:
		return "added"
	case watch.Deleted:
		return "deleted"
	}
	return "updated"
}

// IndexFunc appends the index values an object is filed under to dst and
// returns the result: every write files the object, and appending to the
// store's scratch slice spares an allocation each time.
type IndexFunc func(obj runtime.Object, dst []string) []string

// index files keys, not objects: a write that leaves an object under the
// same values (most writes: a status) then costs nothing, and readers take
// the objects from the resource's map.
type index struct {
	fn     IndexFunc
	values map[string]*keySet // value -> keys
}

// keySet is the keys filed under one index value: a slice while there are
// few, as under most values (an object's events, by its UID), and a map
// beyond, as under a node's name or a big ReplicaSet's UID. A map for each
// of a hundred thousand objects' four events was most of an index's
// memory. In no order.
type keySet struct {
	few  []string
	many map[string]struct{}
	// inline is where few starts: the keySet and an object's four
	// events' keys in one allocation, not three as the slice grows.
	inline [4]string
}

func newKeySet() *keySet {
	k := &keySet{}
	k.few = k.inline[:0]
	return k
}

// fewKeys is how many keys a keySet holds in its slice.
const fewKeys = 8

func (k *keySet) add(key string) {
	switch {
	case k.many != nil:
		k.many[key] = struct{}{}
	case slices.Contains(k.few, key):
	case len(k.few) < fewKeys:
		k.few = append(k.few, key)
	default:
		k.many = make(map[string]struct{}, 2*fewKeys)
		for _, f := range k.few {
			k.many[f] = struct{}{}
		}
		k.many[key] = struct{}{}
		k.few = nil
	}
}

func (k *keySet) remove(key string) {
	if k.many != nil {
		delete(k.many, key)
		return
	}
	if i := slices.Index(k.few, key); i >= 0 {
		last := len(k.few) - 1
		k.few[i] = k.few[last]
		k.few[last] = ""
		k.few = k.few[:last]
	}
}

func (k *keySet) len() int {
	if k == nil {
		return 0
	}
	if k.many != nil {
		return len(k.many)
	}
	return len(k.few)
}

// all yields the keys, in no order.
func (k *keySet) all(yield func(string) bool) {
	if k == nil {
		return
	}
	if k.many != nil {
		for key := range k.many {
			if !yield(key) {
				return
			}
		}
		return
	}
	for _, key := range k.few {
		if !yield(key) {
			return
		}
	}
}

// Store holds every object of the cluster. It is not safe for concurrent
// use; the cluster's kernel goroutine owns it.
type Store struct {
	rev      int64
	prefixes map[string]map[string]runtime.Object // "/registry/pods/" -> key -> object
	indexes  map[string]map[string]*index         // prefix -> index name -> index
	codecs   map[string]*coded                    // prefix -> how its objects are kept
	watchers []watcher
	nextID   int
	// sorted is each resource prefix's keys in order, made by the first
	// List after a key came or went: a resource read far more often than
	// objects are added to it (Services, read for every pod change) is
	// then listed without sorting, or, by Range, without allocating.
	sorted map[string][]string
	// scratch holds index values while a write files an object; the store
	// is used from one goroutine, so one buffer serves every index.
	scratch []string
}

type watcher struct {
	id int
	fn func(Event)
}

// New returns an empty store.
func New() *Store {
	return &Store{
		prefixes: map[string]map[string]runtime.Object{},
		indexes:  map[string]map[string]*index{},
		codecs:   map[string]*coded{},
		sorted:   map[string][]string{},
	}
}

// Codec keeps the objects of one resource in another form than the one
// handed out, as etcd keeps every object serialized: for a resource with
// many objects that are written once and seldom read (events), the
// serialized form is a third of the size and holds no pointers for the
// garbage collector to follow. A read decodes the object, unless it was
// written lately (see coded).
type Codec interface {
	// Encode returns what the store keeps for obj (obj itself if it
	// cannot be encoded); obj is not changed.
	Encode(obj runtime.Object) runtime.Object
	// Decode returns the object for what Encode returned.
	Decode(stored runtime.Object) runtime.Object
}

// SetCodec keeps the objects under a resource prefix (see Prefix)
// encoded by c, from the next write on.
func (s *Store) SetCodec(prefix string, c Codec) {
	s.codecs[prefix] = &coded{Codec: c, recent: map[string]runtime.Object{}}
}

// coded is a resource kept encoded, with the objects last written to it as
// they were handed in: a write that follows a read of the same object (an
// event counted up) then decodes nothing, neither to read it nor to tell
// the watchers what it was. Handed out, they are shared as every stored
// object is.
type coded struct {
	Codec
	recent map[string]runtime.Object // by key
	// written are the keys of recent, a ring from next on, oldest first:
	// a write evicts the oldest. Cheaper than an LRU, and as good for a
	// read that follows a write closely.
	written [recentlyWritten]string
	next    int
}

// recentlyWritten is how many objects of a coded resource are kept decoded.
const recentlyWritten = 256

// remember keeps obj, just written at key.
func (c *coded) remember(key string, obj runtime.Object) {
	if _, ok := c.recent[key]; !ok {
		delete(c.recent, c.written[c.next])
		c.written[c.next] = key
		c.next = (c.next + 1) % recentlyWritten
	}
	c.recent[key] = obj
}

// decode returns the object stored at key under prefix as it is handed
// out.
func (s *Store) decode(prefix, key string, stored runtime.Object) runtime.Object {
	c := s.codecs[prefix]
	if c == nil || stored == nil {
		return stored
	}
	if obj, ok := c.recent[key]; ok {
		return obj
	}
	return c.Decode(stored)
}

// Key is the etcd key of an object: /registry/<resource>/<namespace>/<name>,
// or /registry/<resource>/<name> for cluster-scoped objects.
func Key(resource, namespace, name string) string {
	if namespace == "" {
		return "/registry/" + resource + "/" + name
	}
	return "/registry/" + resource + "/" + namespace + "/" + name
}

// Prefix is the key prefix of every object of a resource, optionally in one
// namespace.
func Prefix(resource, namespace string) string {
	if namespace == "" {
		return "/registry/" + resource + "/"
	}
	return "/registry/" + resource + "/" + namespace + "/"
}

func resourcePrefix(key string) string {
	const root = "/registry/"
	rest := strings.TrimPrefix(key, root)
	i := strings.IndexByte(rest, '/')
	if len(rest) == len(key) {
		return root + rest[:i+1]
	}
	return key[:len(root)+i+1] // a slice of the key: no allocation
}

// Revision is the store's current resourceVersion.
func (s *Store) Revision() int64 { return s.rev }

// Watch registers fn to receive every change after it is applied, until
// the returned function is called.
func (s *Store) Watch(fn func(Event)) (stop func()) {
	s.nextID++
	id := s.nextID
	s.watchers = append(s.watchers, watcher{id, fn})
	return func() {
		for i, w := range s.watchers {
			if w.id == id {
				s.watchers = append(s.watchers[:i:i], s.watchers[i+1:]...)
				return
			}
		}
	}
}

// AddIndex files objects under resource prefix (see Prefix) by fn's values.
func (s *Store) AddIndex(prefix, name string, fn IndexFunc) {
	if s.indexes[prefix] == nil {
		s.indexes[prefix] = map[string]*index{}
	}
	ix := &index{fn: fn, values: map[string]*keySet{}}
	s.indexes[prefix][name] = ix
	for key, obj := range s.prefixes[prefix] {
		s.scratch = ix.fn(s.decode(prefix, key, obj), s.scratch[:0])
		ix.add(key, s.scratch)
	}
}

// add files key under vals.
func (ix *index) add(key string, vals []string) {
	for _, v := range vals {
		set := ix.values[v]
		if set == nil {
			set = newKeySet()
			ix.values[v] = set
		}
		set.add(key)
	}
}

// remove takes key out from under vals.
func (ix *index) remove(key string, vals []string) {
	for _, v := range vals {
		if set := ix.values[v]; set != nil {
			set.remove(key)
			if set.len() == 0 {
				delete(ix.values, v)
			}
		}
	}
}

func sameValues(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Get returns the object at key.
func (s *Store) Get(key string) (runtime.Object, bool) {
	prefix := resourcePrefix(key)
	obj, ok := s.prefixes[prefix][key]
	return s.decode(prefix, key, obj), ok
}

// GetAt returns the object at Key(resource, namespace, name), as Get
// does, without making the key: the key is spelt in a buffer on the
// stack and read with map lookups that copy nothing. For the hot reads
// (a controller's or the kubelet's Get of one object).
func (s *Store) GetAt(resource, namespace, name string) (runtime.Object, bool) {
	var buf [160]byte
	b := append(buf[:0], "/registry/"...)
	b = append(b, resource...)
	b = append(b, '/')
	// The resource prefix (resourcePrefix) ends at the first slash after
	// the root: services/specs are kept under /registry/services/.
	n := len(b)
	if i := strings.IndexByte(resource, '/'); i >= 0 {
		n = len("/registry/") + i + 1
	}
	if namespace != "" {
		b = append(b, namespace...)
		b = append(b, '/')
	}
	b = append(b, name...)
	obj, ok := s.prefixes[string(b[:n])][string(b)]
	if !ok {
		return nil, false
	}
	c := s.codecs[string(b[:n])]
	if c == nil {
		return obj, true
	}
	if recent, ok := c.recent[string(b)]; ok {
		return recent, true
	}
	return c.Decode(obj), true
}

// Put stores obj at key with a new resourceVersion and tells the watchers.
func (s *Store) Put(key string, obj runtime.Object) runtime.Object {
	s.rev++
	if m, err := meta.Accessor(obj); err == nil {
		m.SetResourceVersion(strconv.FormatInt(s.rev, 10))
	}
	return s.put(key, obj)
}

// Mirror stores obj at key as another store holds it — a real cluster's
// apiserver, mirrored from its watches — keeping its resourceVersion,
// which its clients send back with their updates; the store's own
// revision still counts the change.
func (s *Store) Mirror(key string, obj runtime.Object) runtime.Object {
	s.rev++
	return s.put(key, obj)
}

func (s *Store) put(key string, obj runtime.Object) runtime.Object {
	prefix := resourcePrefix(key)
	set := s.prefixes[prefix]
	if set == nil {
		set = map[string]runtime.Object{}
		s.prefixes[prefix] = set
	}
	old, existed := set[key]
	stored := obj
	if c := s.codecs[prefix]; c != nil {
		old = s.decode(prefix, key, old)
		stored = c.Encode(obj)
		c.remember(key, obj)
	}
	for _, ix := range s.indexes[prefix] {
		// One buffer, the new values first and the old ones after them.
		s.scratch = ix.fn(obj, s.scratch[:0])
		n := len(s.scratch)
		if existed {
			s.scratch = ix.fn(old, s.scratch)
			vals, was := s.scratch[:n], s.scratch[n:]
			if sameValues(was, vals) {
				continue // filed under the same values already
			}
			ix.remove(key, was)
		}
		ix.add(key, s.scratch[:n])
	}
	set[key] = stored
	if !existed {
		delete(s.sorted, prefix)
	}
	ev := Event{Type: watch.Added, Key: key, Object: obj, Rev: s.rev}
	if existed {
		ev.Type, ev.Old = watch.Modified, old
	}
	s.notify(ev)
	return obj
}

// Delete removes the object at key and tells the watchers.
func (s *Store) Delete(key string) (runtime.Object, bool) {
	prefix := resourcePrefix(key)
	old, ok := s.prefixes[prefix][key]
	if !ok {
		return nil, false
	}
	old = s.decode(prefix, key, old)
	if c := s.codecs[prefix]; c != nil {
		delete(c.recent, key)
	}
	s.rev++
	for _, ix := range s.indexes[prefix] {
		s.scratch = ix.fn(old, s.scratch[:0])
		ix.remove(key, s.scratch)
	}
	delete(s.prefixes[prefix], key)
	delete(s.sorted, prefix)
	s.notify(Event{Type: watch.Deleted, Key: key, Object: old, Old: old, Rev: s.rev})
	return old, true
}

func (s *Store) notify(ev Event) {
	for _, w := range s.watchers {
		w.fn(ev)
	}
}

// List returns the objects whose key starts with prefix, in key order as
// etcd returns them.
func (s *Store) List(prefix string) []runtime.Object {
	rp := resourcePrefix(prefix)
	objects := s.prefixes[rp]
	keys, ok := s.keysUnder(rp, prefix)
	if !ok {
		return s.decodeAll(rp, inKeyOrder(maps.Keys(objects), len(objects), objects, prefix))
	}
	out := make([]runtime.Object, len(keys))
	for i, k := range keys {
		out[i] = objects[k]
	}
	return s.decodeAll(rp, out)
}

// Range yields what List returns, one object at a time, without making
// a slice: for readers that only look.
func (s *Store) Range(prefix string) iter.Seq[runtime.Object] {
	return func(yield func(runtime.Object) bool) { s.Each(prefix, yield) }
}

// Each calls fn with what List returns, one object at a time, until fn
// returns false. Where Range's iterator, a func value, makes the loop's
// body and what it captures escape to the heap, fn does not escape: a
// reader on a hot path (which Services select a pod, for every pod
// change) allocates nothing.
func (s *Store) Each(prefix string, fn func(runtime.Object) bool) {
	rp := resourcePrefix(prefix)
	keys, ok := s.keysUnder(rp, prefix)
	if !ok {
		for k := range s.prefixes[rp] {
			if strings.HasPrefix(k, prefix) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
	}
	for _, k := range keys {
		// Read now, not before: fn may write.
		o, ok := s.prefixes[rp][k]
		if !ok {
			continue // deleted meanwhile
		}
		if !fn(s.decode(rp, k, o)) {
			return
		}
	}
}

// keysUnder is the sorted keys of resource prefix rp that start with
// prefix, a slice of the resource's sorted keys: not to be changed. It
// sorts them if need be, but not past sortedUpTo keys (false): a
// resource that big (pods, events) gains keys faster than it is listed,
// and sorting the few keys a List asks for costs less.
func (s *Store) keysUnder(rp, prefix string) ([]string, bool) {
	keys, ok := s.sorted[rp]
	if !ok {
		if len(s.prefixes[rp]) > sortedUpTo {
			return nil, false
		}
		keys = slices.Sorted(maps.Keys(s.prefixes[rp]))
		s.sorted[rp] = keys
	}
	if prefix == rp {
		return keys, true
	}
	lo, _ := slices.BinarySearch(keys, prefix)
	hi := lo
	for hi < len(keys) && strings.HasPrefix(keys[hi], prefix) {
		hi++
	}
	return keys[lo:hi], true
}

// sortedUpTo is how many keys a resource may have for keysUnder to keep
// them sorted.
const sortedUpTo = 1024

// decodeAll decodes, in place, objects read from under prefix.
func (s *Store) decodeAll(prefix string, objects []runtime.Object) []runtime.Object {
	if c := s.codecs[prefix]; c != nil {
		for i, o := range objects {
			objects[i] = c.Decode(o)
		}
	}
	return objects
}

// inKeyOrder returns the objects of the keys that start with prefix,
// sorted by key: maps have no order, and runs must repeat.
func inKeyOrder(keys iter.Seq[string], n int, objects map[string]runtime.Object, prefix string) []runtime.Object {
	type kv struct {
		key string
		obj runtime.Object
	}
	if n <= 1 {
		// No order to keep: most Lists are of one object or none (a
		// namespace's Services, read for each pod change).
		out := make([]runtime.Object, 0, n)
		for k := range keys {
			if strings.HasPrefix(k, prefix) {
				out = append(out, objects[k])
			}
		}
		return out
	}
	pairs := make([]kv, 0, n)
	for k := range keys {
		if strings.HasPrefix(k, prefix) {
			pairs = append(pairs, kv{k, objects[k]})
		}
	}
	// slices.SortFunc, not sort.Slice: no boxing or reflection, and
	// keys are unique, so any sort gives the same order. This runs for
	// every List, mostly of one or no objects (a namespace's Services
	// for each pod change), where sort.Slice's allocations were the cost.
	slices.SortFunc(pairs, func(a, b kv) int { return strings.Compare(a.key, b.key) })
	out := make([]runtime.Object, len(pairs))
	for i, p := range pairs {
		out[i] = p.obj
	}
	return out
}

// Count is the number of objects under a resource prefix.
func (s *Store) Count(prefix string) int { return len(s.prefixes[resourcePrefix(prefix)]) }

// ByIndexAnyOrder returns the objects filed under value in a named index,
// in no particular order: for callers whose result does not depend on the
// order (counting, or sorting by their own total order), it saves a sort
// on the hottest path of a large cluster.
func (s *Store) ByIndexAnyOrder(prefix, name, value string) []runtime.Object {
	ix := s.indexes[prefix][name]
	if ix == nil {
		return nil
	}
	set, objects := ix.values[value], s.prefixes[prefix]
	out := make([]runtime.Object, 0, set.len())
	for key := range set.all {
		out = append(out, objects[key])
	}
	return s.decodeAll(prefix, out)
}

// IndexLen is how many objects are filed under value in a named index.
func (s *Store) IndexLen(prefix, name, value string) int {
	if ix := s.indexes[prefix][name]; ix != nil {
		return ix.values[value].len()
	}
	return 0
}

// ByIndex returns the objects filed under value in a named index of a
// resource prefix, in key order.
func (s *Store) ByIndex(prefix, name, value string) []runtime.Object {
	ix := s.indexes[prefix][name]
	if ix == nil {
		return nil
	}
	set := ix.values[value]
	return s.decodeAll(prefix, inKeyOrder(set.all, set.len(), s.prefixes[prefix], prefix))
}
