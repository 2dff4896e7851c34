package playground

import (
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/components/helpview"
)

// Hooks for a page built around the playground (the lesson page): it
// keeps the playground as it is and steers it through these.

// SetMode switches to mode, playing, as the mode key would.
func (m *Model) SetMode(mode Mode) tea.Cmd {
	m.dropStill()
	m.setMode(mode)
	m.playing = true
	return m.kick()
}

// Playing reports whether paced and free mode move on by themselves.
func (m *Model) Playing() bool { return m.playing }

// SetPlaying pauses or resumes paced and free mode, as the play key
// would; step mode moves only on space either way.
func (m *Model) SetPlaying(b bool) tea.Cmd {
	m.dropStill()
	m.playing = b
	m.setMode(m.mode)
	return m.kick()
}

// SetHold holds the cluster's clock in paced and free mode while no
// command runs, or lets it go: a lesson holds it while the learner
// reads, so that what the text says is what the screen shows. A command
// the learner runs still gets the time it needs, at the mode's pace.
func (m *Model) SetHold(b bool) tea.Cmd {
	m.dropStill()
	if m.hold == b {
		return nil
	}
	m.hold = b
	m.trackClock()
	return m.kick()
}

// Held reports whether the page holds the clock now: no command runs,
// nor a request from outside. A real-time cluster's clock is the
// wall's, and real containers run on: it is never held.
func (m *Model) Held() bool {
	return m.hold && !m.d.Running() && !m.d.Realtime() && !m.now().Before(m.outsideUntil)
}

// SetPrompt pre-fills the prompt, the cursor at the end; the learner may
// run it with enter, edit it, or type another.
func (m *Model) SetPrompt(line string) { m.dropStill(); m.prompt.SetValue(line) }

// Suggest fills the prompt with a suggested command, shown from its
// start until a key touches it.
func (m *Model) Suggest(line string) { m.dropStill(); m.prompt.Suggest(line) }

// PromptValue is the text at the prompt.
func (m *Model) PromptValue() string { return m.prompt.Value() }

// PromptFocused reports whether the prompt has the focus.
func (m *Model) PromptFocused() bool { return m.focus == panePrompt }

// OnRun makes f hear each line as it starts to run, a queued one when
// its turn comes: a lesson records what the learner ran.
func (m *Model) OnRun(f func(line string)) { m.onRun = f }

// SetQuitQuestion makes quitting always ask, with the message id's
// question: a lesson's says the progress is saved.
func (m *Model) SetQuitQuestion(id string) { m.dropStill(); m.quitQuestion = id }

// SetHelp adds the page's own sections to the full help (a lesson's
// keys).
func (m *Model) SetHelp(sections ...helpview.Section) {
	m.dropStill()
	m.full.SetSections(sections...)
}

// SetBackQuestion makes esc ask the message id's question before it
// goes back (BackMsg): a lesson's says what becomes of it.
func (m *Model) SetBackQuestion(id string) { m.dropStill(); m.backQuestion = id }

// Confirming reports whether a question (quit, back) is on screen.
func (m *Model) Confirming() bool { return m.asking != "" }

// HelpShown reports whether the full help has the bottom of the page.
func (m *Model) HelpShown() bool { return m.full.IsOpen() }

// EditorOpen reports whether the YAML editor has the keys.
func (m *Model) EditorOpen() bool { return m.editor.IsOpen() }

// OutputLines are the lines of the output pane, for tests.
func (m *Model) OutputLines() []string { return m.output.Lines() }

// RunningLine is the line the running command was started with ("" when
// none runs).
func (m *Model) RunningLine() string {
	if !m.d.Running() {
		return ""
	}
	return m.running.line
}

// QueuedLines is how many lines wait for the running command.
func (m *Model) QueuedLines() int { return len(m.queue) }

// HopCount is how many visible hops the cluster delivered so far.
func (m *Model) HopCount() int { return m.hops.Len() }
