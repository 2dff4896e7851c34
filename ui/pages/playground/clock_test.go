package playground

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/bridge"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/prompt"
	"github.com/kubeplay/kubeplay/ui/internal/walltest"
	"github.com/kubeplay/kubeplay/ui/theme"
	"k8s.io/apimachinery/pkg/runtime"
)

// clockRig is a playground on a simulated cluster whose wall clock and
// timers are the test's: minutes of wall time pass in no time.
type clockRig struct {
	t    *testing.T
	m    *Model
	k    *cluster.Cluster
	wall *walltest.Clock
}

func newClockRig(t *testing.T) *clockRig {
	t.Helper()
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 2})
	if err != nil {
		t.Fatal(err)
	}
	r := &clockRig{t: t, k: c, wall: walltest.New(sim.Epoch)}
	r.m = New(common.New("en", theme.NoColor, true), bridge.New(c, "en"), "sim")
	r.m.SetSize(120, 36)
	r.m.SetInstant(true)
	r.m.SetClock(r.wall.Now, r.wall.After)
	t.Cleanup(r.m.d.Close)
	return r
}

func (r *clockRig) run(cmd tea.Cmd) { walltest.Run(r.m.Update, cmd) }

// start is where a check of the clock starts: the wall instant from
// which the cluster is owed its time (the last it was given it, when
// the clock runs), and the cluster's time.
func (r *clockRig) start() (time.Time, time.Duration) {
	if r.m.clockOn {
		return r.m.clockAt, r.k.Elapsed()
	}
	return r.wall.Now(), r.k.Elapsed()
}

// within fails the test when the cluster's clock moved more since
// (w0, c0) than the wall clock allowed at the speed; it returns how far
// it moved.
func (r *clockRig) within(w0 time.Time, c0 time.Duration) time.Duration {
	r.t.Helper()
	speed := speeds[r.m.speed]
	moved, allowed := r.k.Elapsed()-c0, time.Duration(float64(r.wall.Now().Sub(w0))*speed)
	if moved > allowed {
		r.t.Fatalf("%v of wall time at ×%g: the cluster's clock moved %v, more than %v (now %v)",
			r.wall.Now().Sub(w0), speed, moved, allowed, r.k.Elapsed())
	}
	return moved
}

// line runs a command line typed at the prompt, and lets the wall clock
// go on until it has finished (at most limit).
func (r *clockRig) line(s string, limit time.Duration) {
	r.t.Helper()
	w0, c0 := r.start()
	if r.m.mode != Step && !strings.HasPrefix(s, "sleep") {
		defer r.within(w0, c0)
	}
	r.run(r.m.Update(prompt.SubmitMsg{Line: s}))
	end := r.wall.Now().Add(limit)
	for r.m.d.Running() {
		if r.m.mode == Step {
			r.run(r.m.step())
			continue
		}
		msg, ok := r.wall.Next(end)
		if !ok {
			r.t.Fatalf("%q still runs after %v of wall time; output:\n%s", s, limit, strings.Join(r.m.OutputLines(), "\n"))
		}
		r.run(r.m.Update(msg))
	}
}

// idle lets d of wall time pass with nobody at the keyboard, firing the
// timers the playground set, and checks after each that the cluster's
// clock moved no more than the wall clock allowed: d × speed. It
// returns how far the cluster's clock moved. (line checks the same over
// a command.)
func (r *clockRig) idle(d time.Duration) time.Duration {
	r.t.Helper()
	end := r.wall.Now().Add(d)
	w0, c0 := r.start()
	for {
		msg, ok := r.wall.Next(end)
		moved := r.within(w0, c0)
		if !ok {
			return moved
		}
		r.run(r.m.Update(msg))
	}
}

// In paced and free mode an idle cluster's clock follows the wall clock
// times the speed: no leap to the next timer (a Deployment's progress
// deadline is ten minutes ahead), and no standing still either.
func TestIdleClockFollowsTheWall(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mode  Mode
		speed int // index into speeds
	}{
		{"paced ×1", Paced, 2},
		{"paced ×4", Paced, 4},
		{"free ×1", Free, 2},
		{"free ×0.5", Free, 1},
		{"free ×16", Free, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newClockRig(t)
			r.run(r.m.SetMode(tc.mode))
			r.run(r.m.setSpeed(tc.speed))
			r.line("create deployment web --image=nginx", time.Minute)
			r.idle(time.Minute) // the pod comes up
			const quiet = 20 * time.Minute
			moved := r.idle(quiet)
			want := time.Duration(float64(quiet) * speeds[tc.speed])
			if moved < want-2*clockTick*16 {
				t.Errorf("in %v of idle wall time the cluster's clock moved only %v, want about %v", quiet, moved, want)
			}
			// A command's requests leave at the wall clock's now.
			before := r.k.Elapsed()
			r.line("get deployments", time.Minute)
			if got := r.k.Elapsed() - before; got > time.Minute {
				t.Errorf("get deployments moved the clock by %v", got)
			}
		})
	}
}

// A command that waits (get -w) does not end early by a leap of the
// clock: it watches for its 30 s of cluster time, at the wall's pace.
func TestWatchTakesItsTime(t *testing.T) {
	for _, mode := range []Mode{Paced, Free} {
		r := newClockRig(t)
		r.run(r.m.SetMode(mode))
		r.line("create deployment web --image=nginx", time.Minute)
		r.idle(time.Minute)
		r.run(r.m.setSpeed(3)) // ×2
		r.run(r.m.Update(prompt.SubmitMsg{Line: "get pods -w"}))
		r.idle(10 * time.Second)
		if !r.m.d.Running() {
			t.Errorf("mode %d: get -w ended within 10 s of wall time at ×2; it watches 30 s of cluster time", mode)
		}
		r.idle(6 * time.Second)
		if r.m.d.Running() {
			t.Errorf("mode %d: get -w still runs after 16 s of wall time at ×2", mode)
		}
	}
}

// Step mode stops time between hops: with nobody pressing a key, the
// clock does not move, whatever is queued or waiting.
func TestStepModeStopsTheClock(t *testing.T) {
	r := newClockRig(t)
	r.line("create deployment web --image=nginx", time.Minute)
	for i := 0; i < 500; i++ { // up to the pod running
		if next, ok := r.k.Next(); !ok || next.At > time.Minute {
			break
		}
		r.run(r.m.step())
	}
	if r.k.Pending() == 0 {
		t.Fatal("nothing is queued: the test would prove nothing")
	}
	if moved := r.idle(time.Hour); moved != 0 {
		t.Errorf("an hour idle in step mode moved the clock by %v", moved)
	}
	// A command waiting on the cluster waits for the learner too.
	r.run(r.m.Update(prompt.SubmitMsg{Line: "get pods -w"}))
	if moved := r.idle(time.Hour); moved != 0 {
		t.Errorf("an hour idle in step mode with get -w waiting moved the clock by %v", moved)
	}
	if !r.m.d.Running() {
		t.Error("get -w ended by itself in step mode")
	}
	// Each key press delivers a hop and moves the clock to its time, no
	// further; with none left before the end of the wait, the press
	// ends it.
	var last sim.Hop
	r.k.Observe(func(h sim.Hop) { last = h })
	for i := 0; i < 100 && r.m.d.Running(); i++ {
		before := last
		r.run(r.m.step())
		if last != before && r.k.Elapsed() != last.At {
			t.Fatalf("a press delivered %s %s at %v, and the clock went on to %v", last.Verb, last.Object, last.At, r.k.Elapsed())
		}
	}
	if r.m.d.Running() {
		t.Error("stepping never ended get -w")
	}
	if out := strings.Join(r.m.OutputLines(), "\n"); !strings.Contains(out, "web-") {
		t.Errorf("get -w showed no pod:\n%s", out)
	}
}

// sleep is the one deliberate leap: it fast-forwards at once in every
// mode, and the output says so.
func TestSleepFastForwards(t *testing.T) {
	for _, mode := range []Mode{Step, Paced, Free} {
		r := newClockRig(t)
		r.run(r.m.SetMode(mode))
		r.line("create deployment web --image=nginx", time.Minute)
		before := r.k.Elapsed()
		r.line("sleep 5m", time.Second)
		if got := r.k.Elapsed() - before; got < 5*time.Minute || got > 5*time.Minute+time.Second {
			t.Errorf("mode %d: sleep 5m moved the clock by %v", mode, got)
		}
		out := strings.Join(r.m.OutputLines(), "\n")
		if want := "fast-forward: cluster time " + clockText(before) + " → " + clockText(before+5*time.Minute); !strings.Contains(out, want) {
			t.Errorf("mode %d: the output does not say %q:\n%s", mode, want, out)
		}
	}
}

// A held clock (a lesson, while the learner reads) still answers a
// request from outside — the learner's own kubectl — then holds again.
func TestHeldClockAnswersOutside(t *testing.T) {
	r := newClockRig(t)
	r.run(r.m.SetMode(Free))
	r.line("create deployment web --image=nginx", time.Minute)
	r.run(r.m.SetHold(true))
	if moved := r.idle(time.Hour); moved != 0 {
		t.Fatalf("a held clock moved %v in an hour", moved)
	}
	pods, _ := apiserver.ResourceFor("pods")
	answered := false
	r.k.Inject(sim.Hop{From: "outside", To: "apiserver", Verb: "list", Object: "pods"}, func() {
		r.m.d.C.Submit("outside", apiserver.Request{Verb: sim.VerbList, Resource: pods, Namespace: "default",
			Done: func(runtime.Object, error) { answered = true }})
	})
	before := r.k.Elapsed()
	r.run(r.m.wake()) // what WakeMsg does, without listening again
	r.idle(time.Minute)
	if !answered {
		t.Error("a request from outside was not answered while the clock was held")
	}
	if moved := r.k.Elapsed() - before; moved > outsideGrace {
		t.Errorf("answering it let the held clock run %v", moved)
	}
	if moved := r.idle(time.Hour); moved != 0 {
		t.Errorf("after the answer the held clock moved %v in an hour", moved)
	}
}

// ⏎ on an empty prompt (or ^N) while the clock runs with the wall
// delivers only what the wall clock has allowed: it never leaps to the
// next timer (a Deployment's progress deadline, ten minutes ahead).
func TestStepKeyKeepsToTheWall(t *testing.T) {
	for name, mode := range map[string]Mode{"paced": Paced, "free": Free} {
		t.Run(name, func(t *testing.T) {
			r := newClockRig(t)
			r.run(r.m.SetMode(mode))
			r.line("create deployment web --image=nginx", time.Minute)
			r.idle(time.Minute) // the pod comes up; the cluster goes quiet
			w0, c0 := r.start()
			for i := 0; i < 5; i++ {
				r.run(r.m.step())
			}
			r.within(w0, c0)
		})
	}
}
