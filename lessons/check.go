package lessons

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/kubectl"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/spf13/pflag"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	shellwords "mvdan.cc/sh/v3/shell"
)

// waitSpec is a parsed `wait` check: kubectl wait's condition on one
// named object, or on every object a selector picks.
type waitSpec struct {
	// forCond is --for as written, for the sentence that says what the
	// step waits for.
	forCond   string
	cond      func(runtime.Object) bool
	forDelete bool
	res       *apiserver.Resource
	name      string
	selector  labels.Selector // when no name
	namespace string
}

// parseWait reads a check's `wait` as kubectl wait reads its arguments.
func parseWait(line string) (*waitSpec, error) {
	args, err := shellwords.Fields(line, func(string) string { return "" })
	if err != nil {
		return nil, err
	}
	if len(args) > 0 && args[0] == "wait" {
		return nil, fmt.Errorf("leave out the word wait: %q", strings.Join(args[1:], " "))
	}
	fs := pflag.NewFlagSet("wait", pflag.ContinueOnError)
	fs.SetOutput(nopWriter{})
	forCond := fs.String("for", "", "")
	sel := fs.StringP("selector", "l", "", "")
	ns := fs.StringP("namespace", "n", "", "")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *forCond == "" {
		return nil, fmt.Errorf("--for must be given, as in --for=condition=Ready pod/web")
	}
	w := &waitSpec{forCond: *forCond, namespace: *ns, forDelete: strings.EqualFold(*forCond, "delete")}
	if w.cond, err = kubectl.WaitCondition(*forCond); err != nil {
		return nil, err
	}
	rest := fs.Args()
	if len(rest) != 1 {
		return nil, fmt.Errorf("name one object (pod/web) or one type with -l (pods -l app=web), not %q", strings.Join(rest, " "))
	}
	typ, name, named := strings.Cut(rest[0], "/")
	var ok bool
	if w.res, ok = apiserver.ResourceFor(typ); !ok {
		return nil, fmt.Errorf("the server doesn't have a resource type %q", typ)
	}
	switch {
	case named && *sel != "":
		return nil, fmt.Errorf("name cannot be provided when a selector is specified")
	case named:
		w.name = name
	case *sel == "":
		return nil, fmt.Errorf("give a name (%s/NAME) or a selector (-l)", typ)
	default:
		if w.selector, err = labels.Parse(*sel); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// objectID names an object in a run's memory of what existed.
func objectID(res *apiserver.Resource, namespace, name string) string {
	if !res.Namespaced {
		namespace = ""
	}
	return res.Name + "/" + namespace + "/" + name
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }

// in is the namespace the wait looks in: its -n, else the run's.
func (w *waitSpec) in(runNS string) string {
	if w.namespace != "" {
		return w.namespace
	}
	return runNS
}

// met reports whether the condition holds now in the run's namespace
// (unless -n names another): for a name, on that object (nil if gone);
// for a selector, on every match, and there must be one unless the
// condition is deletion.
func (w *waitSpec) met(c backend.Cluster, runNS string) bool {
	if w.name != "" {
		obj, err := c.Get(w.res, w.in(runNS), w.name)
		if err != nil {
			obj = nil
		}
		return w.cond(obj)
	}
	n := 0
	for _, obj := range c.List(w.res, w.in(runNS)) {
		m, err := meta.Accessor(obj)
		if err != nil || !w.selector.Matches(labels.Set(m.GetLabels())) {
			continue
		}
		if !w.cond(obj) {
			return false
		}
		n++
	}
	return n > 0 || w.forDelete
}

func (p *PodCount) validate() error {
	if p.Count < 0 {
		return fmt.Errorf("count must not be negative")
	}
	if _, err := labels.Parse(p.Selector); err != nil {
		return fmt.Errorf("selector: %v", err)
	}
	switch corev1.PodPhase(p.Phase) {
	case "", corev1.PodPending, corev1.PodRunning, corev1.PodSucceeded, corev1.PodFailed, corev1.PodUnknown:
		return nil
	}
	return fmt.Errorf("phase %q is not a pod phase (Pending, Running, Succeeded, Failed, Unknown)", p.Phase)
}

// count is the number of pods the check counts now, in its namespace or
// else the run's.
func (p *PodCount) count(c backend.Cluster, runNS string) int {
	ns := p.Namespace
	if ns == "" {
		ns = runNS
	}
	sel, _ := labels.Parse(p.Selector)
	n := 0
	for _, pod := range livePods(c, ns, sel) {
		if (p.Phase == "" || string(pod.Status.Phase) == p.Phase) && (!p.Ready || podReady(pod)) {
			n++
		}
	}
	return n
}

// livePods are the pods in ns matching sel that are not being deleted, in
// name order: what a learner counts in get pods once Terminating is gone.
func livePods(c backend.Cluster, ns string, sel labels.Selector) []*corev1.Pod {
	res, _ := apiserver.ResourceFor("pods")
	var out []*corev1.Pod
	for _, obj := range c.List(res, ns) {
		if pod := obj.(*corev1.Pod); pod.DeletionTimestamp == nil && sel.Matches(labels.Set(pod.Labels)) {
			out = append(out, pod)
		}
	}
	return out
}

// firstPod is the name of the first live pod in ns matching selector.
func firstPod(c backend.Cluster, ns, selector string) (string, bool) {
	sel, err := labels.Parse(selector)
	if err != nil {
		return "", false
	}
	pods := livePods(c, ns, sel)
	if len(pods) == 0 {
		return "", false
	}
	return pods[0].Name, true
}

// firstReplicaSet is the name of the first ReplicaSet in ns, by name,
// matching selector that wants pods (the current one of a Deployment).
func firstReplicaSet(c backend.Cluster, ns, selector string) (string, bool) {
	sel, err := labels.Parse(selector)
	if err != nil {
		return "", false
	}
	res, _ := apiserver.ResourceFor("replicasets")
	var names []string
	for _, obj := range c.List(res, ns) {
		rs := obj.(*appsv1.ReplicaSet)
		if rs.DeletionTimestamp == nil && sel.Matches(labels.Set(rs.Labels)) && (rs.Spec.Replicas == nil || *rs.Spec.Replicas > 0) {
			names = append(names, rs.Name)
		}
	}
	if len(names) == 0 {
		return "", false
	}
	return slices.Min(names), true
}

func podReady(pod *corev1.Pod) bool {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func (e *EventSeen) validate() error {
	if e.Reason == "" {
		return fmt.Errorf("reason is missing")
	}
	typ, name, ok := strings.Cut(e.Object, "/")
	if !ok || name == "" {
		return fmt.Errorf("object %q must be kind/name, as in pod/web or pod/web-*", e.Object)
	}
	if _, ok := apiserver.ResourceFor(typ); !ok {
		return fmt.Errorf("object %q: no resource type %q", e.Object, typ)
	}
	if _, err := path.Match(name, ""); err != nil {
		return fmt.Errorf("object %q: bad pattern: %v", e.Object, err)
	}
	return nil
}

// matches reports whether ev is this event.
func (e *EventSeen) matches(ev *corev1.Event) bool {
	typ, pattern, _ := strings.Cut(e.Object, "/")
	res, _ := apiserver.ResourceFor(typ)
	ok, _ := path.Match(pattern, ev.InvolvedObject.Name)
	return ev.Reason == e.Reason && ev.InvolvedObject.Kind == res.Kind && ok
}

// eventCounts is how many times each Event was seen, by name: an Event
// repeated raises its count instead of adding an object, so a step counts
// an event as new when its name is new or its count grew.
func eventCounts(c backend.Cluster) map[string]int32 {
	res, _ := apiserver.ResourceFor("events")
	out := map[string]int32{}
	for _, obj := range c.List(res, "") {
		ev := obj.(*corev1.Event)
		out[ev.Namespace+"/"+ev.Name] = ev.Count
	}
	return out
}

// seenSince reports whether an event matching e was recorded after before.
func (e *EventSeen) seenSince(c backend.Cluster, before map[string]int32) bool {
	res, _ := apiserver.ResourceFor("events")
	for _, obj := range c.List(res, "") {
		ev := obj.(*corev1.Event)
		if n, ok := before[ev.Namespace+"/"+ev.Name]; (!ok || ev.Count > n) && e.matches(ev) {
			return true
		}
	}
	return false
}

// commandWords are a command line's words without the word kubectl, for
// `ran` checks; nil if the line does not parse.
func commandWords(line string) []string {
	args, err := shellwords.Fields(line, func(string) string { return "" })
	if err != nil {
		return nil
	}
	if len(args) > 0 && (args[0] == "kubectl" || args[0] == "k") {
		args = args[1:]
	}
	return args
}

// ranTerms are a command's words as a `ran` check compares them: flags
// left out, TYPE/NAME split in two, and each resource type (or list of
// them) written its one way, so `get po/web -o yaml` is `get pods web`.
func ranTerms(words []string) []string {
	var out []string
	for i, w := range words {
		if strings.HasPrefix(w, "-") && i > 0 {
			continue
		}
		typ, name, slash := strings.Cut(w, "/")
		var types []string
		for _, t := range strings.Split(typ, ",") {
			if res, ok := apiserver.ResourceFor(t); ok && i > 0 {
				types = append(types, res.Name)
			} else {
				types = nil
				break
			}
		}
		switch {
		case types == nil:
			out = append(out, w)
		case slash:
			out = append(out, strings.Join(types, ","), name)
		default:
			out = append(out, strings.Join(types, ","))
		}
	}
	return out
}

// ranMatches reports whether a command's words are want's: the same verb,
// then want's other words in order, with flags and their values free to
// come between (`get -o yaml pod web` is `get pod web`).
func ranMatches(want string, words []string) bool {
	w, got := ranTerms(commandWords(want)), ranTerms(words)
	if len(w) == 0 || len(got) == 0 || w[0] != got[0] {
		return false
	}
	i := 1
	for _, g := range got[1:] {
		if i < len(w) && termMatches(w[i], g) {
			i++
		}
	}
	return i == len(w)
}

// termMatches reports whether a command's term is the check's: the same
// word, or a list of types holding every type the check names (`get
// deploy,rs,pods` has shown the replicasets).
func termMatches(want, got string) bool {
	if want == got {
		return true
	}
	have := strings.Split(got, ",")
	if len(have) < 2 {
		return false
	}
	for _, t := range strings.Split(want, ",") {
		if !slices.Contains(have, t) {
			return false
		}
	}
	return true
}

// deployment is the Deployment name in ns, nil when there is none.
func deployment(c backend.Cluster, ns, name string) *appsv1.Deployment {
	res, _ := apiserver.ResourceFor("deployments")
	obj, err := c.Get(res, ns, name)
	if err != nil {
		return nil
	}
	return obj.(*appsv1.Deployment)
}

// generation is the Deployment's generation, 0 when there is none: a
// step notes it when it begins, to tell a template changed since.
func (d *RolloutDone) generation(c backend.Cluster, ns string) int64 {
	if dep := deployment(c, ns, d.Deployment); dep != nil {
		return dep.Generation
	}
	return 0
}

// met reports whether the rollout is over; before is the Deployment's
// generation when the step began.
func (d *RolloutDone) met(c backend.Cluster, ns string, before int64) bool {
	dep := deployment(c, ns, d.Deployment)
	if dep == nil || dep.Spec.Paused || (d.Changed && dep.Generation <= before) {
		return false
	}
	if cs := dep.Spec.Template.Spec.Containers; d.Image != "" && (len(cs) == 0 || cs[0].Image != d.Image) {
		return false
	}
	want := int32(1)
	if dep.Spec.Replicas != nil {
		want = *dep.Spec.Replicas
	}
	st := dep.Status
	return st.ObservedGeneration >= dep.Generation && st.UpdatedReplicas == want && st.Replicas == want && st.AvailableReplicas == want
}

// met reports whether kube-proxy sends the Service's requests to as many
// endpoints as asked.
func (s *Serving) met(c backend.Cluster, ns string) bool {
	n := c.Network().Endpoints(ns, s.Service, 0)
	if s.Endpoints == 0 {
		return n > 0
	}
	return n == s.Endpoints
}

// Validate parses what the check needs parsed; a check is held to the
// cluster only once it has. The error names the field.
func (c *Check) Validate() error {
	if c.Wait == "" && c.Pods == nil && c.Event == nil && c.Load == nil && c.Rollout == nil && c.Serves == nil && c.Ran == "" && c.Exec == nil {
		return fmt.Errorf("a check needs wait, pods, event, load, rollout, serves, ran or exec")
	}
	if c.Exec != nil {
		if err := c.Exec.validate(); err != nil {
			return fmt.Errorf("exec: %v", err)
		}
	}
	if c.Serves != nil && (c.Serves.Service == "" || c.Serves.Endpoints < 0) {
		return fmt.Errorf("serves: give the service, and endpoints 0 or more")
	}
	if c.Rollout != nil && c.Rollout.Deployment == "" {
		return fmt.Errorf("rollout: deployment is missing")
	}
	if c.MovedOn != nil {
		if err := checkText(*c.MovedOn); err != nil {
			return fmt.Errorf("moved_on: %v", err)
		}
	}
	if c.Within < 0 {
		return fmt.Errorf("within must not be negative")
	}
	if c.Wait != "" {
		w, err := parseWait(c.Wait)
		if err != nil {
			return fmt.Errorf("wait: %v", err)
		}
		c.wait = w
	}
	if c.Pods != nil {
		if err := c.Pods.validate(); err != nil {
			return fmt.Errorf("pods: %v", err)
		}
	}
	if c.Event != nil {
		if err := c.Event.validate(); err != nil {
			return fmt.Errorf("event: %v", err)
		}
	}
	if c.Load != nil {
		if err := c.Load.validate(); err != nil {
			return fmt.Errorf("load: %v", err)
		}
	}
	if c.Ran != "" && len(commandWords(c.Ran)) == 0 {
		return fmt.Errorf("ran: %q is not a command", c.Ran)
	}
	return nil
}

// Matches reports whether the hop is one m selects. A component matches
// up to its slash, so "kubelet" names the kubelets of every node.
func (m HopMatch) Matches(h sim.Hop) bool {
	comp := func(want, got sim.Component) bool {
		if want.Node() == "" { // a kind, or nothing
			return want == "" || got.Kind() == want.Kind()
		}
		return want == got
	}
	return !h.Internal && comp(m.From, h.From) && comp(m.To, h.To) && (m.Verb == "" || m.Verb == h.Verb) && strings.HasPrefix(h.Object, m.Object)
}
