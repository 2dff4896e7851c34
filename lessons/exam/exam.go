package exam

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/lessons"

	"k8s.io/utils/clock"
)

// PerTask is the time an exam allows for each of its tasks unless told
// otherwise: the CKAD's two hours for 15 to 20 tasks, rounded.
const PerTask = 6 * time.Minute

// Settle is how much cluster time a task's cluster runs on, at most,
// before it is graded: a real exam is graded minutes after its end, once
// what the last command started has happened (pods pulled and ready). In
// the simulated runtime this takes no wall time at all.
const Settle = time.Minute

// Starter starts the fresh cluster of a task (with its add-ons); stop
// takes it down.
type Starter func(t *Task) (c backend.Cluster, stop func(), err error)

// Options configure an exam.
type Options struct {
	Lang bilingual.Lang
	// Limit is the time the learner has, on the wall clock; 0 allows
	// PerTask for each task.
	Limit time.Duration
	// Clock is the wall clock the limit is measured on (a fake in tests).
	Clock clock.PassiveClock
	// Start starts each task's cluster, when the task is first opened.
	Start Starter
}

// Exam is one sitting: the tasks, where the learner is, each task's
// cluster, and the time. Each task has a cluster of its own, started
// fresh (same seed, so the same each time) when the task is first
// opened and kept as the learner leaves it until the exam ends: going
// back to a task finds its work where it was.
type Exam struct {
	Tasks []*Task
	o     Options

	cur    int
	states []*state
	begun  time.Time
	// held is the wall time the exam itself took (starting clusters,
	// running setups, grading): added back to the learner's time.
	held time.Duration
}

// state is one task's sitting.
type state struct {
	c       backend.Cluster
	stop    func()
	g       *lessons.Grader
	con     *console.Console
	seen    bool
	skipped bool
	flagged bool
}

// New starts an exam of tasks; the clock starts now. Output of kubectl
// goes to out and errOut as in kubeplay shell.
func New(tasks []*Task, o Options) *Exam {
	if o.Limit <= 0 {
		o.Limit = time.Duration(len(tasks)) * PerTask
	}
	if o.Clock == nil {
		o.Clock = clock.RealClock{}
	}
	e := &Exam{Tasks: tasks, o: o, states: make([]*state, len(tasks))}
	for i := range e.states {
		e.states[i] = &state{}
	}
	e.begun = o.Clock.Now()
	return e
}

// Lang is the exam's language.
func (e *Exam) Lang() bilingual.Lang { return e.o.Lang }

// Limit is the time the learner has.
func (e *Exam) Limit() time.Duration { return e.o.Limit }

// Used is the learner's time so far: the wall clock's since the start,
// less what the exam itself took.
func (e *Exam) Used() time.Duration { return e.o.Clock.Since(e.begun) - e.held }

// Left is the time the learner has left (not below 0).
func (e *Exam) Left() time.Duration { return max(0, e.o.Limit-e.Used()) }

// Over reports whether the time is up.
func (e *Exam) Over() bool { return e.Used() >= e.o.Limit }

// hold runs fn, the exam's own work, off the learner's time.
func (e *Exam) hold(fn func() error) error {
	t := e.o.Clock.Now()
	defer func() { e.held += e.o.Clock.Since(t) }()
	return fn()
}

// Index is the current task's index, from 0.
func (e *Exam) Index() int { return e.cur }

// Task is the current task.
func (e *Exam) Task() *Task { return e.Tasks[e.cur] }

// Flagged reports whether task i is flagged for review.
func (e *Exam) Flagged(i int) bool { return e.states[i].flagged }

// Skipped reports whether task i was skipped when last left.
func (e *Exam) Skipped(i int) bool { return e.states[i].skipped }

// Seen reports whether task i was opened.
func (e *Exam) Seen(i int) bool { return e.states[i].seen }

// Flag flags the current task for review, or unflags it; it reports the
// flag now.
func (e *Exam) Flag() bool {
	s := e.states[e.cur]
	s.flagged = !s.flagged
	return s.flagged
}

// Open makes task i current, starting its fresh cluster and running its
// setup the first time, off the learner's time; out and errOut are where
// the task's kubectl prints.
func (e *Exam) Open(i int, out, errOut io.Writer) error {
	e.cur = i
	s := e.states[i]
	if s.seen {
		return nil
	}
	return e.hold(func() error {
		t := e.Tasks[i]
		c, stop, err := e.o.Start(t)
		if err != nil {
			return err
		}
		s.c, s.stop, s.seen = c, stop, true
		s.g = lessons.NewGrader(c)
		var said bytes.Buffer
		if err := runScript(console.New(c, io.Discard, &said, console.Options{Lang: e.o.Lang}), t.Setup, e.o.Lang); err != nil {
			return fmt.Errorf("assets/%s: setup: %v: %s", t.file, err, strings.TrimSpace(said.String()))
		}
		checks := make([]*lessons.Check, len(t.Checks))
		for j := range t.Checks {
			checks[j] = &t.Checks[j].Check
		}
		// Grading counts from here: a rollout the setup made is not the
		// learner's.
		s.g.Begin(checks...)
		s.con = console.New(c, out, errOut, console.Options{Lang: e.o.Lang})
		return nil
	})
}

// Leave leaves the current task, skipped or not.
func (e *Exam) Leave(skipped bool) { e.states[e.cur].skipped = skipped }

// Exec runs one of the learner's command lines on the current task's
// cluster; stdin is its here-document, if any.
func (e *Exam) Exec(line string, stdin io.Reader) int {
	s := e.states[e.cur]
	code, _ := s.con.Exec(line, stdin)
	s.g.Record(line, code == 0)
	return code
}

// runScript runs a script of command lines on con, here-documents
// included, and fails at the first command that fails.
func runScript(con *console.Console, script string, lang bilingual.Lang) error {
	r := bufio.NewReader(strings.NewReader(script))
	for {
		line, err := r.ReadString('\n')
		if line == "" && err != nil {
			return nil
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		stdin, line, herr := console.ReadHereDoc(line, r, lang)
		if herr != nil {
			return herr
		}
		if code, _ := con.Exec(line, stdin); code != 0 {
			return fmt.Errorf("%q failed (exit code %d)", line, code)
		}
	}
}

// CheckResult is one graded check.
type CheckResult struct {
	Item   *Item
	Passed bool
}

// Result is one task's grade.
type Result struct {
	Task   *Task
	Points int
	Checks []CheckResult
	// Seen, Skipped and Flagged are how the learner left the task.
	Seen, Skipped, Flagged bool
}

// Max is what the task was worth.
func (r Result) Max() int { return r.Task.Points() }

// Grade grades every task on the state its cluster is in, after letting
// each run on until its checks hold or Settle has passed, and stops the
// clusters: the exam is over.
func (e *Exam) Grade() []Result {
	out := make([]Result, len(e.Tasks))
	_ = e.hold(func() error {
		for i, t := range e.Tasks {
			s := e.states[i]
			r := Result{Task: t, Seen: s.seen, Skipped: s.skipped, Flagged: s.flagged}
			if s.seen {
				settle(s, t)
			}
			for j := range t.Checks {
				it := &t.Checks[j]
				ok := s.seen && s.g.Holds(&it.Check)
				if ok {
					r.Points += it.Points
				}
				r.Checks = append(r.Checks, CheckResult{Item: it, Passed: ok})
			}
			out[i] = r
		}
		return nil
	})
	e.Close()
	return out
}

// settle runs a task's cluster on, a second of its time at a time, until
// every check of t holds or Settle has passed. Whole seconds, not every
// hop: an exec check runs a command in a container each time it is asked.
func settle(s *state, t *Task) {
	for waited := time.Duration(0); ; waited += time.Second {
		all := true
		for j := range t.Checks {
			if all = s.g.Holds(&t.Checks[j].Check); !all {
				break
			}
		}
		if all || waited >= Settle {
			return
		}
		s.c.RunFor(time.Second)
	}
}

// Close stops every task's cluster.
func (e *Exam) Close() {
	for _, s := range e.states {
		if s.g != nil {
			s.g.Close()
		}
		if s.stop != nil {
			s.stop()
			s.stop = nil
		}
	}
}
