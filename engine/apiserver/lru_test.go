package apiserver

import "testing"

// The typed cache evicts as k8s.io/utils/lru does: the least recently
// added or read entry goes first, and re-adding a key refreshes it.
func TestLRUEvictsLeastRecentlyUsed(t *testing.T) {
	c := newLRU[string, int](2)
	c.Add("a", 1)
	c.Add("b", 2)
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("Get(a) = %d, %v; want 1, true", v, ok)
	}
	c.Add("c", 3) // b is the oldest now
	if _, ok := c.Get("b"); ok {
		t.Error("b stayed, though a was read after it")
	}
	c.Add("a", 10) // refreshes a: c is the oldest
	c.Add("d", 4)
	if _, ok := c.Get("c"); ok {
		t.Error("c stayed, though a was re-added after it")
	}
	if v, ok := c.Get("a"); !ok || v != 10 {
		t.Errorf("Get(a) = %d, %v; want 10, true", v, ok)
	}
	if c.Len() != 2 {
		t.Errorf("Len() = %d, want 2", c.Len())
	}
}
