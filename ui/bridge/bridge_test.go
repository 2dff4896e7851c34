package bridge

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/sim"
)

// pump plays the UI goroutine: it waits for the command to park or
// finish and steps the cluster one visible hop at a time while it waits.
// Run under -race, it checks that the hand-over leaves no data race.
func pump(t *testing.T, d *Driver, cmd tea.Cmd) (FinishedMsg, int) {
	t.Helper()
	steps := 0
	for i := 0; i < 10000; i++ {
		if cmd == nil {
			if !d.Holding() {
				t.Fatal("nothing listens, yet the UI does not hold the cluster")
			}
			_, _, cmd = d.Step()
			steps++
			continue
		}
		switch msg := cmd().(type) {
		case ParkedMsg:
			cmd = d.Park(msg)
			_ = d.Board() // the UI reads the cluster while it holds it
		case FinishedMsg:
			d.Finish(msg)
			return msg, steps
		default:
			t.Fatalf("unexpected message %T", msg)
		}
	}
	t.Fatal("the command never finished")
	return FinishedMsg{}, steps
}

func TestHandOver(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 2})
	if err != nil {
		t.Fatal(err)
	}
	d := New(c, "en")
	res, steps := pump(t, d, d.Start("create deployment web --image=kubeplay/demo:v1 --replicas=2", nil))
	if res.Code != 0 || steps == 0 {
		t.Fatalf("code %d after %d steps; output:\n%s", res.Code, steps, d.Out.Take())
	}
	if out := d.Out.Take(); !strings.Contains(out, "deployment.apps/web created") {
		t.Errorf("output %q", out)
	}
	// The command is done; the cluster keeps working, stepped by the UI.
	for d.C.Pending() > 0 {
		d.Step()
	}
	if b := d.Board(); len(b.Deploys) != 1 || b.Deploys[0].Ready != 2 {
		t.Errorf("board %+v", b.Deploys)
	}
	if hops := d.TakeHops(); len(hops) < 20 {
		t.Errorf("only %d hops observed", len(hops))
	}
	// sleep goes through the hand-over too, and with nothing queued the
	// clock jumps to its end without a step.
	before := c.Elapsed()
	res, _ = pump(t, d, d.Start("sleep 30s", nil))
	if res.Code != 0 || c.Elapsed()-before < 30*time.Second {
		t.Errorf("sleep: code %d, %v passed", res.Code, c.Elapsed()-before)
	}
}

func TestInterruptAndClose(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 1})
	if err != nil {
		t.Fatal(err)
	}
	d := New(c, "en")
	cmd := d.Start("get pods -w", nil)
	msg := cmd().(ParkedMsg)
	if d.Park(msg) != nil {
		t.Fatal("a watch was handed back at once")
	}
	cmd = d.Interrupt()
	var fin FinishedMsg
	for cmd != nil {
		switch m := cmd().(type) {
		case ParkedMsg:
			cmd = d.Park(m)
		case FinishedMsg:
			d.Finish(m)
			fin, cmd = m, nil
		}
	}
	if d.Running() {
		t.Error("the interrupted command still runs")
	}
	// Stopped in its first request, kubectl says nothing, as after ^C,
	// and ends as SIGINT ends a command.
	if out := d.Out.Take(); strings.Contains(out, "error") || fin.Code != 130 {
		t.Errorf("get -w stopped in its list: exit %d, output %q", fin.Code, out)
	}
	d.Start("sleep 1m", nil)
	d.Close() // a parked or parking command is released on quit
	d.Close()
}

// TestRealtimeNeverWaitsInUpdate: on a real-time cluster the UI's calls
// deliver what is due and return at once; a hop the runtime injects from
// another goroutine wakes the Waiter; a hop not due yet is not stepped.
func TestRealtimeNeverWaitsInUpdate(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 1, Clock: sim.SystemClock{}})
	if err != nil {
		t.Fatal(err)
	}
	d := New(c, "en")
	if !d.Realtime() {
		t.Fatal("a cluster with a clock is not real-time")
	}
	d.Advance(time.Hour) // settles whatever booting queued, without waiting an hour
	k := c
	fired := false
	k.After(time.Hour, "kubelet/node-1", "far away", func() { fired = true })
	start := time.Now()
	d.Advance(time.Hour)
	if _, ok, _ := d.Step(); ok || fired {
		t.Fatal("a hop an hour away was delivered now")
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("Advance and Step waited %s", time.Since(start))
	}

	cancel := make(chan struct{})
	wait := d.Waiter(cancel, false)
	got := make(chan tea.Msg, 1)
	go func() { got <- wait() }()
	arrived := false
	go k.Inject(sim.Hop{From: "runtime/node-1", To: "kubelet/node-1", Verb: "started"}, func() { arrived = true })
	select {
	case msg := <-got:
		if _, ok := msg.(WakeMsg); !ok {
			t.Fatalf("the waiter reported %T", msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("an injected hop did not wake the waiter")
	}
	if !d.DueNow() {
		t.Fatal("the injected hop is not due now")
	}
	if h, ok, _ := d.Step(); !ok || h.Verb != "started" || !arrived {
		t.Fatalf("step delivered %+v %v; want the injected hop", h, ok)
	}

	// A cancelled waiter reports nothing; a closed driver ends it too.
	wait = d.Waiter(cancel, false)
	close(cancel)
	if msg := wait(); msg != nil {
		t.Fatalf("a cancelled waiter reported %T", msg)
	}
	d.Close()
	if msg := d.Waiter(make(chan struct{}), true)(); msg != nil {
		t.Fatalf("a waiter of a closed driver reported %T", msg)
	}
}

// TestRealtimeClockMovesWhileHopsWait: in step mode on a real-time
// cluster (Docker) a due hop waits for a key, but the containers and the
// wall clock go on: the waiter still wakes within a second, so that the
// clock on screen moves instead of freezing and then leaping at the next
// key.
func TestRealtimeClockMovesWhileHopsWait(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 1, Clock: sim.SystemClock{}})
	if err != nil {
		t.Fatal(err)
	}
	d := New(c, "en")
	defer d.Close()
	d.Advance(time.Hour)
	c.Inject(sim.Hop{From: "runtime/node-1", To: "kubelet/node-1", Verb: "started"}, func() {})
	c.CatchUp()
	if !d.DueNow() {
		t.Fatal("the injected hop is not due now")
	}
	delay, timed := d.ahead(false)
	if !timed || delay <= 0 || delay > time.Second {
		t.Fatalf("with a due hop held for a key, the waiter waits %v (timed %v); want at most a second", delay, timed)
	}
	before := c.Elapsed()
	if _, ok := d.Waiter(make(chan struct{}), false)().(WakeMsg); !ok {
		t.Fatal("the waiter did not wake")
	}
	c.CatchUp()
	if c.Elapsed() <= before {
		t.Errorf("the cluster's time stood at %v after the waiter woke", c.Elapsed())
	}
	if !d.DueNow() {
		t.Error("the held hop was delivered without a key")
	}
}
