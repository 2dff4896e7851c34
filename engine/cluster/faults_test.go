package cluster

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/runtime/simrt"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// failing is a runtime whose every call fails while down is set, as
// Docker's do when the daemon is gone; it reports its health as Docker's
// runtime does.
type failing struct {
	runtime.Runtime
	down   bool
	health func(error)
}

var errDown = errors.New("the Docker daemon is unreachable at unix:///var/run/docker.sock: connection refused — start Docker")

func (f *failing) OnHealth(fn func(error)) { f.health = fn }

func (f *failing) set(down bool) {
	f.down = down
	if down {
		f.health(errDown)
	} else {
		f.health(nil)
	}
}

func (f *failing) fail() error {
	if f.down {
		return errDown
	}
	return nil
}

func (f *failing) RunSandbox(cfg runtime.SandboxConfig) (runtime.Sandbox, error) {
	if err := f.fail(); err != nil {
		return runtime.Sandbox{}, err
	}
	return f.Runtime.RunSandbox(cfg)
}

func (f *failing) CreateContainer(sb string, cfg runtime.ContainerConfig) (string, error) {
	if err := f.fail(); err != nil {
		return "", err
	}
	return f.Runtime.CreateContainer(sb, cfg)
}

func (f *failing) StartContainer(id string) error {
	if err := f.fail(); err != nil {
		return err
	}
	return f.Runtime.StartContainer(id)
}

func (f *failing) HasImage(image string) bool { return !f.down && f.Runtime.HasImage(image) }

func (f *failing) PullImage(image string) (runtime.PullResult, error) {
	if err := f.fail(); err != nil {
		return runtime.PullResult{}, err
	}
	return f.Runtime.PullImage(image)
}

func pod(name, image string) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: image}}}}
}

func (c *Cluster) readyCondition(t *testing.T, node string) corev1.NodeCondition {
	t.Helper()
	nodes, _ := apiserver.ResourceFor("nodes")
	obj, err := c.api.Get(nodes, "", node)
	if err != nil {
		t.Fatal(err)
	}
	for _, cond := range obj.(*corev1.Node).Status.Conditions {
		if cond.Type == corev1.NodeReady {
			return cond
		}
	}
	t.Fatalf("node %s has no Ready condition", node)
	return corev1.NodeCondition{}
}

func (c *Cluster) podPhase(name string) corev1.PodPhase {
	obj, err := c.api.Get(resPods, "default", name)
	if err != nil {
		return ""
	}
	return obj.(*corev1.Pod).Status.Phase
}

// TestRuntimeDown: while the runtime fails, the node is NotReady with a
// message that says why and what to do, and a new pod does not start; when
// it answers again, the node is Ready and the pod starts.
func TestRuntimeDown(t *testing.T) {
	var rt *failing
	c, err := New(Options{Seed: 1, Nodes: 1, wrapRuntime: func(_ string, r runtime.Runtime) runtime.Runtime {
		rt = &failing{Runtime: r}
		return rt
	}})
	if err != nil {
		t.Fatal(err)
	}
	create(t, c, pod("before", "nginx"))
	c.k.RunFor(5 * time.Second)
	if c.podPhase("before") != corev1.PodRunning {
		t.Fatalf("pod before: %s, want Running", c.podPhase("before"))
	}

	rt.set(true)
	c.k.RunFor(time.Second)
	ready := c.readyCondition(t, "node-1")
	if ready.Status != corev1.ConditionFalse || !strings.Contains(ready.Message, "container runtime is down") || !strings.Contains(ready.Message, "start Docker") {
		t.Errorf("Ready while the runtime is down = %s %q, want False and a message that says what to do", ready.Status, ready.Message)
	}
	create(t, c, pod("during", "busybox:1.36"))
	c.k.RunFor(5 * time.Second)
	if phase := c.podPhase("during"); phase == corev1.PodRunning {
		t.Errorf("pod during the outage is %s", phase)
	}
	if c.podPhase("before") != corev1.PodRunning {
		t.Errorf("pod before: %s during the outage, want still Running (its container lives)", c.podPhase("before"))
	}

	rt.set(false)
	c.k.RunFor(5 * time.Second)
	if ready := c.readyCondition(t, "node-1"); ready.Status != corev1.ConditionTrue {
		t.Errorf("Ready after the runtime is back = %s %q", ready.Status, ready.Message)
	}
	if phase := c.podPhase("during"); phase != corev1.PodRunning {
		t.Errorf("pod during the outage: %s after it, want Running", phase)
	}
}

// TestStopNode: a stopped kubelet's node goes Unknown after the grace
// period, not before; a pod deleted meanwhile is stopped when it starts again.
func TestStopNode(t *testing.T) {
	c, err := New(Options{Seed: 1, Nodes: 1})
	if err != nil {
		t.Fatal(err)
	}
	create(t, c, pod("web", "nginx"))
	c.k.RunFor(5 * time.Second)
	if err := c.StopNode("node-1"); err != nil {
		t.Fatal(err)
	}
	if err := c.StopNode("node-1"); err == nil {
		t.Errorf("StopNode twice: no error")
	}
	create(t, c, pod("late", "nginx"))
	c.k.RunFor(NodeMonitorGracePeriod - time.Second)
	if s := c.readyCondition(t, "node-1").Status; s != corev1.ConditionTrue {
		t.Errorf("Ready before the grace period is over = %s", s)
	}
	c.k.RunFor(2 * time.Second)
	if cond := c.readyCondition(t, "node-1"); cond.Status != corev1.ConditionUnknown || cond.Message != "Kubelet stopped posting node status." {
		t.Errorf("Ready after the grace period = %s %q, want Unknown", cond.Status, cond.Message)
	}
	if phase := c.podPhase("late"); phase == corev1.PodRunning {
		t.Errorf("a pod bound to the stopped node is %s", phase)
	}
	if err := c.StartNode("node-1"); err != nil {
		t.Fatal(err)
	}
	c.k.RunFor(5 * time.Second)
	if s := c.readyCondition(t, "node-1").Status; s != corev1.ConditionTrue {
		t.Errorf("Ready after StartNode = %s", s)
	}
	if phase := c.podPhase("late"); phase != corev1.PodRunning {
		t.Errorf("pod late after StartNode: %s, want Running", phase)
	}
}

// TestKillContainer: a killed container ends with 137 and is restarted.
func TestKillContainer(t *testing.T) {
	c, err := New(Options{Seed: 1, Nodes: 1})
	if err != nil {
		t.Fatal(err)
	}
	create(t, c, pod("web", "nginx"))
	c.k.RunFor(5 * time.Second)
	if _, err := c.KillContainer("default", "web", "nope"); err == nil {
		t.Errorf("kill of a container the pod lacks: no error")
	}
	if name, err := c.KillContainer("default", "web", ""); err != nil || name != "app" {
		t.Fatalf("KillContainer = %q, %v", name, err)
	}
	c.k.RunFor(time.Second)
	obj, _ := c.api.Get(resPods, "default", "web")
	cs := obj.(*corev1.Pod).Status.ContainerStatuses[0]
	last := cs.LastTerminationState.Terminated
	if cs.RestartCount != 1 || last == nil || last.ExitCode != 137 || last.Reason != "Error" {
		t.Errorf("after the kill: restarts %d, last state %+v; want 1 and 137 Error", cs.RestartCount, last)
	}
}

// TestEmptyDirLivesWithThePod: the kubelet keeps a pod's emptyDirs
// across a new sandbox (the emptydir-sandbox transcript shows the data)
// and has the runtime remove them once the pod is deleted.
func TestEmptyDirLivesWithThePod(t *testing.T) {
	c, err := New(Options{Seed: 1, Nodes: 1})
	if err != nil {
		t.Fatal(err)
	}
	p := pod("cache", "nginx")
	p.Spec.Volumes = []corev1.Volume{{Name: "scratch", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
	p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "scratch", MountPath: "/scratch"}}
	create(t, c, p)
	c.k.RunFor(5 * time.Second)
	obj, _ := c.api.Get(resPods, "default", "cache")
	uid := string(obj.(*corev1.Pod).UID)
	rt := c.runtimes[0].(*simrt.Runtime)
	if !rt.HoldsVolumesOf(uid) {
		t.Fatalf("the runtime holds no emptyDir of the running pod")
	}
	if err := c.KillSandbox("default", "cache"); err != nil {
		t.Fatal(err)
	}
	c.k.RunFor(time.Minute)
	if !rt.HoldsVolumesOf(uid) {
		t.Errorf("the pod's emptyDir went with its sandbox")
	}
	c.api.Submit("kubectl", apiserver.Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: "default", Name: "cache"})
	c.k.RunFor(time.Minute)
	if _, err := c.api.Get(resPods, "default", "cache"); err == nil {
		t.Fatalf("pod cache not deleted after a minute")
	}
	if rt.HoldsVolumesOf(uid) {
		t.Errorf("the deleted pod's emptyDir is still held by the runtime")
	}
}

// TestKillSandbox: a pod whose sandbox dies gets SandboxChanged, its
// container killed and started again in a new sandbox with a new IP; with
// restartPolicy Never it is stopped, not restarted, and no sandbox is made.
func TestKillSandbox(t *testing.T) {
	c, err := New(Options{Seed: 1, Nodes: 1})
	if err != nil {
		t.Fatal(err)
	}
	never := pod("once", "nginx")
	never.Spec.RestartPolicy = corev1.RestartPolicyNever
	create(t, c, pod("web", "nginx"))
	create(t, c, never)
	c.k.RunFor(5 * time.Second)
	get := func(name string) *corev1.Pod {
		obj, _ := c.api.Get(resPods, "default", name)
		return obj.(*corev1.Pod)
	}
	before := get("web")
	if before.Status.Phase != corev1.PodRunning || before.Status.PodIP == "" {
		t.Fatalf("web before: %s, IP %q; want Running with an IP", before.Status.Phase, before.Status.PodIP)
	}
	for _, name := range []string{"web", "once"} {
		if err := c.KillSandbox("default", name); err != nil {
			t.Fatalf("KillSandbox(%s): %v", name, err)
		}
	}
	if err := c.KillSandbox("default", "nope"); err == nil {
		t.Errorf("KillSandbox of a pod that does not exist: no error")
	}
	c.k.RunFor(time.Minute)

	web := get("web")
	cs := web.Status.ContainerStatuses[0]
	if web.Status.Phase != corev1.PodRunning || cs.State.Running == nil || cs.RestartCount != 1 {
		t.Errorf("web after: %s, state %+v, restarts %d; want Running, restarted once", web.Status.Phase, cs.State, cs.RestartCount)
	}
	if web.Status.PodIP == "" || web.Status.PodIP == before.Status.PodIP {
		t.Errorf("web's IP after: %q, want a new one (was %q)", web.Status.PodIP, before.Status.PodIP)
	}
	var changed int
	for _, ev := range c.api.EventsFor("default", string(web.UID)) {
		if ev.Reason == "SandboxChanged" {
			changed++
			if ev.Message != "Pod sandbox changed, it will be killed and re-created." {
				t.Errorf("SandboxChanged message %q", ev.Message)
			}
		}
	}
	if changed != 1 {
		t.Errorf("%d SandboxChanged events for web, want 1", changed)
	}

	once := get("once")
	ocs := once.Status.ContainerStatuses[0]
	// Stopped with SIGTERM, nginx exits 0: the pod ends Succeeded.
	if once.Status.Phase != corev1.PodSucceeded || ocs.State.Terminated == nil || ocs.RestartCount != 0 {
		t.Errorf("once after: %s, state %+v, restarts %d; want Succeeded, terminated, not restarted", once.Status.Phase, ocs.State, ocs.RestartCount)
	}
}
