package lessons

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/sim"
)

// ShellOptions configure a lesson played as text.
type ShellOptions struct {
	Lang     bilingual.Lang
	Progress *Progress
	Out, Err io.Writer
	// Interactive is for a person at a terminal: a prompt, and a stop at
	// each marked hop until enter. Scripts and screen readers get the same
	// text without the stops, and each command echoed as a transcript.
	Interactive bool
	// Namespace is where the lesson plays: "" for default; on a real
	// cluster, the namespace kubeplay made for the run.
	Namespace string
}

// shell is `kubeplay lesson ID --shell`.
type shell struct {
	r    *Run
	c    backend.Cluster
	con  *console.Console
	in   *bufio.Reader
	o    ShellOptions
	quit bool
	// ended: the learner went past the last step with steps not done,
	// and was told which.
	ended bool
}

// PlayShell plays lesson l on c, reading the learner's lines from in. It
// returns 0 when the lesson was completed, 1 when the learner left it
// before the end (quit, or the input ended).
func PlayShell(c backend.Cluster, l *Lesson, in io.Reader, o ShellOptions) int {
	return newShell(c, l, in, o).play()
}

func newShell(c backend.Cluster, l *Lesson, in io.Reader, o ShellOptions) *shell {
	sh := &shell{c: c, in: bufio.NewReader(in), o: o}
	ns := o.Namespace
	if ns == "" {
		ns = "default"
	}
	sh.r = NewRunIn(l, c, o.Progress, o.Lang, ns)
	// The shell owns cluster time: kubectl's waits come here, so the
	// cluster can stop at each marked hop whoever is waiting.
	sh.con = console.New(c, o.Out, o.Err, console.Options{Lang: o.Lang, Wait: sh.wait, ReadFile: sh.r.ReadFile, Namespace: ns})
	return sh
}

func (sh *shell) play() int {
	l, o := sh.r.L, sh.o
	sh.printf("lesson-head", l.Title.In(o.Lang), LevelName(o.Lang, l.Level), len(l.Steps))
	fmt.Fprintln(o.Out, strings.TrimSpace(l.Summary.In(o.Lang)))
	fmt.Fprintln(o.Out, msg(o.Lang, "words"))
	sh.showStep()
	for !sh.quit {
		if o.Interactive {
			fmt.Fprint(o.Out, "kubeplay$ ")
		}
		line, err := sh.in.ReadString('\n')
		if line == "" && err != nil {
			break
		}
		if done := sh.handle(strings.TrimSpace(line)); done {
			return 0
		}
	}
	if !sh.ended {
		done := o.Progress.Done(l.ID, len(l.Steps))
		sh.printf("ended", sh.r.Index()+1, len(l.Steps), done, len(l.Steps), l.ID)
	}
	return 1
}

func (sh *shell) printf(id string, a ...any) {
	fmt.Fprintln(sh.o.Out, sayf(sh.o.Lang, id, a...))
}

// showStep prints the current step: where, what to read, the manifest it
// offers and the command to try.
func (sh *shell) showStep() {
	r, lang, out := sh.r, sh.o.Lang, sh.o.Out
	s := r.Step()
	fmt.Fprintln(out)
	sh.printf("step-head", r.Index()+1, len(r.L.Steps))
	fmt.Fprintln(out, strings.TrimSpace(s.Text.In(lang)))
	if m := s.Manifest; m != nil {
		fmt.Fprintln(out)
		sh.printf("manifest", m.Name, m.Name)
		for _, l := range strings.Split(strings.TrimRight(string(m.Data()), "\n"), "\n") {
			fmt.Fprintln(out, "    "+l)
		}
	}
	if cmd := r.Command(); cmd != "" {
		sh.printf("try", commandLine(cmd))
	}
	if !r.HasCheck() {
		sh.printf("no-check")
	}
}

// handle acts on one line and reports whether the lesson is complete.
func (sh *shell) handle(line string) bool {
	if line == "" || strings.HasPrefix(line, "#") {
		return false
	}
	if !sh.o.Interactive {
		fmt.Fprintln(sh.o.Out, "$ "+line)
	}
	r := sh.r
	switch line {
	case "hint", "h":
		text, _ := r.Hint()
		fmt.Fprintln(sh.o.Out, text)
		return false
	case "next", "skip", "n":
		switch {
		case !r.HasCheck() || r.Met():
			return sh.passed()
		case r.Progress().StepDone(r.L.ID, r.Index()):
			sh.printf("moved-on", r.Index()+1)
		default:
			sh.printf("skipped", r.Index()+1)
		}
		return sh.advance()
	case "back", "b":
		if r.Index() == 0 {
			sh.printf("first-step")
			return false
		}
		r.Begin(r.Index() - 1)
		sh.showStep()
		return false
	case "quit", "exit", "q":
		sh.quit = true
		return false
	case "try":
		// The shell's pre-filled prompt: run the suggested command.
		if line = r.Command(); line == "" {
			sh.printf("no-command")
			return false
		}
		fmt.Fprintln(sh.o.Out, "$ kubectl "+line)
	}
	code, _ := sh.con.Exec(line, nil)
	r.Record(line, code == 0)
	// The hops the command has already caused and the cluster has not
	// delivered yet (a pod's DNS queries during exec, due now) belong to
	// this step, marked ones explained, even when its check holds at once.
	sh.wait(0, func() bool { return false })
	// A person takes a moment to read; without it a `get pods` right after
	// `apply` would find nothing yet.
	sh.wait(console.ThinkTime, r.Met)
	if !r.HasCheck() {
		return false
	}
	// A command that failed changed nothing: time does not run for it.
	if !r.Met() && Changes(line) && code == 0 {
		sh.wait(r.Within(), r.Met)
	}
	if r.Met() {
		return sh.passed()
	}
	if Changes(line) || code != 0 {
		fmt.Fprintln(sh.o.Out, r.NotYet(msg(sh.o.Lang, "hint-how")))
	}
	return false
}

// passed records the step as done and moves on.
func (sh *shell) passed() bool {
	sh.printf("step-done", sh.r.Index()+1)
	if err := sh.r.Complete(); err != nil {
		fmt.Fprintln(sh.o.Err, "kubeplay: "+sayf(sh.o.Lang, "save-failed", err))
	}
	return sh.advance()
}

// advance shows the next step, or ends the lesson after the last: it
// reports whether the lesson is complete.
func (sh *shell) advance() bool {
	r := sh.r
	if !r.Last() {
		r.Begin(r.Index() + 1)
		sh.showStep()
		return false
	}
	total := len(r.L.Steps)
	done := r.Progress().Done(r.L.ID, total)
	if done < total {
		fmt.Fprintln(sh.o.Out)
		fmt.Fprintln(sh.o.Out, r.EndSummary()+" "+sayf(sh.o.Lang, "again", r.L.ID))
		sh.ended, sh.quit = true, true
		return false
	}
	fmt.Fprintln(sh.o.Out)
	sh.printf("complete", r.L.Title.In(sh.o.Lang), done, total)
	return true
}

// wait runs the cluster until done holds or limit of cluster time has
// passed, stopping at each hop the step marks to explain it first. It is
// the console's Wait, so kubectl's own waits stop there too.
func (sh *shell) wait(limit time.Duration, done func() bool) bool {
	c := sh.c
	// In real time the command just run may have taken wall time the
	// kernel has not looked at (on Docker `node add` makes a network): the
	// limit counts from now, or the hops of that time would fall past this
	// end but within the kernel's, and go by unexplained.
	c.CatchUp()
	end := c.Elapsed() + limit
	// pauseNext: the next hop is marked, and falls within the wait; in real
	// time it must also be due, or the kernel would deliver it early.
	pauseNext := func() bool {
		h, ok := c.Next()
		return ok && h.At <= end && (!c.Realtime() || h.At <= c.Elapsed()) && sh.r.WouldPause(h)
	}
	for {
		if c.Wait(max(0, end-c.Elapsed()), func() bool { return done() || pauseNext() }) && !done() {
			h, _ := c.Step()
			sh.explain(h)
			continue
		}
		return done()
	}
}

// explain prints a marked hop as the trace does, then what the lesson
// says about it; a person at a terminal reads it before the next hop.
func (sh *shell) explain(h sim.Hop) {
	text, ok := sh.r.Explain(h)
	if !ok {
		return
	}
	out := sh.o.Out
	fmt.Fprintln(out, "  ▸ "+strings.TrimSpace(h.Trace()))
	for _, l := range strings.Split(text, "\n") {
		fmt.Fprintln(out, "    "+l)
	}
	if sh.o.Interactive {
		fmt.Fprint(out, "    "+msg(sh.o.Lang, "press-enter"))
		_, _ = sh.in.ReadString('\n')
	}
}
