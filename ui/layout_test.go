package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// stepsAt finds "0/4" — the steps done of a lesson — on a list row.
var stepsAt = regexp.MustCompile(`\d+/\d+`)

// TestLessonListAligned: on the lesson list the steps done start in one
// column, by display width, in both languages — the levels differ in
// length ("beginner", "intermediate") and Korean titles are two cells a
// syllable.
func TestLessonListAligned(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
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
			s.stepUntil("deploy/web 2/2", 5000)
			s.typeLine("get deployments")
			s.finish()
			s.contains("NAME   READY   UP-TO-DATE   AVAILABLE   AGE", "web    2/2")
			checkScreen(t, s, sz.w, sz.h)
		})
	}
}
