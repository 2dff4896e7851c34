package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// boardBody is the board pane without its title line (which, in the
// past, says so).
func boardBody(s *story) string {
	v := s.app.Playground().BoardView()
	_, body, _ := strings.Cut(v, "\n")
	return body
}

// TestStoryTimeline: twenty hops forward, ten back (← on an empty
// prompt): the board, the events and the flow are as they were at hop
// 10, and the screen says it is the past; End comes back to now.
func TestStoryTimeline(t *testing.T) {
	s := newStory(t, 120, 36)
	s.open()
	s.typeLine("create deployment web --image=kubeplay/demo:v1 --replicas=3")
	p := s.app.Playground()
	var at10 string
	var hop10 string
	for len(s.hops) < 20 {
		s.key("ctrl+n")
		if len(s.hops) == 10 && at10 == "" {
			at10, hop10 = boardBody(s), s.hops[9].Label()
		}
	}
	now := boardBody(s)
	if now == at10 {
		t.Fatalf("the board did not change between hop 10 and 20: the test shows nothing\n%s", now)
	}
	for i := 0; i < 10; i++ {
		s.key("left")
	}
	if at, of, ok := p.InPast(); !ok || at != 10 || of != 20 {
		t.Fatalf("after 10 steps back: InPast() = %d, %d, %v; want hop 10 of 20", at, of, ok)
	}
	if got := boardBody(s); got != at10 {
		t.Errorf("the board is not as it was at hop 10:\n%s\nwant\n%s", got, at10)
	}
	s.contains("⏪ past: hop 10/20", "the cluster as it was at hop 10 of 20", cut(hop10, 30))
	if flow := ansi.Strip(p.FlowView()); !strings.Contains(flow, cut(hop10, 30)) {
		t.Errorf("the flow does not show hop 10 (%s):\n%s", hop10, flow)
	}
	if h, ok := p.SelectedHop(); !ok || h.ID != s.hops[9].ID {
		t.Errorf("the hop log selects %v, want hop 10 (%s)", h.Label(), hop10)
	}
	// At 80 columns the header keeps the past, the mode and the clock.
	s.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if head := strings.Split(s.screen(), "\n")[0]; !strings.Contains(head, "⏪ past: hop 10/20") || !regexp.MustCompile(`⏱ \d+:\d\d\s*$`).MatchString(head) {
		t.Errorf("at 80×24 the header lost the past or the clock: %q", head)
	}
	s.send(tea.WindowSizeMsg{Width: 120, Height: 36})
	// Forward one, and back to now.
	s.key("right")
	if at, _, _ := p.InPast(); at != 11 {
		t.Errorf("→ went to hop %d, want 11", at)
	}
	s.key("end")
	if _, _, ok := p.InPast(); ok {
		t.Fatal("End did not come back to now")
	}
	if got := boardBody(s); got != now {
		t.Errorf("back to now, the board is not today's:\n%s\nwant\n%s", got, now)
	}
	if strings.Contains(s.screen(), "⏪") {
		t.Errorf("back to now, the screen still says past:\n%s", s.screen())
	}
	if h, ok := p.SelectedHop(); !ok || h.ID != s.hops[len(s.hops)-1].ID {
		t.Errorf("back to now, the hop log selects %v, not the newest hop", h.Label())
	}
	// A step in the past comes back to now first, then steps.
	s.key("left")
	s.key("ctrl+n")
	if _, _, ok := p.InPast(); ok || len(s.hops) != 21 {
		t.Errorf("a step in the past: in past %v, %d hops; want now and 21", ok, len(s.hops))
	}
	// esc comes back too; Korean says it in Korean.
	s.key("left")
	s.key("esc")
	if _, _, ok := p.InPast(); ok {
		t.Error("esc did not come back to now")
	}
}

// TestStoryLessonShowAgain: in a lesson, ^Y ("show me that again")
// replays the step's hops from the timeline — the first of them on the
// flow, marked past — one after another, then comes back to now.
func TestStoryLessonShowAgain(t *testing.T) {
	s := newLessonStory(t, "en")
	s.openLesson(1)
	p := s.app.Lesson()
	s.key("ctrl+y")
	if _, _, past := p.Playground().InPast(); past || !strings.Contains(p.Notice(), "This step has sent no hops yet") {
		t.Errorf("^Y before any hop: past %v, notice %q", past, p.Notice())
	}
	s.key("enter") // runs the suggestion, apply -f web-pod.yaml
	for i := 0; i < 300 && !p.Passed(); i++ {
		s.key("ctrl+n")
	}
	if !p.Passed() {
		t.Fatalf("step 1 did not pass:\n%s", s.screen())
	}
	pg := p.Playground()
	n := pg.Moments()
	for range 4 {
		s.key("f8") // ×16: the replay's hops 50 ms apart
	}
	_, cmd := s.app.Update(keyPress("ctrl+y"))
	if at, of, ok := pg.InPast(); !ok || at != 1 || of != n {
		t.Fatalf("^Y: InPast() = %d, %d, %v; want the step's first hop, 1 of %d", at, of, ok, n)
	}
	// The step's first hop: kubectl apply asks for the pod first.
	s.contains("⏪ past: hop 1/", "get pods/web")
	s.run(cmd) // the replay, to its end
	if _, _, ok := pg.InPast(); ok {
		t.Errorf("the replay did not come back to now:\n%s", s.screen())
	}
}

// TestStoryTimelineWhileHopsCome: in PACED mode the cluster goes on while
// the past is shown; every pane that counts the hops counts the new ones
// too (the board's and the flow's counts stayed at those of the moment
// ← was pressed: "hop 3/8" beside a header's "hop 3/16").
func TestStoryTimelineWhileHopsCome(t *testing.T) {
	s := newSession(t, Options{Lang: "en", Nodes: 3, Theme: theme.NoColor}, 120, 36)
	s.key("enter")
	s.key("ctrl+t") // paced
	s.typeLine("create deployment web --image=kubeplay/demo:v1 --replicas=3")
	s.wait(2 * time.Second)
	s.key("left")
	s.key("left")
	p := s.app.Playground()
	at, before, ok := p.InPast()
	if !ok {
		t.Fatal("← did not show the past")
	}
	s.wait(3 * time.Second)
	at2, of, ok := p.InPast()
	if !ok || at2 != at || of <= before {
		t.Fatalf("after 3 s in the past: hop %d of %d (past %v), was %d of %d; want the same hop of more", at2, of, ok, at, before)
	}
	scr := ansi.Strip(s.app.View().Content)
	if n := strings.Count(scr, fmt.Sprintf("past: hop %d/%d", at, of)); n != 3 {
		t.Errorf("the header, the board and the events should each say hop %d/%d; %d do:\n%s", at, of, n, scr)
	}
	if !strings.Contains(scr, fmt.Sprintf("as it was at hop %d of %d", at, of)) {
		t.Errorf("the flow does not say hop %d of %d:\n%s", at, of, scr)
	}
	if stale := fmt.Sprintf("hop %d/%d", at, before); strings.Contains(scr, stale) {
		t.Errorf("a pane still says %s:\n%s", stale, scr)
	}
}
