package sim

import (
	"fmt"
	"testing"
	"time"
)

func TestKernelOrdersByTimeThenSequence(t *testing.T) {
	k := NewKernel(1)
	var got []string
	send := func(d time.Duration, name string) {
		k.Send(d, Hop{From: "a", To: "b", Verb: Verb(name)}, func() { got = append(got, name) })
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

// runner is a Runner that notes its name where it runs.
type runner struct {
	name string
	got  *[]string
}

func (r *runner) Run() { *r.got = append(*r.got, r.name) }

// A Runner's hop is ordered with the others by time and sequence, as a
// func's is.
func TestSendRunnerOrdersWithSend(t *testing.T) {
	k := NewKernel(1)
	var got []string
	k.SendRunner(time.Second, Hop{From: "a", To: "b"}, &runner{"runner late", &got})
	k.Send(0, Hop{From: "a", To: "b"}, func() { got = append(got, "func first") })
	k.SendRunner(0, Hop{From: "a", To: "b"}, &runner{"runner second", &got})
	k.Send(time.Second, Hop{From: "a", To: "b"}, func() { got = append(got, "func last") })
	for {
		if _, ok := k.Step(); !ok {
			break
		}
	}
	if want := "[func first runner second runner late func last]"; fmt.Sprint(got) != want {
		t.Errorf("delivered %v, want %s", got, want)
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

// TestQueueOrderUnderLoad sends hops at random instants, some while others
// are being delivered, and checks they arrive in (time, send order).
func TestQueueOrderUnderLoad(t *testing.T) {
	k := NewKernel(3)
	type stamp struct {
		at  time.Duration
		seq int
	}
	var got []stamp
	seq := 0
	var send func(depth int)
	send = func(depth int) {
		seq++
		my := seq
		d := time.Duration(k.Rand().IntN(5)) * time.Millisecond
		k.Send(d, Hop{Verb: "x"}, func() {
			got = append(got, stamp{k.Elapsed(), my})
			if depth < 3 {
				for range k.Rand().IntN(3) {
					send(depth + 1)
				}
			}
		})
	}
	for range 200 {
		send(0)
	}
	k.RunFor(time.Minute)
	if len(got) != seq {
		t.Fatalf("delivered %d of %d hops", len(got), seq)
	}
	for i := 1; i < len(got); i++ {
		a, b := got[i-1], got[i]
		if b.at < a.at {
			t.Fatalf("hop %d at %s delivered after one at %s", b.seq, b.at, a.at)
		}
		if b.at == a.at && b.seq < a.seq {
			t.Fatalf("at %s, hop %d (sent later) came before %d", a.at, a.seq, b.seq)
		}
	}
}
