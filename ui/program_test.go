package ui

import (
	"bytes"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// TestProgram runs the real Bubble Tea program at a fixed size with a
// pinned colour profile: open, free play, a command, help, resize, quit.
func TestProgram(t *testing.T) {
	tm, waitFor := newProgram(t, 120, 36)
	waitFor("Free play")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("nothing in flight")
	tm.Type("get nodes")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	// Step mode: the command waits for the learner; ctrl+n delivers hops.
	// A ctrl+n that comes while the command itself runs (between two
	// waits) has nothing to step, so keep pressing until the table shows.
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		if bytes.Contains(b, []byte("v1.33.0")) { // the VERSION column of get nodes
			return true
		}
		tm.Send(keyPress("ctrl+n"))
		return false
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	tm.Send(keyPress("f1"))
	waitFor("pane before")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	waitFor("OUTPUT")
	tm.Send(keyPress("ctrl+q"))
	waitFor("Quit kubeplay?")
	tm.Send(keyPress("enter"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(*App)
	if final.Playground() == nil || final.driver.Running() {
		t.Error("the program did not end on an idle playground")
	}
}
