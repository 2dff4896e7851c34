package sim

import (
	"testing"
	"time"
)

func TestKernelOrdersByTimeThenSequence(t *testing.T) {
	k := NewKernel(1)
	var got []string
	send := func(d time.Duration, name string) {
		k.Send(d, Hop{From: "a", To: "b", Verb: name}, func() { got = append(got, name) })
	}
	send(2*time.Second, "late")
	send(0, "first")
	send(0, "second")
	send(time.Second, "middle")
	for {
		if _, ok := k.Step(); !ok {
			break
		}
	}
	want := []string{"first", "second", "middle", "late"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if k.Elapsed() != 2*time.Second {
		t.Errorf("clock at %s after the last hop, want 2s", k.Elapsed())
	}
}

func TestRunForJumpsOverIdleTime(t *testing.T) {
	k := NewKernel(1)
	fired := false
	k.After(4*time.Minute, "kubelet", "timer", func() { fired = true })
	k.RunFor(5 * time.Minute)
	if !fired || k.Elapsed() != 5*time.Minute {
		t.Fatalf("fired=%v elapsed=%s; want the timer fired and the clock at 5m", fired, k.Elapsed())
	}
}

func TestObserversSeeVisibleHopsOnly(t *testing.T) {
	k := NewKernel(1)
	var seen []Hop
	k.Observe(func(h Hop) { seen = append(seen, h) })
	k.Send(0, Hop{From: "kubectl", To: "apiserver", Verb: "create"}, nil)
	k.After(0, "kubelet", "probe due", nil)
	k.RunFor(time.Second)
	if len(seen) != 1 || seen[0].Verb != "create" {
		t.Fatalf("observers saw %v, want only the create hop", seen)
	}
}

func TestSameSeedSameRandom(t *testing.T) {
	a, b := NewKernel(7), NewKernel(7)
	for range 100 {
		if a.Rand().Uint64() != b.Rand().Uint64() {
			t.Fatal("two kernels with the same seed drew different numbers")
		}
	}
}

// BenchmarkKernelHops measures the kernel alone: a chain of hops, each of
// which sends the next, as the components do. Goal: ≥ 50,000 hops/s.
func BenchmarkKernelHops(b *testing.B) {
	k := NewKernel(1)
	k.Observe(func(Hop) {})
	var next func()
	n := 0
	next = func() {
		n++
		if n < b.N {
			k.Send(time.Millisecond, Hop{From: "apiserver", To: "etcd", Verb: "put", Object: "pods/x"}, next)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	k.Send(0, Hop{From: "kubectl", To: "apiserver", Verb: "create"}, next)
	for {
		if _, ok := k.Step(); !ok {
			break
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "hops/s")
}
