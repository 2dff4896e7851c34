package cluster

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/controller"
	"github.com/kubeplay/kubeplay/engine/sim"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// Stories: what a learner does to a cluster, and what Kubernetes
// promises about what happens next, checked against the store.

var (
	resReplicaSets, _ = apiserver.ResourceFor("replicasets")
)

func newCluster(t *testing.T, opts Options) *Cluster {
	t.Helper()
	opts.Seed = 1
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// send sends a request as kubectl does and runs the cluster until the
// apiserver answers.
func send(c *Cluster, req apiserver.Request) (kruntime.Object, error) {
	var out kruntime.Object
	var err error
	done := false
	req.Done = func(o kruntime.Object, e error) { out, err, done = o, e, true }
	c.api.Submit("kubectl", req)
	c.k.RunUntil(time.Second, func() bool { return done })
	if !done {
		return nil, fmt.Errorf("%s: the apiserver did not answer", req.Verb)
	}
	return out, err
}

func call(t *testing.T, c *Cluster, req apiserver.Request) {
	t.Helper()
	if _, err := send(c, req); err != nil {
		t.Fatal(err)
	}
}

// edit reads an object, lets mutate change it and writes it back, again
// from a fresh read when a controller wrote it in between.
func edit[T kruntime.Object](t *testing.T, c *Cluster, res *apiserver.Resource, name string, mutate func(T)) {
	t.Helper()
	for range 5 {
		obj, err := c.api.Get(res, "default", name)
		if err != nil {
			t.Fatal(err)
		}
		o := obj.DeepCopyObject().(T)
		mutate(o)
		_, err = send(c, apiserver.Request{Verb: sim.VerbUpdate, Object: o})
		if !apierrors.IsConflict(err) {
			if err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("%s %s: conflicts 5 times in a row", res.Name, name)
}

func waitFor(t *testing.T, c *Cluster, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	if !c.k.RunUntil(limit, cond) {
		t.Fatalf("after %s: %s never happened", limit, what)
	}
}

// podsWith lists the pods of the default namespace matching a label
// selector, as the store holds them now.
func podsWith(c *Cluster, sel map[string]string) []*corev1.Pod {
	var out []*corev1.Pod
	for _, o := range c.api.List(resPods, "default") {
		if p := o.(*corev1.Pod); labels.SelectorFromSet(sel).Matches(labels.Set(p.Labels)) {
			out = append(out, p)
		}
	}
	return out
}

func ready(p *corev1.Pod) bool {
	for _, cond := range p.Status.Conditions {
		if cond.Type == corev1.PodReady {
			return cond.Status == corev1.ConditionTrue
		}
	}
	return false
}

// live is a pod that counts as one of its controller's replicas: not
// being deleted and not finished.
func live(p *corev1.Pod) bool {
	return p.DeletionTimestamp == nil && p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed
}

func getDeployment(t *testing.T, c *Cluster, name string) *appsv1.Deployment {
	t.Helper()
	obj, err := c.api.Get(resDeployments, "default", name)
	if err != nil {
		t.Fatal(err)
	}
	return obj.(*appsv1.Deployment)
}

// rolledOut is what `kubectl rollout status` waits for.
func rolledOut(c *Cluster, name string) func() bool {
	return func() bool {
		obj, err := c.api.Get(resDeployments, "default", name)
		if err != nil {
			return false
		}
		d := obj.(*appsv1.Deployment)
		want := ptr.Deref(d.Spec.Replicas, 1)
		return d.Status.ObservedGeneration >= d.Generation && d.Status.UpdatedReplicas == want &&
			d.Status.Replicas == want && d.Status.AvailableReplicas == want
	}
}

func replicaSetsOf(c *Cluster, d *appsv1.Deployment) []*appsv1.ReplicaSet {
	var out []*appsv1.ReplicaSet
	for _, o := range c.api.List(resReplicaSets, "default") {
		rs := o.(*appsv1.ReplicaSet)
		if ref := metav1.GetControllerOf(rs); ref != nil && ref.UID == d.UID {
			out = append(out, rs)
		}
	}
	return out
}

// demoDeployment is the learner's rolling-update example: the demo app
// with a readiness probe, rolled out with the given maxUnavailable and
// maxSurge.
func demoDeployment(name string, replicas int32, maxUnavailable, maxSurge intstr.IntOrString) *appsv1.Deployment {
	d := deployment(name, replicas, "kubeplay/demo:v1")
	d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{MaxUnavailable: &maxUnavailable, MaxSurge: &maxSurge}}
	ctr := &d.Spec.Template.Spec.Containers[0]
	ctr.Ports = []corev1.ContainerPort{{ContainerPort: 8080}}
	ctr.ReadinessProbe = &corev1.Probe{PeriodSeconds: 2,
		ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/ready", Port: intstr.FromInt32(8080)}}}
	return d
}

// rollOut creates d and waits for its first rollout to finish.
func rollOut(t *testing.T, c *Cluster, d *appsv1.Deployment) {
	t.Helper()
	create(t, c, d)
	waitFor(t, c, time.Minute, "the first rollout of "+d.Name, rolledOut(c, d.Name))
}

func setImage(image string) func(*appsv1.Deployment) {
	return func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = image }
}

// TestRollingUpdateStaysWithinBounds follows rolling updates hop by hop:
// at no point may fewer than replicas - maxUnavailable pods be available
// or more than replicas + maxSurge be live, and the rollout uses the room
// it has. The first case is the learner's example: 4 replicas, 25%, 0.
func TestRollingUpdateStaysWithinBounds(t *testing.T) {
	tests := []struct {
		replicas                 int32
		maxUnavailable, maxSurge intstr.IntOrString
		minAvailable, maxLive    int
	}{
		{4, intstr.FromString("25%"), intstr.FromInt32(0), 3, 4},
		{3, intstr.FromString("25%"), intstr.FromString("25%"), 3, 4}, // the defaults: 0 unavailable, 1 surge
		{10, intstr.FromInt32(2), intstr.FromInt32(3), 8, 13},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%d replicas, maxUnavailable %s, maxSurge %s", tt.replicas, tt.maxUnavailable.String(), tt.maxSurge.String())
		t.Run(name, func(t *testing.T) {
			c := newCluster(t, Options{})
			rollOut(t, c, demoDeployment("web", tt.replicas, tt.maxUnavailable, tt.maxSurge))

			sel := map[string]string{"app": "web"}
			minAvailable, maxLive := int(tt.replicas), 0
			var broken []string
			check := func(h sim.Hop) {
				available, liveN := 0, 0
				for _, p := range podsWith(c, sel) {
					if live(p) {
						liveN++
						if ready(p) {
							available++
						}
					}
				}
				minAvailable, maxLive = min(minAvailable, available), max(maxLive, liveN)
				if (available < tt.minAvailable || liveN > tt.maxLive) && len(broken) < 5 {
					broken = append(broken, fmt.Sprintf("at %s (%s → %s %s %s): %d available, %d live",
						h.At, h.From, h.To, h.Verb, h.Object, available, liveN))
				}
			}
			c.k.Observe(check)
			edit(t, c, resDeployments, "web", setImage("kubeplay/demo:v2"))
			waitFor(t, c, 5*time.Minute, "the rollout to finish", rolledOut(c, "web"))
			c.k.RunFor(time.Minute) // old pods finish terminating
			check(sim.Hop{At: c.k.Elapsed(), Verb: "end"})

			for _, b := range broken {
				t.Error(b)
			}
			if minAvailable != tt.minAvailable || maxLive != tt.maxLive {
				t.Errorf("available went down to %d and live up to %d; a rollout that uses its room reaches %d and %d",
					minAvailable, maxLive, tt.minAvailable, tt.maxLive)
			}
			pods := podsWith(c, sel)
			if len(pods) != int(tt.replicas) {
				t.Errorf("%d pods after the rollout, want %d", len(pods), tt.replicas)
			}
			for _, p := range pods {
				if img := p.Spec.Containers[0].Image; img != "kubeplay/demo:v2" {
					t.Errorf("pod %s runs %s after the rollout", p.Name, img)
				}
			}
		})
	}
}

func replicaSet(name string, replicas int32, sel map[string]string) *appsv1.ReplicaSet {
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.ReplicaSetSpec{Replicas: ptr.To(replicas), Selector: &metav1.LabelSelector{MatchLabels: sel},
			Template: podTemplate(sel, "app", "kubeplay/demo:v1")},
	}
}

// TestReplicaSetCreatesInSlowStartBatches checks that 7 missing pods are
// created 1, then 2, then 4 at a time, each batch after the last one
// succeeded.
func TestReplicaSetCreatesInSlowStartBatches(t *testing.T) {
	c := newCluster(t, Options{})
	var creates []time.Duration
	c.k.Observe(func(h sim.Hop) {
		if h.From == controller.Name && h.Verb == sim.VerbCreate && strings.HasPrefix(h.Object, "pods/") {
			creates = append(creates, h.At)
		}
	})
	create(t, c, replicaSet("frontend", 7, map[string]string{"tier": "frontend"}))
	c.k.RunFor(10 * time.Second)
	var batches []int
	for i, at := range creates {
		if i == 0 || at != creates[i-1] {
			batches = append(batches, 0)
		}
		batches[len(batches)-1]++
	}
	if fmt.Sprint(batches) != "[1 2 4]" {
		t.Errorf("pods created in batches %v (at %v), want [1 2 4]", batches, creates)
	}
	if n := len(podsWith(c, map[string]string{"tier": "frontend"})); n != 7 {
		t.Errorf("%d pods, want 7", n)
	}
}

// TestReplicaSetAdoptsOrphan: a pod made by hand whose labels match a
// new ReplicaSet's selector becomes one of its replicas.
func TestReplicaSetAdoptsOrphan(t *testing.T) {
	c := newCluster(t, Options{})
	sel := map[string]string{"tier": "frontend"}
	create(t, c, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "handmade", Labels: sel},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "kubeplay/demo:v1"}}}})
	c.k.RunFor(5 * time.Second)
	create(t, c, replicaSet("frontend", 3, sel))
	c.k.RunFor(10 * time.Second)

	obj, err := c.api.Get(resReplicaSets, "default", "frontend")
	if err != nil {
		t.Fatal(err)
	}
	rs := obj.(*appsv1.ReplicaSet)
	pods := podsWith(c, sel)
	if len(pods) != 3 {
		t.Fatalf("%d pods, want 3: the orphan and 2 new ones", len(pods))
	}
	adopted := false
	for _, p := range pods {
		ref := metav1.GetControllerOf(p)
		if ref == nil || ref.UID != rs.UID {
			t.Errorf("pod %s is not controlled by the ReplicaSet (ref %v)", p.Name, ref)
		}
		adopted = adopted || p.Name == "handmade"
	}
	if !adopted {
		t.Error("the orphan pod was deleted instead of adopted")
	}
	if rs.Status.ReadyReplicas != 3 {
		t.Errorf("ReplicaSet status: %d ready, want 3", rs.Status.ReadyReplicas)
	}
}

// TestReplicaSetScaleDownPrefersPendingPods: with room for 3 pods, a
// ReplicaSet scaled to 5 has 2 Pending; scaled back to 3 it deletes those
// two, not the ones that serve.
func TestReplicaSetScaleDownPrefersPendingPods(t *testing.T) {
	c := newCluster(t, Options{NodeCPU: "2"})
	sel := map[string]string{"app": "big"}
	rs := replicaSet("big", 3, sel)
	// 1900m: a node's 2 CPUs less the 100m a coredns or the metrics-server
	// replica requests.
	rs.Spec.Template.Spec.Containers[0].Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1900m")}
	create(t, c, rs)
	c.k.RunFor(10 * time.Second)
	serving := map[string]bool{}
	for _, p := range podsWith(c, sel) {
		if !ready(p) {
			t.Fatalf("pod %s is not ready", p.Name)
		}
		serving[p.Name] = true
	}
	edit(t, c, resReplicaSets, "big", func(rs *appsv1.ReplicaSet) { rs.Spec.Replicas = ptr.To(int32(5)) })
	c.k.RunFor(10 * time.Second)
	pending := 0
	for _, p := range podsWith(c, sel) {
		if p.Status.Phase == corev1.PodPending {
			pending++
		}
	}
	if pending != 2 {
		t.Fatalf("%d pods Pending after scaling to 5 with room for 3, want 2", pending)
	}
	edit(t, c, resReplicaSets, "big", func(rs *appsv1.ReplicaSet) { rs.Spec.Replicas = ptr.To(int32(3)) })
	c.k.RunFor(time.Minute)
	for _, p := range podsWith(c, sel) {
		if !serving[p.Name] {
			t.Errorf("pod %s (%s) survived the scale-down; a serving pod was deleted instead", p.Name, p.Status.Phase)
		}
	}
}

func busyboxPod(name, script string) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "main", Image: "busybox:1.36",
			Command: []string{"sh", "-c", script}}}}}
}

// TestCrashLoopBackOffSchedule: a container that exits at once is
// restarted at once, then after 10s, 20s, 40s, … capped at 5 minutes.
func TestCrashLoopBackOffSchedule(t *testing.T) {
	c := newCluster(t, Options{})
	var starts []time.Duration
	c.k.Observe(func(h sim.Hop) {
		if h.Verb == "start done" && h.Object == "pods/crasher/main" {
			starts = append(starts, h.At)
		}
	})
	create(t, c, busyboxPod("crasher", "echo boom; exit 1"))
	c.k.RunFor(20 * time.Minute)
	want := []time.Duration{0, 10, 20, 40, 80, 160, 300, 300}
	if len(starts) < len(want)+1 {
		t.Fatalf("%d starts in 20 minutes (%v), want at least %d", len(starts), starts, len(want)+1)
	}
	for i, w := range want {
		// Between two starts: the back-off, plus creating and starting
		// the container again (well under a second).
		gap := starts[i+1] - starts[i]
		if gap < w*time.Second || gap > w*time.Second+time.Second {
			t.Errorf("restart %d came %s after the start before, want %ds (+ under 1s)", i+1, gap, w)
		}
	}
	obj, err := c.api.Get(resPods, "default", "crasher")
	if err != nil {
		t.Fatal(err)
	}
	cs := obj.(*corev1.Pod).Status.ContainerStatuses[0]
	if cs.State.Waiting == nil || cs.State.Waiting.Reason != "CrashLoopBackOff" {
		t.Errorf("container state %+v, want waiting in CrashLoopBackOff", cs.State)
	}
	if int(cs.RestartCount) != len(starts)-1 {
		t.Errorf("restartCount %d after %d starts", cs.RestartCount, len(starts))
	}
}

func getPod(t *testing.T, c *Cluster, name string) *corev1.Pod {
	t.Helper()
	obj, err := c.api.Get(resPods, "default", name)
	if err != nil {
		t.Fatal(err)
	}
	return obj.(*corev1.Pod)
}

// TestReadinessFailureDoesNotRestart: the demo app stops being ready
// after 30s; the pod goes unready and stays running with no restart.
func TestReadinessFailureDoesNotRestart(t *testing.T) {
	c := newCluster(t, Options{})
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{
		Name: "demo", Image: "kubeplay/demo:v1", Env: []corev1.EnvVar{{Name: "FAIL_READY_AFTER", Value: "30s"}},
		ReadinessProbe: &corev1.Probe{PeriodSeconds: 5, FailureThreshold: 3,
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/ready", Port: intstr.FromInt32(8080)}}},
	}}}}
	create(t, c, pod)
	c.k.RunFor(20 * time.Second)
	if p := getPod(t, c, "web"); !ready(p) {
		t.Fatal("pod not ready at 20s")
	}
	// Failing from 30s, the third failure in a row (period 5s) is at 40s.
	c.k.RunFor(15 * time.Second)
	if p := getPod(t, c, "web"); !ready(p) {
		t.Error("pod unready at 35s, before the readiness probe failed 3 times")
	}
	c.k.RunFor(2 * time.Minute)
	p := getPod(t, c, "web")
	cs := p.Status.ContainerStatuses[0]
	if ready(p) || cs.Ready {
		t.Error("pod still ready after its readiness probe failed for 2 minutes")
	}
	if cs.RestartCount != 0 || cs.State.Running == nil || p.Status.Phase != corev1.PodRunning {
		t.Errorf("readiness failure touched the container: restarts %d, state %+v, phase %s", cs.RestartCount, cs.State, p.Status.Phase)
	}
}

// TestStartupProbeHoldsBackLiveness: an app that takes 45s to listen,
// with a liveness probe that kills on the first failure, survives only
// with a startup probe in front.
func TestStartupProbeHoldsBackLiveness(t *testing.T) {
	probe := func(threshold int32) *corev1.Probe {
		return &corev1.Probe{PeriodSeconds: 10, FailureThreshold: threshold,
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt32(8080)}}}
	}
	tests := []struct {
		name     string
		startup  *corev1.Probe
		restarts bool
	}{
		{"with startup probe", probe(30), false},
		{"without startup probe", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t, Options{})
			var liveness []time.Duration
			c.k.Observe(func(h sim.Hop) {
				if h.Verb == "probe" && strings.HasPrefix(h.Summary, "liveness") {
					liveness = append(liveness, h.At)
				}
			})
			create(t, c, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "slow"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{
				Name: "demo", Image: "kubeplay/demo:v1", Env: []corev1.EnvVar{{Name: "STARTUP_DELAY", Value: "45s"}},
				StartupProbe: tt.startup, LivenessProbe: probe(1),
			}}}})
			c.k.RunFor(2 * time.Minute)
			p := getPod(t, c, "slow")
			restarts := p.Status.ContainerStatuses[0].RestartCount
			if (restarts > 0) != tt.restarts {
				t.Errorf("%d restarts after 2 minutes", restarts)
			}
			if tt.startup == nil {
				return
			}
			if !ready(p) {
				t.Error("pod not ready after 2 minutes")
			}
			// The startup probe succeeds at its first try after 45s.
			if len(liveness) == 0 || liveness[0] < 45*time.Second {
				t.Errorf("liveness probes at %v: one ran before the app could answer", liveness)
			}
		})
	}
}

// TestRevisionHistoryLimit: after 5 rollouts with revisionHistoryLimit 2,
// the deployment keeps its current ReplicaSet and the 2 latest old ones.
func TestRevisionHistoryLimit(t *testing.T) {
	c := newCluster(t, Options{})
	d := deployment("web", 2, "kubeplay/demo:v1")
	d.Spec.RevisionHistoryLimit = ptr.To(int32(2))
	rollOut(t, c, d)
	for v := 2; v <= 6; v++ {
		edit(t, c, resDeployments, "web", setImage(fmt.Sprintf("kubeplay/demo:v%d", v)))
		waitFor(t, c, time.Minute, fmt.Sprintf("rollout to v%d", v), rolledOut(c, "web"))
	}
	c.k.RunFor(time.Minute)
	var revisions []string
	for _, rs := range replicaSetsOf(c, getDeployment(t, c, "web")) {
		revisions = append(revisions, rs.Annotations[controller.RevisionAnnotation]+"="+rs.Spec.Template.Spec.Containers[0].Image)
	}
	sort.Strings(revisions)
	if got := strings.Join(revisions, " "); got != "4=kubeplay/demo:v4 5=kubeplay/demo:v5 6=kubeplay/demo:v6" {
		t.Errorf("ReplicaSets left: %s; want revisions 4, 5 and 6", got)
	}
}

// TestRecreateStopsEveryOldPodFirst: with the Recreate strategy no new pod
// is created while any old pod still exists, even one terminating.
func TestRecreateStopsEveryOldPodFirst(t *testing.T) {
	c := newCluster(t, Options{})
	d := deployment("web", 3, "kubeplay/demo:v1")
	d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	rollOut(t, c, d)
	var overlaps []string
	c.k.Observe(func(h sim.Hop) {
		var old, cur []string
		for _, p := range podsWith(c, map[string]string{"app": "web"}) {
			if p.Spec.Containers[0].Image == "kubeplay/demo:v1" {
				old = append(old, p.Name)
			} else {
				cur = append(cur, p.Name)
			}
		}
		if len(old) > 0 && len(cur) > 0 && len(overlaps) < 3 {
			overlaps = append(overlaps, fmt.Sprintf("at %s: new pods %v while old pods %v exist", h.At, cur, old))
		}
	})
	edit(t, c, resDeployments, "web", setImage("kubeplay/demo:v2"))
	waitFor(t, c, 2*time.Minute, "the rollout to finish", rolledOut(c, "web"))
	for _, o := range overlaps {
		t.Error(o)
	}
	if n := len(podsWith(c, map[string]string{"app": "web"})); n != 3 {
		t.Errorf("%d pods after the rollout, want 3", n)
	}
}

// TestProgressDeadlineExceeded: a rollout to an image that never pulls
// is reported as failed once progressDeadlineSeconds pass without
// progress, and the old pods keep serving.
func TestProgressDeadlineExceeded(t *testing.T) {
	c := newCluster(t, Options{})
	d := deployment("web", 3, "kubeplay/demo:v1")
	d.Spec.ProgressDeadlineSeconds = ptr.To(int32(60))
	rollOut(t, c, d)
	edit(t, c, resDeployments, "web", setImage("kubeplay/demoo:v2"))
	start := c.k.Elapsed()
	progressing := func() *appsv1.DeploymentCondition {
		for _, cond := range getDeployment(t, c, "web").Status.Conditions {
			if cond.Type == appsv1.DeploymentProgressing {
				return &cond
			}
		}
		return nil
	}
	waitFor(t, c, 5*time.Minute, "ProgressDeadlineExceeded", func() bool {
		cond := progressing()
		return cond != nil && cond.Reason == "ProgressDeadlineExceeded"
	})
	// The condition's times are whole seconds (metav1.Time, as upstream's),
	// so the deadline may be found up to a second before 60s of elapsed time.
	if took := c.k.Elapsed() - start; took < 59*time.Second || took > 75*time.Second {
		t.Errorf("deadline reported %s after the change, want about 60s", took)
	}
	cond := progressing()
	if cond.Status != corev1.ConditionFalse || !strings.Contains(cond.Message, "has timed out progressing") {
		t.Errorf("Progressing condition %s %q", cond.Status, cond.Message)
	}
	if av := getDeployment(t, c, "web").Status.AvailableReplicas; av < 2 {
		t.Errorf("%d available while the new image fails to pull, want the old pods serving", av)
	}
}

// TestPauseAndResume: a paused deployment takes template changes without
// rolling them out; resumed, it rolls out the last one.
func TestPauseAndResume(t *testing.T) {
	c := newCluster(t, Options{})
	rollOut(t, c, deployment("web", 2, "kubeplay/demo:v1"))
	edit(t, c, resDeployments, "web", func(d *appsv1.Deployment) { d.Spec.Paused = true })
	edit(t, c, resDeployments, "web", setImage("kubeplay/demo:v2"))
	edit(t, c, resDeployments, "web", setImage("kubeplay/demo:v3"))
	c.k.RunFor(time.Minute)
	if n := len(replicaSetsOf(c, getDeployment(t, c, "web"))); n != 1 {
		t.Errorf("%d ReplicaSets while paused, want only the first", n)
	}
	for _, p := range podsWith(c, map[string]string{"app": "web"}) {
		if img := p.Spec.Containers[0].Image; img != "kubeplay/demo:v1" {
			t.Errorf("pod %s runs %s while the deployment is paused", p.Name, img)
		}
	}
	edit(t, c, resDeployments, "web", func(d *appsv1.Deployment) { d.Spec.Paused = false })
	waitFor(t, c, time.Minute, "the rollout after resume", rolledOut(c, "web"))
	c.k.RunFor(time.Minute)
	for _, p := range podsWith(c, map[string]string{"app": "web"}) {
		if img := p.Spec.Containers[0].Image; img != "kubeplay/demo:v3" {
			t.Errorf("pod %s runs %s after resume, want kubeplay/demo:v3", p.Name, img)
		}
	}
	if n := len(replicaSetsOf(c, getDeployment(t, c, "web"))); n != 2 {
		t.Errorf("%d ReplicaSets after resume, want 2 (v1 and v3)", n)
	}
}

// TestDeleteDeploymentCascades: deleting a deployment removes its
// ReplicaSets and, after they stop, its pods.
func TestDeleteDeploymentCascades(t *testing.T) {
	c := newCluster(t, Options{})
	rollOut(t, c, deployment("web", 3, "kubeplay/demo:v1"))
	edit(t, c, resDeployments, "web", setImage("kubeplay/demo:v2"))
	waitFor(t, c, time.Minute, "second rollout", rolledOut(c, "web"))
	call(t, c, apiserver.Request{Verb: sim.VerbDelete, Resource: resDeployments, Namespace: "default", Name: "web"})
	waitFor(t, c, 2*time.Minute, "every ReplicaSet and pod gone", func() bool {
		return len(c.api.List(resReplicaSets, "default")) == 0 && len(c.api.List(resPods, "default")) == 0
	})
}

// TestHTTPSProbeOfPlainHTTPFails: a readiness probe with scheme HTTPS
// against the demo app, which speaks plain HTTP, fails as the kubelet's
// does, and the pod never becomes ready.
func TestHTTPSProbeOfPlainHTTPFails(t *testing.T) {
	c := newCluster(t, Options{})
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "tls"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{
		Name: "web", Image: "kubeplay/demo:v1",
		ReadinessProbe: &corev1.Probe{PeriodSeconds: 2, FailureThreshold: 3, SuccessThreshold: 1, TimeoutSeconds: 1, ProbeHandler: corev1.ProbeHandler{
			HTTPGet: &corev1.HTTPGetAction{Path: "/ready", Port: intstr.FromInt32(8080), Scheme: corev1.URISchemeHTTPS}}},
	}}}}
	create(t, c, pod)
	c.k.RunFor(20 * time.Second)
	p := getPod(t, c, "tls")
	if ready(p) || p.Status.Phase != corev1.PodRunning {
		t.Errorf("pod %s, ready %v; want Running and never ready", p.Status.Phase, ready(p))
	}
	want := fmt.Sprintf(`Unhealthy: Readiness probe failed: Get "https://%s:8080/ready": http: server gave HTTP response to HTTPS client`, p.Status.PodIP)
	if evs := eventsAbout(c, "default", "tls"); !slices.Contains(evs, want) {
		t.Errorf("events %q, want %q", evs, want)
	}
}
