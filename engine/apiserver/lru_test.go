package apiserver

import (
	"hash/maphash"
	"testing"
)

var testSeed = maphash.MakeSeed()

// The typed cache evicts as k8s.io/utils/lru does: the least recently
// added or read entry goes first, and re-adding a key refreshes it.
func TestLRUEvictsLeastRecentlyUsed(t *testing.T) {
	for _, tc := range []struct {
		name string
		hash func(string) uint64
	}{
		{"distinct hashes", func(s string) uint64 { return maphash.String(testSeed, s) }},
		// Every key in one chain: the answers must not change.
		{"one hash for all", func(string) uint64 { return 7 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newLRU[string, int](2)
			add := func(k string, v int) { c.Add(tc.hash(k), k, v) }
			get := func(k string) (int, bool) { return c.Get(tc.hash(k), k) }
			add("a", 1)
			add("b", 2)
			if v, ok := get("a"); !ok || v != 1 {
				t.Fatalf("Get(a) = %d, %v; want 1, true", v, ok)
			}
			add("c", 3) // b is the oldest now
			if _, ok := get("b"); ok {
				t.Error("b stayed, though a was read after it")
			}
			add("a", 10) // refreshes a: c is the oldest
			add("d", 4)
			if _, ok := get("c"); ok {
				t.Error("c stayed, though a was re-added after it")
			}
			if v, ok := get("a"); !ok || v != 10 {
				t.Errorf("Get(a) = %d, %v; want 10, true", v, ok)
			}
			if v, ok := get("d"); !ok || v != 4 {
				t.Errorf("Get(d) = %d, %v; want 4, true", v, ok)
			}
			if c.Len() != 2 {
				t.Errorf("Len() = %d, want 2", c.Len())
			}
			if n := len(c.entries); tc.name == "distinct hashes" && n != 2 {
				t.Errorf("%d hashes filed, want 2", n)
			}
		})
	}
}
