// Package lesson is the lesson page — the lesson pane beside the
// playground — and the list of lessons it is opened from.
//
// The page wraps a playground on the lesson's own cluster and drives one
// lessons.Run. Everything that reads the cluster (the step's check, its
// suggested command, the start of a step) happens only while the UI holds
// the cluster (bridge.Driver.Holding).
package lesson

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui/bridge"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/helpview"
	"github.com/kubeplay/kubeplay/ui/components/prompt"
	"github.com/kubeplay/kubeplay/ui/components/scroll"
	"github.com/kubeplay/kubeplay/ui/pages/playground"
)

// KeyMap is the lesson page's own keys; the playground's work as well.
type KeyMap struct{ Hint, Next, Back, Through, Again, Continue, Quit key.Binding }

// Model is the lesson page.
type Model struct {
	c    *common.Common
	run  *lessons.Run
	d    *bridge.Driver
	play *playground.Model
	keys KeyMap
	text *textPane // the lesson pane (pane.go)

	w, h   int // the page
	pw, ph int // the playground's part of it
	// delivered are the visible hops since the page last looked, filled
	// by the kernel's observer on the goroutine that holds the cluster.
	delivered []sim.Hop

	through  bool    // step-through: stop at each marked hop
	hop      sim.Hop // the hop explained
	explain  string  // what the lesson says about it
	held     bool    // the explanation holds the cluster until space
	resume   bool    // paced or free mode was playing before the hold
	hint     string  // the last hint asked for
	notice   string  // a one-off message: skipped, first step, save failed
	stepFrom int     // the playground's hops when the step began (show me that again)
	passed   bool    // the step's check passed
	finished bool    // the learner went past the last step
	prefill  string  // the suggested command, as pre-filled

	// The pane's text when it is longer than the pane (view.go): its
	// window, and the step and foot it was last scrolled for.
	scroll   scroll.Model
	textNow  string
	textStep int
	textSeen bool

	// The cluster runs only while the step needs it (see needsClock):
	// while a command runs, and after one that changed the cluster until
	// the step's check passes or its time (Within) is up, as the shell
	// waits for it. Otherwise its clock is held, so that what the step
	// says is what the screen shows while the learner reads.
	changed bool          // a command of this step may change the cluster
	running bool          // a command ran when the page last looked
	waiting bool          // the step waits for its check, after a command
	waitEnd time.Duration // until this cluster time
	// ended: a command finished since the page last looked; one that
	// needs no hop (node add) starts and ends between two looks.
	ended bool
	// settling: a command ended and hops it caused are still due now (a
	// pod's DNS queries during exec): the clock runs until they are
	// delivered, so that the step's marks on them are met in this step,
	// as the shell delivers them before it reads the check.
	settling bool

	// notYet: a command ended (and the time the step waits for it ran
	// out) with the step not done; the pane says what to do next.
	notYet bool

	// stirred: a command of this step changed the cluster, on this visit
	// or on one the learner left before the check passed (left). Its
	// work may still be on its way: coming back to the step, or ⏎ on an
	// empty prompt, lets the cluster run for the check again; otherwise
	// a pod created and left Pending would hold the step for good, and
	// running the command again only says AlreadyExists.
	stirred bool
	left    map[int]bool // steps left with their cluster work in flight
}

// New opens lesson l at its first step on cl, a fresh cluster, in the
// namespace its capabilities name (default when none); runtime is "sim",
// "docker" or "real", for the header.
func New(c *common.Common, l *lessons.Lesson, cl backend.Cluster, prog *lessons.Progress, runtime string) *Model {
	m := &Model{c: c, through: true, left: map[int]bool{}}
	m.text = &textPane{m: m}
	ns := cl.Capabilities().Namespace
	if ns == "" {
		ns = "default"
	}
	m.run = lessons.NewRunIn(l, cl, prog, c.Lang, ns)
	m.d = bridge.NewReading(cl, c.Lang, m.run.ReadFile)
	m.play = playground.New(c, m.d, runtime)
	m.play.SetQuitQuestion("lesson.quit")
	m.play.SetBackQuestion("lesson.back.ask")
	m.play.SetHelp(helpview.Section{Title: "help.lesson", Paras: []string{"help.lesson.keys"}})
	m.play.SetEmbedded(true)
	cl.Observe(func(h sim.Hop) {
		if !h.Internal {
			m.delivered = append(m.delivered, h)
		}
	})
	// Free mode runs many hops at once: the gate stops it after a marked
	// one, as step and paced mode stop after every hop.
	m.d.SetGate(func(h sim.Hop) bool { return m.through && m.run.WouldPause(h) })
	m.relabel()
	m.begin(0)
	m.play.SetHold(true)
	return m
}

func (m *Model) relabel() {
	b := func(label, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, m.c.T(desc)))
	}
	m.keys = KeyMap{Hint: b("^O", "key.hint", "ctrl+o", "f9"), Next: b("PgDn", "key.lesson.next", "pgdown"),
		Back: b("PgUp", "key.lesson.back", "pgup"), Through: b("^R", "key.through", "ctrl+r"),
		Again:    b("^Y", "key.again", "ctrl+y", "f12"),
		Continue: b("⏎", "key.continue", "enter"), Quit: b("^Q", "key.lesson.leave", "ctrl+q")}
}

// Init starts what the playground starts (a real-time cluster's waiter).
func (m *Model) Init() tea.Cmd { return m.play.Init() }

// Lesson is the lesson played.
func (m *Model) Lesson() *lessons.Lesson { return m.run.L }

// Playground is the playground beside the pane.
func (m *Model) Playground() *playground.Model { return m.play }

// Driver is the bridge to the lesson's cluster.
func (m *Model) Driver() *bridge.Driver { return m.d }

// Index is the current step, from 0.
func (m *Model) Index() int { return m.run.Index() }

// Suggested is the step's suggested command, "" when it has none.
func (m *Model) Suggested() string { return m.run.Command() }

// Passed reports whether the current step's check passed.
func (m *Model) Passed() bool { return m.passed }

// Finished reports whether the learner went past the last step.
func (m *Model) Finished() bool { return m.finished }

// Explaining is the explanation on screen, "" when none.
func (m *Model) Explaining() string { return m.explain }

// Close releases a command waiting on the cluster: the page is left.
func (m *Model) Close() { m.d.Close() }

// begin moves to step i; the cluster must be held.
func (m *Model) begin(i int) tea.Cmd {
	if m.stirred && !m.passed && m.run.HasCheck() {
		m.left[m.run.Index()] = true
	}
	m.run.Begin(i)
	m.delivered = nil
	m.stepFrom = m.play.Moments()
	m.hint, m.explain, m.passed, m.notYet = "", "", false, false
	m.changed, m.waiting, m.settling = false, false, false
	m.stirred = m.left[m.run.Index()]
	delete(m.left, m.run.Index())
	cmd := m.release()
	m.prefill = m.run.Command()
	m.play.Suggest(m.prefill)
	m.check()
	if m.stirred && !m.passed {
		// Back at a step whose command's work was left in flight: the
		// cluster runs on for its check, as after the command.
		m.wait()
	}
	return cmd
}

// wait lets the cluster run until the step's check passes or its time
// (Within) is up.
func (m *Model) wait() {
	m.waiting, m.waitEnd, m.notYet = true, m.d.C.Elapsed()+m.run.Within(), false
}

// check marks the step done when its check holds now.
func (m *Model) check() {
	if m.passed || m.finished || !m.d.Holding() || !m.run.HasCheck() || !m.run.Met() {
		return
	}
	m.pass()
}

// pass records the step as done.
func (m *Model) pass() {
	m.passed, m.notYet = true, false
	if err := m.run.Complete(); err != nil {
		m.notice = lessons.Say(m.c.Lang, "save-failed", err)
	}
}

// hold stops paced and free mode at an explained hop.
func (m *Model) hold() tea.Cmd {
	if m.held {
		return nil
	}
	m.held, m.resume = true, m.play.Playing()
	return m.play.SetPlaying(false)
}

// release lets the cluster go on as before the hold.
func (m *Model) release() tea.Cmd {
	if !m.held {
		return nil
	}
	m.held = false
	return m.play.SetPlaying(m.resume)
}

// Update handles one message: the page's keys, then the playground.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		if m.overPane(msg.X, msg.Y) {
			return m.text.Update(msg)
		}
		// The playground places the wheel in its own part of the screen.
		msg.Y -= m.h - m.ph
		var cmd tea.Cmd
		m.inPlay(func() { cmd = m.play.Update(msg) })
		return cmd
	case tea.KeyPressMsg:
		// Shift+↑/↓ scroll the lesson's text, whatever has the focus.
		if msg.String() == "shift+up" || msg.String() == "shift+down" {
			return m.text.Update(msg)
		}
		if cmd, done := m.key(msg); done {
			return tea.Batch(cmd, m.after())
		}
	case prompt.SubmitMsg:
		m.notice, m.prefill, m.notYet = "", "", false
	case bridge.FinishedMsg:
		// Only a command that succeeded counts for the step. A failed
		// command changed nothing: the cluster does not run on for it
		// (needsClock), as the shell does not wait for it.
		m.run.Record(msg.Line, msg.Code == 0)
		m.ended = true
		if msg.Code == 0 {
			m.changed = m.changed || lessons.Changes(msg.Line)
		}
	case tea.PasteMsg:
		m.clearSuggestion()
	}
	var cmd tea.Cmd
	m.inPlay(func() { cmd = m.play.Update(msg) })
	return tea.Batch(cmd, m.after())
}

// after looks at what the cluster did, while the UI holds it: the hops
// the lesson explains, and the step's check.
func (m *Model) after() tea.Cmd {
	if !m.d.Holding() {
		return nil
	}
	var cmd tea.Cmd
	for _, h := range m.delivered {
		if text, ok := m.run.Explain(h); ok {
			m.hop, m.explain = h, text
			if m.through {
				cmd = m.hold()
			}
		}
	}
	m.delivered = nil
	m.check()
	return tea.Batch(cmd, m.clock())
}

// clock holds the cluster's clock or lets it run, as the step needs:
// see needsClock. Only paced and free mode follow it; in step mode time
// moves as the learner steps, anyway.
func (m *Model) clock() tea.Cmd {
	c := m.d.C
	running := m.d.Running()
	if (m.running || m.ended) && !running {
		switch {
		case m.passed || m.finished || !m.run.HasCheck():
		case m.changed:
			// A command that changed the cluster ended: the step waits
			// for its check, as long as the shell would.
			m.stirred = true
			m.wait()
		default:
			// One that failed, or only looked: not yet, and what next.
			m.notYet = true
		}
		m.changed, m.ended, m.settling = false, false, true
	}
	m.running = running
	if m.settling {
		next, ok := c.Next()
		m.settling = ok && next.At <= c.Elapsed()
	}
	if m.waiting && (m.passed || c.Elapsed() >= m.waitEnd) {
		m.waiting = false
		m.notYet = !m.passed
	}
	return m.play.SetHold(!m.needsClock())
}

// needsClock reports whether the step needs the cluster to run when no
// command does: it waits for its check after a command, hops a command
// caused are still due, or the lesson is over and the playground is free
// play.
func (m *Model) needsClock() bool { return m.waiting || m.finished || m.settling }

// untouched reports whether the prompt holds the suggestion as it was
// pre-filled: typing replaces it.
func (m *Model) untouched() bool {
	return m.prefill != "" && m.play.PromptFocused() && !m.play.EditorOpen() && m.play.PromptValue() == m.prefill
}

// key handles the page's keys; done is false for keys the playground
// should have. As in the playground, no printable key is a control: the
// page's keys are ctrl and function keys, PgDn/PgUp, and enter on an
// empty prompt to go on after an explained hop.
func (m *Model) key(k tea.KeyPressMsg) (cmd tea.Cmd, done bool) {
	// The help's footer says PgUp/PgDn scroll it: while it is open, the
	// keys are its own, not the lesson's.
	if m.play.Confirming() || m.play.EditorOpen() || m.play.HelpShown() {
		return nil, false
	}
	empty := strings.TrimSpace(m.play.PromptValue()) == ""
	switch {
	case m.held && m.stepKey(k, empty):
		return m.release(), true
	case m.play.Held() && m.stepKey(k, empty) && m.stirred && !m.passed && !m.finished && m.run.HasCheck():
		// The step's command changed the cluster and its check has not
		// passed in the time it waited: the learner asks for more.
		m.notice = ""
		m.wait()
		return nil, true
	case m.play.Held() && m.stepKey(k, empty):
		// Between steps the lesson holds the clock (needsClock), in
		// every mode: stepping on would move the cluster past what the
		// step says. The pane says what to do instead.
		m.notice = m.heldNotice()
		return nil, true
	case key.Matches(k, m.keys.Hint):
		m.hint, _ = m.run.Hint()
		return nil, true
	case key.Matches(k, m.keys.Again):
		// "Show me that again": the hops since the step began, replayed
		// from the timeline, the board and the flow as they were.
		if m.play.Moments() <= m.stepFrom {
			m.notice = m.c.T("lesson.again.none")
			return nil, true
		}
		return m.play.Replay(m.stepFrom), true
	case key.Matches(k, m.keys.Through):
		m.through = !m.through
		if !m.through {
			return m.release(), true
		}
		return nil, true
	case m.play.PromptFocused() && key.Matches(k, m.keys.Next):
		return m.next(), true
	case m.play.PromptFocused() && key.Matches(k, m.keys.Back):
		return m.back(), true
	}
	if m.untouched() {
		// The suggestion stands until the learner types: a character
		// starts a line of their own, an editing key makes the
		// suggestion theirs to edit.
		if common.Printable(k) {
			m.play.SetPrompt("")
		}
		if common.Printable(k) || k.String() != "enter" && !m.isControl(k) {
			m.prefill = ""
		}
	}
	return nil, false
}

// stepKey reports whether k asks the cluster for a hop: ^N, or ⏎ on an
// empty prompt.
func (m *Model) stepKey(k tea.KeyPressMsg, empty bool) bool {
	return key.Matches(k, m.c.Keys.Step) || (k.String() == "enter" && empty && m.play.PromptFocused())
}

// heldNotice is what the pane says to a learner who asks for a hop while
// the lesson holds the clock: that it waits for them, and, while the
// step is not done and the pane does not say so already, what would do
// it. A step done (or without a check) has its PgDn line already.
func (m *Model) heldNotice() string {
	held := m.c.T("lesson.held")
	if m.passed || !m.run.HasCheck() || m.notYet {
		return held
	}
	return held + " " + m.run.WhatNext(m.c.Tf("lesson.hinthow", m.keys.Hint.Help().Key))
}

func (m *Model) clearSuggestion() {
	if m.untouched() {
		m.play.SetPrompt("")
		m.prefill = ""
	}
}

// isControl reports whether k is one of the playground's global keys.
func (m *Model) isControl(k tea.KeyPressMsg) bool {
	g := m.c.Keys
	for _, b := range []key.Binding{g.Step, g.Play, g.Faster, g.Slower, g.Mode, g.Next, g.Prev, g.Help, g.Back, g.Quit, g.Interrupt, g.Presenter, g.Theme} {
		if key.Matches(k, b) {
			return true
		}
	}
	return false
}

// next moves on: a passed step or one without a check counts as done, a
// step whose check has not passed is skipped.
func (m *Model) next() tea.Cmd {
	if !m.d.Holding() {
		m.notice = m.c.T("lesson.busy")
		return nil
	}
	m.notice = ""
	switch {
	case m.finished:
		return nil
	case !m.run.HasCheck():
		m.pass()
	case !m.passed && m.run.Progress().StepDone(m.run.L.ID, m.run.Index()):
		m.notice = lessons.Say(m.c.Lang, "moved-on", m.run.Index()+1)
	case !m.passed:
		m.notice = lessons.Say(m.c.Lang, "skipped", m.run.Index()+1)
	}
	if m.run.Last() {
		m.finished = true
		m.explain, m.hint = "", ""
		return m.release()
	}
	return m.begin(m.run.Index() + 1)
}

// back goes to the step before.
func (m *Model) back() tea.Cmd {
	if !m.d.Holding() {
		m.notice = m.c.T("lesson.busy")
		return nil
	}
	m.notice = ""
	if m.run.Index() == 0 {
		m.notice = lessons.Message(m.c.Lang, "first-step")
		return nil
	}
	m.finished = false
	return m.begin(m.run.Index() - 1)
}

// Summary is the learner's progress in this lesson, as the list says it.
func (m *Model) Summary() string {
	l := m.run.L
	return m.c.Tf("lessons.steps", m.run.Progress().Done(l.ID, len(l.Steps)), len(l.Steps))
}

// Hint is the hint on screen, "" when none.
func (m *Model) Hint() string { return m.hint }

// Notice is the pane's one-off message, "" when none.
func (m *Model) Notice() string { return m.notice }

// Through reports whether the cluster stops at each explained hop.
func (m *Model) Through() bool { return m.through }
