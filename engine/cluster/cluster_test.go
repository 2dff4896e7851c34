package cluster

import (
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

func deployment(name string, replicas int32, image string) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{Replicas: ptr.To(replicas), Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: podTemplate(labels, name, image)},
	}
}

// podTemplate is a template of one container.
func podTemplate(labels map[string]string, container, image string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: container, Image: image}}},
	}
}

func create(t testing.TB, c *Cluster, obj kruntime.Object) {
	t.Helper()
	var err error
	done := false
	c.api.Submit("kubectl", apiserver.Request{Verb: sim.VerbCreate, Object: obj, Done: func(_ kruntime.Object, e error) { err, done = e, true }})
	c.k.RunUntil(time.Second, func() bool { return done })
	if err != nil {
		t.Fatal(err)
	}
}

func TestDeploymentPodsBecomeReady(t *testing.T) {
	c, err := New(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var hops []sim.Hop
	c.k.Observe(func(h sim.Hop) { hops = append(hops, h) })
	create(t, c, deployment("web", 3, "nginx:1.14.2"))
	dep, _ := apiserver.ResourceFor("deployments")
	ok := c.k.RunUntil(time.Minute, func() bool {
		obj, err := c.api.Get(dep, "default", "web")
		return err == nil && obj.(*appsv1.Deployment).Status.AvailableReplicas == 3
	})
	if !ok {
		for _, h := range hops {
			t.Logf("%8.3f %s → %s %s %s (%s)", h.At.Seconds(), h.From, h.To, h.Verb, h.Object, h.Summary)
		}
		t.Fatal("deployment never had 3 available replicas")
	}
	pods := c.api.List(resPods, "default")
	if len(pods) != 3 {
		t.Fatalf("got %d pods, want 3", len(pods))
	}
	for _, o := range pods {
		p := o.(*corev1.Pod)
		if p.Status.Phase != corev1.PodRunning || p.Spec.NodeName == "" || p.Status.PodIP == "" {
			t.Errorf("pod %s: phase %s node %q ip %q", p.Name, p.Status.Phase, p.Spec.NodeName, p.Status.PodIP)
		}
	}
	t.Logf("ready at %s after %d hops", c.k.Elapsed(), len(hops))
}

// TestNewRegistersNodes checks that a new cluster is handed over settled:
// its nodes are stored and Ready and nothing is left in flight, so the
// first command a learner types does not carry the nodes' registration.
func TestNewRegistersNodes(t *testing.T) {
	c, err := New(Options{Seed: 1, Nodes: 4})
	if err != nil {
		t.Fatal(err)
	}
	nodes := c.api.List(resNodes, "")
	if len(nodes) != 4 {
		t.Fatalf("%d nodes stored, want 4", len(nodes))
	}
	for _, o := range nodes {
		n := o.(*corev1.Node)
		if cond := n.Status.Conditions[len(n.Status.Conditions)-1]; cond.Type != corev1.NodeReady || cond.Status != corev1.ConditionTrue {
			t.Errorf("node %s: last condition %s=%s, want Ready=True", n.Name, cond.Type, cond.Status)
		}
	}
	if n := c.k.Pending(); n != 0 {
		t.Errorf("%d hops still in flight after New", n)
	}
}

// TestPodConditionsKeepTheirTransitionTimes: the kubelet builds each status
// from the last it wrote, as its status manager does, so a condition that
// did not change keeps the time it last changed: a pod is Initialized and
// its sandbox ready long before its readiness probe first passes.
func TestPodConditionsKeepTheirTransitionTimes(t *testing.T) {
	c, err := New(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	web := pod("web", "nginx:1.14.2")
	web.Spec.Containers[0].ReadinessProbe = &corev1.Probe{InitialDelaySeconds: 10,
		ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(80)}}}
	create(t, c, web)
	pods, _ := apiserver.ResourceFor("pods")
	var got *corev1.Pod
	ok := c.k.RunUntil(time.Minute, func() bool {
		obj, err := c.api.Get(pods, "default", "web")
		if err != nil {
			return false
		}
		got = obj.(*corev1.Pod)
		for _, cond := range got.Status.Conditions {
			if cond.Type == corev1.PodReady && cond.Status == corev1.ConditionTrue {
				return true
			}
		}
		return false
	})
	if !ok {
		t.Fatal("the pod never became Ready")
	}
	times := map[corev1.PodConditionType]time.Time{}
	for _, cond := range got.Status.Conditions {
		times[cond.Type] = cond.LastTransitionTime.Time
	}
	for _, early := range []corev1.PodConditionType{corev1.PodInitialized, corev1.PodReadyToStartContainers} {
		if !times[early].Before(times[corev1.PodReady]) {
			t.Errorf("%s changed at %s, Ready at %s: want %s kept from before the probe passed", early, times[early], times[corev1.PodReady], early)
		}
	}
}

// TestStandInNoticeOncePerNodeAndImage: the notice that an image is played
// by a stand-in comes once per node and image, on the first pod to use it
// there, not once per pod.
func TestStandInNoticeOncePerNodeAndImage(t *testing.T) {
	c, err := New(Options{Seed: 1, Nodes: 2})
	if err != nil {
		t.Fatal(err)
	}
	create(t, c, deployment("web", 6, "nginx:1.14.2"))
	dep, _ := apiserver.ResourceFor("deployments")
	if !c.k.RunUntil(time.Minute, func() bool {
		obj, err := c.api.Get(dep, "default", "web")
		return err == nil && obj.(*appsv1.Deployment).Status.AvailableReplicas == 6
	}) {
		t.Fatal("the deployment never became available")
	}
	events, _ := apiserver.ResourceFor("events")
	pods, _ := apiserver.ResourceFor("pods")
	nodeOf := map[string]string{}
	for _, obj := range c.api.List(pods, "default") {
		p := obj.(*corev1.Pod)
		nodeOf[p.Name] = p.Spec.NodeName
	}
	noticed := map[string]int{}
	for _, obj := range c.api.List(events, "default") {
		if ev := obj.(*corev1.Event); ev.Reason == "StandIn" {
			noticed[nodeOf[ev.InvolvedObject.Name]] += int(ev.Count)
		}
	}
	if len(noticed) != 2 || noticed["node-1"] != 1 || noticed["node-2"] != 1 {
		t.Errorf("StandIn notices by node: %v; want one on each of node-1 and node-2", noticed)
	}
}
