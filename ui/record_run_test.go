package ui

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/ui/record"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// TestRunRecords: `kubeplay --record FILE` as main runs it — the real
// program on the wall clock, keys through a pipe — writes a recording
// whose header says what the session ran on, with the command it ran;
// replayed, it draws the screen the session showed before its last key,
// byte for byte.
func TestRunRecords(t *testing.T) {
	t.Setenv(configdir.Env, t.TempDir())
	path := filepath.Join(t.TempDir(), "demo.kpr")
	o := testOptions(Options{Lang: "en", Nodes: 3, Theme: theme.NoColor}, launch.Sim, "")
	o.Record = &Recording{Path: path, Header: record.Header{Seed: 1, Asked: "auto"}}
	var mu sync.Mutex
	var frames []string
	last := -1 // the frame before the session's last key (y)
	h := startRun(t, o, func(a *App, msg tea.Msg) {
		mu.Lock()
		defer mu.Unlock()
		if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "y" && last < 0 {
			last = len(frames) - 1
		}
		frames = append(frames, a.View().Content)
	})
	opened := h.st.add(func(a *App) bool { return a.onPlayground })
	free := h.st.add(func(a *App) bool { return a.play.Mode() == 2 })
	answered := h.st.add(func(a *App) bool {
		return !a.driver.Running() && strings.Contains(ansi.Strip(a.View().Content), "node-1   Ready")
	})
	asked := h.st.add(func(a *App) bool { return strings.Contains(ansi.Strip(a.View().Content), "Quit kubeplay?") })
	await(t, h.started, 30*time.Second, "first frame")
	h.typeKeys("\r")
	await(t, opened, 30*time.Second, "playground")
	h.typeKeys("\x14\x14") // ctrl+t twice: step → paced → free
	await(t, free, 10*time.Second, "free mode")
	h.typeKeys("get nodes\r")
	await(t, answered, 30*time.Second, "get nodes answered")
	rec := h.quitRecording(asked, path)
	hd := rec.Header
	if hd.Runtime != "sim" || hd.Asked != "auto" || hd.Seed != 1 || hd.Nodes != 3 || hd.Lang != "en" || hd.Theme != "no-color" || time.Since(hd.Started) > 5*time.Minute {
		t.Errorf("header %+v: want runtime sim (asked auto), seed 1, 3 nodes, en, no-color, started now", hd)
	}
	var cmds []string
	for _, e := range rec.Events {
		if e.Kind == record.KindCmd {
			cmds = append(cmds, e.Line)
		}
	}
	if strings.Join(cmds, "|") != "get nodes" {
		t.Errorf("recorded commands %q, want get nodes", cmds)
	}

	r, err := NewReplay(rec, simReplayClusters)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for {
		e, ok := r.NextEvent()
		if !ok {
			t.Fatal("the recording has no y key")
		}
		if e.Kind == record.KindKey && e.Text == "y" {
			break
		}
		r.Step()
	}
	mu.Lock()
	want := frames[last]
	mu.Unlock()
	if got := r.Frame(); got != want {
		t.Errorf("the replay's screen before y differs from the session's:\nreplayed:\n%s\nrecorded:\n%s", ansi.Strip(got), ansi.Strip(want))
	}
	if r.Missed() != 0 {
		t.Errorf("the replay missed %d recorded timers or answers", r.Missed())
	}
}

// quitRecording quits as a learner does (ctrl+q, then y to the question,
// which asked sees) and reads the recording the session wrote to path.
func (h *harness) quitRecording(asked <-chan struct{}, path string) *record.Recording {
	t := h.t
	t.Helper()
	h.typeKeys("\x11") // ctrl+q
	await(t, asked, 10*time.Second, "the question before quitting")
	h.typeKeys("y")
	if err := h.wait(time.Minute); err != nil {
		t.Fatalf("run: %v", err)
	}
	rec, err := record.Open(path, "en")
	if err != nil {
		t.Fatal(err)
	}
	return rec
}
