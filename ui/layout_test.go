package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// stepsAt finds "0/4" — the steps done of a lesson — on a list row.
var stepsAt = regexp.MustCompile(`\d+/\d+`)

// TestLessonListAligned: on the lesson list the steps done start in one
// column, by display width, in both languages — the levels differ in
// length ("beginner", "intermediate") and Korean titles are two cells a
// syllable.
func TestLessonListAligned(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		s := newLessonStory(t, lang)
		s.key("down")
		s.key("enter")
		cols := map[int][]string{}
		for _, line := range strings.Split(s.screen(), "\n") {
			loc := stepsAt.FindStringIndex(line)
			if loc == nil {
				continue
			}
			col := ansi.StringWidth(line[:loc[0]])
			cols[col] = append(cols[col], strings.TrimSpace(line))
		}
		if len(cols) != 1 {
			t.Errorf("%s: the steps start in %d columns: %v", lang, len(cols), cols)
		}
	}
}

// TestPresenterShowsOutputAndData: presenter mode (F2) keeps what a
// command printed on the screen, and the hop in flight as it is spelt —
// etcd keys and object names are case-sensitive, and upper-cased they
// name nothing that exists.
func TestPresenterShowsOutputAndData(t *testing.T) {
	for _, sz := range screenSizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			s := newStory(t, sz.w, sz.h)
			s.open()
			s.key("f2")
			if !s.app.c.Presenter {
				t.Fatal("F2 did not turn presenter mode on")
			}
			s.typeLine("create deployment web --image=kubeplay/demo:v1 --replicas=2")
			sawKey := false
			for i := 0; i < 3000 && s.app.driver.Running(); i++ {
				s.key("ctrl+n")
				scr := s.screen()
				if strings.Contains(scr, "/REGISTRY") || strings.Contains(scr, "DEPLOYMENTS/") || strings.Contains(scr, "PODS/") {
					t.Fatalf("presenter mode upper-cases what a hop carries:\n%s", scr)
				}
				sawKey = sawKey || strings.Contains(scr, "/registry/deployments/default/web")
			}
			if !sawKey {
				t.Errorf("no etcd key of the deployment was ever on the screen")
			}
			s.contains("$ kubectl create deployment web", "deployment.apps/web created")
			// At 80×24 the presenter's screen has no board: the pods
			// are in the flow's nodes.
			for i := 0; i < 5000 && (len(s.app.driver.Board().Deploys) == 0 || s.app.driver.Board().Deploys[0].Ready < 2); i++ {
				s.key("ctrl+n")
			}
			s.typeLine("get deployments")
			s.finish()
			s.contains("NAME   READY   UP-TO-DATE   AVAILABLE   AGE", "web    2/2")
			checkScreen(t, s, sz.w, sz.h)
		})
	}
}

// TestQuitQuestionWhole: at 80×24, the smallest terminal, the question
// asked before quitting shows whole, in both languages: in free play, in
// a lesson, and on the start page with free play's cluster behind it.
func TestQuitQuestionWhole(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		c := common.New(lang, theme.NoColor, true)
		asked := func(s *story, id, where string) {
			t.Helper()
			checkScreen(t, s, 80, 24)
			if want := squash(c.T(id)); !strings.Contains(squash(s.screen()), want) {
				t.Errorf("%s, %s: the question %q is not whole on the screen:\n%s", lang, where, want, s.screen())
			}
			s.key("n")
		}
		s := &story{t: t, app: testApp(Options{Lang: lang, Nodes: 3, Theme: theme.NoColor})}
		s.send(tea.WindowSizeMsg{Width: 80, Height: 24})
		s.open()
		s.typeLine("get pods")
		s.finish()
		s.key("ctrl+q")
		asked(s, "quit.ask", "free play")
		s.key("esc")
		s.key("up") // from Free play to Quit, the last item
		s.key("enter")
		asked(s, "quit.ask", "the start page")

		s = newLessonStory(t, lang)
		s.send(tea.WindowSizeMsg{Width: 80, Height: 24})
		s.openLesson(1)
		s.key("ctrl+q")
		asked(s, "lesson.quit", "a lesson")
	}
}

// TestLessonUsesTheWidth: a lesson on a laptop's or a projector's
// terminal uses the whole width — the status line and the keys are not
// cut at the playground's 80 columns, the flow's node boxes name kubelet
// and runtime, and the lesson's text has room (more than 40 columns).
func TestLessonUsesTheWidth(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		for _, sz := range screenSizes[1:] {
			t.Run(fmt.Sprintf("%dx%d-%s", sz.w, sz.h, lang), func(t *testing.T) {
				s := newLessonStory(t, lang)
				s.send(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
				s.openLesson(1)
				lines := strings.Split(s.screen(), "\n")
				if head := strings.TrimRight(lines[0], " "); !strings.Contains(head, "⏱") || strings.Contains(head, "…") {
					t.Errorf("the status line is cut: %q", head)
				}
				if keys := lines[len(lines)-1]; strings.Contains(keys, "…") {
					t.Errorf("the keys are cut: %q", keys)
				}
				s.contains("╭ node-1 ─", "╭ node-3 ─", "kubelet ──── runtime")
				// The lesson pane's top border: its width is the pane's.
				for _, l := range lines {
					if i := strings.Index(l, "╭─ "+c(lang).T("pane.lesson")); i >= 0 {
						if w := ansi.StringWidth(l[i:]); w <= 42 {
							t.Errorf("the lesson pane is %d columns wide:\n%s", w, s.screen())
						}
						return
					}
				}
				t.Errorf("no lesson pane:\n%s", s.screen())
			})
		}
	}
}

func c(lang bilingual.Lang) *common.Common { return common.New(lang, theme.NoColor, true) }

// TestLessonWheelBeside: with the lesson pane beside the playground's
// panes, the wheel over the pane scrolls the lesson's text, and over the
// output it scrolls the output, not the text.
func TestLessonWheelBeside(t *testing.T) {
	s := newLessonStory(t, "en")
	s.send(tea.WindowSizeMsg{Width: 120, Height: 36})
	s.openLesson(1)
	more := regexp.MustCompile(`↓ (\d+) more`)
	below := func() string { return more.FindString(s.screen()) }
	first := below()
	if first == "" {
		t.Fatalf("the lesson's text fits; nothing to scroll:\n%s", s.screen())
	}
	s.send(tea.MouseWheelMsg{X: 20, Y: 30, Button: tea.MouseWheelDown})
	if got := below(); got != first {
		t.Errorf("the wheel over the output scrolled the lesson: %q, then %q", first, got)
	}
	s.send(tea.MouseWheelMsg{X: 110, Y: 20, Button: tea.MouseWheelDown})
	if got := below(); got == first {
		t.Errorf("the wheel over the lesson pane did not scroll its text: still %q\n%s", got, s.screen())
	}
}
