package ui

import (
	"io"
	"slices"
	"strings"

	"github.com/kubeplay/kubeplay/ui/bridge"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/record"
)

// Transcript says what Replay.Transcript printed.
type Transcript struct {
	// Commands are the lines the replayed session ran, in order;
	// Recorded, those the recording says the session ran.
	Commands, Recorded []string
	// Code is the status of the last command that ended.
	Code int
	// Running is the command the recording ended in the middle of ("":
	// none): its output is what the screen had shown of it by then.
	Running string
	// Missed is the replay's Missed at the end.
	Missed int
}

// Same reports whether the replay ran the recorded commands and heard
// every recorded timer and answer: on a recording made on the simulated
// runtime, its text is then the words the session's screens showed.
func (t Transcript) Same() bool { return t.Missed == 0 && t.Parted() == 0 }

// Parted is the number (from 1) of the first command the replay ran
// other than the recorded one, or did not run, or ran beyond the
// recorded ones; 0 when it ran the recorded commands.
func (t Transcript) Parted() int {
	if slices.Equal(t.Commands, t.Recorded) {
		return 0
	}
	n := 0
	for n < len(t.Commands) && n < len(t.Recorded) && t.Commands[n] == t.Recorded[n] {
		n++
	}
	return n + 1
}

// Transcript replays to the end and writes, as text, each command the
// session ran ("$ " and its line; a here-document's body and marker
// line after "> ") and what it printed, as the output pane took it. The
// commands run in the replayed screens, so the cluster moves between
// and under them as in the session: a hop a key in step mode, with the
// animation in paced mode, with the clock in free mode.
// kubeplay's own lines in the pane (a line queued…) are not written.
func (r *Replay) Transcript(w io.Writer) (Transcript, error) {
	t := Transcript{}
	for _, e := range r.rec.Events {
		if e.Kind == record.KindCmd {
			t.Recorded = append(t.Recorded, e.Line)
		}
	}
	tw := &textWriter{w: w}
	c := r.app.c
	onCommand, onOutput := c.OnCommand, c.OnOutput
	defer func() { c.OnCommand, c.OnOutput, r.finished = onCommand, onOutput, nil }()
	c.OnCommand = func(cmd common.Command) {
		tw.command(cmd)
		t.Commands = append(t.Commands, cmd.Line)
		t.Running = cmd.Line
	}
	c.OnOutput = tw.write
	r.finished = func(f bridge.FinishedMsg) { t.Code, t.Running = f.Code, "" }
	for r.Step() {
	}
	tw.end()
	t.Missed = r.Missed()
	return t, tw.err
}

// textWriter writes text to w, keeping the first error, and knows
// whether the last line written was ended.
type textWriter struct {
	w    io.Writer
	err  error
	open bool // the last line written has no newline yet
}

func (tw *textWriter) write(s string) {
	if s == "" || tw.err != nil {
		return
	}
	_, tw.err = io.WriteString(tw.w, s)
	tw.open = !strings.HasSuffix(s, "\n")
}

// line writes s as a line of its own.
func (tw *textWriter) line(s string) {
	tw.end()
	tw.write(s + "\n")
}

// command writes cmd as a shell's transcript shows a command: "$ " and
// its line; a here-document (the editor's text too, which the output
// pane shows as one) as it was entered, each line after the first after
// "> ". That is the continuation prompt (PS2) a terminal running bash
// or sh shows before each line of a here-document, and the one the
// playground's prompt shows while its body is typed; the output pane
// shows the first line only. So the text says what a command applied,
// and reads, and can be typed again, as a shell session's would.
func (tw *textWriter) command(cmd common.Command) {
	if len(cmd.Entered) == 0 {
		tw.line("$ " + cmd.Line)
		return
	}
	tw.line("$ " + cmd.Entered[0])
	for _, l := range cmd.Entered[1:] {
		tw.line("> " + l)
	}
}

// end ends the last line written.
func (tw *textWriter) end() {
	if tw.open {
		tw.write("\n")
	}
}
