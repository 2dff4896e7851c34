package ui

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui/pages/playground"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// lessonCommands are the suggested commands of every lesson, each once,
// as a learner would type them: a pod chosen by the cluster ({pod:…})
// gets a name of the form the cluster gives.
func lessonCommands(t *testing.T) []string {
	t.Helper()
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	pod := regexp.MustCompile(`\{(pod|rs):[^}]*\}`)
	var cmds []string
	for _, l := range all {
		for _, s := range l.Steps {
			if c := pod.ReplaceAllString(s.Command, "web-5bd49bcdd5-x7k2p"); c != "" && !slices.Contains(cmds, c) {
				cmds = append(cmds, c)
			}
		}
	}
	if len(cmds) < 50 {
		t.Fatalf("only %d lesson commands", len(cmds))
	}
	return cmds
}

// echoOf is how the output pane shows line when it runs: after "$ kubectl "
// for kubectl's commands, after "$ " for kubeplay's own words.
func echoOf(line string) string {
	first, _, _ := strings.Cut(line, " ")
	switch first {
	case "sleep", "curl", "load", "fault", "trace", "node":
		return "$ " + line
	}
	return "$ kubectl " + line
}

// typist runs the app in the real program and watches it after every
// message, on the program's goroutine: it notes anything a key changed
// that typing must not change, counts the printable keys each pane had
// the focus for, and, when asked, ends a command that keeps a queued
// line waiting (as a learner's ctrl+c would, but only while that is
// still so — the test's goroutine could not know it without racing).
type typist struct {
	*App
	st *stages

	mu      sync.Mutex
	page    func(*App) *playground.Model
	want    state
	bad     []string
	typedOn map[string]int // printable keys by the pane focused when they came
	endFor  string         // end the running command once this line waits behind it
}

// state is what typing must leave alone.
type state struct {
	mode      playground.Mode
	playing   bool
	hops      int // in step mode: no hop without the step key
	lesson    int // the lesson's step, -1 in free play
	through   bool
	presenter bool
	onPage    bool
}

func (ty *typist) look(a *App) state {
	p := ty.page(a)
	s := state{mode: p.Mode(), playing: p.Playing(), hops: p.HopCount(), lesson: -1, presenter: a.c.Presenter}
	if l := a.Lesson(); l != nil {
		s.lesson, s.through, s.onPage = l.Index(), l.Through(), a.les.on == onLesson
	} else {
		s.onPage = a.onPlayground
	}
	return s
}

// View draws nothing: the test reads the app, not the screen, and the
// program draws a view after every message, which would be most of the
// test's work (the screens have tests of their own).
func (ty *typist) View() tea.View { return tea.NewView("") }

func (ty *typist) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	ty.mu.Lock()
	defer ty.mu.Unlock()
	if k, ok := msg.(tea.KeyPressMsg); ok && k.Text != "" && ty.page != nil {
		ty.typedOn[ty.page(ty.App).FocusedPane()]++
	}
	_, cmd := ty.App.Update(msg)
	if ty.page == nil {
		ty.st.check(ty.App, msg)
		return ty, cmd
	}
	p := ty.page(ty.App)
	if ty.endFor != "" && p.QueuedLines() > 0 && p.RunningLine() != "" && p.RunningLine() != ty.endFor {
		_, c := ty.App.Update(keyPress("ctrl+c"))
		cmd = tea.Batch(cmd, c)
	}
	got := ty.look(ty.App)
	if ty.want.mode != playground.Step {
		got.hops = ty.want.hops // paced and free mode deliver hops by themselves
	}
	if got != ty.want {
		ty.bad = append(ty.bad, fmt.Sprintf("after %T %v: %+v, want %+v", msg, msg, got, ty.want))
		ty.want = got // report each change once
	}
	if l := ty.App.Lesson(); l != nil && l.Hint() != "" {
		ty.bad = append(ty.bad, "a hint showed: "+l.Hint())
	}
	if p.Confirming() || p.HelpShown() {
		ty.bad = append(ty.bad, fmt.Sprintf("after %v: a question or the help opened", msg))
	}
	ty.st.check(ty.App, msg)
	return ty, cmd
}

// TestStoryTypingIsText types every command of every lesson, character
// by character, into free play and into a lesson, in step, paced and
// free mode, with the focus put on each pane before each character, each
// line entered while the command before it still runs. Every line must
// reach the cluster as typed (the output pane shows it run), and nothing
// else may happen: no mode change, no hop delivered in step mode, no
// lesson step moved, no hint, no help, no quit question, no quitting.
func TestStoryTypingIsText(t *testing.T) {
	if testing.Short() {
		t.Skip("types some 30 000 keys")
	}
	cmds := lessonCommands(t)
	for _, where := range []string{"free play", "lesson"} {
		for _, mode := range []playground.Mode{playground.Step, playground.Paced, playground.Free} {
			t.Run(fmt.Sprintf("%s/%s", where, []string{"step", "paced", "free"}[mode]), func(t *testing.T) {
				typeEverything(t, where == "lesson", mode, cmds)
			})
		}
	}
}

// watchLine is the command each line is typed behind: a watch, which
// runs until stopped, and which no lesson suggests.
const watchLine = "get nodes --watch"

// panes are the stops of shift+tab, in its order: the prompt, then board,
// events, output, hops (the flow, which has no keys, is not one).
var panes = []string{"pane.prompt", "pane.board", "pane.events", "pane.output", "pane.hops"}

func typeEverything(t *testing.T, inLesson bool, mode playground.Mode, cmds []string) {
	t.Setenv(configdir.Env, t.TempDir())
	var st stages
	ty := &typist{App: testApp(Options{Lang: "en", Nodes: 3, Theme: theme.Auto}), st: &st, typedOn: map[string]int{}}
	tm := teatest.NewTestModel(t, ty, teatest.WithInitialTermSize(140, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	defer func() {
		if t.Failed() {
			ty.mu.Lock()
			for _, b := range ty.bad {
				t.Error(b)
			}
			t.Logf("width %d, lesson pages %+v, on playground %v, err %v; last screen:\n%s", ty.c.Width, ty.les, ty.onPlayground, ty.err, ansi.Strip(ty.App.View().Content))
			ty.mu.Unlock()
		}
	}()
	send := func(names ...string) {
		for _, n := range names {
			tm.Send(keyPress(n))
		}
	}
	with := func(f func(*typist)) {
		ty.mu.Lock()
		defer ty.mu.Unlock()
		f(ty)
	}

	// Stages are met in turn: each is added before the keys that lead
	// to it, after the one before it.
	opened := func(a *App) bool {
		if inLesson {
			return a.Lesson() != nil
		}
		return a.Playground() != nil
	}
	if inLesson {
		// The list opens by a message of its own: enter again once it is
		// there.
		listed := st.add(func(a *App) bool { return a.les.on == onList })
		send("down", "enter")
		await(t, listed, 10*time.Second, "the lesson list")
		open := st.add(opened)
		send("enter")
		await(t, open, 10*time.Second, "the lesson")
	} else {
		open := st.add(opened)
		send("enter")
		await(t, open, 10*time.Second, "free play")
	}
	// The lesson's own stops at explained hops would pause paced and
	// free mode by themselves: step-through off (a key of the test's,
	// not typed), and the suggestion cleared.
	ready := st.add(func(a *App) bool {
		p := page(a)
		if inLesson && a.Lesson().Through() {
			return false
		}
		return p.Mode() == mode && p.PromptValue() == ""
	})
	if inLesson {
		send("ctrl+r", "esc")
	}
	for range int(mode) {
		send("ctrl+t")
	}
	send("ctrl+l") // a key that does nothing: the stage is looked at after it
	await(t, ready, 10*time.Second, "the mode")
	with(func(ty *typist) {
		ty.page = page
		ty.want = ty.look(ty.App)
	})

	// ran reports whether the output pane's last lines show echo: the
	// pane keeps a bounded number of lines, and a round adds a few.
	ran := func(a *App, echo string) bool {
		lines := page(a).OutputLines()
		for _, l := range lines[max(len(lines)-40, 0):] {
			if ansi.Strip(l) == echo {
				return true
			}
		}
		return false
	}
	// Every line with the focus on every pane; with the race detector
	// on, every line once, the panes in turn.
	rounds := len(cmds) * len(panes)
	if raceDetector {
		rounds = len(cmds)
	}
	for i := range rounds {
		line, pane := cmds[i%len(cmds)], panes[(i/len(cmds)+i%len(cmds))%len(panes)]
		// Every line is typed while a command runs: a watch, which the
		// line entered ends (as ctrl+c would). The watch is typed too,
		// often while the line before still runs (step mode): it waits
		// behind it, and the typist ends that line for it.
		with(func(ty *typist) { ty.endFor = watchLine })
		watching := st.add(func(a *App) bool { return page(a).RunningLine() == watchLine })
		tm.Type(watchLine)
		send("enter")
		await(t, watching, 10*time.Second, "a command running before "+line)
		with(func(ty *typist) {
			if ran(ty.App, echoOf(line)) {
				t.Fatalf("%q shows run before it was typed", line)
			}
			ty.endFor = line
		})
		done := st.add(func(a *App) bool { return ran(a, echoOf(line)) })
		for _, r := range line {
			for range slices.Index(panes, pane) {
				send("shift+tab")
			}
			tm.Type(string(r))
		}
		send("enter")
		await(t, done, 10*time.Second, fmt.Sprintf("%q run as typed, the focus on %s", line, pane))
		with(func(ty *typist) { ty.endFor = "" })
	}
	with(func(ty *typist) {
		for _, b := range ty.bad {
			t.Error(b)
		}
		t.Logf("%d lines typed and run, the focus on each of %d panes in turn; printable keys by the pane focused: %v", rounds, len(panes), ty.typedOn)
		for _, p := range panes {
			if ty.typedOn[p] == 0 {
				t.Errorf("no key was typed with the focus on %s: %v", p, ty.typedOn)
			}
		}
	})
	tm.Quit()
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// page is the playground keys go to: the lesson's or free play's.
func page(a *App) *playground.Model {
	if l := a.Lesson(); l != nil {
		return l.Playground()
	}
	return a.Playground()
}

// TestStoryQueue: a line entered while a command runs waits its turn and
// is said to wait; a watch is ended for it, as ctrl+c would end it.
func TestStoryQueue(t *testing.T) {
	s := newStory(t, 120, 36)
	s.open()
	p := s.app.Playground()
	s.typeLine("create deployment web --image=kubeplay/demo:v1") // step mode: it waits for the learner
	s.typeLine("get deploy web")
	s.contains("⧗ queued: $ kubectl get deploy web", "1 queued")
	if p.QueuedLines() != 1 || p.RunningLine() != "create deployment web --image=kubeplay/demo:v1" {
		t.Fatalf("running %q with %d queued", p.RunningLine(), p.QueuedLines())
	}
	s.stepUntil("NAME   READY", 200) // enter on the empty prompt steps; then get deploy runs
	if got := lastEchoes(p, 2); got != "$ kubectl create deployment web --image=kubeplay/demo:v1|$ kubectl get deploy web" {
		t.Errorf("the lines ran as %q", got)
	}

	// Pasted text is typed text, wherever the focus is.
	s.key("shift+tab")
	s.send(tea.PasteMsg{Content: "get pods -w"})
	if v := p.PromptValue(); v != "get pods -w" {
		t.Fatalf("a paste with the board focused left %q at the prompt", v)
	}
	s.key("enter")
	if p.RunningLine() != "get pods -w" {
		t.Fatalf("the watch is not running: %q", p.RunningLine())
	}
	s.typeLine("kubectl sleep 5s")
	if out := outputText(p); !strings.Contains(out, "⧗ queued: $ sleep 5s — ending $ kubectl get pods -w first, as ctrl+c would") {
		t.Errorf("the output does not say the watch is ended for the line:\n%s", out)
	}
	if p.RunningLine() != "sleep 5s" && p.RunningLine() != "" {
		t.Errorf("after the watch %q runs, not sleep 5s", p.RunningLine())
	}
	if strings.Contains(s.screen(), "kubectl kubectl") || strings.Contains(s.screen(), "$ kubectl sleep") {
		t.Errorf("kubectl shown twice, or before kubeplay's own word:\n%s", s.screen())
	}
}

// outputText is what the output pane holds, without colour.
func outputText(p *playground.Model) string {
	return ansi.Strip(strings.Join(p.OutputLines(), "\n"))
}

// lastEchoes are the last n command lines the output pane shows run.
func lastEchoes(p *playground.Model, n int) string {
	var echoes []string
	for _, l := range p.OutputLines() {
		if l = ansi.Strip(l); strings.HasPrefix(l, "$ ") {
			echoes = append(echoes, l)
		}
	}
	return strings.Join(echoes[max(len(echoes)-n, 0):], "|")
}

// TestStoryLessonQueuedSuggestion: the next step's suggestion entered
// while the learner's watch runs ends the watch, runs, and counts for the
// step.
func TestStoryLessonQueuedSuggestion(t *testing.T) {
	s := newLessonStory(t, "en")
	s.openLesson(1)
	l := s.app.Lesson()
	s.key("enter") // step 1: apply web-pod.yaml, and step until the pod is Ready
	for i := 0; i < 200 && (!l.Passed() || l.Driver().Running()); i++ {
		s.key("ctrl+n")
	}
	if !l.Passed() {
		t.Fatalf("step 1 did not pass:\n%s", s.screen())
	}
	s.typeLine("get pods -w")
	s.key("pgdown") // on to step 2 while the watch runs: it waits for the cluster
	s.contains("Step 2/4", "$ kubectl get pod web -o yaml")
	s.key("enter")
	if out := outputText(l.Playground()); !strings.Contains(out, "ending $ kubectl get pods -w first") {
		t.Errorf("the output does not say the watch is ended for the suggestion:\n%s", out)
	}
	for i := 0; i < 50 && l.Driver().Running(); i++ {
		s.key("ctrl+n")
	}
	if !l.Passed() {
		t.Errorf("the suggestion ran behind the watch but step 2 did not count it:\n%s", s.screen())
	}
}

// TestStoryQuitAsks: every way out asks once the cluster has something
// in it — ctrl+c on an empty prompt, `exit`, the start page's Quit — and
// n stays.
func TestStoryQuitAsks(t *testing.T) {
	s := newStory(t, 120, 36)
	s.open()
	s.key("ctrl+c") // nothing made yet: it quits at once
	if !s.quit {
		t.Fatal("ctrl+c on an empty playground did not quit")
	}
	s = newStory(t, 120, 36)
	s.open()
	s.typeLine("run web --image=kubeplay/demo:v1")
	s.finish()
	for _, way := range []func(){
		func() { s.key("ctrl+c") },
		func() { s.key("ctrl+d") },
		func() { s.key("f10") },
		func() { s.typeLine("exit"); s.finish() },
		func() { s.key("esc"); s.key("q") }, // the start page's q
	} {
		way()
		s.contains("Quit kubeplay?", "y/⏎ quit · n/esc stay")
		if s.quit {
			t.Fatal("quit without asking")
		}
		s.key("n")
		if s.quit || strings.Contains(s.screen(), "Quit kubeplay?") {
			t.Fatal("n did not stay")
		}
		if !s.app.onPlayground {
			s.key("enter") // back to free play from the start page
		}
	}
	s.key("ctrl+q")
	s.key("enter")
	if !s.quit {
		t.Error("enter did not answer yes")
	}
}

// TestStoryHelpTeaches: with the focus on each pane, the help line names
// each key once and the full help explains the modes, hops and how to
// see what a hop carried, and the panes, in English and Korean.
func TestStoryHelpTeaches(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		s := &story{t: t, app: testApp(Options{Lang: lang, Nodes: 3, Theme: theme.NoColor})}
		s.send(tea.WindowSizeMsg{Width: 200, Height: 50})
		s.open()
		want := map[string][]string{
			"en": {"STEP: the cluster stands still", "PACED:", "FREE:", "A hop is one message", "To see what a hop carried", "flow: the components", "prompt: kubectl commands"},
			"ko": {"단계: 클러스터가 멈춰 있어요", "재생:", "자유:", "홉은 한 컴포넌트가", "홉이 실어 나른 것을 보려면", "흐름: 컴포넌트와", "프롬프트: kubectl 명령"},
		}[string(lang)]
		for range panes {
			lines := strings.Split(s.screen(), "\n")
			seen := map[string]bool{}
			for _, item := range strings.Split(strings.TrimSpace(lines[len(lines)-1]), " • ") {
				label, _, _ := strings.Cut(item, " ")
				if seen[label] {
					t.Errorf("%s: the help line names %s twice: %s", lang, label, lines[len(lines)-1])
				}
				seen[label] = true
			}
			s.key("ctrl+g")
			s.contains(want...)
			all := strings.Split(s.screen(), "\n")
			scr := strings.Join(all[:len(all)-2], "\n") // the help pane, not the prompt and help line
			for _, label := range []string{"⏎/^N", "^S/F5", "F7", "F8", "^T/F4", "⇧tab/F6", "^G/F1", "^C", "^Q/^D/F10"} {
				if n := strings.Count(scr, " "+label+" "); n != 1 {
					t.Errorf("%s: the full help names %s %d times:\n%s", lang, label, n, scr)
				}
			}
			s.key("esc")
			s.key("shift+tab")
		}
	}
}

// rollout status waits for a rollout, up to its progress deadline (600 s
// by default): a line typed meanwhile ends it as ^C would, quietly, as a
// watch ends — the learner who types the next command is done waiting,
// and lessons suggest rollout status, then the next command.
func TestStoryQueueEndsRolloutStatus(t *testing.T) {
	s := newStory(t, 120, 36)
	s.open()
	p := s.app.Playground()
	s.typeLine("create deployment web --image=kubeplay/dmeo:v1") // a typo: never ready
	s.stepUntil("deployment.apps/web created", 200)
	s.typeLine("rollout status deployment/web")
	for i := 0; i < 20; i++ {
		s.key("ctrl+n")
	}
	if p.RunningLine() != "rollout status deployment/web" {
		t.Fatalf("rollout status is not waiting: %q", p.RunningLine())
	}
	s.typeLine("get pods")
	if out := outputText(p); !strings.Contains(out, "⧗ queued: $ kubectl get pods — ending $ kubectl rollout status deployment/web first, as ctrl+c would") {
		t.Errorf("the output does not say rollout status is ended for the line:\n%s", out)
	}
	if l := p.RunningLine(); l == "rollout status deployment/web" {
		t.Errorf("get pods waits behind rollout status")
	}
	if out := outputText(p); strings.Contains(out, "error") {
		t.Errorf("rollout status ended with an error, not quietly:\n%s", out)
	}
}

// Help on every screen: ^G opens it on the start page, the lesson list,
// the playground and a lesson, and it teaches what each screen's keys
// do — scrolling the panes, the lesson's keys — in English and Korean.
func TestStoryHelpOnEveryScreen(t *testing.T) {
	want := map[string]map[string][]string{
		"en": {"start": {"Free play gives you", "F2 presenter mode"}, "list": {"Letters typed here do nothing"},
			"play": {"Scrolling", "PgUp/PgDn a page", "End the last line"}, "lesson": {"^O (or F9) shows a hint", "PgUp/PgDn a page"}},
		"ko": {"start": {"자유 실습에서는", "F2는 발표 모드예요"}, "list": {"여기서 입력한 글자는"},
			"play": {"스크롤", "PgUp/PgDn 한 페이지", "End 마지막 줄로"}, "lesson": {"^O(또는 F9)를", "PgUp/PgDn 한 페이지"}},
	}
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		s := newLessonStory(t, lang)
		s.send(tea.WindowSizeMsg{Width: 200, Height: 60})
		help := func(screen string) {
			t.Helper()
			s.key("ctrl+g")
			s.contains(want[string(lang)][screen]...)
			s.key("esc")
			for _, w := range want[string(lang)][screen] {
				if strings.Contains(s.screen(), w) {
					t.Errorf("%s %s: esc did not close the help", lang, screen)
				}
			}
		}
		help("start")
		s.key("down")
		s.key("enter")
		help("list")
		s.key("enter")
		s.app.Lesson().Playground().SetInstant(true)
		help("lesson")
		s.key("esc")
		s.key("esc")
		s.key("y")
		s.key("esc")
		s.key("up")
		s.key("enter")
		help("play")
	}
}

// The full help scrolls with the arrows and the page keys while it is
// open; a letter typed meanwhile still goes to the prompt, and esc
// closes the help.
func TestStoryHelpScrolls(t *testing.T) {
	s := newStory(t, 80, 24)
	s.open()
	p := s.app.Playground()
	s.key("ctrl+g")
	s.contains("help · prompt", "Keys")
	s.key("pgdown")
	s.key("pgdown")
	if scr := s.screen(); strings.Contains(scr, "┃Keys") || !strings.Contains(scr, "Scrolling") {
		t.Errorf("pgdown did not scroll the help:\n%s", scr)
	}
	s.key("home")
	s.contains("┃Keys")
	s.key("g")
	if p.PromptValue() != "g" || !p.HelpShown() {
		t.Errorf("a letter typed with the help open: prompt %q, help open %v", p.PromptValue(), p.HelpShown())
	}
	s.key("esc")
	if p.HelpShown() {
		t.Errorf("esc left the help open:\n%s", s.screen())
	}
}
