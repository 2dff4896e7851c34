package bridge

import (
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/sim"
)

// Free mode with a gate stops right after the hop it selects: the hops
// after it wait, and the next Advance goes on from there.
func TestAdvanceStopsAtGate(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 2})
	if err != nil {
		t.Fatal(err)
	}
	d := New(c, "en")
	var seen []sim.Hop
	c.Observe(func(h sim.Hop) {
		if !h.Internal {
			seen = append(seen, h)
		}
	})
	d.SetGate(func(h sim.Hop) bool { return h.Verb == "bind" })
	cmd := d.Start("run web --image=kubeplay/demo:v1", nil)
	for i := 0; i < 100 && d.Running(); i++ {
		switch msg := cmd().(type) {
		case ParkedMsg:
			cmd = d.Park(msg)
			if cmd == nil {
				cmd = d.Advance(time.Minute)
			}
		case FinishedMsg:
			d.Finish(msg)
		}
	}
	before := len(seen)
	d.Advance(time.Minute)
	if len(seen) == before || seen[len(seen)-1].Verb != "bind" {
		t.Fatalf("Advance did not stop at the bind hop: %v", seen[before:])
	}
	if _, ok := d.Next(); !ok {
		t.Fatal("nothing waits after the gated hop")
	}
	d.SetGate(nil)
	d.Advance(time.Minute)
	if last := seen[len(seen)-1]; last.Verb == "bind" {
		t.Errorf("without a gate Advance still stopped at %v", last)
	}
}
