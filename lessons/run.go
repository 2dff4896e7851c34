package lessons

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/proxy"
	"github.com/kubeplay/kubeplay/engine/sim"
	"k8s.io/apimachinery/pkg/api/meta"
)

// DefaultWithin is how long a step's check may wait for the cluster after
// a command, as kubectl wait's default timeout.
const DefaultWithin = 30 * time.Second

// Run is one play of a lesson on one cluster: the step the learner is on
// and what happened during it. Front ends (the shell, the TUI's lesson
// page) drive it; it reads the cluster, so call it only while holding the
// cluster.
type Run struct {
	L    *Lesson
	c    backend.Cluster
	prog *Progress
	lang bilingual.Lang

	step      int
	hints     int              // hints shown in this step
	ran       [][]string       // commands that succeeded in this step
	failed    string           // the step's last command, when it failed
	tried     [][]string       // every command run in this step, failed or not
	gen       int64            // the rollout check's Deployment's generation when the step began
	events    map[string]int32 // events before the step began
	load      *proxy.Load      // the load run there was when the step began
	explained map[int]bool     // pause_on entries already explained
	fired     map[[2]int]bool  // every (step, pause) explained in this run
	// existed holds every object (objectID) the cluster has stored since
	// the run began: a step done when an object is gone is done when it
	// went, not when it never was.
	existed map[string]bool
}

// NewRun starts lesson l on c at its first step. A fresh cluster has
// nothing the later steps build on, so a lesson always starts at step 1;
// progress only records what was done.
func NewRun(l *Lesson, c backend.Cluster, p *Progress, lang bilingual.Lang) *Run {
	r := &Run{L: l, c: c, prog: p, lang: lang, fired: map[[2]int]bool{}, existed: map[string]bool{}}
	c.Watch(func(ev backend.Event) {
		if res, err := apiserver.ResourceOf(ev.Object); err == nil {
			if m, err := meta.Accessor(ev.Object); err == nil {
				r.existed[objectID(res, m.GetNamespace(), m.GetName())] = true
			}
		}
	})
	r.Begin(0)
	return r
}

// Lang is the language the run speaks.
func (r *Run) Lang() bilingual.Lang { return r.lang }

// Index is the current step's index, from 0.
func (r *Run) Index() int { return r.step }

// Step is the current step.
func (r *Run) Step() *Step { return &r.L.Steps[r.step] }

// Last reports whether the current step is the last.
func (r *Run) Last() bool { return r.step == len(r.L.Steps)-1 }

// Progress is where the run records done steps.
func (r *Run) Progress() *Progress { return r.prog }

// Begin moves to step i: its hints, commands and events start afresh.
func (r *Run) Begin(i int) {
	r.step = max(0, min(i, len(r.L.Steps)-1))
	r.hints, r.ran, r.failed, r.tried, r.explained = 0, nil, "", nil, map[int]bool{}
	r.events = eventCounts(r.c)
	if c := r.Step().Check; c != nil && c.Rollout != nil {
		r.gen = c.Rollout.generation(r.c)
	}
	r.load = r.c.Network().LastLoad()
}

// Record notes a command line the learner ran and whether it succeeded
// (exit code 0). Only a command that succeeded counts for a `ran` check:
// `get pod web` answering NotFound has not shown the learner the pod.
func (r *Run) Record(line string, ok bool) {
	r.tried = append(r.tried, commandWords(line))
	if !ok {
		r.failed = line
		return
	}
	r.failed = ""
	if w := commandWords(line); len(w) > 0 {
		r.ran = append(r.ran, w)
	}
}

// HasCheck reports whether the step moves on by itself; without a check
// the learner says when (`next`).
func (r *Run) HasCheck() bool { return r.Step().Check != nil }

// Met reports whether the current step's check holds now.
func (r *Run) Met() bool {
	c := r.Step().Check
	if c == nil {
		return false
	}
	if c.wait != nil && !c.wait.met(r.c) {
		return false
	}
	if w := c.wait; w != nil && w.forDelete && w.name != "" && !r.existed[objectID(w.res, w.namespace, w.name)] {
		return false // gone, but it never was: the step's deletion has not happened
	}
	if c.Pods != nil && c.Pods.count(r.c) != c.Pods.Count {
		return false
	}
	if c.Event != nil && !c.Event.seenSince(r.c, r.events) {
		return false
	}
	if c.Load != nil && !c.Load.met(r.c, r.load) {
		return false
	}
	if c.Rollout != nil && !c.Rollout.met(r.c, r.gen) {
		return false
	}
	if c.Serves != nil && !c.Serves.met(r.c) {
		return false
	}
	if c.Ran != "" {
		found := false
		for _, w := range r.ran {
			found = found || ranMatches(c.Ran, w)
		}
		if !found {
			return false
		}
	}
	return true
}

// podPlaceholder is {pod:SELECTOR} in a suggested command: the name of a
// pod the learner's cluster chose (pod names end in random letters).
var podPlaceholder = regexp.MustCompile(`\{pod:([^}]*)\}`)

// Command is the step's suggested command, with each {pod:SELECTOR} made
// the name of the first pod, by name, that matches and is not being
// deleted; "" when the step suggests none.
func (r *Run) Command() string {
	return podPlaceholder.ReplaceAllStringFunc(r.Step().Command, func(m string) string {
		sel := podPlaceholder.FindStringSubmatch(m)[1]
		if name, ok := firstPod(r.c, sel); ok {
			return name
		}
		return "POD"
	})
}

// Within is how long the current step's check may wait for the cluster.
func (r *Run) Within() time.Duration {
	if c := r.Step().Check; c != nil && c.Within > 0 {
		return time.Duration(c.Within)
	}
	return DefaultWithin
}

// Complete records the current step as done. The error is a failed save:
// the front end says so and plays on.
func (r *Run) Complete() error { return r.prog.MarkDone(r.L.ID, r.step) }

// Hint is the next hint of the step, numbered, and false when the step
// has none; after the last, the last again.
func (r *Run) Hint() (string, bool) {
	hs := r.Step().Hints
	if len(hs) == 0 {
		return msg(r.lang, "no-hints"), false
	}
	i := min(r.hints, len(hs)-1)
	r.hints = i + 1
	return sayf(r.lang, "hint", i+1, len(hs), hs[i].In(r.lang)), true
}

// WouldPause reports whether step-through mode stops at h: a marked hop
// not yet explained in this step.
func (r *Run) WouldPause(h sim.Hop) bool {
	_, ok := r.pauseFor(h)
	return ok
}

func (r *Run) pauseFor(h sim.Hop) (int, bool) {
	for i, p := range r.Step().PauseOn {
		if !r.explained[i] && p.Match.Matches(h) {
			return i, true
		}
	}
	return 0, false
}

// Explain is what the lesson says about h, once per marked hop and step:
// its explanation with the hop's own values put in.
func (r *Run) Explain(h sim.Hop) (string, bool) {
	i, ok := r.pauseFor(h)
	if !ok {
		return "", false
	}
	r.explained[i] = true
	r.fired[[2]int{r.step, i}] = true
	rep := strings.NewReplacer("{from}", h.From.String(), "{to}", h.To.String(), "{verb}", h.Verb.String(), "{object}", h.Object, "{summary}", h.Summary)
	text := strings.TrimSpace(rep.Replace(r.Step().PauseOn[i].Explain.In(r.lang)))
	// The author could not know the names: in Korean, each particle after
	// one is made to fit it ("{to}가" for kubelet/node-1 is "…node-1이").
	text = r.lang.Fix(text)
	return text, true
}

// Unexplained lists the marked hops that never happened in this run, as
// "steps[i].pause_on[j]": a lesson whose marks match nothing teaches
// nothing, and its test says so.
func (r *Run) Unexplained() []string {
	var out []string
	for i, s := range r.L.Steps {
		for j := range s.PauseOn {
			if !r.fired[[2]int{i, j}] {
				out = append(out, fmt.Sprintf("steps[%d].pause_on[%d]", i, j))
			}
		}
	}
	return out
}

// ReadFile is kubectl's -f for the lesson: its manifests by name, then
// the disk.
func (r *Run) ReadFile(name string) ([]byte, error) {
	if data, ok := r.L.Manifests()[name]; ok {
		return data, nil
	}
	return os.ReadFile(name)
}

// readOnly are the commands that do not change the cluster: after them a
// lesson does not let time run for its check.
var readOnly = map[string]bool{
	"get": true, "describe": true, "logs": true, "events": true, "explain": true, "top": true,
	"version": true, "api-resources": true, "cluster-info": true, "help": true, "wait": true,
	"sleep": true, "trace": true, "exec": true,
}

// Changes reports whether a command line may change the cluster.
func Changes(line string) bool {
	w := commandWords(line)
	return len(w) > 0 && !readOnly[w[0]]
}

// NotYet is what to tell the learner when a command has ended and the
// step's check does not hold: what the step waits for, and what to do
// next (WhatNext).
func (r *Run) NotYet(hint string) string {
	return sayf(r.lang, "not-yet", r.Goal()) + " " + r.WhatNext(hint)
}

// WhatNext is what to do next while the step is not done: read the error
// of the command that failed, run the suggested command, or look around;
// what to do when history has moved on; and hint, how this front end
// asks for a hint ("type hint"), last.
func (r *Run) WhatNext(hint string) string {
	var parts []string
	switch cmd := r.Command(); {
	case r.failed != "":
		parts = append(parts, msg(r.lang, "failed"))
	case cmd != "" && !slices.ContainsFunc(r.ran, sameWords(cmd)):
		parts = append(parts, sayf(r.lang, "suggested", commandLine(cmd)))
	default:
		parts = append(parts, msg(r.lang, "look"))
	}
	// The suggested command ran and the step is still not done: the
	// cluster's history may have moved past what it expects.
	if m := r.Step().Check.MovedOn; m != nil && slices.ContainsFunc(r.tried, sameWords(r.Command())) {
		parts = append(parts, strings.TrimSpace(m.In(r.lang)))
	}
	if hint != "" {
		parts = append(parts, hint)
	}
	return strings.Join(parts, " ")
}

// sameWords matches the words of cmd.
func sameWords(cmd string) func([]string) bool {
	want := commandWords(cmd)
	return func(w []string) bool { return len(want) > 0 && slices.Equal(w, want) }
}

// EndSummary is what the learner is told past the last step when some
// steps are not done: how many are, and which are not.
func (r *Run) EndSummary() string {
	total := len(r.L.Steps)
	var missing []string
	for i := range total {
		if !r.prog.StepDone(r.L.ID, i) {
			missing = append(missing, strconv.Itoa(i+1))
		}
	}
	id := "end-partial"
	if len(missing) == 1 {
		id = "end-partial-one"
	}
	return sayf(r.lang, id, r.prog.Done(r.L.ID, total), total, strings.Join(missing, ", "))
}
