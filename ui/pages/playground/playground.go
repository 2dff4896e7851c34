// Package playground is the free-play page: the flow, the board, events,
// output, the hop log and the prompt, driving one cluster.
package playground

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/bridge"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/board"
	"github.com/kubeplay/kubeplay/ui/components/editor"
	"github.com/kubeplay/kubeplay/ui/components/events"
	"github.com/kubeplay/kubeplay/ui/components/flow"
	"github.com/kubeplay/kubeplay/ui/components/helpview"
	"github.com/kubeplay/kubeplay/ui/components/hoplog"
	"github.com/kubeplay/kubeplay/ui/components/logview"
	"github.com/kubeplay/kubeplay/ui/components/prompt"
	"github.com/kubeplay/kubeplay/ui/components/traffic"
	"github.com/kubeplay/kubeplay/ui/present"
)

// Mode is how the cluster's time moves.
type Mode int

// The modes, in the order the mode key cycles through them.
const (
	Step  Mode = iota // one hop per enter on an empty prompt
	Paced             // each hop animated, then the next
	Free              // cluster time at real pace
)

// speeds are the paced mode's speeds.
var speeds = []float64{0.25, 0.5, 1, 2, 4, 8, 16}

// BackMsg asks the app to go back to the start page.
type BackMsg struct{}

// QuitMsg asks the app to quit; the driver is already closed.
type QuitMsg struct{}

// Model is the playground page.
type Model struct {
	c *common.Common
	d *bridge.Driver

	flow    *flow.Model
	board   *board.Model
	events  *events.Model
	output  *logview.Model
	hops    *hoplog.Model
	traffic *traffic.Model
	prompt  *prompt.Model
	help    *helpview.Model // the help line
	full    *helpview.Full  // the full help, open over the panes (^G)
	editor  *editor.Model
	panes   [panes]paneEntry // the panes above as one table (panes.go)

	mode    Mode
	playing bool
	speed   int // index into speeds
	anim    anim
	tickID  int
	ticking bool
	// The cluster's clock in paced and free mode (clock.go).
	clockAt time.Time // the wall instant up to which the cluster had its time
	clockOn bool      // the clock ran when last looked at
	hold    bool      // the page holds the clock while no command runs
	// outsideUntil: a request from outside runs a held clock until then.
	outsideUntil time.Time
	// shownTime is the cluster's time when the UI last held it.
	shownTime time.Duration

	focus    pane
	unedited pane // the pane that had the focus before the editor took it
	tab      pane // the bottom pane shown when they share one place
	// asking is the question shown in place of the prompt, "" when none:
	// quitting, or going back (a lesson's backQuestion); yes answers it.
	asking string
	yes    func() tea.Cmd

	// The input model (see key): the line running, those queued behind
	// it, whether any ran, and who hears a line start (a lesson).
	running      queued
	queue        []queued
	ran          bool
	onRun        func(line string)
	quitQuestion string   // the quit question's id when not quit.ask
	backQuestion string   // asked before esc goes back, when set (a lesson)
	cast         keycast  // what the presenter typed, for the room
	timeline     timeline // every hop, with the board and events it came with
	runtime      string   // "sim", "docker" or "real" (a real cluster kubeplay is attached to)
	fallback     string   // why auto chose sim, when it did
	now          func() time.Time
	after        func(time.Duration, tea.Msg) tea.Cmd // a timer: tea.Tick's, or a test's
	instant      bool                                 // no animation: tests, benchmarks
	embedded     bool                                 // under a lesson: may draw compacted (layout.go)
	side         int                                  // columns left at the right, below the flow, for the page around (layout.go)
	sideView     common.Component                     // the pane in those columns
	still        still                                // the panes as last drawn while only a packet moves (still.go)
	head         keptHeader                           // the header as last drawn (header)

	// Real time (Docker): see realtime.go.
	rtCancel chan struct{} // closes the armed waiter
	rtAsked  bool          // space was pressed and nothing was due
	rtIdle   bool          // nothing is due now
}

// New returns the playground on d.
func New(c *common.Common, d *bridge.Driver, runtime string) *Model {
	m := &Model{c: c, d: d, speed: 2, playing: true, runtime: runtime, tab: paneOutput, now: c.Now, after: c.After,
		flow: flow.New(c), board: board.New(c), events: events.New(c), output: logview.New(c, "pane.output", "out.none"),
		hops: hoplog.New(c), traffic: traffic.New(c), prompt: prompt.New(c), help: helpview.New(c), editor: editor.New(c),
		timeline: newTimeline()}
	m.full = helpview.NewFull(m.help, m.explained)
	m.register()
	m.sync()
	return m
}

// SetClock replaces the wall clock paced and free mode follow, and the
// timers that bring them back, for tests: after returns a Cmd that
// reports msg once d has passed on that clock.
func (m *Model) SetClock(now func() time.Time, after func(d time.Duration, msg tea.Msg) tea.Cmd) {
	m.now, m.after = now, after
}

// SetInstant turns the packet animation off: each hop lands at once.
func (m *Model) SetInstant(b bool) { m.dropStill(); m.instant = b }

// FlowView is the flow pane as drawn, for tests.
func (m *Model) FlowView() string { return m.flow.View() }

// Elapsed is the cluster's time when the UI last held it.
func (m *Model) Elapsed() time.Duration { return m.shownTime }

// Mode is the current mode.
func (m *Model) Mode() Mode { return m.mode }

// SetFallback says why the runtime is simulated although Docker was
// asked for (--runtime auto), for the status bar.
// The header has room for the start of it only: the output pane says it
// whole.
func (m *Model) SetFallback(why string) {
	m.dropStill()
	if why != "" && why != m.fallback {
		m.output.Append(m.c.Theme.Warning.Render("⚠ " + m.c.Tf("runtime.fallback", why)))
	}
	m.fallback = why
}

// Init starts nothing on a simulated cluster: an idle playground does not
// tick. On a real-time one it arms the waiter, which sleeps until the
// container runtime sends something or a hop falls due.
func (m *Model) Init() tea.Cmd {
	if m.d.Realtime() {
		return m.arm()
	}
	return nil
}

// sync copies what the cluster did into the panes. It reads the cluster
// only while the UI holds it; otherwise the panes keep their last view.
func (m *Model) sync() {
	m.dropStill()
	if out := m.d.Out.Take(); out != "" {
		m.output.Append(out)
		if m.c.OnOutput != nil {
			m.c.OnOutput(out)
		}
	}
	if !m.d.Holding() {
		m.prompt.SetBusy(true)
		return
	}
	for _, f := range m.d.TakeForwards() {
		m.output.Append(m.c.Theme.Dim.Render(m.c.Tf("forward", clockText(f.From), clockText(f.To))))
	}
	hops := m.d.TakeHops()
	if len(hops) > 0 {
		m.hops.Add(hops)
		// The last is on the flow already when the press that delivered
		// it handed the cluster to a command (show): its packet may be on
		// its way still.
		if m.show(hops[len(hops)-1]) && m.mode == Free {
			m.flow.SetPos(1)
		}
	}
	rows := m.d.EventRows()
	m.events.Add(rows)
	m.syncTraffic()
	changed := m.d.Changed()
	var b present.Board
	if changed {
		b = m.d.Board()
		if m.timeline.at < 0 {
			m.board.SetBoard(b)
			m.flow.SetBoard(b)
		}
		m.flow.SetNodes(m.d.C.Nodes())
		m.prompt.SetNames(names(b))
	}
	m.timeline.record(hops, b, changed, rows)
	if m.timeline.at >= 0 && len(hops) > 0 {
		m.markPast()
	}
	m.shownTime = m.d.C.Elapsed()
	next, ok := m.d.C.Next()
	m.flow.SetNext(next, ok, m.mode == Step)
	m.prompt.SetBusy(m.d.Running())
	m.rtIdle = m.d.Realtime() && !m.d.DueNow()
	m.prompt.SetWaiting(m.d.Parked() && m.mode == Step && !m.rtIdle)
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if _, frame := msg.(frameMsg); !frame {
		m.dropStill() // a frame moves the packet only (still.go)
	}
	cmd := m.update(msg)
	m.trackClock()
	if m.realtimeMsg(msg) {
		return tea.Batch(cmd, m.arm())
	}
	return cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case bridge.WakeMsg:
		return m.wake()
	case bridge.ParkedMsg:
		cmd := m.d.Park(msg)
		m.sync()
		return tea.Batch(cmd, m.kick())
	case bridge.FinishedMsg:
		m.d.Finish(msg)
		m.sync()
		if msg.Quit {
			// `exit` asks too, as every way out does.
			return tea.Batch(m.quit(), m.next(), m.kick())
		}
		return tea.Batch(m.next(), m.kick())
	case frameMsg:
		return m.frame(msg)
	case replayMsg:
		return m.replayStep(msg)
	case tickMsg:
		return m.tick(msg)
	case prompt.SubmitMsg:
		return m.submit(msg)
	case editor.ApplyMsg:
		entered := prompt.AsHereDoc("apply -f -", msg.YAML)
		return m.run("apply -f -", strings.NewReader(msg.YAML), " <<"+entered[len(entered)-1]+" (editor)", entered)
	case hoplog.DetailsMsg:
		if l, ok := m.d.ListOf(msg.Hop); ok {
			m.hops.SetList(msg.Hop, m.listText(l))
			return nil
		}
		yaml, carried, ok := m.d.ObjectYAML(msg.Hop)
		m.hops.SetDetails(msg.Hop, yaml, carried, ok)
		return nil
	case tea.PasteMsg:
		return m.paste(msg)
	case tea.MouseWheelMsg:
		return m.wheel(msg)
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

// paste takes a bracketed paste. Pasted lines are typed lines, whatever
// ends them (most terminals send CR): a command that opens a
// here-document, as tutorials' `kubectl apply -f - <<EOF` blocks do, takes
// the lines after it up to its marker as its body, and lines after that
// run as commands, as in a shell. Other lines, a manifest, go to the
// editor; a single line goes to the prompt, wherever the focus was.
func (m *Model) paste(msg tea.PasteMsg) tea.Cmd {
	text := prompt.Lines(msg.Content)
	if m.editor.IsOpen() {
		return m.edit(tea.PasteMsg{Content: text})
	}
	first, _, lines := strings.Cut(text, "\n")
	if !lines {
		m.setFocus(panePrompt)
		return m.prompt.Update(msg)
	}
	if !m.prompt.InHereDoc() && !m.prompt.OpensHereDoc(m.prompt.Value()+first) &&
		strings.Contains(strings.TrimSpace(text), "\n") {
		return m.edit(tea.PasteMsg{Content: text})
	}
	m.setFocus(panePrompt)
	var cmds []tea.Cmd
	for _, sub := range m.prompt.Paste(text) {
		cmds = append(cmds, m.submit(sub))
	}
	return tea.Batch(cmds...)
}

// submit runs a line the prompt took: a here-document's command with its
// body as stdin, or says why the line cannot run.
func (m *Model) submit(msg prompt.SubmitMsg) tea.Cmd {
	switch {
	case msg.Err != nil:
		_, shown := prompt.Command(msg.Line)
		m.showOutput()
		m.output.Append(m.c.Theme.Accent.Render(shown))
		m.output.Append(m.c.Theme.Error.Render("error: " + msg.Err.Error()))
		return nil
	case msg.Here:
		return m.run(msg.Line, strings.NewReader(msg.Body), " <<"+msg.Marker, msg.Entered)
	}
	return m.run(msg.Line, nil, "", nil)
}

// queued is a line entered while a command ran: it runs when that ends.
type queued struct {
	line, shown string
	stdin       *strings.Reader
	entered     []string // common.Command's Entered
}

// run runs a line entered at the prompt or applied from the editor, or
// queues it while a command runs. A command that never ends by itself (a
// watch) is ended first, as ctrl+c would: the learner who enters the next
// command is done watching.
// A line with stdin says where it comes from (note), and the lines it
// was entered as (common.Command's Entered).
func (m *Model) run(line string, stdin *strings.Reader, note string, entered []string) tea.Cmd {
	line, shown := prompt.Command(line)
	if line == "edit" && stdin == nil {
		return m.edit(nil)
	}
	m.showOutput()
	shown += m.c.Theme.Dim.Render(note)
	if !m.d.Running() {
		return m.start(queued{line, shown, stdin, entered})
	}
	m.queue = append(m.queue, queued{line, shown, stdin, entered})
	m.prompt.SetQueued(len(m.queue))
	// The learner's lines are filled in as typed (fmt, not Tf, which would
	// refit a Korean particle inside them).
	if endless(m.running.line) {
		m.output.Append(m.c.Theme.Dim.Render(fmt.Sprintf(m.c.T("out.ending"), shown, m.running.shown)))
		return m.d.Interrupt()
	}
	m.output.Append(m.c.Theme.Dim.Render(fmt.Sprintf(m.c.T("out.queued"), shown)))
	return nil
}

// start runs q now.
func (m *Model) start(q queued) tea.Cmd {
	// The command's requests leave at the cluster's now: the time the
	// wall clock gave it since the last tick passes first.
	caught := m.catchUp()
	m.ran, m.running = true, q
	m.cast.run(q.shown)
	if m.onRun != nil {
		m.onRun(q.line)
	}
	if m.c.OnCommand != nil {
		stdin := ""
		if q.stdin != nil {
			stdin = readAll(q.stdin)
		}
		m.c.OnCommand(common.Command{Line: q.line, Stdin: stdin, Entered: q.entered})
	}
	m.output.Append(m.c.Theme.Accent.Render(q.shown))
	var cmd tea.Cmd
	if q.stdin != nil {
		cmd = m.d.Start(q.line, q.stdin)
	} else {
		cmd = m.d.Start(q.line, nil)
	}
	m.sync()
	if endless(q.line) && len(m.queue) > 0 {
		// Lines wait behind a watch: it shows what it lists, then ends
		// for them, as when one is entered while it runs.
		m.output.Append(m.c.Theme.Dim.Render(fmt.Sprintf(m.c.T("out.ending"), m.queue[0].shown, q.shown)))
		cmd = tea.Batch(cmd, m.d.Interrupt())
	}
	return tea.Batch(caught, cmd, m.wakeTicker(), m.kick())
}

// next starts the first queued line, once the command before it ended.
func (m *Model) next() tea.Cmd {
	if len(m.queue) == 0 || m.d.Running() {
		return nil
	}
	q := m.queue[0]
	m.queue = m.queue[1:]
	m.prompt.SetQueued(len(m.queue))
	return m.start(q)
}

// endless reports whether line waits on the cluster until it is
// stopped, for all the learner knows: a watch, a log followed, and
// rollout status, which watches a rollout up to its progress deadline
// (ten minutes by default). A line typed after it ends it, as ^C would:
// the learner is done watching, and ending it changes nothing.
func endless(line string) bool {
	words := strings.Fields(line)
	if len(words) > 0 && (words[0] == "kubectl" || words[0] == "k") {
		words = words[1:]
	}
	if len(words) == 0 {
		return false
	}
	var flags []string
	switch words[0] {
	case "get", "events":
		flags = []string{"-w", "--watch", "--watch-only"}
	case "logs":
		flags = []string{"-f", "--follow"}
	case "rollout":
		// It watches unless told not to (-w=false, --watch=false).
		return len(words) > 1 && words[1] == "status" &&
			!slices.ContainsFunc(words[2:], func(w string) bool { return w == "-w=false" || w == "--watch=false" })
	default:
		return false
	}
	for _, w := range words[1:] {
		name, val, _ := strings.Cut(w, "=")
		if slices.Contains(flags, name) && val != "false" {
			return true
		}
	}
	return false
}

// key routes a key press. One rule: what the learner types goes to the
// prompt, always — a printable key is never a control, whatever the mode,
// the pane with the focus, or a command running. The controls are ctrl
// and function keys (common.Keys) and enter on an empty prompt.
func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	keys := m.c.Keys
	m.cast.key(k)
	if m.asking != "" {
		asked, yes := m.asking, m.yes
		m.asking, m.yes = "", nil
		if ok, answered := common.Answer(k); answered {
			if ok {
				return yes()
			}
			return nil
		}
		if asked == m.quitID() && m.quitKey(k) {
			return m.leave()
		}
		// Any other key: stay, and the key does what it always does.
	}
	if m.focus == paneEditor {
		return m.edit(k)
	}
	if m.pastKey(k) {
		return nil
	}
	switch {
	case key.Matches(k, keys.Interrupt):
		return m.interrupt()
	case m.quitKey(k):
		return m.quit()
	case key.Matches(k, keys.Help):
		m.full.Toggle()
	case key.Matches(k, keys.Step):
		return m.step()
	case key.Matches(k, keys.Play):
		if m.mode == Step {
			m.setMode(Paced)
			m.playing = true
		} else {
			m.playing = !m.playing
			m.setMode(m.mode)
		}
		return m.kick()
	case key.Matches(k, keys.Faster):
		return m.setSpeed(m.speed + 1)
	case key.Matches(k, keys.Slower):
		return m.setSpeed(m.speed - 1)
	case key.Matches(k, keys.Mode):
		m.setMode((m.mode + 1) % 3)
		m.playing = true
		return m.kick()
	case key.Matches(k, keys.Next):
		m.setFocus(m.nextPane(1))
	case key.Matches(k, keys.Prev):
		m.setFocus(m.nextPane(panes - 1))
	case key.Matches(k, keys.Presenter):
		m.c.Presenter = !m.c.Presenter
		m.layout()
		m.setFocus(m.focus) // a pane the new layout hides gives the focus back
	case key.Matches(k, keys.Theme):
		m.c.SetTheme(m.c.Theme.Kind.Next(), m.c.Theme.Dark)
		m.help.Restyle()
	case key.Matches(k, keys.Back):
		return m.back(k)
	case m.full.Takes(k):
		return m.full.Update(k)
	case common.Printable(k):
		m.setFocus(panePrompt)
		return m.prompt.Update(k)
	case k.String() == "enter":
		if m.prompt.InHereDoc() {
			// An empty line is a line of the body, not a step.
			m.setFocus(panePrompt)
			return m.prompt.Update(k)
		}
		if m.focus == paneHops {
			return m.hops.Update(k)
		}
		if strings.TrimSpace(m.prompt.Value()) == "" {
			return m.step()
		}
		m.setFocus(panePrompt)
		return m.prompt.Update(k)
	case m.focus == panePrompt:
		return m.prompt.Update(k)
	case k.String() == "tab":
		m.setFocus(m.nextPane(1))
	case paneKeys[k.String()]:
		return m.paneKey(k)
	default:
		// Editing keys (backspace, ctrl+w, …) edit the line wherever the
		// focus was.
		m.setFocus(panePrompt)
		return m.prompt.Update(k)
	}
	return nil
}

// paneKeys are the keys a focused pane takes: it scrolls and opens.
var paneKeys = map[string]bool{"up": true, "down": true, "left": true, "right": true,
	"pgup": true, "pgdown": true, "home": true, "end": true}

// quitKey reports whether k asks to quit: ctrl+q, F10, or ctrl+d on an
// empty prompt (a shell's end of input).
func (m *Model) quitKey(k tea.KeyPressMsg) bool {
	return key.Matches(k, m.c.Keys.Quit) || (k.String() == "ctrl+d" && m.prompt.Value() == "")
}

// interrupt is ctrl+c: it ends the running command as kubectl's ^C; with
// none, it clears a typed line, as a shell does; on an empty line it
// quits (asking first).
func (m *Model) interrupt() tea.Cmd {
	switch {
	case m.prompt.CancelHereDoc():
		// As a shell's ^C, it drops the here-document being typed.
		return nil
	case m.d.Running():
		m.output.Append(m.c.Theme.Warning.Render(m.c.T("out.ctrlc")))
		return m.d.Interrupt()
	case m.prompt.Value() != "":
		m.prompt.SetValue("")
		return nil
	}
	return m.quit()
}

// back is esc: it closes what is open, one thing a press — the help, a
// hop's details, a pane's focus, the line typed — then ends a running
// command, then goes back to the start page (the cluster stays).
func (m *Model) back(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case m.full.IsOpen():
		m.full.Close()
	case m.timeline.at >= 0:
		m.toNow()
	case m.focus == paneHops && m.hops.InDetails():
		return m.hops.Update(k)
	case m.focus != panePrompt:
		m.setFocus(panePrompt)
	case m.prompt.CancelHereDoc():
	case m.prompt.Value() != "":
		m.prompt.SetValue("")
	case m.d.Running():
		m.output.Append(m.c.Theme.Warning.Render(m.c.T("out.interrupt")))
		return m.d.Interrupt()
	default:
		goBack := func() tea.Cmd { return func() tea.Msg { return BackMsg{} } }
		if m.backQuestion != "" {
			m.asking, m.yes = m.backQuestion, goBack
			return nil
		}
		return goBack()
	}
	return nil
}

// paneKey gives a key no global binding took to the focused pane.
func (m *Model) paneKey(k tea.Msg) tea.Cmd {
	if m.focus != panePrompt {
		return m.scrollPane(m.focus, k)
	}
	if m.d.Running() {
		return nil
	}
	return m.prompt.Update(k)
}

func (m *Model) wheel(msg tea.MouseWheelMsg) tea.Cmd {
	// The wheel scrolls the pane under the pointer, focused or not.
	if p, ok := m.paneAt(msg.X, msg.Y); ok {
		return m.scrollPane(p, msg)
	}
	switch m.focus {
	case panePrompt, paneFlow:
		return m.output.Update(msg)
	}
	return m.paneKey(msg)
}

// quit leaves kubeplay, asking first when the cluster has state.
func (m *Model) quit() tea.Cmd {
	if m.HasState() {
		m.asking, m.yes = m.quitID(), m.leave
		return nil
	}
	return m.leave()
}

// quitID is the quit question's message id.
func (m *Model) quitID() string {
	if m.quitQuestion != "" {
		return m.quitQuestion
	}
	return "quit.ask"
}

// leave closes the driver and asks the app to quit.
func (m *Model) leave() tea.Cmd {
	m.d.Close()
	return func() tea.Msg { return QuitMsg{} }
}

// HasState reports whether quitting would lose something: a command ran
// or runs, the cluster moved (hops from outside too), or the page around
// the playground asked to be asked always (a lesson).
func (m *Model) HasState() bool {
	return m.ran || m.d.Running() || m.hops.Len() > 0 || m.quitQuestion != ""
}

// syncTraffic shows the last load run. A new run comes to the front: in
// the tabbed layout its tab is shown (and focused, if a tab had focus),
// and a layout that had no place for it makes one.
func (m *Model) syncTraffic() {
	t, ok := m.d.Traffic()
	if !ok {
		return
	}
	had := m.traffic.Has()
	if !m.traffic.SetTraffic(t) {
		return
	}
	if !had {
		m.layout()
	}
	if g := m.geometry(true); !g.wide {
		if m.panes[m.focus].tab {
			m.setFocus(paneTraffic)
		} else {
			m.tab = paneTraffic
		}
	}
}

// ModeText is the mode as the header says it.
func (m *Model) ModeText() string {
	s := map[Mode]string{Step: "mode.step", Paced: "mode.paced", Free: "mode.free"}[m.mode]
	t := m.c.T(s)
	switch {
	case m.Held():
		// A lesson between steps: no key moves the cluster on.
		t += " ‖ " + m.c.T("held")
	case m.mode == Step:
		t += " ▸ ⏎"
	case !m.playing:
		t += " ‖ " + m.c.T("paused")
	}
	return t
}

// Clock is the cluster's time as the header shows it: 0:42, 1:02:03.
// It is the time when the UI last held the cluster: a running command
// may be moving it.
func (m *Model) Clock() string { return clockText(m.shownTime) }

// clockText writes a cluster time as a clock, to the second.
func clockText(d time.Duration) string {
	s := int64(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// Speed is the paced mode's speed as the header says it: "×1".
func (m *Model) Speed() string {
	return "×" + strings.TrimSuffix(fmt.Sprintf("%g", speeds[m.speed]), ".0")
}

// listText says what a list hop read: a list, not one object — which
// resource, in which namespace, and how many the store holds now.
func (m *Model) listText(l bridge.List) string {
	var s string
	switch {
	case l.Request:
		s = m.c.Tf("details.list.req", l.Resource)
	case l.Namespace == "":
		s = m.c.Tf("details.list.all", l.Resource)
	default:
		s = m.c.Tf("details.list.ns", l.Resource, l.Namespace)
	}
	if l.Count >= 0 {
		s += " " + m.c.Tf("details.list.count", l.Count, l.Resource)
	}
	return s
}

// readAll is what r holds, left unread for the command that reads it.
func readAll(r *strings.Reader) string {
	var b strings.Builder
	_, _ = r.WriteTo(&b)
	_, _ = r.Seek(0, io.SeekStart)
	return b.String()
}
