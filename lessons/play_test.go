package lessons

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/configdir"
)

// TestPlayEveryLesson plays each lesson in both languages on the simulated
// runtime, as a learner who types `try` (the suggested command) at every
// step and asks for every hint. Each check must pass on its own, each text
// must show, and each marked hop must be met: a lesson that only works in
// one language, or whose marks match nothing, fails here.
func TestPlayEveryLesson(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 2 {
		t.Fatalf("%d lessons loaded, want at least 2", len(all))
	}
	for _, l := range all {
		for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
			t.Run(l.ID+"/"+string(lang), func(t *testing.T) {
				t.Setenv(configdir.Env, t.TempDir())
				playLesson(t, l, lang)
			})
		}
	}
}

// clusterFor is the cluster a lesson plays on in tests: seed 1, with the
// add-ons it needs (the ingress controller not listening on the host).
func clusterFor(l *Lesson) cluster.Options {
	o := cluster.Options{Seed: 1}
	if l.Needs(AddonIngress) {
		o.IngressPort = 8080
	}
	return o
}

func playLesson(t *testing.T, l *Lesson, lang bilingual.Lang) {
	c, err := cluster.New(clusterFor(l))
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := configdir.Dir()
	playOn(t, c, l, lang, dir, nil)
}

// playOn plays l on c as TestPlayEveryLesson describes, keeping progress
// in dir. tee, when set, hears the transcript as it is written.
func playOn(t *testing.T, c *cluster.Cluster, l *Lesson, lang bilingual.Lang, dir string, tee io.Writer) {
	var script strings.Builder
	for _, s := range l.Steps {
		for range s.Hints {
			script.WriteString("hint\n")
		}
		if s.Command != "" {
			script.WriteString("try\n")
		}
		if s.Check == nil {
			script.WriteString("next\n")
		}
	}
	prog, notice := LoadProgress(dir, lang)
	if notice != "" {
		t.Fatal(notice)
	}
	var out, errOut bytes.Buffer
	var w io.Writer = &out
	if tee != nil {
		w = io.MultiWriter(&out, tee)
	}
	sh := newShell(c, l, strings.NewReader(script.String()), ShellOptions{Lang: lang, Progress: prog, Out: w, Err: &errOut})
	code := sh.play()
	text := out.String()
	if code != 0 {
		t.Fatalf("the lesson did not complete (exit %d); stopped at step %d\n%s\nstderr:\n%s", code, sh.r.Index()+1, text, errOut.String())
	}
	if got := prog.Done(l.ID, len(l.Steps)); got != len(l.Steps) {
		t.Errorf("progress: %d/%d steps done", got, len(l.Steps))
	}
	if u := sh.r.Unexplained(); len(u) > 0 {
		t.Errorf("marked hops never met: %s\n%s", strings.Join(u, ", "), text)
	}
	if strings.Contains(text, strings.SplitN(msg(lang, "not-yet"), "%", 2)[0]) {
		t.Errorf("a suggested command did not reach its check at once:\n%s", text)
	}
	want := []string{l.Title.In(lang), strings.TrimSpace(l.Summary.In(lang))}
	for _, s := range l.Steps {
		want = append(want, strings.TrimSpace(s.Text.In(lang)))
		for _, h := range s.Hints {
			want = append(want, h.In(lang))
		}
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("missing from the %s transcript: %q", lang, w)
		}
	}
}

// TestEveryCheckWaitsForItsStep plays each lesson step by step and holds
// every check to what it claims: it does not hold when the step begins,
// a command that fails does not make it hold (nor lets time run for it),
// and the step's suggested command does. A check that passes before the
// learner acts, or on a failed command, teaches nothing.
func TestEveryCheckWaitsForItsStep(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		t.Run(l.ID, func(t *testing.T) {
			c, err := cluster.New(clusterFor(l))
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			t.Setenv(configdir.Env, t.TempDir())
			dir, _ := configdir.Dir()
			prog, _ := LoadProgress(dir, "en")
			sh := newShell(c, l, strings.NewReader(""), ShellOptions{Lang: "en", Progress: prog, Out: &out, Err: &out})
			r := sh.r
			for i, s := range l.Steps {
				if r.Index() != i {
					t.Fatalf("on step %d, want step %d\n%s", r.Index()+1, i+1, out.String())
				}
				if s.Check == nil {
					if s.Command != "" {
						sh.handle("try")
					}
					sh.handle("next")
					continue
				}
				if r.Met() {
					t.Errorf("step %d: the check holds before the step's command\n%s", i+1, out.String())
				}
				// The flag goes before --, where kubectl reads it: after, it
				// is the container's (run … -- sleep 3600 --no-such-flag).
				cmd, args, dashes := strings.Cut(r.Command(), " -- ")
				badFlag := cmd + " --no-such-flag"
				if dashes {
					badFlag += " -- " + args
				}
				for _, bad := range []string{"get pod no-such-pod", badFlag} {
					out.Reset()
					if sh.handle(bad) || r.Index() != i || r.Met() {
						t.Errorf("step %d: the failed command %q passed the check\n%s", i+1, bad, out.String())
					}
					if !strings.Contains(out.String(), msg("en", "failed")) {
						t.Errorf("step %d: %q: no word that the command failed\n%s", i+1, bad, out.String())
					}
				}
				out.Reset()
				sh.handle("try")
				if !r.Progress().StepDone(l.ID, i) {
					t.Errorf("step %d: the check does not hold after the suggested command\n%s", i+1, out.String())
					sh.handle("next")
				}
			}
		})
	}
}

// TestRevisitedRolloutSteps comes back to the rollouts lesson's history
// steps after its end, when the revisions have moved on: the undo step is
// done by whatever rollback it makes, and the step that names revision 1
// says what to do now that revision 1 has another number.
func TestRevisitedRolloutSteps(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	l, err := Find(all, "rollouts", "en")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(configdir.Env, t.TempDir())
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := configdir.Dir()
	prog, _ := LoadProgress(dir, "en")
	var out strings.Builder
	sh := newShell(c, l, strings.NewReader(""), ShellOptions{Lang: "en", Progress: prog, Out: &out, Err: &out})
	for !sh.handle("try") && !sh.quit {
	}
	if prog.Done(l.ID, len(l.Steps)) != len(l.Steps) {
		t.Fatalf("the lesson did not complete:\n%s", out.String())
	}

	undo, byNumber := 6, 8 // steps 7 and 9
	sh.r.Begin(byNumber)
	if sh.r.Met() {
		t.Fatal("step 9 holds when revisited before any command")
	}
	out.Reset()
	sh.handle("try") // rollout undo --to-revision=1: revision 1 is gone
	if sh.r.Index() != byNumber || !strings.Contains(out.String(), "revision 1 has a new number now") {
		t.Fatalf("revisited step 9 does not say what to do when history moved on:\n%s", out.String())
	}
	out.Reset()
	sh.handle("rollout undo deployment/web --to-revision=5") // v1 is revision 5 now
	if !prog.StepDone(l.ID, byNumber) || sh.r.Index() != byNumber+1 {
		t.Fatalf("rolling back to v1's new number did not pass step 9:\n%s", out.String())
	}

	sh.r.Begin(undo)
	if sh.r.Met() {
		t.Fatal("step 7 holds when revisited before any command")
	}
	out.Reset()
	sh.handle("try") // rollout undo: to whatever the previous revision is now
	if sh.r.Index() != undo+1 {
		t.Errorf("revisited step 7 not done by its rollback:\n%s", out.String())
	}
}

// next on a step done before, whose state has since moved on, says so;
// "skipped, not done" is only said of a step never done.
func TestShellNextSaysWhatIsDone(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	l := all[0] // its last step deletes the pod its first made Ready
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	prog := &Progress{Lessons: map[string][]int{}}
	sh := newShell(c, l, strings.NewReader(""), ShellOptions{Lang: "en", Progress: prog, Out: &out, Err: &out})
	sh.handle("next") // step 1, never done
	if want := sayf("en", "skipped", 1); !strings.Contains(out.String(), want) {
		t.Errorf("skipping step 1 does not say %q:\n%s", want, out.String())
	}
	sh.r.Begin(0)
	for done := false; !done && !sh.quit; {
		done = sh.handle("try")
	}
	sh.r.Begin(0) // web is gone: step 1's state no longer holds
	out.Reset()
	sh.handle("next")
	if want := sayf("en", "moved-on", 1); !strings.Contains(out.String(), want) || strings.Contains(out.String(), "Skipped") {
		t.Errorf("next on step 1, done before, does not say %q:\n%s", want, out.String())
	}
}
