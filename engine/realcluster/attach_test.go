package realcluster_test

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/kubectl"
	"github.com/kubeplay/kubeplay/engine/realcluster"
	"github.com/kubeplay/kubeplay/engine/realcluster/realk8stest"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
)

func attach(t *testing.T, cp *realk8stest.ControlPlane, context string) *realcluster.Cluster {
	t.Helper()
	tg, err := realcluster.Resolve(cp.Kubeconfig, context, "")
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := tg.Local(); !ok {
		t.Fatalf("the test control plane is not local: %+v", tg)
	} else if !strings.Contains(why, "on this machine") {
		t.Errorf("local because %s", why)
	}
	c, err := realcluster.Attach(t.Context(), tg, bilingual.English)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// run runs one built-in kubectl command on c, as the prompt does.
func run(c *realcluster.Cluster, args ...string) (code int, out, errOut string) {
	var o, e bytes.Buffer
	s := &kubectl.Session{C: c, Out: &o, Err: &e, Namespace: "default"}
	code = s.Exec(args)
	return code, o.String(), e.String()
}

func runningPods(c *realcluster.Cluster) []*corev1.Pod {
	pods, _ := apiserver.ResourceFor("pods")
	var out []*corev1.Pod
	for _, o := range c.List(pods, "default") {
		if p := o.(*corev1.Pod); p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil {
			out = append(out, p)
		}
	}
	return out
}

// TestPromptOnARealCluster: the built-in kubectl's requests go to the
// real apiserver, the real control plane does the work, and the mirror
// the board reads follows it through the watches — the flow showing who
// wrote what (observed) and the etcd writes (inferred). kubeplay's own
// words a real cluster cannot honour say so.
func TestPromptOnARealCluster(t *testing.T) {
	cp := realk8stest.Start(t, 3)
	c := attach(t, cp, realk8stest.AdminContext)
	if caps := c.Capabilities(); caps.Faults || caps.SimulatedContainers || caps.StreamingExec || !c.Realtime() {
		t.Errorf("a real cluster claims %+v, realtime %v", caps, c.Realtime())
	}
	if got := c.Nodes(); !slices.Equal(got, cp.Nodes) {
		t.Errorf("nodes %v, want %v", got, cp.Nodes)
	}
	var hops []sim.Hop
	c.Observe(func(h sim.Hop) { hops = append(hops, h) })

	code, out, errOut := run(c, "create", "deployment", "web", "--image=nginx:1.27", "--replicas=3")
	if code != 0 || out != "deployment.apps/web created\n" {
		t.Fatalf("create: %d %q %q", code, out, errOut)
	}
	if !c.Wait(60*time.Second, func() bool { return len(runningPods(c)) == 3 }) {
		t.Fatalf("the mirror shows %d Running pods of 3", len(runningPods(c)))
	}

	// What the board reads is what the real kubectl reads.
	code, out, errOut = run(c, "get", "pods", "-o", "wide")
	if code != 0 {
		t.Fatalf("get pods: %d %q", code, errOut)
	}
	if real, err := exec.Command("kubectl", "--kubeconfig", cp.Kubeconfig, "get", "pods", "-o", "wide", "--no-headers").Output(); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(real)), "\n") {
			f := strings.Fields(line) // NAME READY STATUS RESTARTS AGE IP NODE
			if !strings.Contains(out, f[0]) || !strings.Contains(out, f[6]) {
				t.Errorf("kubectl shows %q; the prompt shows\n%s", line, out)
			}
		}
	} else {
		t.Logf("no kubectl to compare with: %v", err)
	}

	// The flow: who did what, as the cluster told it.
	saw := func(from sim.Kind, verb sim.Verb, object string, ev sim.Evidence) bool {
		return slices.ContainsFunc(hops, func(h sim.Hop) bool {
			return h.From.Kind() == from && h.Verb == verb && strings.HasPrefix(h.Object, object) && h.Evidence == ev
		})
	}
	for _, want := range []struct {
		from   sim.Kind
		verb   sim.Verb
		object string
		ev     sim.Evidence
	}{
		{sim.KindKubectl, sim.VerbCreate, "deployments/web", sim.Observed},
		{sim.KindControllerManager, sim.VerbCreate, "replicasets/web-", sim.Observed},
		{sim.KindControllerManager, sim.VerbCreate, "pods/web-", sim.Observed},
		{sim.KindScheduler, sim.VerbBind, "pods/web-", sim.Observed},
		{sim.KindKubelet, sim.VerbUpdateStatus, "pods/web-", sim.Observed},
		{sim.KindAPIServer, sim.VerbPut, "/registry/pods/default/web-", sim.Inferred},
	} {
		if !saw(want.from, want.verb, want.object, want.ev) {
			t.Errorf("no %s hop %s %s from %s", want.ev, want.verb, want.object, want.from)
		}
	}
	if t.Failed() {
		for _, h := range hops {
			t.Log(h.Trace())
		}
	}

	code, out, errOut = run(c, "scale", "deployment", "web", "--replicas=5")
	if code != 0 || out != "deployment.apps/web scaled\n" {
		t.Fatalf("scale: %d %q %q", code, out, errOut)
	}
	if !c.Wait(60*time.Second, func() bool { return len(runningPods(c)) == 5 }) {
		t.Fatalf("after scale, %d Running pods of 5", len(runningPods(c)))
	}

	// Every kind kubeplay serves is reached in its own API group.
	if u := c.Unwatched(); len(u) != 0 {
		t.Errorf("the admin could not watch %v", u)
	}
	for _, kind := range []string{"hpa", "ingress", "ingressclasses", "cronjobs", "storageclasses"} {
		if code, out, errOut := run(c, "get", kind); code != 0 || strings.Contains(errOut, "Error") {
			t.Errorf("get %s: %d %q %q", kind, code, out, errOut)
		}
	}

	if _, err := c.AddNode("", "", ""); err == nil || !strings.Contains(err.Error(), "node add is kubeplay's own") {
		t.Errorf("node add on a real cluster: %v", err)
	}
	if _, err := c.KillContainer("default", runningPods(c)[0].Name, ""); err == nil || !strings.Contains(err.Error(), "a real cluster (context realk8s)") {
		t.Errorf("fault kill-container on a real cluster: %v", err)
	}
}

// TestForbiddenSaysWhichPermissionIsMissing: the learner's own RBAC
// applies, and a 403 says what permission is missing, as the apiserver
// words it.
func TestForbiddenSaysWhichPermissionIsMissing(t *testing.T) {
	cp := realk8stest.Start(t, 1)
	c := attach(t, cp, realk8stest.LearnerContext)
	if len(c.Unwatched()) == 0 {
		t.Error("a user with no role watched everything")
	}
	code, _, errOut := run(c, "get", "pods")
	want := `Error from server (Forbidden): pods is forbidden: User "learner" cannot list resource "pods" in API group "" in the namespace "default"`
	if code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("get pods as learner: %d %q, want %q", code, errOut, want)
	}
	if hint := "hint: the permission missing is list on pods (API group core) in namespace default: your kubeconfig's user needs a Role granting it, bound to them by an admin; `kubectl auth can-i list pods -n default` tells whether you have it."; !strings.Contains(errOut, hint) {
		t.Errorf("no hint naming the permission:\n%s", errOut)
	}
	code, _, errOut = run(c, "create", "deployment", "web", "--image=nginx")
	if code != 1 || !strings.Contains(errOut, `User "learner" cannot create resource "deployments" in API group "apps" in the namespace "default"`) {
		t.Errorf("create as learner: %d %q", code, errOut)
	}
}

// TestScenarioOnARealCluster is the rest of issue 18's scenario: set
// image rolls out through a new ReplicaSet the real controller-manager
// makes, a deleted pod is replaced, and a pod no node has room for stays
// Pending with the scheduler's FailedScheduling Event in the flow and in
// describe.
func TestScenarioOnARealCluster(t *testing.T) {
	cp := realk8stest.Start(t, 3)
	c := attach(t, cp, realk8stest.AdminContext)
	var hops []sim.Hop
	c.Observe(func(h sim.Hop) { hops = append(hops, h) })
	saw := func(from sim.Kind, verb sim.Verb, object, summary string) bool {
		return slices.ContainsFunc(hops, func(h sim.Hop) bool {
			return h.From.Kind() == from && h.Verb == verb && strings.HasPrefix(h.Object, object) && strings.Contains(h.Summary, summary)
		})
	}
	if code, _, errOut := run(c, "create", "deployment", "web", "--image=nginx:1.27", "--replicas=3"); code != 0 {
		t.Fatal(errOut)
	}
	if !c.Wait(60*time.Second, func() bool { return len(runningPods(c)) == 3 }) {
		t.Fatalf("%d Running pods of 3", len(runningPods(c)))
	}

	code, out, errOut := run(c, "set", "image", "deployment/web", "nginx=nginx:1.28")
	if code != 0 || out != "deployment.apps/web image updated\n" {
		t.Fatalf("set image: %d %q %q", code, out, errOut)
	}
	rolled := func() bool {
		pods := runningPods(c)
		n := 0
		for _, p := range pods {
			if p.Spec.Containers[0].Image == "nginx:1.28" {
				n++
			}
		}
		return n == 3 && len(pods) == 3
	}
	if !c.Wait(90*time.Second, rolled) {
		t.Fatalf("the rollout did not finish: %d Running pods", len(runningPods(c)))
	}
	rsRes, _ := apiserver.ResourceFor("replicasets")
	if n := len(c.List(rsRes, "default")); n != 2 {
		t.Errorf("%d ReplicaSets after set image, want the old and the new", n)
	}

	victim := runningPods(c)[0].Name
	if code, out, errOut := run(c, "delete", "pod", victim); code != 0 || out != `pod "`+victim+`" deleted`+"\n" {
		t.Fatalf("delete pod: %d %q %q", code, out, errOut)
	}
	if !c.Wait(60*time.Second, func() bool {
		pods := runningPods(c)
		return len(pods) == 3 && !slices.ContainsFunc(pods, func(p *corev1.Pod) bool { return p.Name == victim })
	}) {
		t.Fatalf("the deleted pod was not replaced: %d Running", len(runningPods(c)))
	}
	if !saw(sim.KindKubectl, sim.VerbDelete, "pods/"+victim, "") {
		t.Errorf("no hop of kubectl deleting pods/%s", victim)
	}

	var in bytes.Buffer
	in.WriteString(`apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  containers:
  - name: c
    image: nginx
    resources: {requests: {cpu: "100"}}
`)
	s := &kubectl.Session{C: c, Out: &bytes.Buffer{}, Err: &bytes.Buffer{}, Namespace: "default", In: &in}
	if code := s.Exec([]string{"apply", "-f", "-"}); code != 0 {
		t.Fatalf("apply: %s", s.Err)
	}
	if !c.Wait(30*time.Second, func() bool { return saw(sim.KindScheduler, sim.VerbCreate, "events/big.", "FailedScheduling") }) {
		t.Error("no FailedScheduling Event from the scheduler in the flow")
	}
	code, out, _ = run(c, "describe", "pod", "big")
	if code != 0 || !strings.Contains(out, "FailedScheduling") || !strings.Contains(out, "Insufficient cpu") || !strings.Contains(out, "Status:           Pending") {
		t.Errorf("describe pod big:\n%s", out)
	}
	if t.Failed() {
		for _, h := range hops {
			t.Log(h.Trace())
		}
	}
}
