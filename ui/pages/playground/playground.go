// Package playground is the free-play page: the flow, the board, events,
// output, the hop log and the prompt, driving one cluster.
package playground

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/bridge"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/board"
	"github.com/kubeplay/kubeplay/ui/components/events"
	"github.com/kubeplay/kubeplay/ui/components/flow"
	"github.com/kubeplay/kubeplay/ui/components/helpview"
	"github.com/kubeplay/kubeplay/ui/components/hoplog"
	"github.com/kubeplay/kubeplay/ui/components/logview"
	"github.com/kubeplay/kubeplay/ui/components/prompt"
	"github.com/kubeplay/kubeplay/ui/components/traffic"
)

// Mode is how the cluster's time moves.
type Mode int

// The modes, in the order the mode key cycles through them.
const (
	Step  Mode = iota // one hop per space
	Paced             // each hop animated, then the next
	Free              // cluster time at real pace
)

// speeds are the paced mode's speeds.
var speeds = []float64{0.25, 0.5, 1, 2, 4, 8, 16}

// pane identifies what has focus.
type pane int

const (
	panePrompt pane = iota
	paneBoard
	paneEvents
	paneOutput
	paneHops
	paneFlow
	paneTraffic // once a load has run
	panes
)

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
	help    *helpview.Model
	editor  *editor

	mode     Mode
	playing  bool
	speed    int // index into speeds
	anim     anim
	tickID   int
	ticking  bool
	lastTick time.Time

	focus       pane
	tab         pane // the bottom pane shown when they share one place
	showHelp    bool
	confirmQuit bool
	lastKey     string
	runtime     string // "sim" or "docker"
	fallback    string // why auto chose sim, when it did
	now         func() time.Time
	instant     bool // no animation: tests, benchmarks

	// Real time (Docker): see realtime.go.
	rtCancel chan struct{} // closes the armed waiter
	rtAsked  bool          // space was pressed and nothing was due
	rtIdle   bool          // nothing is due now
}

// New returns the playground on d.
func New(c *common.Common, d *bridge.Driver, runtime string) *Model {
	m := &Model{c: c, d: d, speed: 2, playing: true, runtime: runtime, tab: paneOutput, now: time.Now,
		flow: flow.New(c), board: board.New(c), events: events.New(c), output: logview.New(c, "pane.output", "out.none"),
		hops: hoplog.New(c), traffic: traffic.New(c), prompt: prompt.New(c), help: helpview.New(c), editor: newEditor(c)}
	m.sync()
	return m
}

// SetClock replaces the wall clock the free mode follows, for tests.
func (m *Model) SetClock(now func() time.Time) { m.now = now }

// SetInstant turns the packet animation off: each hop lands at once.
func (m *Model) SetInstant(b bool) { m.instant = b }

// FlowView is the flow pane as drawn, for tests.
func (m *Model) FlowView() string { return m.flow.View() }

// Mode is the current mode.
func (m *Model) Mode() Mode { return m.mode }

// SetFallback says why the runtime is simulated although Docker was
// asked for (--runtime auto), for the status bar.
func (m *Model) SetFallback(why string) { m.fallback = why }

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
	if out := m.d.Out.Take(); out != "" {
		m.output.Append(out)
	}
	if !m.d.Holding() {
		m.prompt.SetBusy(true)
		return
	}
	if hops := m.d.TakeHops(); len(hops) > 0 {
		m.hops.Add(hops)
		m.flow.SetHop(hops[len(hops)-1])
		if m.mode == Free {
			m.flow.SetPos(1)
		}
	}
	m.events.Add(m.d.EventRows())
	m.syncTraffic()
	if m.d.Changed() {
		b := m.d.Board()
		m.board.SetBoard(b)
		m.flow.SetNodes(m.d.C.Nodes())
		m.prompt.SetNames(names(b))
	}
	next, ok := m.d.C.K.Next()
	m.flow.SetNext(next, ok)
	m.prompt.SetBusy(m.d.Running())
	m.rtIdle = m.d.Realtime() && !m.d.DueNow()
	m.prompt.SetWaiting(m.d.Parked() && m.mode == Step && !m.rtIdle)
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	cmd := m.update(msg)
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
			m.d.Close()
			return func() tea.Msg { return QuitMsg{} }
		}
		return m.kick()
	case frameMsg:
		return m.frame(msg)
	case tickMsg:
		return m.tick(msg)
	case prompt.SubmitMsg:
		return m.run(msg.Line, nil)
	case applyMsg:
		return m.run("apply -f -", strings.NewReader(msg.yaml))
	case hoplog.DetailsMsg:
		yaml, carried, ok := m.d.ObjectYAML(msg.Hop)
		m.hops.SetDetails(msg.Hop, yaml, carried, ok)
		return nil
	case tea.PasteMsg:
		if m.editor.open || strings.Contains(msg.Content, "\n") {
			m.editor.Open()
			return m.editor.Update(msg)
		}
		return m.prompt.Update(msg)
	case tea.MouseWheelMsg:
		return m.wheel(msg)
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

// run starts a command line typed at the prompt.
func (m *Model) run(line string, stdin *strings.Reader) tea.Cmd {
	if m.d.Running() {
		return nil
	}
	if line == "edit" {
		m.editor.Open()
		return nil
	}
	m.showOutput()
	if stdin == nil {
		m.output.Append(m.c.Theme.Accent.Render("$ kubectl " + line))
		cmd := m.d.Start(line, nil)
		m.sync()
		return tea.Batch(cmd, m.wakeTicker(), m.kick())
	}
	m.output.Append(m.c.Theme.Accent.Render("$ kubectl "+line) + m.c.Theme.Dim.Render(" <<EOF (editor)"))
	cmd := m.d.Start(line, stdin)
	m.sync()
	return tea.Batch(cmd, m.wakeTicker(), m.kick())
}

// typing reports whether keys go to a text field rather than the
// controls: the editor, or the prompt once something is typed in it.
func (m *Model) typing() bool {
	if m.editor.open {
		return true
	}
	return m.focus == panePrompt && !m.d.Running() && m.prompt.Value() != ""
}

func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	keys := m.c.Keys
	m.lastKey = k.String()
	if k.String() == "ctrl+c" || (m.confirmQuit && key.Matches(k, keys.Quit)) {
		return m.quit()
	}
	if m.confirmQuit {
		m.confirmQuit = false
		return nil
	}
	if m.editor.open {
		return m.editor.Update(k)
	}
	if m.typing() {
		if k.String() == "esc" {
			m.prompt.SetValue("")
			return nil
		}
		return m.prompt.Update(k)
	}
	switch {
	case m.showHelp && (key.Matches(k, keys.Help) || key.Matches(k, keys.Back)):
		m.showHelp = false
	case key.Matches(k, keys.Help):
		m.showHelp = true
	case key.Matches(k, keys.Quit):
		return m.quit()
	case key.Matches(k, keys.Step):
		m.setMode(Step)
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
		m.speed = min(m.speed+1, len(speeds)-1)
	case key.Matches(k, keys.Slower):
		m.speed = max(m.speed-1, 0)
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
	case key.Matches(k, keys.Theme):
		m.c.SetTheme(m.c.Theme.Kind.Next(), m.c.Theme.Dark)
		m.help.Restyle()
	case key.Matches(k, keys.Back):
		if m.d.Running() {
			m.output.Append(m.c.Theme.Warning.Render(m.c.T("out.interrupt")))
			return m.d.Interrupt()
		}
		if m.focus == paneHops && m.hops.InDetails() {
			return m.hops.Update(k)
		}
		if m.focus != panePrompt {
			m.setFocus(panePrompt)
			return nil
		}
		// Back to the start page; the cluster stays as it is for when the
		// learner comes back.
		return func() tea.Msg { return BackMsg{} }
	default:
		return m.paneKey(k)
	}
	return nil
}

// paneKey gives a key no global binding took to the focused pane.
func (m *Model) paneKey(k tea.Msg) tea.Cmd {
	switch m.focus {
	case panePrompt:
		if m.d.Running() {
			return nil
		}
		return m.prompt.Update(k)
	case paneBoard:
		return m.board.Update(k)
	case paneEvents:
		return m.events.Update(k)
	case paneOutput:
		return m.output.Update(k)
	case paneHops:
		return m.hops.Update(k)
	case paneTraffic:
		return m.traffic.Update(k)
	}
	return nil
}

func (m *Model) wheel(msg tea.MouseWheelMsg) tea.Cmd {
	switch m.focus {
	case panePrompt, paneFlow:
		return m.output.Update(msg)
	}
	return m.paneKey(msg)
}

func (m *Model) quit() tea.Cmd {
	if m.d.Running() && !m.confirmQuit {
		m.confirmQuit = true
		return nil
	}
	m.d.Close()
	return func() tea.Msg { return QuitMsg{} }
}

func (m *Model) setFocus(p pane) {
	m.focus = p
	if p == panePrompt {
		m.prompt.Focus()
	} else {
		m.prompt.Blur()
	}
	if p == paneEvents || p == paneOutput || p == paneHops || p == paneTraffic {
		m.tab = p
	}
	m.flow.SetFocused(p == paneFlow)
	m.board.SetFocused(p == paneBoard)
	m.events.SetFocused(p == paneEvents)
	m.output.SetFocused(p == paneOutput)
	m.hops.SetFocused(p == paneHops)
	m.traffic.SetFocused(p == paneTraffic)
}

// nextPane is the pane by steps after the focused one in the focus
// order, leaving out the traffic pane before any load has run.
func (m *Model) nextPane(by pane) pane {
	p := (m.focus + by) % panes
	if p == paneTraffic && !m.traffic.Has() {
		p = (p + by) % panes
	}
	return p
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
	if g := geometryFor(m.c.Width, m.c.Height, m.c.Presenter, true); !g.wide {
		switch m.focus {
		case paneEvents, paneOutput, paneHops:
			m.setFocus(paneTraffic)
		default:
			m.tab = paneTraffic
		}
	}
}

// focusedKeys is the key map of the focused pane, for help.
func (m *Model) focusedKeys() (string, help.KeyMap) {
	switch m.focus {
	case paneBoard:
		return m.c.T("pane.board"), m.board
	case paneEvents:
		return m.c.T("pane.events"), m.events
	case paneOutput:
		return m.c.T("pane.output"), m.output
	case paneHops:
		return m.c.T("pane.hops"), m.hops
	case paneFlow:
		return m.c.T("pane.flow"), m.flow
	case paneTraffic:
		return m.c.T("pane.traffic"), m.traffic
	}
	if m.editor.open {
		return m.c.T("pane.editor"), m.editor
	}
	return "prompt", m.prompt
}

// ModeText is the mode as the header says it.
func (m *Model) ModeText() string {
	s := map[Mode]string{Step: "mode.step", Paced: "mode.paced", Free: "mode.free"}[m.mode]
	t := m.c.T(s)
	if m.mode == Step {
		return t + " ▸ space"
	}
	if !m.playing {
		t += " ‖ " + m.c.T("paused")
	}
	return t
}

// Speed is the paced mode's speed as the header says it: "×1".
func (m *Model) Speed() string {
	return "×" + strings.TrimSuffix(fmt.Sprintf("%g", speeds[m.speed]), ".0")
}
