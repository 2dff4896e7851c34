package lessons

import (
	"bytes"
	"fmt"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/kubelet"
	"github.com/kubeplay/kubeplay/engine/proxy"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	shellwords "mvdan.cc/sh/v3/shell"
)

// history is what the parts of a check that depend on the past compare
// with: the cluster as it was when a step (or an exam task) began, the
// commands that succeeded since, and every object stored since the
// watch began.
type history struct {
	events map[string]int32 // events before the beginning
	gens   map[string]int64 // the rollout checks' Deployments' generations then
	load   *proxy.Load      // the load run there was then
	ran    [][]string       // commands that succeeded since
	// existed holds every object (objectID) the cluster has stored since
	// the watch began: a check that an object is gone holds when it
	// went, not when it never was.
	existed map[string]bool
}

// watch records every object c stores from now on; stop ends it.
func (h *history) watch(c backend.Cluster) (stop func()) {
	h.existed = map[string]bool{}
	return c.Watch(func(ev backend.Event) {
		if res, err := apiserver.ResourceOf(ev.Object); err == nil {
			if m, err := meta.Accessor(ev.Object); err == nil {
				h.existed[objectID(res, m.GetNamespace(), m.GetName())] = true
			}
		}
	})
}

// begin notes the cluster as it is now, for checks of namespace ns: what
// they count as new (an event, a changed template, a load run, a
// command) is what comes after.
func (h *history) begin(c backend.Cluster, ns string, checks ...*Check) {
	h.ran = nil
	h.events = eventCounts(c)
	h.gens = map[string]int64{}
	for _, ch := range checks {
		if ch != nil && ch.Rollout != nil {
			h.gens[ch.Rollout.Deployment] = ch.Rollout.generation(c, ns)
		}
	}
	h.load = c.Network().LastLoad()
}

// record notes a command line that succeeded.
func (h *history) record(line string) {
	if w := commandWords(line); len(w) > 0 {
		h.ran = append(h.ran, w)
	}
}

// met reports whether every part of the check holds on cl now, in the
// run's namespace ns (lesson files are written for default).
func (c *Check) met(cl backend.Cluster, ns string, h *history) bool {
	if c.wait != nil && !c.wait.met(cl, ns) {
		return false
	}
	if w := c.wait; w != nil && w.forDelete && w.name != "" && !h.existed[objectID(w.res, w.in(ns), w.name)] {
		return false // gone, but it never was: the deletion has not happened
	}
	if c.Pods != nil && c.Pods.count(cl, ns) != c.Pods.Count {
		return false
	}
	if c.Event != nil && !c.Event.seenSince(cl, h.events) {
		return false
	}
	if c.Load != nil && !c.Load.met(cl, h.load) {
		return false
	}
	if c.Rollout != nil && !c.Rollout.met(cl, ns, h.gens[c.Rollout.Deployment]) {
		return false
	}
	if c.Serves != nil && !c.Serves.met(cl, ns) {
		return false
	}
	if c.Ran != "" {
		found := false
		for _, w := range h.ran {
			found = found || ranMatches(c.Ran, w)
		}
		if !found {
			return false
		}
	}
	// Last: the only part that runs something in a container.
	if c.Exec != nil && !c.Exec.met(cl, ns) {
		return false
	}
	return true
}

// Grader holds checks to one cluster, in namespace default, from a
// beginning on, as a lesson holds each step's: what an exam grades a task
// with. Like the cluster, call it only while holding the cluster.
type Grader struct {
	c    backend.Cluster
	h    history
	stop func()
}

// NewGrader starts remembering every object c stores, for checks that an
// object is gone; Begin notes where the rest of history starts.
func NewGrader(c backend.Cluster) *Grader {
	g := &Grader{c: c}
	g.stop = g.h.watch(c)
	g.Begin()
	return g
}

// Begin notes the cluster as it is now: for checks, what changes after
// (a rollout of a changed template, a new event, a command) is new.
func (g *Grader) Begin(checks ...*Check) { g.h.begin(g.c, "default", checks...) }

// Record notes a command line the learner ran, and whether it succeeded:
// only one that did counts for a `ran` check.
func (g *Grader) Record(line string, ok bool) {
	if ok {
		g.h.record(line)
	}
}

// Holds reports whether c holds on the cluster now.
func (g *Grader) Holds(c *Check) bool { return c.met(g.c, "default", &g.h) }

// Close stops remembering objects.
func (g *Grader) Close() {
	if g.stop != nil {
		g.stop()
		g.stop = nil
	}
}

func (e *ExecOutput) validate() error {
	if e.Pod == "" {
		return fmt.Errorf("pod is missing")
	}
	args, err := shellwords.Fields(e.Command, func(string) string { return "" })
	if err != nil {
		return fmt.Errorf("command: %v", err)
	}
	if len(args) == 0 {
		return fmt.Errorf("command is missing")
	}
	e.argv = args
	return nil
}

// met runs the command in the container, as kubectl exec would: it holds
// when the command succeeds and prints the output asked.
func (e *ExecOutput) met(c backend.Cluster, ns string) bool {
	res, _ := apiserver.ResourceFor("pods")
	obj, err := c.Get(res, ns, e.Pod)
	if err != nil {
		return false
	}
	pod := obj.(*corev1.Pod)
	if pod.DeletionTimestamp != nil || pod.Spec.NodeName == "" || len(pod.Spec.Containers) == 0 {
		return false
	}
	name := e.Container
	if name == "" {
		name = pod.Spec.Containers[0].Name
	}
	var id string
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.Name == name && cs.State.Running != nil {
			id = cs.ContainerID
		}
	}
	kl, ok := c.Kubelet(pod.Spec.NodeName)
	if id == "" || !ok {
		return false
	}
	out, err := kl.Exec(id, e.argv, kubelet.ExecTimeout)
	return err == nil && out.ExitCode == 0 && string(bytes.TrimSpace(out.Output)) == e.Output
}
