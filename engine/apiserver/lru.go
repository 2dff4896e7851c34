package apiserver

// lruCache is the least-recently-used cache of k8s.io/utils/lru (the
// same Add, Get and eviction order), typed: the event correlator looks a
// key up and adds it for every event, and the untyped cache boxed each
// key and value and allocated two nodes per entry, a third of Record's
// allocations. It is not safe for concurrent use; the apiserver runs on
// the kernel's single thread.
//
// Entries are filed by a hash the caller computes once per key: the
// correlator's keys are eight strings and a message, and a Go map hashed
// them again for every Get, Add and eviction (six times an event). Keys of
// the same hash share a chain, so a collision costs a comparison, never a
// wrong answer; which hash function is used changes nothing but speed.
type lruCache[K comparable, V any] struct {
	max     int
	len     int
	entries map[uint64]*lruEntry[K, V] // by hash: the first of a chain
	// root is the ring's sentinel: root.next is the most recent entry,
	// root.prev the oldest.
	root lruEntry[K, V]
}

type lruEntry[K comparable, V any] struct {
	key        K
	hash       uint64
	value      V
	prev, next *lruEntry[K, V]
	sameHash   *lruEntry[K, V] // the next entry of the same hash
}

func newLRU[K comparable, V any](max int) *lruCache[K, V] {
	c := &lruCache[K, V]{max: max, entries: map[uint64]*lruEntry[K, V]{}}
	c.root.prev, c.root.next = &c.root, &c.root
	return c
}

// Len is the number of entries.
func (c *lruCache[K, V]) Len() int { return c.len }

func (c *lruCache[K, V]) find(h uint64, key K) *lruEntry[K, V] {
	e := c.entries[h]
	for e != nil && e.key != key {
		e = e.sameHash
	}
	return e
}

// Get returns the value of key, whose hash is h, and makes it the most
// recent entry.
func (c *lruCache[K, V]) Get(h uint64, key K) (V, bool) {
	e := c.find(h, key)
	if e == nil {
		var zero V
		return zero, false
	}
	c.toFront(e)
	return e.value, true
}

// Add sets the value of key, whose hash is h, and makes it the most
// recent entry; past max entries, the oldest goes.
func (c *lruCache[K, V]) Add(h uint64, key K, value V) {
	if e := c.find(h, key); e != nil {
		e.value = value
		c.toFront(e)
		return
	}
	var e *lruEntry[K, V]
	if c.len >= c.max {
		// The oldest goes, and its entry serves the new key: a full
		// cache, as an event recorder's always is, allocates nothing.
		e = c.root.prev
		c.unlink(e)
		c.unfile(e)
		*e = lruEntry[K, V]{key: key, hash: h, value: value}
	} else {
		e = &lruEntry[K, V]{key: key, hash: h, value: value}
	}
	c.len++
	e.sameHash = c.entries[h]
	c.entries[h] = e
	c.link(e)
}

// unfile takes e out of its hash's chain.
func (c *lruCache[K, V]) unfile(e *lruEntry[K, V]) {
	c.len--
	first := c.entries[e.hash]
	if first == e {
		if e.sameHash == nil {
			delete(c.entries, e.hash)
		} else {
			c.entries[e.hash] = e.sameHash
		}
		return
	}
	for p := first; p != nil; p = p.sameHash {
		if p.sameHash == e {
			p.sameHash = e.sameHash
			return
		}
	}
}

// Oldest is the value that the next Add of a new key would put out, when
// the cache is full: its caller may reuse it for that key.
func (c *lruCache[K, V]) Oldest() (V, bool) {
	if c.len < c.max || c.root.prev == &c.root {
		var zero V
		return zero, false
	}
	return c.root.prev.value, true
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
