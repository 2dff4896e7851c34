package exam

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/console"
)

// ShellOptions configure an exam played as text.
type ShellOptions struct {
	Out, Err io.Writer
	// Interactive is for a person at a terminal: a prompt with the time
	// left. Scripts get each line echoed instead, as a transcript.
	Interactive bool
}

// shell is `kubeplay exam`: the exam as text on stdin and stdout.
type shell struct {
	e      *Exam
	o      ShellOptions
	in     *bufio.Reader
	warned bool // the five-minute warning was given
}

// PlayShell plays exam e, reading the learner's lines from in, until
// submit, the end of the input or the end of the time; then it grades
// every task and writes the report. It returns the report, and an error
// when a task's cluster could not start.
func PlayShell(e *Exam, in io.Reader, o ShellOptions) (*Report, error) {
	sh := &shell{e: e, o: o, in: bufio.NewReader(in)}
	defer e.Close()
	lang := e.Lang()
	total := 0
	for _, t := range e.Tasks {
		total += t.Points()
	}
	sh.say("head", len(e.Tasks), total, clockText(e.Limit()))
	fmt.Fprintln(o.Out, msg(lang, "time-note"))
	fmt.Fprintln(o.Out, msg(lang, "words"))
	if err := sh.open(0); err != nil {
		return nil, err
	}
	for {
		if e.Over() {
			sh.say("time-up")
			break
		}
		if o.Interactive {
			fmt.Fprintf(o.Out, "[%s] %d/%d exam$ ", clockText(e.Left()), e.Index()+1, len(e.Tasks))
		}
		line, err := sh.in.ReadString('\n')
		if line == "" && err != nil {
			break
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if e.Over() {
			sh.say("time-up")
			break
		}
		submit, err := sh.handle(line)
		if err != nil {
			return nil, err
		}
		if submit {
			break
		}
		if !sh.warned && e.Left() <= 5*time.Minute {
			sh.warned = true
			sh.say("five-left")
		}
	}
	fmt.Fprintln(o.Out)
	fmt.Fprintln(o.Out, sayf(lang, "grading", int(Settle/time.Minute)))
	used := e.Used()
	rep := &Report{Results: e.Grade(), Used: used, Limit: e.Limit(), Lang: lang}
	rep.Write(o.Out)
	return rep, nil
}

func (sh *shell) say(id string, a ...any) {
	fmt.Fprintln(sh.o.Out, sayf(sh.e.Lang(), id, a...))
}

// open makes task i current and shows its brief.
func (sh *shell) open(i int) error {
	if err := sh.e.Open(i, sh.o.Out, sh.o.Err); err != nil {
		return fmt.Errorf(msg(sh.e.Lang(), "start-failed"), err)
	}
	sh.brief()
	return nil
}

// brief shows the current task.
func (sh *shell) brief() {
	e, lang, out := sh.e, sh.e.Lang(), sh.o.Out
	t := e.Task()
	fmt.Fprintln(out)
	sh.say("task-head", e.Index()+1, len(e.Tasks), t.Title.In(lang), t.Points(), clockText(e.Left()))
	fmt.Fprintln(out, strings.TrimSpace(t.Brief.In(lang)))
}

// handle acts on one line; submit is true when the exam ends.
func (sh *shell) handle(line string) (submit bool, err error) {
	e, lang := sh.e, sh.e.Lang()
	if !sh.o.Interactive {
		fmt.Fprintln(sh.o.Out, "$ "+line)
	}
	word, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch {
	case line == "submit":
		return true, nil
	case line == "next" || line == "skip":
		e.Leave(line == "skip")
		if e.Index() == len(e.Tasks)-1 {
			sh.say("last-task")
			sh.review()
			return false, nil
		}
		return false, sh.open(e.Index() + 1)
	case line == "back":
		if e.Index() == 0 {
			sh.say("first-task")
			return false, nil
		}
		e.Leave(e.Skipped(e.Index()))
		return false, sh.open(e.Index() - 1)
	case word == "task" && arg != "":
		n, err := strconv.Atoi(arg)
		if err != nil || n < 1 || n > len(e.Tasks) {
			sh.say("no-such-task", arg, len(e.Tasks))
			return false, nil
		}
		e.Leave(e.Skipped(e.Index()))
		return false, sh.open(n - 1)
	case line == "flag":
		if e.Flag() {
			sh.say("flagged-on", e.Index()+1, e.Index()+1)
		} else {
			sh.say("flag-off", e.Index()+1)
		}
		return false, nil
	case line == "list":
		sh.list()
		return false, nil
	case line == "brief":
		sh.brief()
		return false, nil
	case line == "time":
		sh.say("time-left", clockText(e.Left()), clockText(e.Limit()))
		return false, nil
	case line == "help":
		fmt.Fprintln(sh.o.Out, msg(lang, "help"))
		return false, nil
	}
	stdin, line, herr := console.ReadHereDoc(line, sh.in, lang)
	if herr != nil {
		fmt.Fprintln(sh.o.Err, "error: "+herr.Error())
		return false, nil
	}
	e.Exec(line, stdin)
	return false, nil
}

// review says which tasks are flagged or skipped, if any.
func (sh *shell) review() {
	var todo []string
	for i := range sh.e.Tasks {
		if sh.e.Flagged(i) || sh.e.Skipped(i) || !sh.e.Seen(i) {
			todo = append(todo, strconv.Itoa(i+1))
		}
	}
	if len(todo) > 0 {
		sh.say("review", strings.Join(todo, ", "))
	}
}

// list shows every task with where the learner is and what they marked.
func (sh *shell) list() {
	e, lang := sh.e, sh.e.Lang()
	for i, t := range e.Tasks {
		cur := " "
		if i == e.Index() {
			cur = "▸"
		}
		notes := []string{msg(lang, "list-unseen")}
		if e.Seen(i) {
			notes[0] = msg(lang, "list-seen")
		}
		if e.Skipped(i) {
			notes = append(notes, msg(lang, "list-skipped"))
		}
		if e.Flagged(i) {
			notes = append(notes, "⚑ "+msg(lang, "list-flagged"))
		}
		fmt.Fprintf(sh.o.Out, "%s %2d. %s (%d) · %s\n", cur, i+1, t.Title.In(lang), t.Points(), strings.Join(notes, ", "))
	}
	sh.say("time-left", clockText(e.Left()), clockText(e.Limit()))
}
