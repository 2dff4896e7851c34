package lessons

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"
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
	// ns is the namespace the lesson plays in: default on kubeplay's own
	// cluster, the one kubeplay made for the run on a real cluster.
	// Lesson files are written for default, and read so.
	ns string

	step      int
	hints     int             // hints shown in this step
	failed    string          // the step's last command, when it failed
	tried     [][]string      // every command run in this step, failed or not
	explained map[int]bool    // pause_on entries already explained
	fired     map[[2]int]bool // every (step, pause) explained in this run
	// h is what the step's check compares with: the cluster when the
	// step began, the commands that succeeded since, and every object
	// stored since the run began.
	h history
}

// NewRun starts lesson l on c at its first step. A fresh cluster has
// nothing the later steps build on, so a lesson always starts at step 1;
// progress only records what was done.
func NewRun(l *Lesson, c backend.Cluster, p *Progress, lang bilingual.Lang) *Run {
	return NewRunIn(l, c, p, lang, "default")
}

// NewRunIn starts lesson l on c in namespace ns (a real cluster's run
// namespace, see RunNamespace): its checks look there, and its marked
// hops match there as they would in default.
func NewRunIn(l *Lesson, c backend.Cluster, p *Progress, lang bilingual.Lang, ns string) *Run {
	r := &Run{L: l, c: c, prog: p, lang: lang, ns: ns, fired: map[[2]int]bool{}}
	r.h.watch(c)
	// The pods' DNS queries are hops only when asked for (they are many,
	// and seldom the point): a lesson that marks one asks, or its mark
	// would never be met.
	if l.marksDNS() {
		if d, ok := c.(interface{ SetDNSHops(bool) }); ok {
			d.SetDNSHops(true)
		}
	}
	r.Begin(0)
	return r
}

// marksDNS reports whether a step of the lesson stops at a DNS query.
func (l *Lesson) marksDNS() bool {
	for _, s := range l.Steps {
		for _, p := range s.PauseOn {
			if p.Match.Verb == sim.VerbDNS {
				return true
			}
		}
	}
	return false
}

// Namespace is the namespace the run plays in.
func (r *Run) Namespace() string { return r.ns }

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
	r.hints, r.failed, r.tried, r.explained = 0, "", nil, map[int]bool{}
	r.h.begin(r.c, r.ns, r.Step().Check)
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
	r.h.record(line)
}

// HasCheck reports whether the step moves on by itself; without a check
// the learner says when (`next`).
func (r *Run) HasCheck() bool { return r.Step().Check != nil }

// Met reports whether the current step's check holds now.
func (r *Run) Met() bool {
	c := r.Step().Check
	return c != nil && c.met(r.c, r.ns, &r.h)
}

// placeholder is {pod:SELECTOR} or {rs:SELECTOR} in a suggested command:
// the name of a pod or ReplicaSet the learner's cluster chose (pod names
// end in random letters; a ReplicaSet's hash is the cluster's own, and a
// real cluster's differs from kubeplay's).
var placeholder = regexp.MustCompile(`\{(pod|rs):([^}]*)\}`)

// Command is the step's suggested command, with each {pod:SELECTOR} made
// the name of the first pod, by name, that matches and is not being
// deleted, and each {rs:SELECTOR} that of the first ReplicaSet that
// matches and wants pods; "" when the step suggests none.
func (r *Run) Command() string {
	return placeholder.ReplaceAllStringFunc(r.Step().Command, func(m string) string {
		sub := placeholder.FindStringSubmatch(m)
		if sub[1] == "rs" {
			if name, ok := firstReplicaSet(r.c, r.ns, sub[2]); ok {
				return name
			}
			return "REPLICASET"
		}
		if name, ok := firstPod(r.c, r.ns, sub[2]); ok {
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
	if r.ns != "default" {
		// An etcd key names the namespace: the lesson wrote default.
		h.Object = strings.Replace(h.Object, "/"+r.ns+"/", "/default/", 1)
	}
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
	case cmd != "" && !slices.ContainsFunc(r.h.ran, sameWords(cmd)):
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
