package ui

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/components/hoplog"
	"github.com/kubeplay/kubeplay/ui/internal/walltest"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// updating reports -update: rewrite the golden screens under testdata/.
// The flag is teatest's (its golden package defines it), shared with ours.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// story drives the app as a learner does, keys in and screens out, on the
// test's goroutine: every Cmd the app returns is run at once and its
// message fed back, so a story is deterministic. Commands still run on
// their own goroutine, handing the cluster over as in the program.
type story struct {
	t    *testing.T
	app  *App
	quit bool
	hops []sim.Hop // every visible hop, as the kernel delivered it
}

func newStory(t *testing.T, w, h int) *story {
	t.Helper()
	s := &story{t: t, app: testApp(Options{Lang: "en", Nodes: 3, Theme: theme.NoColor})}
	s.send(tea.WindowSizeMsg{Width: w, Height: h})
	return s
}

func (s *story) send(msg tea.Msg) { s.run(s.update(msg)) }

func (s *story) run(cmd tea.Cmd) { walltest.Run(s.update, cmd) }

// update is the program's: quitting ends the story.
func (s *story) update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tea.QuitMsg); ok {
		s.quit = true
		return nil
	}
	_, cmd := s.app.Update(msg)
	return cmd
}

// open goes from the start page to the playground.
func (s *story) open() {
	s.key("enter")
	p := s.app.Playground()
	if p == nil {
		s.t.Fatal("enter on the start page did not open the playground")
	}
	p.SetInstant(true)
	s.app.driver.C.Observe(func(h sim.Hop) { s.hops = append(s.hops, h) })
}

// key presses one key by its name: "enter", "esc", "tab", "up", a ctrl
// key ("ctrl+n"), a function key ("f5"), "pgdown", "shift+tab", or a
// printable character ("q", "space").
func (s *story) key(name string) {
	s.send(keyPress(name))
}

// keyPress is the key press a name stands for, as the terminal sends it.
func keyPress(name string) tea.KeyPressMsg {
	named := map[string]rune{"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "up": tea.KeyUp,
		"down": tea.KeyDown, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"backspace": tea.KeyBackspace, "left": tea.KeyLeft, "right": tea.KeyRight}
	switch {
	case name == "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case name == "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case strings.HasPrefix(name, "ctrl+"):
		return tea.KeyPressMsg{Code: []rune(name[len("ctrl+"):])[0], Mod: tea.ModCtrl}
	case len(name) > 1 && name[0] == 'f' && name[1] >= '1' && name[1] <= '9':
		n, _ := strconv.Atoi(name[1:])
		return tea.KeyPressMsg{Code: tea.KeyF1 + rune(n-1)}
	}
	if r, ok := named[name]; ok {
		return tea.KeyPressMsg{Code: r}
	}
	return tea.KeyPressMsg{Code: []rune(name)[0], Text: name}
}

// typeLine types a command and presses enter.
func (s *story) typeLine(line string) {
	for _, r := range line {
		s.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	s.key("enter")
}

// screen is what the terminal shows, without colours.
func (s *story) screen() string { return ansi.Strip(s.app.View().Content) }

// stepUntil presses ctrl+n (the step key) until no command runs and the screen shows
// what, or fails after most presses.
func (s *story) stepUntil(what string, most int) {
	s.t.Helper()
	for i := 0; i < most; i++ {
		if !s.app.driver.Running() && strings.Contains(s.screen(), what) {
			return
		}
		s.key("ctrl+n")
	}
	s.t.Fatalf("no %q after %d steps:\n%s", what, most, s.screen())
}

func (s *story) golden(name string) {
	s.t.Helper()
	path := filepath.Join("testdata", name+".golden")
	got := s.screen()
	if updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			s.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		s.t.Fatalf("%v (run go test ./ui -update)", err)
	}
	if got != string(want) {
		s.t.Errorf("screen %s differs from %s:\n%s", name, path, got)
	}
}

func (s *story) contains(what ...string) {
	s.t.Helper()
	scr := s.screen()
	for _, w := range what {
		if !strings.Contains(scr, w) {
			s.t.Errorf("screen lacks %q:\n%s", w, scr)
		}
	}
}

func TestStoryStartScreen(t *testing.T) {
	s := newStory(t, 120, 36)
	s.contains("Free play", "Lessons", "guided lessons", "Language", "Quit", "runtime: simulated")
	// Each key is named once: the page had its own key line above the
	// status line's "↑ up • ↓ down • enter open • q quit".
	if n := strings.Count(s.screen(), "enter open"); n != 1 {
		t.Errorf("the start page names enter %d times, want once:\n%s", n, s.screen())
	}
	s.golden("start")
	s.key("q")
	if !s.quit {
		t.Error("q on the start page did not quit")
	}
}

// TestStoryStepEveryHop creates a one-pod Deployment and steps through
// every hop until its pod runs, checking at each step that the flow pane
// shows that hop: sender and receiver, what it carries, and why.
func TestStoryStepEveryHop(t *testing.T) {
	s := newStory(t, 120, 36)
	s.open()
	s.golden("playground-empty")
	s.typeLine("create deployment web --image=kubeplay/demo:v1 --replicas=1")
	seen := map[sim.Kind]bool{}
	for i := 0; i < 300; i++ {
		d := s.app.driver
		if !d.Running() && d.C.Pending() == 0 {
			break
		}
		before := len(s.hops)
		next, hasNext := d.Next()
		s.key("ctrl+n")
		if len(s.hops) == before {
			continue // the step ended a command's wait without a hop
		}
		if len(s.hops) != before+1 {
			t.Fatalf("one space delivered %d visible hops", len(s.hops)-before)
		}
		h := s.hops[len(s.hops)-1]
		if hasNext && !next.Internal && next.ID != h.ID {
			t.Errorf("step %d: the flow announced hop %d (%s) but %d (%s) came", i, next.ID, next.Label(), h.ID, h.Label())
		}
		flow := ansi.Strip(s.app.Playground().FlowView())
		// The picture draws the sender and the receiver in their places
		// (TestDiagramMarksSenderAndReceiver); the lines under it say what
		// travels and why.
		for _, want := range []string{cut(h.Label(), 30), cut(h.Summary, 30), "●"} {
			if !strings.Contains(flow, want) {
				t.Errorf("step %d (%s → %s %s): flow lacks %q:\n%s", i, h.From, h.To, h.Label(), want, flow)
			}
		}
		seen[h.From.Kind()] = true
	}
	for _, c := range []sim.Kind{sim.KindKubectl, sim.KindAPIServer, sim.KindControllerManager, sim.KindScheduler, sim.KindKubelet, sim.KindRuntime} {
		if !seen[c] {
			t.Errorf("no hop came from %s", c)
		}
	}
	s.contains("deployment.apps/web created", "● web-", "deploy/web 1/1")
	s.golden("playground-running")
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// TestStoryRollingUpdate shows the budget meter while a rollout runs.
func TestStoryRollingUpdate(t *testing.T) {
	s := newStory(t, 120, 36)
	s.open()
	s.typeLine("apply -f ../assets/examples/rolling-update.yaml")
	s.stepUntil("deploy/web 4/4", 3000)
	s.typeLine("set image deployment/web web=kubeplay/demo:v2")
	s.stepUntil("budget", 3000)
	s.contains("available", "≥ min 3", "≤ max 4", "rev2")
	s.golden("rolling-update")
	s.stepUntil("rev2 web-", 3000)
	for i := 0; i < 5000 && strings.Contains(s.screen(), "budget"); i++ {
		s.key("ctrl+n")
	}
	if strings.Contains(s.screen(), "budget") {
		t.Errorf("the budget meter stays after the rollout:\n%s", s.screen())
	}
}

func TestStoryResizeHelpQuit(t *testing.T) {
	s := newStory(t, 120, 36)
	s.open()
	s.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	s.contains("kubectl ───── kube-apiserver ──── etcd", " controller-manager ────╯", "╰──── scheduler", " node-1 ", " node-3 ", "▸OUTPUT")
	s.golden("playground-80x24")
	s.send(tea.WindowSizeMsg{Width: 70, Height: 20})
	s.contains("at least 80×24", "70×20")
	s.send(tea.WindowSizeMsg{Width: 120, Height: 36})
	s.key("ctrl+g")
	s.contains("help · prompt", "play/pause", "history", "A hop is one message", "STEP: the cluster stands still")
	s.golden("playground-help")
	s.key("esc")
	if strings.Contains(s.screen(), "help · prompt") {
		t.Error("esc did not close the help")
	}
	s.key("shift+tab")
	s.key("f1")
	s.contains("help · cluster")
	s.key("esc")
	s.key("esc")
	// A command that waits keeps running until stepped: quitting asks,
	// and a q typed then is text, not an answer.
	s.typeLine("get pods")
	s.key("ctrl+q")
	s.contains("Quit kubeplay?")
	if s.quit {
		t.Fatal("ctrl+q quit without asking while a command runs")
	}
	s.key("n")
	s.key("q")
	if s.quit || strings.Contains(s.screen(), "Quit kubeplay?") {
		t.Fatal("n did not keep kubeplay, or q was taken for a control")
	}
	if v := s.app.Playground().PromptValue(); v != "q" {
		t.Errorf("the prompt holds %q, want the q typed", v)
	}
	s.key("ctrl+c") // stops get pods
	s.key("ctrl+c") // clears the line
	s.key("ctrl+c") // asks
	s.contains("Quit kubeplay?")
	s.key("y")
	if !s.quit {
		t.Error("y did not quit")
	}
}

func TestStoryKorean(t *testing.T) {
	s := &story{t: t, app: testApp(Options{Lang: "ko", Nodes: 3, Theme: theme.NoColor})}
	s.send(tea.WindowSizeMsg{Width: 120, Height: 36})
	s.contains("자유 실습", "레슨", "단계별로", "런타임: 시뮬레이션")
	s.open()
	s.contains("흐름", "클러스터", "이벤트", "출력", "단계")
}

// A list hop names no one object: its details say what was listed —
// the resource, the namespace, how many the store holds — not that "the
// object is gone from the store".
func TestStoryListHopDetails(t *testing.T) {
	s := newStory(t, 200, 50)
	s.open()
	s.typeLine("create deployment web --image=kubeplay/demo:v1 --replicas=2")
	s.stepUntil("deploy/web 2/2", 3000)
	s.typeLine("get pods")
	s.stepUntil("NAME", 200)
	var list, rng sim.Hop
	for _, h := range s.hops {
		switch {
		case h.Verb == "list" && h.Object == "pods":
			list = h
		case h.Verb == "range" && h.Object == "/registry/pods/default/":
			rng = h
		}
	}
	if list.ID == 0 || rng.ID == 0 {
		t.Fatalf("no list and range hops of get pods: %v %v", list, rng)
	}
	s.key("shift+tab")
	for s.app.Playground().FocusedPane() != "pane.hops" {
		s.key("shift+tab")
	}
	s.send(hoplog.DetailsMsg{Hop: list})
	s.contains("A list, not one object: kubectl asks for all the pods", "The store holds")
	s.send(hoplog.DetailsMsg{Hop: rng})
	s.contains("A list, not one object: all the pods in namespace default, read from etcd", "The store holds")
	if strings.Contains(s.screen(), "gone from the store") {
		t.Errorf("a list hop's details say its object is gone:\n%s", s.screen())
	}
}

// Typed letters and spaces on the start page choose nothing: a learner
// back from a prompt (esc) who goes on typing a command stays put.
func TestStoryStartTypingChoosesNothing(t *testing.T) {
	s := newStory(t, 120, 36)
	for _, r := range "kubectl get pods -w" {
		s.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if s.quit || s.app.onPlayground || s.app.les.on != onNone || !strings.Contains(s.screen(), "▸ Free play") {
		t.Errorf("typing on the start page chose something (quit %v):\n%s", s.quit, s.screen())
	}
}

// ^C says in the keys line what it does now: with nothing running and a
// line typed it clears the line; on an empty line it quits, and when it
// would ask first (a command ran) it says "quit…", as ^Q's label does,
// in both languages. The trial read `^C quit` and was asked.
func TestStoryCtrlCSaysWhatItDoes(t *testing.T) {
	for _, tc := range []struct {
		lang              bilingual.Lang
		quit, clear, asks string
	}{
		{bilingual.English, "^C quit…", "^C clear", "Quit kubeplay?"},
		{bilingual.Korean, "^C 종료…", "^C 지우기", "kubeplay를 끝낼까요?"},
	} {
		s := &story{t: t, app: testApp(Options{Lang: tc.lang, Nodes: 3, Theme: theme.NoColor})}
		s.send(tea.WindowSizeMsg{Width: 200, Height: 50})
		s.open()
		s.typeLine("get nodes")
		s.key("ctrl+c") // stops it
		s.contains(tc.quit)
		s.send(tea.KeyPressMsg{Code: 'x', Text: "x"})
		s.contains(tc.clear)
		s.key("ctrl+c")
		s.contains(tc.quit)
		s.key("ctrl+c")
		s.contains(tc.asks)
	}
}
