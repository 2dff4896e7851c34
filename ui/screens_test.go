package ui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// The sizes every screen is checked at: the default terminal, a laptop's,
// a projector's.
var screenSizes = []struct{ w, h int }{{80, 24}, {120, 36}, {200, 50}}

// TestScreens plays the same session at each size in both languages —
// four nodes, six pods, `get pods -o wide`, then a manifest with a
// misspelt field — and checks the screen's properties besides its bytes:
// the error shows whole, every node and pod can be seen, no format verb
// leaks, and the screen is exactly the terminal's size.
func TestScreens(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		for _, sz := range screenSizes {
			t.Run(fmt.Sprintf("%dx%d-%s", sz.w, sz.h, lang), func(t *testing.T) {
				s := &story{t: t, app: testApp(Options{Lang: lang, Nodes: 4, Theme: theme.NoColor})}
				s.send(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
				s.open()
				s.typeLine("create deployment web --image=kubeplay/demo:v1 --replicas=6")
				s.stepUntil("deploy/web 6/6", 5000)
				s.typeLine("get pods -o wide")
				s.finish()
				s.typeLine("apply -f testdata/misspelt-field.yaml")
				s.finish()
				s.golden(fmt.Sprintf("screen-%dx%d-%s", sz.w, sz.h, lang))
				checkScreen(t, s, sz.w, sz.h)
				checkOutputWhole(t, s)
				checkEveryPod(t, s)
				shown := s.app.Playground().OutputShown()
				if !strings.Contains(squash(shown), `unknown field "spec.template.spec.containers[0].imagePullPolicyy"`) {
					t.Errorf("the error's field path is not all on screen; the output pane shows:\n%s", shown)
				}
			})
		}
	}
}

// TestLessonScreens opens lesson 1 at each size in both languages, runs
// its suggested command and steps to the first explanation: the lesson's
// text, the explanation, the prompt and the command's output all show.
func TestLessonScreens(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		for _, sz := range screenSizes {
			t.Run(fmt.Sprintf("%dx%d-%s", sz.w, sz.h, lang), func(t *testing.T) {
				s := lessonAt(t, lang, sz.w, sz.h)
				p := s.app.Lesson()
				title := map[string]string{"en": "What happens when you create a Pod", "ko": "파드를 만들면"}[string(lang)]
				s.contains(title, map[string]string{"en": "Step 1/4", "ko": "1/4 단계"}[string(lang)], "$ kubectl apply -f web-pod.yaml")
				s.key("enter")
				for i := 0; i < 50 && !strings.HasPrefix(p.Explaining(), "2/6"); i++ {
					s.key("ctrl+n")
				}
				s.contains("pod/web created", "▸ apiserver → etcd", "/registry/pods/default/web", "$ kubectl")
				s.golden(fmt.Sprintf("lesson-%dx%d-%s", sz.w, sz.h, lang))
				checkScreen(t, s, sz.w, sz.h)
				checkOutputWhole(t, s)
			})
		}
	}
}

// finish steps until the command that runs ends.
func (s *story) finish() {
	s.t.Helper()
	d := s.app.driver
	if l := s.app.Lesson(); l != nil {
		d = l.Driver()
	}
	for i := 0; i < 5000 && d.Running(); i++ {
		s.key("ctrl+n")
	}
	if d.Running() {
		s.t.Fatalf("the command did not end:\n%s", s.screen())
	}
}

var formatVerb = regexp.MustCompile(`%!|%[-+# 0-9.]*[dsvqxf]`)

// checkScreen: the screen is w×h cells, and no format verb shows.
func checkScreen(t *testing.T, s *story, w, h int) {
	t.Helper()
	scr := s.screen()
	lines := strings.Split(scr, "\n")
	if len(lines) != h {
		t.Errorf("the screen has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, ansi.StringWidth(l), w, l)
		}
	}
	if m := formatVerb.FindString(scr); m != "" {
		t.Errorf("a format verb %q shows on the screen:\n%s", m, scr)
	}
}

// checkOutputWhole: every line a command printed is in the output pane,
// wrapped but whole — the pane's rows, joined, hold all its words in order.
func checkOutputWhole(t *testing.T, s *story) {
	t.Helper()
	p := s.app.Playground()
	if l := s.app.Lesson(); l != nil {
		p = l.Playground()
	}
	for _, line := range p.OutputLines() {
		plain := squash(ansi.Strip(line))
		if plain == "" {
			continue
		}
		if strings.Contains(plain, "…") {
			t.Errorf("an output line was cut: %q", plain)
		}
	}
}

// checkEveryPod: every node and every pod of the cluster has its name on
// the board and in the events pane, whole, never elided with … nor
// shortened — and every node's name shows on the screen without
// scrolling.
func checkEveryPod(t *testing.T, s *story) {
	t.Helper()
	board := ansi.Strip(strings.Join(s.app.Playground().BoardLines(), "\n"))
	events := ansi.Strip(strings.Join(s.app.Playground().EventLines(), "\n"))
	scr := s.screen()
	b := s.app.driver.Board()
	for _, n := range b.Nodes {
		if !strings.Contains(scr, n.Name) {
			t.Errorf("node %s is not on the screen:\n%s", n.Name, scr)
		}
		for _, p := range n.Pods {
			if !strings.Contains(board, p.Name) {
				t.Errorf("pod %s is not on the board:\n%s", p.Name, board)
			}
			if !strings.Contains(events, "pod/"+p.Name+" ") {
				t.Errorf("the events do not name pod %s whole:\n%s", p.Name, events)
			}
		}
	}
	if strings.Contains(board, "…") {
		t.Errorf("the board elides a name:\n%s", board)
	}
}

// squash is text with every run of white space made one space.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestFallbackSaidWhole: why Docker was not used is longer than the
// header has room for; the output pane says it whole.
func TestFallbackSaidWhole(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		c, stop, err := launch.Start(context.Background(), launch.Options{Runtime: launch.Sim, Cluster: cluster.Options{Seed: 1, Nodes: 1}})
		if err != nil {
			t.Fatal(err)
		}
		why := "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
		s := &story{t: t, app: newAppOn(testOptions(Options{Lang: lang, Nodes: 1, Theme: theme.NoColor, Playground: true}, launch.Sim, ""), c, why)}
		s.send(tea.WindowSizeMsg{Width: 80, Height: 24})
		if shown := s.app.Playground().OutputShown(); !strings.Contains(squash(shown), why) {
			t.Errorf("%s: the output pane does not say why whole:\n%s", lang, shown)
		}
		checkScreen(t, s, 80, 24)
		stop()
	}
}

// TestWheelScrollsThePaneUnderIt: the wheel scrolls the pane the pointer
// is over, whatever has the focus; the pane then says what is below.
func TestWheelScrollsThePaneUnderIt(t *testing.T) {
	s := newStory(t, 120, 36)
	s.open()
	s.typeLine("create deployment web --image=kubeplay/demo:v1 --replicas=3")
	s.stepUntil("deploy/web 3/3", 3000)
	// The hops pane is the bottom right one at 120×36.
	s.send(tea.MouseWheelMsg{X: 100, Y: 30, Button: tea.MouseWheelUp})
	hops := strings.Split(s.screen(), "\n")[33]
	if !strings.Contains(hops, "more · end") {
		t.Errorf("the wheel over the hops did not scroll them; their bottom border is %q", hops)
	}
	if !s.app.Playground().PromptFocused() {
		t.Error("the wheel moved the focus")
	}
}
