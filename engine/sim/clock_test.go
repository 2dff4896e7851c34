package sim

import (
	"sync"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim/simtest"
)

func TestRealtimeKernelWaitsForDueHops(t *testing.T) {
	clock := simtest.NewJumpClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
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

// TestWakeIsSeparateFromRunUntil: a front end reading Wake never takes the
// wake-up RunUntil waits on, and a wake-up sent while nobody reads is kept.
func TestWakeIsSeparateFromRunUntil(t *testing.T) {
	k := NewRealtimeKernel(1, SystemClock{})
	// Nobody reads yet: the wake-up waits on the channel.
	k.Inject(Hop{Verb: "started"}, nil)
	select {
	case <-k.Wake():
	case <-time.After(5 * time.Second):
		t.Fatal("a wake-up sent before anyone read was lost")
	}
	k.RunFor(0)
	if k.Pending() != 0 {
		t.Fatalf("RunFor(0) left %d hops that were due", k.Pending())
	}

	// A reader of Wake and RunUntil at once: both hear every Inject.
	var mu sync.Mutex
	delivered := 0
	heard := make(chan struct{})
	go func() {
		<-k.Wake()
		close(heard)
	}()
	go func() {
		time.Sleep(10 * time.Millisecond)
		k.Inject(Hop{Verb: "exited"}, func() { mu.Lock(); delivered++; mu.Unlock() })
	}()
	start := time.Now()
	ok := k.RunUntil(time.Minute, func() bool { mu.Lock(); defer mu.Unlock(); return delivered == 1 })
	if !ok || time.Since(start) > 30*time.Second {
		t.Fatalf("RunUntil did not wake for the injected hop (ok=%v after %s)", ok, time.Since(start))
	}
	select {
	case <-heard:
	case <-time.After(5 * time.Second):
		t.Fatal("the Wake reader never heard the Inject")
	}
}

// TestCatchUpDeliversNothing: CatchUp takes injected hops in and moves the
// clock, and leaves the delivering to the caller.
func TestCatchUpDeliversNothing(t *testing.T) {
	clock := simtest.NewJumpClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	k := NewRealtimeKernel(1, clock)
	done := make(chan struct{})
	go func() { k.Inject(Hop{Verb: "pulled"}, nil); close(done) }()
	<-done
	clock.Pass(2 * time.Second)
	k.CatchUp()
	if k.Elapsed() != 2*time.Second {
		t.Fatalf("elapsed %s after CatchUp, want 2s", k.Elapsed())
	}
	h, ok := k.Next()
	if !ok || h.Verb != "pulled" || h.At != 2*time.Second || k.Delivered() != 0 {
		t.Fatalf("after CatchUp: next %+v %v, delivered %d; want the injected hop queued at 2s, nothing delivered", h, ok, k.Delivered())
	}
}

// TestRunLiveLetsVirtualTimeFlowForTheWhile: a virtual kernel follows the
// wall clock inside RunLive, from where it stood, keeps its virtual
// instants (Now stays on Epoch) and is virtual again afterwards.
func TestRunLiveLetsVirtualTimeFlowForTheWhile(t *testing.T) {
	clock := simtest.NewJumpClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	k := NewKernel(1)
	k.RunFor(10 * time.Second)
	fired := time.Duration(-1)
	k.After(2*time.Second, "kubelet", "probe", func() { fired = k.Elapsed() })
	k.RunLive(clock, func() bool { return fired >= 0 })
	if fired != 12*time.Second {
		t.Fatalf("timer fired at %s, want 12s", fired)
	}
	if got := clock.Now().Sub(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); got != 2*time.Second {
		t.Fatalf("RunLive waited %s of wall time, want 2s", got)
	}
	if !k.Now().Equal(Epoch.Add(12 * time.Second)) {
		t.Fatalf("Now = %s, want Epoch+12s", k.Now())
	}
	if k.Realtime() {
		t.Fatal("the kernel stayed real-time after RunLive")
	}
	k.RunFor(time.Hour) // virtual again: returns at once
	if k.Elapsed() != time.Hour+12*time.Second {
		t.Fatalf("after RunLive, RunFor(1h) left the clock at %s", k.Elapsed())
	}
}

// TestRunLiveWakesOnInject: with nothing queued RunLive waits for an
// injected hop, not for a timer.
func TestRunLiveWakesOnInject(t *testing.T) {
	k := NewKernel(1)
	var mu sync.Mutex
	got := false
	go k.Inject(Hop{From: "client", To: "kube-proxy", Verb: "connect"}, func() {
		mu.Lock()
		got = true
		mu.Unlock()
	})
	k.RunLive(SystemClock{}, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return got
	})
}

// TestVirtualRunUntilTakesALateInjection: a hop injected after RunUntil
// last took in the injected ones — here from inside done, the window a
// front end's request can land in — is delivered at once; virtual time
// does not jump to the limit past it.
func TestVirtualRunUntilTakesALateInjection(t *testing.T) {
	k := NewKernel(1)
	waiting, delivered := false, false
	done := func() bool {
		if !waiting && !delivered {
			waiting = true
			k.Inject(Hop{From: "kubectl", To: "kubectl", Verb: "send"}, func() { waiting, delivered = false, true })
		}
		return delivered
	}
	if !k.RunUntil(time.Minute, done) {
		t.Fatal("the late injection was never delivered")
	}
	if k.Elapsed() != 0 {
		t.Fatalf("virtual time jumped to %s before delivering the injected hop, want 0s", k.Elapsed())
	}
}
