package lesson

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/prompt"
	"github.com/kubeplay/kubeplay/ui/internal/walltest"
	"github.com/kubeplay/kubeplay/ui/pages/playground"
	"github.com/kubeplay/kubeplay/ui/theme"
	corev1 "k8s.io/api/core/v1"
)

// lessonRig is a lesson page on a simulated cluster whose wall clock
// and timers are the test's.
type lessonRig struct {
	t    *testing.T
	m    *Model
	c    *cluster.Cluster
	wall *walltest.Clock
}

func newLessonRig(t *testing.T, id string) *lessonRig {
	t.Helper()
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	l, err := lessons.Find(all, id, "en")
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 2})
	if err != nil {
		t.Fatal(err)
	}
	prog, _ := lessons.LoadProgress(t.TempDir(), "en")
	r := &lessonRig{t: t, c: c, wall: walltest.New(sim.Epoch)}
	r.m = New(common.New("en", theme.NoColor, true), l, c, prog, "sim")
	r.m.SetSize(140, 40)
	r.m.play.SetInstant(true)
	r.m.play.SetClock(r.wall.Now, r.wall.After)
	t.Cleanup(r.m.Close)
	return r
}

func (r *lessonRig) run(cmd tea.Cmd) { walltest.Run(r.m.Update, cmd) }

// until lets the wall clock run, firing the playground's timers, until
// cond holds (true) or limit of wall time has passed (false). Each
// explanation the lesson holds the cluster for is read and continued.
func (r *lessonRig) until(limit time.Duration, cond func() bool) bool {
	end := r.wall.Now().Add(limit)
	for !cond() {
		if r.m.held {
			r.run(r.m.release())
			continue
		}
		msg, ok := r.wall.Next(end)
		if !ok {
			return cond()
		}
		r.run(r.m.Update(msg))
	}
	return true
}

// line runs a command typed at the prompt until it has finished.
func (r *lessonRig) line(s string) {
	r.t.Helper()
	r.run(r.m.Update(prompt.SubmitMsg{Line: s}))
	if !r.until(10*time.Minute, func() bool { return !r.m.d.Running() }) {
		r.t.Fatalf("%q still runs after 10 minutes", s)
	}
}

// idle lets d of wall time pass with nobody at the keyboard, and fails
// the test if the cluster's clock moved meanwhile.
func (r *lessonRig) idle(d time.Duration, what string) {
	r.t.Helper()
	before, pass := r.c.Elapsed(), r.m.passed
	r.until(d, func() bool { return false })
	if moved := r.c.Elapsed() - before; moved != 0 {
		r.t.Errorf("%s: the cluster ran on for %v while the learner read for %v", what, moved, d)
	}
	if r.m.passed != pass {
		r.t.Errorf("%s: the step's check passed while the learner only read", what)
	}
	if !r.m.play.Held() {
		r.t.Errorf("%s: the playground does not say the clock is held", what)
	}
}

func (r *lessonRig) restarts(pod string) int32 {
	res, _ := apiserver.ResourceFor("pods")
	o, err := r.c.Get(res, "default", pod)
	if err != nil {
		r.t.Fatal(err)
	}
	st := o.(*corev1.Pod).Status.ContainerStatuses
	if len(st) == 0 {
		return 0
	}
	return st[0].RestartCount
}

func (r *lessonRig) output() string {
	return strings.Join(r.m.play.OutputLines(), "\n")
}

// The probes lesson in free mode: the cluster runs while a step needs
// it and holds still while the learner reads, so that the text — Restart
// Count 1, a back-off of 10 s — is what describe and the hops show.
func TestLessonHoldsTheClockBetweenSteps(t *testing.T) {
	for _, mode := range []playground.Mode{playground.Paced, playground.Free} {
		r := newLessonRig(t, "probes")
		r.run(r.m.play.SetMode(mode))
		r.idle(5*time.Minute, "before the first command")

		// Step 1 runs the cluster until the first restart, then holds it.
		r.line(r.m.run.Command())
		if !r.until(5*time.Minute, func() bool { return r.m.passed }) {
			t.Fatalf("mode %d: step 1 did not pass in 5 minutes:\n%s", mode, r.output())
		}
		if n := r.restarts("liveness"); n != 1 {
			t.Errorf("mode %d: step 1 passed at restart %d", mode, n)
		}
		r.idle(10*time.Minute, "step 1 done")
		r.run(r.m.next())
		r.idle(10*time.Minute, "step 2 read")

		// Step 2 says Restart Count 1: describe says so.
		r.line("describe pod liveness")
		if out := r.output(); !strings.Contains(out, "Restart Count:  1\n") {
			t.Errorf("mode %d: describe after step 1 does not show Restart Count 1:\n%s", mode, out)
		}
		if !r.m.passed {
			t.Errorf("mode %d: step 2 (ran: describe) did not pass", mode)
		}
		r.run(r.m.next())
		// Step 3 waits for CrashLoopBackOff: not before the learner asks.
		r.idle(10*time.Minute, "step 3 read")
		r.line(r.m.run.Command())
		if !r.m.passed {
			t.Errorf("mode %d: step 3 did not pass after its wait:\n%s", mode, r.output())
		}
		if n := r.restarts("liveness"); n != 1 {
			t.Errorf("mode %d: CrashLoopBackOff came at restart %d; the lesson says after the first", mode, n)
		}
		r.idle(10*time.Minute, "step 3 done")
	}
}

// Step 4's sleep fast-forwards, and stops at the hops it explains: the
// first restart after a 10 s back-off is the second, not one the
// cluster reached while the learner read.
func TestLessonExplainsTheRestartItSays(t *testing.T) {
	r := newLessonRig(t, "probes")
	r.run(r.m.play.SetMode(playground.Free))
	r.line(r.m.run.Command())
	r.until(5*time.Minute, func() bool { return r.m.passed })
	r.run(r.m.next())
	r.run(r.m.next())
	r.line(r.m.run.Command())
	r.run(r.m.next())
	r.idle(10*time.Minute, "step 4 read")
	r.run(r.m.Update(prompt.SubmitMsg{Line: "sleep 75s"}))
	var explained []int32
	for i := 0; i < 1000 && r.m.d.Running(); i++ {
		if r.m.held {
			if strings.Contains(r.m.explain, "after 10 s") || strings.Contains(r.m.explain, "after 20 s") {
				explained = append(explained, r.restarts("liveness"))
			}
			r.run(r.m.release())
			continue
		}
		msg, ok := r.wall.Next(r.wall.Now().Add(time.Minute))
		if ok {
			r.run(r.m.Update(msg))
		}
	}
	// Explained as the container is created: the status still counts the
	// restarts before it, 1 and then 2.
	if len(explained) != 2 || explained[0] != 1 || explained[1] != 2 {
		t.Errorf("the back-offs of 10 s and 20 s were explained with %v restarts before, want [1 2]", explained)
	}
	if !strings.Contains(r.output(), "fast-forward") {
		t.Errorf("the output does not show the fast-forward:\n%s", r.output())
	}
}

// press sends keys to the page as the terminal would: "enter", or a ctrl
// key ("ctrl+n").
func (r *lessonRig) press(keys ...string) {
	for _, k := range keys {
		msg := tea.KeyPressMsg{Code: tea.KeyEnter}
		if c, ok := strings.CutPrefix(k, "ctrl+"); ok {
			msg = tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModCtrl}
		}
		r.run(r.m.Update(msg))
	}
}

// In STEP mode the learner steps the cluster with ⏎ on an empty prompt
// (or ^N) while a step needs it. Once the step's check has passed, the
// lesson holds the clock: those keys no longer move the cluster on —
// the text says Restart Count 1, and so does the cluster — and the pane
// says what to do next.
func TestLessonStepModeHeldAfterPass(t *testing.T) {
	r := newLessonRig(t, "probes")
	r.run(r.m.Update(prompt.SubmitMsg{Line: r.m.run.Command()}))
	r.m.play.SetPrompt("")
	for i := 0; i < 3000 && !r.m.passed; i++ {
		r.press("ctrl+n")
	}
	if !r.m.passed {
		t.Fatalf("step 1 did not pass:\n%s", r.output())
	}
	for i := 0; i < 100 && r.m.d.Running(); i++ {
		r.press("ctrl+n")
	}
	if n := r.restarts("liveness"); n != 1 {
		t.Fatalf("step 1 passed at restart %d", n)
	}
	before, hops := r.c.Elapsed(), r.m.play.HopCount()
	r.m.View() // drawn once the step is done, as the program does
	for range 20 {
		r.press("enter", "ctrl+n")
	}
	if moved, n := r.c.Elapsed()-before, r.m.play.HopCount()-hops; moved != 0 || n != 0 {
		t.Errorf("after the step's ✓, ⏎ and ^N moved the cluster on by %v and %d hops; restarts now %d", moved, n, r.restarts("liveness"))
	}
	if scr := ansi.Strip(r.m.View()); !strings.Contains(r.m.notice, "waits while you read") || !strings.Contains(scr, "PgDn: next step") {
		t.Errorf("⏎ on a held step does not say why nothing moves and what next: notice %q\n%s", r.m.notice, scr)
	}
	if got := r.m.play.ModeText(); !strings.Contains(got, "held") {
		t.Errorf("the header says %q, not that the clock is held", got)
	}
	// The next step's command runs the cluster again, stepped.
	r.run(r.m.next())
	r.run(r.m.next())
	r.run(r.m.Update(prompt.SubmitMsg{Line: r.m.run.Command()}))
	r.m.play.SetPrompt("")
	before = r.c.Elapsed()
	for i := 0; i < 3000 && !r.m.passed; i++ {
		r.press("enter")
	}
	if !r.m.passed || r.c.Elapsed() == before {
		t.Errorf("step 3's wait did not run in STEP mode (passed %v, time %v → %v)", r.m.passed, before, r.c.Elapsed())
	}
}

// A command that needs no hop (node add) starts and ends between two
// looks of the page: the step still waits for its check, with the clock
// running, and does not hold the cluster before the scheduler retries.
func TestLessonInstantCommandRunsTheClock(t *testing.T) {
	r := newLessonRig(t, "the-scheduler")
	r.run(r.m.play.SetMode(playground.Paced))
	for r.m.run.Command() != "node add --cpu 16" {
		if c := r.m.run.Command(); c != "" {
			r.line(c)
			r.until(5*time.Minute, func() bool { return r.m.passed })
		}
		r.run(r.m.next())
	}
	r.line(r.m.run.Command())
	if !r.until(5*time.Minute, func() bool { return r.m.passed }) {
		t.Errorf("node add did not let the scheduler place too-big: %s", r.output())
	}
}

// A user trial: on step 3 the learner runs `run second`, then PgDn and
// PgUp before the pod is Ready. Coming back, the cluster must run on for
// the step's check, as after the command; before, it held the clock for
// good — the pod stayed Pending and running the command again only said
// AlreadyExists. Once the time the step waits is up with the check not
// met, ⏎ on an empty prompt runs the cluster for it again.
func TestLessonStepLeftInFlightRunsOnReturn(t *testing.T) {
	for _, mode := range []playground.Mode{playground.Paced, playground.Free} {
		r := newLessonRig(t, "what-happens-when-you-create-a-pod")
		r.run(r.m.play.SetMode(mode))
		r.line(r.m.run.Command())
		if !r.until(5*time.Minute, func() bool { return r.m.passed }) {
			t.Fatalf("mode %d: step 1 did not pass:\n%s", mode, r.output())
		}
		r.run(r.m.next())
		r.line(r.m.run.Command())
		r.run(r.m.next())
		r.line(r.m.run.Command()) // run second: ends at once, the pod Pending
		if r.m.passed {
			t.Fatalf("mode %d: step 3 passed as its command ended; the test needs it in flight", mode)
		}
		r.run(r.m.next())
		r.run(r.m.back())
		if r.m.Index() != 2 {
			t.Fatalf("mode %d: at step %d, not 3", mode, r.m.Index()+1)
		}
		if !r.until(5*time.Minute, func() bool { return r.m.passed }) {
			t.Errorf("mode %d: back at step 3 the pod never got Ready; header %q:\n%s", mode, r.m.play.ModeText(), r.output())
		}
		r.idle(10*time.Minute, "step 3 done")
	}
}

// When the step's wait ran out, ⏎ on an empty prompt runs the cluster
// for the check again, instead of only saying the clock is held.
func TestLessonEnterRunsTheClockForAStirredStep(t *testing.T) {
	r := newLessonRig(t, "what-happens-when-you-create-a-pod")
	r.run(r.m.play.SetMode(playground.Free))
	r.line(r.m.run.Command())
	r.until(5*time.Minute, func() bool { return r.m.passed })
	r.run(r.m.next())
	r.line(r.m.run.Command())
	r.run(r.m.next())
	r.line(r.m.run.Command())
	// As if the step's time were up before the pod was Ready.
	r.m.waitEnd = r.c.Elapsed()
	r.run(r.m.after())
	if !r.m.play.Held() || r.m.passed {
		t.Fatalf("the step does not hold with its check unmet (held %v, passed %v)", r.m.play.Held(), r.m.passed)
	}
	r.m.play.SetPrompt("")
	r.press("enter")
	if !r.until(5*time.Minute, func() bool { return r.m.passed }) {
		t.Errorf("⏎ on an empty prompt did not run the cluster for step 3; notice %q:\n%s", r.m.notice, r.output())
	}
}

// While the help is open, PgDn and PgUp scroll it, as its footer says:
// they do not move the lesson's step (a user trial skipped one).
func TestLessonHelpKeepsPageKeys(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		r := newLessonRig(t, "what-happens-when-you-create-a-pod")
		r.m.c.Lang = bilingual.Lang(lang)
		r.run(r.m.Update(tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl}))
		if !r.m.play.HelpShown() {
			t.Fatalf("%s: ^G did not open the help", lang)
		}
		for _, k := range []rune{tea.KeyPgDown, tea.KeyPgDown, tea.KeyPgUp, tea.KeyPgDown} {
			r.run(r.m.Update(tea.KeyPressMsg{Code: k}))
		}
		if r.m.Index() != 0 || r.m.notice != "" {
			t.Errorf("%s: PgDn/PgUp in the help moved the lesson to step %d (notice %q)", lang, r.m.Index()+1, r.m.notice)
		}
		if !r.m.play.HelpShown() {
			t.Errorf("%s: PgDn closed the help", lang)
		}
	}
}
