package sim

import (
	"testing"
	"time"
)

// Background hops (an add-on's routine probes) are delivered in time
// order like any other but are not work still to come: Pending does not
// count them and NextWork passes over them, so a front end stepping to
// the next thing to see, or waiting for the cluster to be done, is not
// held by upkeep due every few seconds forever.
func TestBackgroundHopsAreNotWork(t *testing.T) {
	k := NewKernel(1)
	var probe func()
	probes := 0
	probe = func() {
		probes++
		k.AfterBackground(10*time.Second, Component(KindKubelet), "probe due", probe)
	}
	k.AfterBackground(10*time.Second, Component(KindKubelet), "probe due", probe)
	if n := k.Pending(); n != 0 {
		t.Fatalf("Pending %d with only a background timer queued, want 0", n)
	}
	if h, ok := k.NextWork(); ok {
		t.Fatalf("NextWork gave %v with no work queued", h)
	}
	done := false
	k.After(time.Minute, Component(KindControllerManager), "progress check", func() { done = true })
	if n := k.Pending(); n != 1 {
		t.Fatalf("Pending %d, want 1", n)
	}
	h, ok := k.NextWork()
	if !ok || h.At != time.Minute || h.Summary != "progress check" {
		t.Fatalf("NextWork %v %v, want the progress check at 1m", h, ok)
	}
	if next, _ := k.Next(); next.At != 10*time.Second {
		t.Fatalf("Next %v, want the probe at 10s", next)
	}
	k.RunUntil(2*time.Minute, func() bool { return done })
	if probes != 5 || k.Pending() != 0 { // at 10s … 50s; the one at 1m comes after the check, sent before it
		t.Fatalf("%d probes by 1m and Pending %d, want 5 and 0", probes, k.Pending())
	}
}
