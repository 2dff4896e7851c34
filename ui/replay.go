package ui

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui/bridge"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/internal/walltest"
	"github.com/kubeplay/kubeplay/ui/record"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// Replay plays a recording (record.Recording) on a new simulated cluster
// of the recorded seed and options: the recorded events go to a new app,
// one at a time, on the app's goroutine, each Cmd they bring run at once
// (as a story test drives the app), and the app's clock reads the
// recorded times, its timers firing when the recording says they fired.
// So its frames are the recorded session's, byte for byte, on the
// simulated runtime.
type Replay struct {
	rec   *record.Recording
	app   *App
	wall  *replayWall
	next  int   // the next event
	ends  []int // the event that ends each step (an input a person made)
	done  int   // steps done
	size  [2]int
	sized bool // size replaces the recorded sizes (a viewer's terminal)
	quit  bool // the recorded session quit
	// held are what commands' goroutines said, held until the recording
	// says the screen heard it (record.KindSync).
	held  []tea.Msg
	hold  bool     // the recording says when (it has sync events)
	stops []func() // what to take down at Close, the last first
	// missed counts the timers the recording fired that this replay did
	// not set, and the commands' words it did not hear: it went another
	// way (a recording on Docker, a request from outside).
	missed int
	// finished, when set, hears each command's end as the app has it.
	finished func(bridge.FinishedMsg)

	mu   sync.Mutex
	hops []sim.Hop
}

// replayWall is the app's wall clock in a replay: the recorded time of
// the event being replayed, and timers kept by number until the
// recording fires them.
type replayWall struct {
	start   time.Time
	now     time.Time
	set     int
	pending map[int]tea.Msg
	// own: the recording's timers are not this replay's (it was made on
	// Docker or a real cluster, whose clock is the wall's): each timer
	// fires when its time comes, as walltest's clock fires them.
	own *walltest.Clock
}

func (w *replayWall) Now() time.Time {
	if w.own != nil {
		return w.own.Now()
	}
	return w.now
}

func (w *replayWall) After(d time.Duration, msg tea.Msg) tea.Cmd {
	if w.own != nil {
		return w.own.After(d, msg)
	}
	w.set++
	w.pending[w.set] = msg
	return nil
}

// ReplayClusters makes the simulated clusters a replay runs on, of the
// seed and options h recorded, and what stops them all: main builds them
// (as it builds Options.Clusters), so the TUI knows no engine.
type ReplayClusters func(h record.Header) (c Clusters, stop func())

// observed are the replay's clusters, every hop of each one heard.
type observed struct {
	Clusters
	hop func(sim.Hop)
}

func (o observed) Start(ctx context.Context, notice func(string)) (backend.Cluster, func(), string, error) {
	c, stop, why, err := o.Clusters.Start(ctx, notice)
	if err == nil {
		c.Observe(o.hop)
	}
	return c, stop, why, err
}

func (o observed) Fresh(addons ...string) (backend.Cluster, func(), error) {
	c, stop, err := o.Clusters.Fresh(addons...)
	if err == nil {
		c.Observe(o.hop)
	}
	return c, stop, err
}

// NewReplay starts rec's cluster (from clustersFor), simulated whatever
// it was recorded on, and the app on it, before the first event.
func NewReplay(rec *record.Recording, clustersFor ReplayClusters) (*Replay, error) {
	h := rec.Header
	lang := h.Language()
	kind, err := ThemeKind(h.Theme)
	if err != nil {
		kind = theme.Auto
	}
	r := &Replay{rec: rec, ends: stepEnds(rec.Events)}
	// On Docker or a real cluster commands answered at times of their
	// own, which the simulated runtime does not keep: it hands each
	// answer on at once.
	for _, e := range rec.Events {
		r.hold = r.hold || (e.Kind == record.KindSync && h.Runtime == "sim")
	}
	clusters, stopAll := clustersFor(h)
	r.stops = append(r.stops, stopAll)
	o := Options{Lang: lang, Nodes: h.Nodes, Presenter: h.Presenter, Theme: kind, Clusters: observed{clusters, r.heard}}
	if len(h.Banner) > 0 {
		o.API = banner(h.Banner)
	}
	c, stop, _, err := o.Clusters.Start(context.Background(), func(string) {})
	if err != nil {
		stopAll()
		return nil, err
	}
	r.stops = append(r.stops, stop)
	why := ""
	if h.Runtime == "sim" {
		why = h.Fallback
	}
	r.app = newAppOn(o, c, why)
	r.app.les.prog = &lessons.Progress{Version: 1, Lessons: map[string][]int{}}
	for id, steps := range h.Progress {
		r.app.les.prog.Lessons[id] = append([]int(nil), steps...)
	}
	start := h.Started
	if start.IsZero() {
		start = time.Unix(0, 0)
	}
	r.wall = &replayWall{start: start, now: start, pending: map[int]tea.Msg{}}
	if h.Runtime != "sim" {
		r.wall.own = walltest.New(start)
	}
	r.app.c.Wall = r.wall
	if h.Lesson != "" {
		// kubeplay lesson ID: the app opened on the lesson.
		all, err := lessons.All()
		if err == nil {
			var l *lessons.Lesson
			if l, err = lessons.Find(all, h.Lesson, lang); err == nil {
				r.app.openLesson(l)
			}
		}
		if err != nil {
			r.Close()
			return nil, err
		}
	}
	r.deliver(nil, r.app.Init())
	return r, nil
}

// banner is the recorded API banner, served by nobody.
type banner map[string]string

func (b banner) Banner(l bilingual.Lang) string { return b[string(l)] }
func (banner) Serving() bool                    { return false }

func (r *Replay) heard(h sim.Hop) {
	r.mu.Lock()
	r.hops = append(r.hops, h)
	r.mu.Unlock()
}

// Hops are the hops delivered so far, on every cluster the replay started.
func (r *Replay) Hops() []sim.Hop {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sim.Hop(nil), r.hops...)
}

// stepEnds are the events that end a step of a replay step by step: an
// input that is not typing (enter, a control key, a paste, the mouse);
// the keys typed before it are part of its step.
func stepEnds(evs []record.Event) []int {
	var ends []int
	open := -1
	for i, e := range evs {
		if !e.Input() {
			continue
		}
		open = i
		if !typing(e) {
			ends = append(ends, i)
			open = -1
		}
	}
	if open >= 0 {
		ends = append(ends, open)
	}
	return ends
}

// typing reports whether e is a key that edits the line: a printable
// character, or backspace.
func typing(e record.Event) bool {
	return e.Kind == record.KindKey && tea.KeyMod(e.Mod)&^tea.ModShift == 0 && (e.Text != "" || e.Code == tea.KeyBackspace)
}

// Close stops the replay's clusters.
func (r *Replay) Close() {
	r.app.close()
	for i := len(r.stops) - 1; i >= 0; i-- {
		r.stops[i]()
	}
	r.stops = nil
}

// Progress is the steps done and all of them.
func (r *Replay) Progress() (done, of int) { return r.done, len(r.ends) }

// Done reports whether every event has been replayed (or the recorded
// session quit).
func (r *Replay) Done() bool { return r.quit || r.next >= len(r.rec.Events) }

// Missed is how many recorded timers the replay had not set.
func (r *Replay) Missed() int { return r.missed }

// OutsideNote says, in lang, why a replay that went another way did,
// when the session served the learner's own kubectl: the replay cannot
// send its requests again. It names the first request and the command
// it came after, and how many there were; of a recording by a kubeplay
// that did not keep them, that there may have been some. It is "" when
// the recording has no request from outside, or the replay has not
// reached the first.
func (r *Replay) OutsideNote(lang bilingual.Lang) string {
	if h := r.rec.Header; !h.Outside && h.Served() {
		return common.Text(lang, "replay.outside.unkept")
	}
	first, n, cmds, line := -1, 0, 0, ""
	for i, e := range r.rec.Events {
		switch {
		case e.Kind == record.KindOutside:
			n++
			if first < 0 {
				first = i
			}
		case e.Kind == record.KindCmd && first < 0:
			cmds, line = cmds+1, e.Line
		}
	}
	if first < 0 || r.next <= first {
		return ""
	}
	where := common.Text(lang, "replay.outside.start")
	if cmds > 0 {
		where = lang.Sprintf(common.Text(lang, "replay.outside.at"), cmds, line)
	}
	e := r.rec.Events[first]
	return lang.Sprintf(common.Text(lang, "replay.outside"), n, e.Method+" "+e.Path, where)
}

// NextEvent is the event the next Step replays.
func (r *Replay) NextEvent() (record.Event, bool) {
	if r.Done() {
		return record.Event{}, false
	}
	return r.rec.Events[r.next], true
}

// Resize draws the screens at w×h from now on, in place of the recorded
// sizes.
func (r *Replay) Resize(w, h int) {
	r.size, r.sized = [2]int{w, h}, true
	r.deliver(tea.WindowSizeMsg{Width: w, Height: h}, nil)
}

// Step replays the next event; false when there was none.
func (r *Replay) Step() bool {
	e, ok := r.NextEvent()
	if !ok {
		return false
	}
	r.next++
	r.wall.now = r.wall.start.Add(e.Wall())
	if own := r.wall.own; own != nil {
		for {
			msg, ok := own.Next(r.wall.now)
			if !ok {
				break
			}
			r.deliver(msg, nil)
		}
	}
	switch e.Kind {
	case record.KindTimer:
		if r.wall.own != nil {
			break
		}
		msg, ok := r.wall.pending[e.N]
		if !ok {
			r.missed++
			break
		}
		delete(r.wall.pending, e.N)
		r.deliver(msg, nil)
	case record.KindNotice:
		r.deliver(NoticeMsg{Text: e.Text}, nil)
	case record.KindSync:
		if !r.hold {
			break
		}
		if len(r.held) == 0 {
			r.missed++
			break
		}
		msg := r.held[0]
		r.held = r.held[1:]
		walltest.Run(r.update, r.give(msg))
	case record.KindCmd, record.KindOutside:
	case record.KindSize:
		if !r.sized {
			r.deliver(e.Msg(), nil)
		}
	default:
		if msg := e.Msg(); msg != nil {
			r.deliver(msg, nil)
		}
	}
	if r.done < len(r.ends) && r.ends[r.done] == r.next-1 {
		r.done++
	}
	return true
}

// StepInput replays up to the end of the next step.
func (r *Replay) StepInput() {
	if r.done >= len(r.ends) {
		for r.Step() {
		}
		return
	}
	for want := r.done + 1; r.done < want && r.Step(); {
	}
}

// deliver gives msg (when not nil) to the app, and runs what it brings,
// and cmd, at once.
func (r *Replay) deliver(msg tea.Msg, cmd tea.Cmd) {
	if r.quit {
		return
	}
	if msg != nil {
		walltest.Run(r.update, r.update(msg))
	}
	walltest.Run(r.update, cmd)
}

func (r *Replay) update(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case bridge.ParkedMsg, bridge.FinishedMsg, bridge.WakeMsg:
		if r.hold {
			r.held = append(r.held, msg)
			return nil
		}
	}
	return r.give(msg)
}

// give hands msg to the app, a command's end heard (finished) first.
func (r *Replay) give(msg tea.Msg) tea.Cmd {
	if f, ok := msg.(bridge.FinishedMsg); ok && r.finished != nil && !r.quit {
		r.finished(f)
	}
	return updateUntilQuit(r.app, &r.quit, msg)
}

// updateUntilQuit gives msg to m, as the program would: not after a
// QuitMsg, which sets quit.
func updateUntilQuit(m tea.Model, quit *bool, msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tea.QuitMsg); ok || *quit {
		*quit = true
		return nil
	}
	_, cmd := m.Update(msg)
	return cmd
}

// Frame is the screen as the app draws it now, with its colours.
func (r *Replay) Frame() string { return r.app.View().Content }

// Size is the size the screens are drawn at.
func (r *Replay) Size() (w, h int) { return r.app.c.Width, r.app.c.Height }

// Mark is what the screen must say of where the recording was made,
// when it was not on the simulated runtime ("" when it was).
func (r *Replay) Mark() string {
	switch r.rec.Header.Runtime {
	case "docker":
		return r.app.c.T("replay.docker")
	case "real":
		return r.app.c.T("replay.real")
	}
	return ""
}

// FlowFrame is the flow pane as drawn now (the page's playground's), and
// the colours of the page behind it: the background and the text.
func (r *Replay) FlowFrame() (view string, dark bool) {
	p := r.app.activePlayground()
	if p == nil {
		return "", r.app.c.Theme.Dark
	}
	return p.FlowView(), r.app.c.Theme.Dark
}

// Export is what `kubeplay replay` writes instead of playing: an
// asciinema v2 cast of every frame, a picture (SVG) of the flow after
// step At (0: at the end) or an animation of it step by step, the hops
// as JSON or text.
type Export struct {
	Cast io.Writer
	SVG  io.Writer
	At   int
	// Animate: the SVG is the flow as each step left it, one a second,
	// looping, in place of one picture.
	Animate  bool
	Hops     io.Writer
	HopsJSON bool
	Lang     bilingual.Lang // of the messages (default: the recording's)
}

// Exported says what an export wrote.
type Exported struct {
	Frames   int           // cast events
	Pictures int           // the animated SVG's frames
	Steps    int           // steps replayed
	Hops     int           // hops written
	Duration time.Duration // the recording's wall time
}

// Export replays to the end, writing what x asks.
func (r *Replay) Export(x Export) (Exported, error) {
	lang := x.Lang
	if lang == "" {
		lang = r.app.c.Lang
	}
	if _, of := r.Progress(); x.At < 0 || x.At > of {
		return Exported{}, fmt.Errorf(lang.Pick("--at %d: the recording has steps 1 to %d (0: the end)", "--at %d: 녹화에는 1부터 %d까지의 단계가 있어요 (0은 끝)"), x.At, of)
	}
	var cast *record.Cast
	if x.Cast != nil {
		w, h := 80, 24
		for _, e := range r.rec.Events {
			if e.Kind == record.KindSize {
				w, h = e.W, e.H
				break
			}
		}
		cast = record.NewCast(x.Cast, w, h, r.rec.Header.Started, "kubeplay")
	}
	drawn := x.SVG == nil || x.Animate
	var pictures []string
	stepped := false // a step ended: its picture is the flow before the next input
	picture := func() {
		if view, _ := r.FlowFrame(); view != "" && (len(pictures) == 0 || pictures[len(pictures)-1] != view) {
			pictures = append(pictures, view)
		}
		stepped = false
	}
	for {
		e, ok := r.NextEvent()
		if !ok {
			break
		}
		if stepped && e.Input() {
			picture()
		}
		done := r.done
		r.Step()
		stepped = stepped || (x.Animate && r.done > done)
		if n, ok := r.NextEvent(); e.Kind == record.KindOutside || (ok && n.T == e.T && (n.Kind == record.KindSync || n.Kind == record.KindCmd)) {
			// The same instant goes on (a request from outside is noted
			// before the event the screen heard next): the screen drew
			// it once.
			continue
		}
		if cast != nil && !r.quit {
			if fw, fh := r.Size(); fw > 0 {
				cast.Resize(e.Wall(), fw, fh)
				cast.Frame(e.Wall(), r.Frame())
			}
		}
		if !drawn && x.At > 0 && r.done >= x.At {
			if err := r.svg(x.SVG); err != nil {
				return Exported{}, err
			}
			drawn = true
		}
	}
	if !drawn {
		if err := r.svg(x.SVG); err != nil {
			return Exported{}, err
		}
	}
	if x.Animate && x.SVG != nil {
		if stepped {
			picture()
		}
		bg, fg := r.page()
		if err := record.AnimatedSVG(x.SVG, pictures, time.Second, bg, fg, "kubeplay"); err != nil {
			return Exported{}, err
		}
	}
	out := Exported{Steps: r.done, Pictures: len(pictures), Duration: r.rec.Duration()}
	if cast != nil {
		if err := cast.Err(); err != nil {
			return out, err
		}
		out.Frames = cast.Events()
	}
	if x.Hops != nil {
		hops := r.Hops()
		out.Hops = len(hops)
		if err := record.WriteHops(x.Hops, hops, x.HopsJSON); err != nil {
			return out, err
		}
	}
	return out, nil
}

// svg writes the flow pane as drawn now as an SVG, on the theme's
// background.
func (r *Replay) svg(w io.Writer) error {
	view, _ := r.FlowFrame()
	bg, fg := r.page()
	return record.SVG(w, view, bg, fg, "kubeplay")
}

// page is the background and the text's colour of the theme's page.
func (r *Replay) page() (bg, fg color.Color) {
	if _, dark := r.FlowFrame(); dark {
		return color.RGBA{0x1a, 0x1b, 0x26, 0xff}, color.RGBA{0xc0, 0xca, 0xf5, 0xff}
	}
	return color.RGBA{0xff, 0xff, 0xff, 0xff}, color.RGBA{0x1a, 0x1b, 0x26, 0xff}
}

// replayView is the TUI of `kubeplay replay`: the recorded screens, at
// the recorded pace or one step a key, with a label saying it is a
// replay and how far it is; the keys are the viewer's, none reaches the
// replayed screens.
type replayView struct {
	r      *Replay
	lang   bilingual.Lang
	step   bool
	paused bool
	base   time.Time // the wall instant the recording's start stands for
	gen    int
	now    func() time.Time
}

type paceMsg struct{ gen int }

// RunReplay plays rec in the terminal until it ends and q is pressed
// (or ctx ends): at its recorded pace, or with step, one step (a typed
// line, a control key) a key press, the time between steps at its pace.
func RunReplay(ctx context.Context, rec *record.Recording, clustersFor ReplayClusters, step bool, in io.Reader, out io.Writer) error {
	r, err := NewReplay(rec, clustersFor)
	if err != nil {
		return err
	}
	defer r.Close()
	v := &replayView{r: r, lang: r.app.c.Lang, step: step, now: time.Now}
	p := tea.NewProgram(v, tea.WithInput(in), tea.WithOutput(out), tea.WithoutSignalHandler(), tea.WithContext(ctx))
	_, err = p.Run()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}

func (v *replayView) Init() tea.Cmd {
	v.base = v.now()
	return v.pace()
}

// pace arms the timer of the next event due, unless paused, at the end,
// or (step by step) the next is an input that waits for a key.
func (v *replayView) pace() tea.Cmd {
	e, ok := v.r.NextEvent()
	if !ok || v.paused || (v.step && e.Input()) {
		return nil
	}
	v.gen++
	gen := v.gen
	d := v.base.Add(e.Wall()).Sub(v.now())
	return tea.Tick(max(d, 0), func(time.Time) tea.Msg { return paceMsg{gen} })
}

// due replays every event whose time has come.
func (v *replayView) due() {
	now := v.now()
	for {
		e, ok := v.r.NextEvent()
		if !ok || (v.step && e.Input()) || v.base.Add(e.Wall()).After(now) {
			return
		}
		v.r.Step()
	}
}

// rebase makes the next event due now: the time waited for a key does
// not count.
func (v *replayView) rebase() {
	if e, ok := v.r.NextEvent(); ok {
		v.base = v.now().Add(-e.Wall())
	}
}

func (v *replayView) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		v.r.Resize(msg.Width, msg.Height)
	case paceMsg:
		if msg.gen == v.gen {
			v.due()
			return v, v.pace()
		}
	case tea.KeyPressMsg:
		switch msg.String() {
		case "q", "ctrl+c", "esc", "ctrl+q", "f10":
			return v, tea.Quit
		case "space", " ", "enter", "right", "n":
			switch {
			case v.step:
				v.r.StepInput()
				v.rebase()
			case v.paused:
				v.paused = false
				v.rebase()
			default:
				v.paused = true
				v.gen++
				return v, nil
			}
			return v, v.pace()
		}
	}
	return v, nil
}

// label is what the replay says of itself, on the last line.
func (v *replayView) label() string {
	c := v.r.app.c
	done, of := v.r.Progress()
	s := " ⏵ " + c.Tf("replay.label", done, of)
	if v.paused {
		s = " ⏸ " + c.Tf("replay.label", done, of)
	}
	switch e, ok := v.r.NextEvent(); {
	case !ok:
		s += " · " + c.T("replay.end")
	case v.paused:
		s += " · " + c.T("replay.paused")
	case v.step && e.Input():
		s += " · " + c.T("replay.next")
	default:
		s += " · " + c.T("replay.quit")
	}
	if m := v.r.Mark(); m != "" {
		s += " · " + m
	}
	if n := v.r.Missed(); n > 0 && v.r.Mark() == "" {
		if why := v.r.OutsideNote(c.Lang); why != "" {
			s += " · " + why
		} else {
			s += " · " + c.Tf("replay.diverge", n)
		}
	}
	return c.Theme.TabActive.Render(s + " ")
}

// View is the replayed screen with the label over the end of its last
// line.
func (v *replayView) View() tea.View {
	frame := v.r.Frame()
	w, _ := v.r.Size()
	lines := strings.Split(frame, "\n")
	label := v.label()
	if w > 0 {
		if ansi.StringWidth(label) > w {
			label = ansi.Truncate(label, w, "…")
		}
		lw := ansi.StringWidth(label)
		last := len(lines) - 1
		head := ansi.Truncate(lines[last], w-lw, "")
		lines[last] = head + "\x1b[0m" + strings.Repeat(" ", max(0, w-lw-ansi.StringWidth(head))) + label
	}
	view := tea.NewView(strings.Join(lines, "\n"))
	view.AltScreen = true
	view.WindowTitle = "kubeplay replay"
	return view
}
