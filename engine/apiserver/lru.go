package apiserver

// lruCache is the least-recently-used cache of k8s.io/utils/lru (the
// same Add, Get and eviction order), typed: the event correlator looks a
// key up and adds it for every event, and the untyped cache boxed each
// key and value and allocated two nodes per entry, a third of Record's
// allocations. It is not safe for concurrent use; the apiserver runs on
// the kernel's single thread.
type lruCache[K comparable, V any] struct {
	max     int
	entries map[K]*lruEntry[K, V]
	// root is the ring's sentinel: root.next is the most recent entry,
	// root.prev the oldest.
	root lruEntry[K, V]
}

type lruEntry[K comparable, V any] struct {
	key        K
	value      V
	prev, next *lruEntry[K, V]
}

func newLRU[K comparable, V any](max int) *lruCache[K, V] {
	c := &lruCache[K, V]{max: max, entries: map[K]*lruEntry[K, V]{}}
	c.root.prev, c.root.next = &c.root, &c.root
	return c
}

// Len is the number of entries.
func (c *lruCache[K, V]) Len() int { return len(c.entries) }

// Get returns key's value and makes it the most recent entry.
func (c *lruCache[K, V]) Get(key K) (V, bool) {
	e, ok := c.entries[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.toFront(e)
	return e.value, true
}

// Add sets key's value and makes it the most recent entry; past max
// entries, the oldest goes.
func (c *lruCache[K, V]) Add(key K, value V) {
	if e, ok := c.entries[key]; ok {
		e.value = value
		c.toFront(e)
		return
	}
	e := &lruEntry[K, V]{key: key, value: value}
	c.entries[key] = e
	c.link(e)
	if len(c.entries) > c.max {
		old := c.root.prev
		c.unlink(old)
		delete(c.entries, old.key)
	}
}

func (c *lruCache[K, V]) toFront(e *lruEntry[K, V]) {
	if c.root.next != e {
		c.unlink(e)
		c.link(e)
	}
}

// link puts e at the front.
func (c *lruCache[K, V]) link(e *lruEntry[K, V]) {
	e.prev, e.next = &c.root, c.root.next
	c.root.next.prev = e
	c.root.next = e
}

func (c *lruCache[K, V]) unlink(e *lruEntry[K, V]) {
	e.prev.next = e.next
	e.next.prev = e.prev
	e.prev, e.next = nil, nil
}
