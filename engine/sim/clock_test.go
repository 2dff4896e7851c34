package sim

import (
	"sync"
	"testing"
	"time"
)

// jumpClock is a wall clock that moves only when the kernel waits on it,
// and then by exactly the time waited: real-time code, tested instantly.
type jumpClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *jumpClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *jumpClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

func TestRealtimeKernelWaitsForDueHops(t *testing.T) {
	clock := &jumpClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	k := NewRealtimeKernel(1, clock)
	fired := time.Duration(-1)
	k.After(3*time.Second, "kubelet", "probe", func() { fired = k.Elapsed() })
	k.RunFor(5 * time.Second)
	if fired != 3*time.Second {
		t.Fatalf("timer fired at %s, want 3s", fired)
	}
	if got := clock.Now().Sub(k.start); got != 5*time.Second {
		t.Fatalf("the kernel waited %s of wall time, want 5s", got)
	}
	if !k.Now().Equal(clock.Now()) {
		t.Fatalf("kernel time %s differs from the wall clock %s", k.Now(), clock.Now())
	}
}

func TestInjectFromAnotherGoroutine(t *testing.T) {
	k := NewRealtimeKernel(1, SystemClock{})
	var got []string
	go k.Inject(Hop{From: "runtime/node-1", To: "kubelet/node-1", Verb: "exited"}, func() { got = append(got, "exited") })
	if !k.RunUntil(10*time.Second, func() bool { return len(got) == 1 }) {
		t.Fatal("the injected hop was never delivered")
	}
}
