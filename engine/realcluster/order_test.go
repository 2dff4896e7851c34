package realcluster

import (
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"
)

// TestOrdererPutsCauseBeforeEffect: a pod's event that arrives before its
// ReplicaSet's (another watch, another connection) is handed on after it,
// by resourceVersion; a deletion counts as the latest seen.
func TestOrdererPutsCauseBeforeEffect(t *testing.T) {
	k := sim.NewKernel(1)
	o := newOrderer(k)
	var got []string
	k.Observe(func(h sim.Hop) { got = append(got, h.Object) })
	o.add("105", sim.Hop{Object: "pods/web-1"}, nil)
	o.add("", sim.Hop{Object: "pods/old deleted"}, nil)
	o.add("101", sim.Hop{Object: "replicasets/web"}, nil)
	if next := o.flush(time.Now()); next <= 0 || next > orderWindow {
		t.Errorf("nothing is due yet, but the next is due in %v", next)
	}
	if k.RunFor(0); len(got) != 0 {
		t.Fatalf("handed on before the window: %v", got)
	}
	o.add("120", sim.Hop{Object: "pods/later"}, nil)
	o.flush(time.Now().Add(orderWindow))
	k.RunFor(0)
	want := []string{"replicasets/web", "pods/web-1", "pods/old deleted", "pods/later"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}
