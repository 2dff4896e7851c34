package realcluster_test

import (
	"bytes"
	"fmt"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/kubectl"
	"github.com/kubeplay/kubeplay/engine/realcluster/realk8stest"
	"github.com/kubeplay/kubeplay/engine/sim"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// This file plays issue 18's scenario — create deployment web
// --replicas=3, scale --replicas=5, set image, delete pod, a pod that
// cannot be scheduled — on kubeplay's embedded engine and on a real
// control plane, and holds the two flows to the same story: per object,
// the same sequence of components and verbs.

// scenarioRun is what one play of the scenario left to compare.
type scenarioRun struct {
	hops   []sim.Hop
	victim string // the pod deleted
}

// exec1 runs one built-in kubectl command on c in default.
func exec1(t *testing.T, c backend.Cluster, stdin string, args ...string) string {
	t.Helper()
	var o, e bytes.Buffer
	s := &kubectl.Session{C: c, Out: &o, Err: &e, Namespace: "default", In: strings.NewReader(stdin)}
	if code := s.Exec(args); code != 0 {
		t.Fatalf("kubectl %s: exit %d: %s", strings.Join(args, " "), code, e.String())
	}
	return o.String()
}

func livePods(c backend.Cluster) []*corev1.Pod {
	res, _ := apiserver.ResourceFor("pods")
	var out []*corev1.Pod
	for _, o := range c.List(res, "default") {
		if p := o.(*corev1.Pod); p.DeletionTimestamp == nil && p.Labels["app"] == "web" {
			out = append(out, p)
		}
	}
	return out
}

// settled: the Deployment's pods are all Running on image, want of them,
// none other left (terminating ones gone too), and its status says so.
func settled(c backend.Cluster, want int, image string) func() bool {
	return func() bool {
		res, _ := apiserver.ResourceFor("pods")
		n := 0
		for _, o := range c.List(res, "default") {
			p := o.(*corev1.Pod)
			if p.Labels["app"] != "web" {
				continue
			}
			if p.DeletionTimestamp != nil || p.Status.Phase != corev1.PodRunning || p.Spec.Containers[0].Image != image {
				return false
			}
			n++
		}
		dres, _ := apiserver.ResourceFor("deployments")
		d, err := c.Get(dres, "default", "web")
		if err != nil {
			return false
		}
		st := d.(*appsv1.Deployment).Status
		return n == want && st.UpdatedReplicas == int32(want) && st.AvailableReplicas == int32(want) && st.Replicas == int32(want)
	}
}

const bigPod = `apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  containers:
  - name: c
    image: nginx:1.27
    resources: {requests: {cpu: "100"}}
`

// playScenario plays the scenario on c; limit bounds each wait (cluster
// time: virtual on the embedded engine, the wall's on a real cluster).
func playScenario(t *testing.T, c backend.Cluster, limit time.Duration) scenarioRun {
	t.Helper()
	var run scenarioRun
	c.Observe(func(h sim.Hop) {
		if !h.Internal {
			run.hops = append(run.hops, h)
		}
	})
	wait := func(what string, done func() bool) {
		t.Helper()
		if !c.Wait(limit, done) {
			t.Fatalf("after %v: %s", limit, what)
		}
	}
	exec1(t, c, "", "create", "deployment", "web", "--image=nginx:1.27", "--replicas=3")
	wait("3 pods of web Running", settled(c, 3, "nginx:1.27"))
	exec1(t, c, "", "scale", "deployment", "web", "--replicas=5")
	wait("5 pods of web Running", settled(c, 5, "nginx:1.27"))
	exec1(t, c, "", "set", "image", "deployment/web", "nginx=nginx:1.28")
	wait("the rollout to nginx:1.28", settled(c, 5, "nginx:1.28"))
	run.victim = livePods(c)[0].Name
	exec1(t, c, "", "delete", "pod", run.victim)
	wait("the deleted pod replaced", func() bool {
		return settled(c, 5, "nginx:1.28")() && !slices.ContainsFunc(livePods(c), func(p *corev1.Pod) bool { return p.Name == run.victim })
	})
	exec1(t, c, bigPod, "apply", "-f", "-")
	wait("the scheduler's FailedScheduling for big", func() bool {
		return slices.ContainsFunc(run.hops, func(h sim.Hop) bool {
			return h.From.Kind() == sim.KindScheduler && strings.Contains(h.Summary, "FailedScheduling") ||
				h.From.Kind() == sim.KindScheduler && strings.HasPrefix(h.Object, "pods/big") && h.Verb == sim.VerbUpdateStatus
		})
	})
	// What comes after (status writes settling) is part of the story.
	c.Wait(2*time.Second, func() bool { return false })
	return run
}

// step is one write in an object's story: who, and what it did.
type step struct {
	from sim.Kind
	verb sim.Verb
	ev   sim.Evidence
}

func (s step) String() string { return string(s.from) + " " + s.verb.String() }

// stories are the writes of the scenario's objects — the Deployment,
// its ReplicaSets and pods, and big — by object ("pods/web-…"): each
// write to the apiserver by the component that made it, in order, a run
// of the same step counted once (a kubelet's status writes come in
// bursts whose number is the runtime's business). The apiserver's etcd
// write after each is left out: it follows every write on both sides
// (inferred on a real cluster, see realEvidence), and the embedded
// apiserver names a graceful deletion's write "delete" where etcd sees a
// put of the object with its deletionTimestamp.
func stories(hops []sim.Hop) map[string][]step {
	out := map[string][]step{}
	for _, h := range hops {
		obj, s, ok := storyStep(h)
		if !ok {
			continue
		}
		st := out[obj]
		if n := len(st); n > 0 && st[n-1].from == s.from && st[n-1].verb == s.verb {
			continue
		}
		out[obj] = append(st, s)
	}
	return out
}

func storyStep(h sim.Hop) (string, step, bool) {
	s := step{from: h.From.Kind(), verb: h.Verb, ev: h.Evidence}
	if h.To.Kind() != sim.KindAPIServer {
		return "", s, false
	}
	switch h.Verb {
	case sim.VerbCreate, sim.VerbUpdate, sim.VerbUpdateStatus, sim.VerbPatch, sim.VerbBind, sim.VerbDelete:
	default:
		return "", s, false
	}
	obj, _, _ := strings.Cut(h.Object, " → ") // a bind names the node after the pod
	kind, name, _ := strings.Cut(obj, "/")
	switch {
	case kind == "deployments" && name == "web", kind == "replicasets" && strings.HasPrefix(name, "web-"),
		kind == "pods" && (strings.HasPrefix(name, "web-") || name == "big"):
		return obj, s, true
	}
	return "", s, false
}

// storyOf groups the objects by their story, told without the random
// part of their names: a pod's as the sequence of its steps; a
// Deployment's and a ReplicaSet's as the steps they took, each once —
// their controllers write status after every change of their pods, and
// how those writes interleave with the spec's depends on when each
// watch event arrived, which is timing, not the story.
func storyOf(st map[string][]step) map[string][]string {
	out := map[string][]string{}
	for obj, steps := range st {
		var words []string
		for _, s := range steps {
			words = append(words, s.String())
		}
		kind, _, _ := strings.Cut(obj, "/")
		key := kind + ": " + strings.Join(words, " → ")
		if kind != "pods" {
			slices.Sort(words)
			key = kind + ": {" + strings.Join(slices.Compact(words), ", ") + "}"
		}
		out[key] = append(out[key], obj)
	}
	return out
}

// inferredOnly are the hops of a real cluster kubeplay can only infer:
// the apiserver's writes to etcd (a watch event's resourceVersion proves
// them), a delete request of someone else's (it changes no managedFields)
// and a kubelet's last delete of a pod it stopped (the watch tells only
// that the pod is gone).
func inferredOnly(h sim.Hop) bool {
	switch {
	case h.To.Kind() == sim.KindEtcd && h.Verb == sim.VerbPut:
		return true
	case h.To.Kind() == sim.KindAPIServer && h.Verb == sim.VerbDelete && h.From.Kind() != sim.KindKubectl:
		return true
	}
	return false
}

// TestEmbeddedAndRealTellTheSameStory plays the scenario on both and
// compares, per object, the components and verbs of its writes; on the
// real control plane each of them must say how kubeplay knows it
// (observed, or inferred for the apiserver's etcd writes), and the
// board's pods must be what kubectl get pods -o wide lists.
func TestEmbeddedAndRealTellTheSameStory(t *testing.T) {
	cp := realk8stest.Start(t, 3)
	emb, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	embRun := playScenario(t, emb, 5*time.Minute)
	real := attach(t, cp, realk8stest.AdminContext)
	realRun := playScenario(t, real, 90*time.Second)

	embStories, realStories := storyOf(stories(embRun.hops)), storyOf(stories(realRun.hops))
	keys := slices.Sorted(maps.Keys(embStories))
	for _, k := range slices.Sorted(maps.Keys(realStories)) {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%2d embedded, %2d real  %s\n", len(embStories[k]), len(realStories[k]), k)
	}
	t.Logf("stories:\n%s", b.String())
	// Where the two differ for a real reason, the embedded story is
	// rewritten to what upstream does, and this says why.
	explained := map[string]string{
		"deployments: {controller-manager update, controller-manager update-status, kubectl create, kubectl update}": "deployments: {controller-manager update-status, kubectl create, kubectl update}",
	}
	// Upstream's Deployment controller writes the revision annotation with
	// UpdateStatus (sync.go getNewReplicaSet; the status strategy keeps
	// annotations), so a real cluster shows no spec update of the
	// controller-manager's; kubeplay's engine writes it as an update.
	for from, to := range explained {
		if objs, ok := embStories[from]; ok {
			delete(embStories, from)
			embStories[to] = append(embStories[to], objs...)
		}
	}
	for _, k := range keys {
		if _, ok := explained[k]; ok {
			continue
		}
		if (len(embStories[k]) == 0) != (len(realStories[k]) == 0) {
			t.Errorf("only one side tells %q (embedded %v, real %v)", k, embStories[k], realStories[k])
		}
	}

	// Every real hop says how kubeplay knows it: observed, or inferred
	// where no field tells.
	for _, h := range realRun.hops {
		want := sim.Observed
		if inferredOnly(h) {
			want = sim.Inferred
		}
		if h.Evidence != want {
			t.Errorf("%s is %q, want %q", strings.TrimSpace(h.Trace()), h.Evidence, want)
		}
	}
	if t.Failed() {
		for _, h := range realRun.hops {
			t.Log(h.Trace())
		}
	}

	// The board reads the mirror: the pods and their nodes are what the
	// real kubectl lists.
	out := exec1(t, real, "", "get", "pods", "-o", "wide")
	kc, err := exec.Command("kubectl", "--kubeconfig", cp.Kubeconfig, "get", "pods", "-o", "wide").Output()
	if err != nil {
		t.Skipf("no kubectl to compare the board with: %v", err)
	}
	if got, want := podNodes(out), podNodes(string(kc)); !maps.Equal(got, want) {
		t.Errorf("the board's pods and nodes %v, kubectl's %v\nkubeplay:\n%s\nkubectl:\n%s", got, want, out, kc)
	}
}

// podNodes reads NAME … STATUS … NODE of get pods -o wide.
func podNodes(table string) map[string]string {
	out := map[string]string{}
	lines := strings.Split(strings.TrimSpace(table), "\n")
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) >= 7 {
			out[f[0]] = f[2] + " " + f[6]
		}
	}
	return out
}
