package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui/bridge"
	"github.com/kubeplay/kubeplay/ui/pages/playground"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// newLessonStory is a story with its own progress folder.
func newLessonStory(t *testing.T, lang bilingual.Lang) *story {
	t.Helper()
	t.Setenv(configdir.Env, t.TempDir())
	s := &story{t: t, app: testApp(Options{Lang: lang, Nodes: 3, Theme: theme.NoColor})}
	s.send(tea.WindowSizeMsg{Width: 140, Height: 40})
	return s
}

// openLesson goes from the start page to the list, then to lesson n.
func (s *story) openLesson(n int) {
	s.t.Helper()
	if !strings.Contains(s.screen(), "▸ Lessons") && !strings.Contains(s.screen(), "▸ 레슨") {
		s.key("down")
	}
	s.key("enter")
	for i := 1; i < n; i++ {
		s.key("down")
	}
	s.key("enter")
	p := s.app.Lesson()
	if p == nil {
		s.t.Fatalf("enter on the list did not open a lesson:\n%s", s.screen())
	}
	p.Playground().SetInstant(true)
	p.Driver().C.Observe(func(h sim.Hop) {
		if !h.Internal {
			s.hops = append(s.hops, h)
		}
	})
}

// TestStoryLesson plays lesson 1 as a learner: the list, the step and its
// suggested command, hints, the command run, every marked hop stopped at
// and explained, ✓, the next step, back, progress, and quitting.
func TestStoryLesson(t *testing.T) {
	s := newLessonStory(t, "en")
	s.contains("Lessons", "guided lessons")
	s.key("down")
	s.key("enter")
	s.contains("What happens when you create a Pod", "ReplicaSets heal", "0/4 steps")
	s.golden("lessons-list")
	s.key("esc")
	s.contains("Free play")
	s.openLesson(1)
	p := s.app.Lesson()
	s.contains("lesson · What happens when you create a Pod", "Step 1/4", "web-pod.yaml",
		"$ kubectl apply -f web-pod.yaml", "enter runs it", "This step is done when pod web is Ready.")
	s.golden("lesson-step1")

	// Hints, one at a time; the suggestion stays at the prompt.
	s.key("ctrl+o")
	s.contains("Hint 1/2: Type apply -f web-pod.yaml")
	s.key("ctrl+o")
	s.contains("Hint 2/2: The pod is Ready")
	if v := p.Playground().PromptValue(); v != "apply -f web-pod.yaml" {
		t.Fatalf("the prompt holds %q after the hints", v)
	}

	// Run the suggestion, then step: each marked hop stops the cluster
	// and shows its explanation until space.
	s.key("enter")
	seen := map[string]bool{}
	for i := 0; i < 200 && !p.Passed(); i++ {
		if e := p.Explaining(); e != "" && !seen[e[:3]] {
			seen[e[:3]] = true
			s.contains(cut(e, 25), "⏎: continue")
			if e[:3] == "4/6" {
				s.contains("▸ scheduler → apiserver bind pods/web → node-1")
				s.golden("lesson-explain")
			}
		}
		s.key("ctrl+n")
	}
	for _, n := range []string{"1/6", "2/6", "3/6", "4/6", "5/6", "6/6"} {
		if !seen[n] {
			t.Errorf("the explanation %s never showed; seen %v", n, seen)
		}
	}
	if !p.Passed() {
		t.Fatalf("step 1 never passed:\n%s", s.screen())
	}
	s.contains("✓ done", "✓ Step 1 done — PgDn: next step", "done 1/4")
	s.golden("lesson-passed")

	// The next step pre-fills its own command; back returns.
	s.key("pgdown")
	s.contains("Step 2/4", "$ kubectl get pod web -o yaml")
	s.key("pgup")
	s.contains("Step 1/4")
	s.key("pgup")
	s.contains("This is the first step.", "✓ done") // its pod is still Ready
	s.key("pgdown")
	s.contains("Step 2/4")
	s.key("esc") // the suggestion goes
	if v := p.Playground().PromptValue(); v != "" {
		t.Errorf("esc left %q at the prompt", v)
	}
	// A command that fails does not count, and the pane says why.
	s.typeLine("get pod webb -o yaml")
	for i := 0; i < 50 && p.Driver().Running(); i++ {
		s.key("ctrl+n")
	}
	if p.Passed() {
		t.Fatalf("get pod webb, which failed, passed step 2:\n%s", s.screen())
	}
	s.contains("Not yet. Your last command failed")
	// One that succeeds but is not what the step asks: what would do it.
	s.typeLine("get pods")
	for i := 0; i < 50 && p.Driver().Running(); i++ {
		s.key("ctrl+n")
	}
	if p.Passed() {
		t.Fatalf("get pods passed step 2, which asks for get pod web:\n%s", s.screen())
	}
	if pane := squash(rightColumn(s.screen())); !strings.Contains(pane, "Not yet. The suggested command does it: kubectl get pod web -o yaml.") {
		t.Errorf("after get pods, the pane does not say what would do step 2:\n%s", s.screen())
	}
	s.typeLine("get pod web -o yaml")
	for i := 0; i < 50 && p.Driver().Running(); i++ {
		s.key("ctrl+n")
	}
	s.contains("✓ Step 2 done")

	// Progress is saved as the shell saves it.
	dir, _ := configdir.Dir()
	if prog, _ := lessons.LoadProgress(dir, "en"); prog.Done(p.Lesson().ID, 4) != 2 {
		t.Errorf("the progress file has %v", prog.Lessons)
	}
	if got := p.Summary(); got != "2/4 steps" {
		t.Errorf("progress %q, want 2/4 steps", got)
	}

	// Quitting asks first; any other key stays (and types); y leaves.
	s.key("ctrl+q")
	s.contains("Quit kubeplay?", "your lesson progress is saved")
	if s.quit {
		t.Fatal("ctrl+q quit a lesson in progress without asking")
	}
	s.key("x")
	if s.quit || strings.Contains(s.screen(), "Quit kubeplay?") {
		t.Fatal("a key other than y did not keep the lesson")
	}
	s.key("ctrl+q")
	s.key("y")
	if !s.quit {
		t.Error("ctrl+q, y did not quit")
	}
}

// Step-through off: the cluster does not stop at the marked hops, and
// the explanations still show.
func TestStoryLessonStepThroughOff(t *testing.T) {
	s := newLessonStory(t, "en")
	s.openLesson(1)
	p := s.app.Lesson()
	s.key("ctrl+r")
	s.key("enter")
	for i := 0; i < 200 && !p.Passed(); i++ {
		s.key("ctrl+n")
		if strings.Contains(s.screen(), "⏎: continue") {
			t.Fatalf("step-through off, yet the cluster stopped:\n%s", s.screen())
		}
	}
	if !p.Passed() {
		t.Fatal("step 1 never passed")
	}
}

// Free mode stops at a marked hop too: the gate holds it.
func TestStoryLessonFreeModeStops(t *testing.T) {
	s := newLessonStory(t, "en")
	s.openLesson(1)
	p := s.app.Lesson()
	s.key("ctrl+t") // paced
	s.key("ctrl+t") // free: the suggestion stays at the prompt
	s.contains("FREE", "$ kubectl apply -f web-pod.yaml")
	s.key("enter") // the free mode's clock runs until the gate stops it
	if !strings.HasPrefix(p.Explaining(), "1/6") {
		t.Fatalf("free mode did not stop at the first marked hop: %q\n%s", p.Explaining(), s.screen())
	}
	if last := s.hops[len(s.hops)-1]; last.Verb != "create" || last.From != "kubectl" {
		t.Errorf("the last hop delivered is %v, not the marked one", last)
	}
	s.key("enter") // on to the next marked hop
	if m := p.Playground().Mode(); m != playground.Free {
		t.Errorf("going on after an explained hop switched free mode to %v", m)
	}
	if !strings.HasPrefix(p.Explaining(), "2/6") {
		t.Errorf("after space free mode did not stop at the second marked hop: %q", p.Explaining())
	}
}

func TestStoryLessonKorean(t *testing.T) {
	s := newLessonStory(t, "ko")
	s.contains("레슨", "단계별로")
	s.key("down")
	s.key("enter")
	s.contains("파드를 만들면 무슨 일이 일어날까요", "0/4 단계 완료")
	s.key("enter")
	s.app.Lesson().Playground().SetInstant(true)
	s.contains("레슨 · 파드를 만들면", "1/4 단계", "힌트", "다음", "이전", "종료", "enter 실행")
	s.key("ctrl+o")
	s.contains("힌트 1/2")
	s.key("enter")
	for i := 0; i < 20 && s.app.Lesson().Explaining() == ""; i++ {
		s.key("ctrl+n")
	}
	s.contains("1/6 kubectl이 파드를", "⏎: 계속")
	s.golden("lesson-ko")
	s.key("f10")
	s.contains("kubeplay를 끝낼까요?")
}

// TestLessonProgram runs the real program on lesson 1 at a fixed size
// with a pinned colour profile: open, hint, quit with confirmation.
func TestLessonProgram(t *testing.T) {
	t.Setenv(configdir.Env, t.TempDir())
	tm, waitFor := newProgram(t, 140, 40)
	waitFor("Free play")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("ReplicaSets heal")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("Step 1/4")
	tm.Send(keyPress("ctrl+o"))
	waitFor("Hint 1/2")
	tm.Send(keyPress("ctrl+q"))
	waitFor("Quit kubeplay?")
	tm.Send(keyPress("y"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if final := tm.FinalModel(t).(*App); final.Lesson() == nil {
		t.Error("the program did not end on the lesson page")
	}
}

// newProgram runs a new app in the real program at w×h with a pinned
// colour profile; waitFor waits until the output shows what.
func newProgram(t *testing.T, w, h int) (*teatest.TestModel, func(what string)) {
	app := testApp(Options{Lang: "en", Nodes: 3, Theme: theme.Auto})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	return tm, func(what string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(what)) },
			teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
}

// TestStoryEveryLessonAt80x24 plays every lesson to its end in the TUI on
// the default terminal, 80×24, in English and Korean, as a learner who
// follows the suggestions: at each step the check has not passed when the
// step begins, a command that fails does not pass it and the pane says
// so, and the suggested command (then stepping the cluster) does. The
// last screen says the lesson is complete.
func TestStoryEveryLessonAt80x24(t *testing.T) {
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	for n, l := range all {
		for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
			t.Run(l.ID+"/"+string(lang), func(t *testing.T) {
				t.Setenv(configdir.Env, t.TempDir())
				s := &story{t: t, app: testApp(Options{Lang: lang, Nodes: 3, Theme: theme.NoColor})}
				s.send(tea.WindowSizeMsg{Width: 80, Height: 24})
				s.openLesson(n + 1)
				playToEnd(t, s, l, lang)
			})
		}
	}
}

func playToEnd(t *testing.T, s *story, l *lessons.Lesson, lang bilingual.Lang) {
	p := s.app.Lesson()
	failed := map[string]string{"en": "Not yet. Your last command failed", "ko": "아직이에요. 방금 실행한 명령이 실패해서"}[string(lang)]
	for i, step := range l.Steps {
		head := fmt.Sprintf(map[string]string{"en": "Step %d/%d", "ko": "%d/%d 단계"}[string(lang)], i+1, len(l.Steps))
		if p.Index() != i || !strings.Contains(s.screen(), head) {
			t.Fatalf("want %s, on step %d:\n%s", head, p.Index()+1, s.screen())
		}
		if step.Check == nil {
			if step.Command != "" {
				s.key("enter")
				s.settle(p)
			}
			s.key("pgdown")
			continue
		}
		if p.Passed() {
			t.Fatalf("%s: the check passed before the step's command:\n%s", head, s.screen())
		}
		cmd := p.Suggested()
		s.key("esc") // the suggestion goes; a command that fails instead
		s.typeLine("get pod no-such-pod")
		s.settle(p)
		if p.Passed() {
			t.Fatalf("%s: a failed get passed the check:\n%s", head, s.screen())
		}
		if !strings.Contains(strings.Join(strings.Fields(strings.ReplaceAll(s.screen(), "│", " ")), " "), failed) {
			t.Errorf("%s: the pane does not say the command failed:\n%s", head, s.screen())
		}
		if cmd != "" {
			s.typeLine(cmd)
		}
		for j := 0; j < 3000 && !p.Passed(); j++ {
			s.key("ctrl+n")
		}
		if !p.Passed() {
			t.Fatalf("%s: the check never passed after %q:\n%s", head, cmd, s.screen())
		}
		s.settle(p)
		s.key("pgdown")
	}
	if !p.Finished() {
		t.Fatalf("not finished after the last step:\n%s", s.screen())
	}
	done := map[string]string{"en": "✓ Lesson complete", "ko": "✓ 레슨 완료"}[string(lang)]
	if !strings.Contains(s.screen(), done) || strings.Contains(s.screen(), "%") {
		t.Errorf("the end screen:\n%s", s.screen())
	}
}

// settle steps the cluster until no command runs, so the next line typed
// is run rather than queued.
func (s *story) settle(p interface{ Driver() *bridge.Driver }) {
	for i := 0; i < 3000 && p.Driver().Running(); i++ {
		s.key("ctrl+n")
	}
}

// Past the last step with steps not done, the end says which and how to
// go back, and never "complete" nor where the lesson "stopped".
func TestStoryLessonEndNotComplete(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		t.Run(string(lang), func(t *testing.T) {
			t.Setenv(configdir.Env, t.TempDir())
			s := &story{t: t, app: testApp(Options{Lang: lang, Nodes: 3, Theme: theme.NoColor})}
			s.send(tea.WindowSizeMsg{Width: 80, Height: 24})
			s.openLesson(1)
			p := s.app.Lesson()
			for range p.Lesson().Steps {
				s.key("pgdown")
				s.screen() // drawn after each key, as the program does
			}
			if !p.Finished() {
				t.Fatalf("not finished after skipping every step:\n%s", s.screen())
			}
			screen := strings.Join(strings.Fields(strings.ReplaceAll(s.screen(), "│", " ")), " ")
			// Step 4 (pod web is gone) does not hold: no step made web.
			want := map[string]string{
				"en": "That was the last step: 0/4 steps done; not done yet: steps 1, 2, 3, 4.",
				"ko": "마지막 단계까지 왔어요. 0/4단계를 완료했고, 아직 완료하지 않은 단계는 1, 2, 3, 4단계예요.",
			}[string(lang)]
			if !strings.Contains(screen, want) {
				t.Errorf("the end lacks %q:\n%s", want, s.screen())
			}
			for _, bad := range []string{"%", "complete", "완료: ", "left at", "멈췄어요"} {
				if strings.Contains(screen, bad) {
					t.Errorf("the end says %q:\n%s", bad, s.screen())
				}
			}
		})
	}
}

// Every stop of ⇧tab in a lesson is visible — its border drawn apart
// (thick without colour) — and the help line starts with what its keys
// do; the cycle comes back to the prompt. At 80×24 (stacked, compacted)
// and 120×36.
func TestStoryLessonFocusStopsVisible(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 36}} {
		s := newLessonStory(t, "en")
		s.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		s.openLesson(1)
		p := s.app.Lesson().Playground()
		seen := map[string]bool{}
		for i := 0; i < 10; i++ {
			s.key("shift+tab")
			f := p.FocusedPane()
			if f == "pane.prompt" {
				break
			}
			seen[f] = true
			scr := s.screen()
			lines := strings.Split(scr, "\n")
			if !strings.Contains(scr, "┏━ ") {
				t.Errorf("%dx%d: the focus on %s shows no pane apart:\n%s", size[0], size[1], f, scr)
			}
			if help := lines[len(lines)-1]; !strings.Contains(help, "↑/↓") {
				t.Errorf("%dx%d: with the focus on %s the help line says nothing of its keys: %q", size[0], size[1], f, help)
			}
		}
		if p.FocusedPane() != "pane.prompt" || len(seen) < 4 {
			t.Errorf("%dx%d: ⇧tab went through %v and ended on %s", size[0], size[1], seen, p.FocusedPane())
		}
	}
}

// Esc never loses a lesson run without asking: on an empty prompt it
// asks before going to the list (esc again stays); on the list, typed
// letters are no keys, enter comes back to the lesson open, and opening
// another lesson asks first.
func TestStoryLessonEscAsks(t *testing.T) {
	s := newLessonStory(t, "en")
	s.openLesson(1)
	page := s.app.Lesson()
	s.key("esc") // the suggestion goes
	s.key("esc")
	s.contains("Back to the lessons list?")
	s.key("esc")
	if s.app.les.on != onLesson || strings.Contains(s.screen(), "Back to the lessons list?") {
		t.Fatalf("esc, esc, esc left the lesson:\n%s", s.screen())
	}
	s.key("esc")
	s.key("y")
	if s.app.les.on != onList {
		t.Fatalf("esc, y did not go to the list:\n%s", s.screen())
	}
	// A learner who goes on typing a command: nothing opens or moves.
	s.typeLine("kubectl get pods -w --all-namespaces")
	if s.app.Lesson() != page || s.app.les.on != onLesson {
		t.Fatalf("typing on the list did not come back to the lesson open (on %d):\n%s", s.app.les.on, s.screen())
	}
	s.key("esc")
	s.key("y")
	s.key("down")
	s.key("enter")
	s.contains("Open this lesson?", "What happens when you create a Pod")
	s.key("n")
	if s.app.Lesson() != page || s.app.les.on != onList {
		t.Fatalf("n opened another lesson:\n%s", s.screen())
	}
	s.key("enter")
	s.key("y")
	if l := s.app.Lesson(); l == page || l.Lesson().ID != "replicasets-heal" {
		t.Fatalf("y did not open the lesson chosen:\n%s", s.screen())
	}
}

// rightColumn is the screen's rightmost pane (the lesson's text), its
// rows joined: what is beside it on each row left out.
func rightColumn(screen string) string {
	var rows []string
	for _, l := range strings.Split(screen, "\n") {
		if i := strings.LastIndex(l, "││"); i >= 0 {
			rows = append(rows, strings.ReplaceAll(l[i:], "│", " "))
		}
	}
	return strings.Join(rows, "\n")
}
