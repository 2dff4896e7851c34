package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/ui/record"
)

// viewer is `kubeplay replay` as a person watches it: the replay's view
// driven on the test's goroutine, its clock the test's.
type viewer struct {
	t   *testing.T
	v   *replayView
	now time.Time
}

func newViewer(t *testing.T, rec *record.Recording, step bool) *viewer {
	t.Helper()
	r, err := NewReplay(rec, simReplayClusters)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	w := &viewer{t: t, now: time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)}
	w.v = &replayView{r: r, lang: r.app.c.Lang, step: step, now: func() time.Time { return w.now }}
	w.v.Init()
	return w
}

// wait lets d pass, and the timer the view armed fire.
func (w *viewer) wait(d time.Duration) {
	w.now = w.now.Add(d)
	w.v.Update(paceMsg{w.v.gen})
}

func (w *viewer) key(name string) tea.Cmd {
	_, cmd := w.v.Update(keyPress(name))
	return cmd
}

func (w *viewer) screen() string { return ansi.Strip(w.v.View().Content) }

// last is the screen's last line, where the replay's label is.
func (w *viewer) last() string {
	lines := strings.Split(w.screen(), "\n")
	return lines[len(lines)-1]
}

func demoRecording(t *testing.T) *record.Recording {
	t.Helper()
	s := recordDemo(t)
	rec, err := record.Read(bytes.NewReader(s.buf.Bytes()), "en")
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestReplayViewStepByStep: `kubeplay replay --step` waits on the first
// input however long the presenter waits, moves one step (a typed line
// with its enter, a control key) a press of space, says where it is on
// the last line, and at the end says so; q quits.
func TestReplayViewStepByStep(t *testing.T) {
	rec := demoRecording(t)
	w := newViewer(t, rec, true)
	w.wait(time.Hour)
	_, of := w.v.r.Progress()
	if done, _ := w.v.r.Progress(); done != 0 || !strings.Contains(w.last(), "⏵ REPLAY 0/") || !strings.HasSuffix(strings.TrimSpace(w.last()), "space: next") {
		t.Fatalf("before any key: step %d, last line %q", done, w.last())
	}
	w.key("space") // enter on the start page: free play
	w.wait(time.Hour)
	w.key("space") // the typed create deployment and its enter
	w.wait(time.Hour)
	if done, _ := w.v.r.Progress(); done != 2 || !strings.Contains(w.screen(), "$ kubectl create deployment web") {
		t.Errorf("two steps: step %d of %d\n%s", done, of, w.screen())
	}
	if strings.Contains(w.screen(), "$ kubectl get pods") {
		t.Errorf("two steps show a command typed later:\n%s", w.screen())
	}
	for i := 0; i < of+5; i++ {
		w.key("space")
		w.wait(time.Hour)
	}
	if done, _ := w.v.r.Progress(); done != of || !w.v.r.Done() || !strings.Contains(w.last(), "end · q: quit") {
		t.Errorf("at the end: step %d of %d, done %v, last line %q", done, of, w.v.r.Done(), w.last())
	}
	if cmd := w.key("q"); cmd == nil {
		t.Error("q does not quit")
	} else if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("q does not quit")
	}
}

// TestReplayViewPace: `kubeplay replay` plays at the recorded pace;
// space pauses (time waited does not count: nothing more is replayed),
// and space again goes on from there; the viewer's terminal size
// replaces the recorded one, the label fitting its last line.
func TestReplayViewPace(t *testing.T) {
	rec := demoRecording(t)
	w := newViewer(t, rec, false)
	w.v.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	w.wait(rec.Events[0].Wall() + time.Second) // the start page, then enter a second later
	early := w.v.r.next
	if early == 0 || w.v.r.Done() {
		t.Fatalf("a second in: %d of %d events replayed", early, len(rec.Events))
	}
	armed := w.v.gen // the timer armed for the next event
	w.key("space")
	if !strings.Contains(w.last(), "⏸ REPLAY") || !strings.Contains(w.last(), "paused · space: go on") {
		t.Errorf("paused: last line %q", w.last())
	}
	w.now = w.now.Add(time.Hour)
	w.v.Update(paceMsg{armed}) // it fires while paused
	if w.v.r.next != early {
		t.Errorf("paused an hour, the replay went on from event %d to %d", early, w.v.r.next)
	}
	w.key("space")
	w.wait(time.Second)
	if n := w.v.r.next; n <= early || w.v.r.Done() {
		t.Errorf("a second after going on: event %d (was %d), done %v: the hour paused counted", n, early, w.v.r.Done())
	}
	w.wait(rec.Duration())
	if !w.v.r.Done() || !strings.Contains(w.last(), "end · q: quit") {
		t.Errorf("after the recording's length: done %v, last line %q", w.v.r.Done(), w.last())
	}
	lines := strings.Split(w.v.View().Content, "\n")
	if len(lines) != 30 {
		t.Errorf("%d lines on a terminal of 30", len(lines))
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n != 100 {
			t.Errorf("line %d is %d wide on a terminal of 100: %q", i+1, n, ansi.Strip(l))
		}
	}
}

// TestReplayViewSaysWhereItWasRecorded: a session recorded on Docker is
// replayed on simulated containers, and the screen says so, in the
// recording's language.
func TestReplayViewSaysWhereItWasRecorded(t *testing.T) {
	for _, tc := range []struct{ lang, runtime, want string }{
		{"en", "docker", "recorded on Docker, replayed on simulated containers"},
		{"ko", "docker", "Docker에서 녹화, 시뮬레이션 컨테이너로 재생"},
		{"en", "real", "recorded on a real cluster"},
		{"en", "sim", ""},
	} {
		rec := demoRecording(t)
		rec.Header.Runtime, rec.Header.Lang = tc.runtime, tc.lang
		w := newViewer(t, rec, true)
		w.v.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
		w.wait(time.Hour)
		got := w.last()
		if tc.want == "" {
			if strings.Contains(got, "recorded on") {
				t.Errorf("a recording on the simulated runtime is said to be from elsewhere: %q", got)
			}
			continue
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s recorded on %s: last line %q, want %q", tc.lang, tc.runtime, got, tc.want)
		}
	}
}

// TestReplayTimersDoNotHangOnDrawing: a replay that draws no frame at all
// (an export draws few, the TUI one each time it renders) sets the same
// timers as the session, which drew after every event: what the app does
// with time may not depend on what was drawn. Its screen before the
// last key is the session's.
func TestReplayTimersDoNotHangOnDrawing(t *testing.T) {
	s := recordDemo(t)
	rec, r := s.replayed()
	// Up to the last key, y to the question ctrl+q asked.
	last := len(rec.Events) - 1
	for rec.Events[last].Kind != record.KindKey {
		last--
	}
	for r.next < last && r.Step() {
	}
	if r.Missed() != 0 {
		t.Errorf("replayed without drawing, %d recorded timers were not set", r.Missed())
	}
	if got, want := r.Frame(), s.frames[len(s.frames)-1]; got != want {
		t.Errorf("the last screen differs:\n%s\nwant\n%s", ansi.Strip(got), ansi.Strip(want))
	}
}
