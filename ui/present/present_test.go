package present

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

var now = sim.Epoch.Add(time.Minute)

func pod(phase corev1.PodPhase, ready bool, restarts int32, waiting string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web-5899dd46b4-r295z"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web"}}},
		Status: corev1.PodStatus{Phase: phase, ContainerStatuses: []corev1.ContainerStatus{{
			Name: "web", Ready: ready, RestartCount: restarts,
			State: corev1.ContainerState{Waiting: waitingState(waiting)},
		}}},
	}
}

func waitingState(reason string) *corev1.ContainerStateWaiting {
	if reason == "" {
		return nil
	}
	return &corev1.ContainerStateWaiting{Reason: reason}
}

func TestPodChip(t *testing.T) {
	terminating := pod(corev1.PodRunning, true, 0, "")
	terminating.DeletionTimestamp = &metav1.Time{Time: now.Add(27*time.Second + time.Millisecond)}
	for _, tc := range []struct {
		name string
		pod  *corev1.Pod
		want string
		st   PodState
	}{
		{"running and ready", pod(corev1.PodRunning, true, 0, ""), "● web-5899dd46b4-r295z 1/1", Ready},
		{"running, not ready", pod(corev1.PodRunning, false, 1, ""), "◐ web-5899dd46b4-r295z 0/1 ⟳1", NotReady},
		{"pending", pod(corev1.PodPending, false, 0, "ContainerCreating"), "○ web-5899dd46b4-r295z 0/1", Pending},
		{"crash loop", pod(corev1.PodRunning, false, 4, "CrashLoopBackOff"), "✕ web-5899dd46b4-r295z 0/1 ⟳4 CrashLoopBackOff", Failed},
		{"image pull", pod(corev1.PodPending, false, 0, "ImagePullBackOff"), "✕ web-5899dd46b4-r295z 0/1 ImagePullBackOff", Failed},
		{"failed", pod(corev1.PodFailed, false, 0, ""), "✕ web-5899dd46b4-r295z 0/1 Failed", Failed},
		{"terminating", terminating, "⌛ web-5899dd46b4-r295z ⌛28", Terminating},
		{"completed", pod(corev1.PodSucceeded, false, 0, ""), "● web-5899dd46b4-r295z 0/1 Completed", Ready},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := PodChip(tc.pod, now)
			if c.Text() != tc.want || c.State != tc.st {
				t.Errorf("got %q (state %d), want %q (state %d)", c.Text(), c.State, tc.want, tc.st)
			}
		})
	}
}

func deployment(replicas int32, surge, unavail intstr.IntOrString, st appsv1.DeploymentStatus) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: appsv1.DeploymentSpec{Replicas: &replicas, Strategy: appsv1.DeploymentStrategy{
			Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &surge, MaxUnavailable: &unavail}}},
		Status: st,
	}
}

func rs(name, rev string, replicas, ready int32) *appsv1.ReplicaSet {
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Annotations: map[string]string{"deployment.kubernetes.io/revision": rev},
			OwnerReferences: []metav1.OwnerReference{{Kind: "Deployment", Name: "web"}}},
		Spec: appsv1.ReplicaSetSpec{Replicas: &replicas}, Status: appsv1.ReplicaSetStatus{ReadyReplicas: ready},
	}
}

func TestBudget(t *testing.T) {
	for _, tc := range []struct {
		name          string
		replicas      int32
		surge, unav   intstr.IntOrString
		wantMin, wMax int32
	}{
		{"25%/0 of 4", 4, intstr.FromInt32(0), intstr.FromString("25%"), 3, 4},
		{"defaults of 10", 10, intstr.FromString("25%"), intstr.FromString("25%"), 8, 13},
		{"1/1 of 3", 3, intstr.FromInt32(1), intstr.FromInt32(1), 2, 4},
		{"0/0 is 0/1", 2, intstr.FromInt32(0), intstr.FromInt32(0), 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := deployment(tc.replicas, tc.surge, tc.unav, appsv1.DeploymentStatus{Replicas: tc.replicas, AvailableReplicas: tc.replicas})
			b := DeployPresent(d, nil).Budget
			if b.MinAvailable != tc.wantMin || b.MaxTotal != tc.wMax {
				t.Errorf("min %d max %d, want %d %d", b.MinAvailable, b.MaxTotal, tc.wantMin, tc.wMax)
			}
		})
	}
}

func TestRollingAndRevisions(t *testing.T) {
	d := deployment(4, intstr.FromInt32(0), intstr.FromString("25%"), appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 1, AvailableReplicas: 3})
	row := DeployPresent(d, []*appsv1.ReplicaSet{rs("web-old", "1", 3, 3), rs("web-new", "2", 1, 0)})
	if !row.Rolling || row.RSs[0].Revision != 2 || row.RSs[1].Revision != 1 {
		t.Errorf("rolling %v, revisions %+v", row.Rolling, row.RSs)
	}
	done := deployment(4, intstr.FromInt32(0), intstr.FromString("25%"), appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 4, AvailableReplicas: 4})
	if DeployPresent(done, []*appsv1.ReplicaSet{rs("web-old", "1", 0, 0), rs("web-new", "2", 4, 4)}).Rolling {
		t.Error("a finished rollout still rolls")
	}
}

func TestBuildBoard(t *testing.T) {
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}, Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}}}
	bound := pod(corev1.PodRunning, true, 0, "")
	bound.Spec.NodeName = "node-1"
	b := BuildBoard([]*corev1.Node{n}, []*corev1.Pod{bound, pod(corev1.PodPending, false, 0, "")}, nil, nil, now)
	if len(b.Nodes) != 1 || !b.Nodes[0].Ready || len(b.Nodes[0].Pods) != 1 || len(b.Unscheduled) != 1 {
		t.Errorf("board %+v", b)
	}
}

// The cluster's add-ons (kube-system, labelled k8s-app: coredns; the
// ingress controller in ingress-kubeplay) are a line under the nodes,
// kube-system's first, not chips among the learner's pods; a learner's
// own pod in kube-system (the DaemonSet page's fluentd) is a chip.
func TestBoardLeavesAddonsOut(t *testing.T) {
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}, Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}}}
	dns := pod(corev1.PodRunning, true, 0, "")
	dns.Name, dns.Namespace, dns.Labels, dns.Spec.NodeName = "coredns-869d794ddc-7jv99", "kube-system", map[string]string{"k8s-app": "kube-dns"}, "node-1"
	fluentd := pod(corev1.PodRunning, true, 0, "")
	fluentd.Name, fluentd.Namespace, fluentd.Labels, fluentd.Spec.NodeName = "fluentd-elasticsearch-x2b4q", "kube-system", map[string]string{"name": "fluentd-elasticsearch"}, "node-1"
	coredns := deployment(2, intstr.FromInt32(0), intstr.FromInt32(1), appsv1.DeploymentStatus{ReadyReplicas: 1})
	coredns.Name, coredns.Namespace, coredns.Labels = "coredns", "kube-system", map[string]string{"k8s-app": "kube-dns"}
	ingressLabels := map[string]string{"app.kubernetes.io/name": "ingress-kubeplay", "app.kubernetes.io/component": "controller"}
	controller := pod(corev1.PodRunning, true, 0, "")
	controller.Name, controller.Namespace, controller.Labels, controller.Spec.NodeName = "ingress-kubeplay-controller-5d8f7c9b4-abcde", "ingress-kubeplay", ingressLabels, "node-1"
	ingress := deployment(1, intstr.FromInt32(0), intstr.FromInt32(1), appsv1.DeploymentStatus{ReadyReplicas: 1})
	ingress.Name, ingress.Namespace, ingress.Labels = "ingress-kubeplay-controller", "ingress-kubeplay", ingressLabels
	b := BuildBoard([]*corev1.Node{n}, []*corev1.Pod{controller, dns, fluentd}, []*appsv1.Deployment{ingress, coredns}, nil, now)
	if chips := b.Nodes[0].Pods; len(chips) != 1 || !strings.Contains(chips[0].Text(), "fluentd") || b.Pods != 1 {
		t.Errorf("node-1's chips %+v (pods %d), want fluentd's only", chips, b.Pods)
	}
	want := []AddonRow{{Namespace: "kube-system", Name: "coredns", Ready: 1, Replicas: 2},
		{Namespace: "ingress-kubeplay", Name: "ingress-kubeplay-controller", Ready: 1, Replicas: 1}}
	if len(b.Deploys) != 0 || !slices.Equal(b.Addons, want) {
		t.Errorf("deployments %+v, add-ons %+v; want add-ons only, %+v", b.Deploys, b.Addons, want)
	}
}

func TestHopText(t *testing.T) {
	h := sim.Hop{At: 118 * time.Millisecond, From: "scheduler", To: "apiserver", Verb: "bind", Object: "pods/hello → node-1", Summary: "node-1 scores 397"}
	if got := Reasoning(h, same); got != "scheduler › node-1 scores 397" {
		t.Errorf("Reasoning = %q", got)
	}
	// A watch hop's why is the watcher's own: the scheduler decides to
	// schedule, not the apiserver that delivers the event.
	watch := sim.Hop{From: "apiserver", To: "scheduler", Verb: sim.VerbWatch, Object: "pods/hello", Summary: "pod added (no node) → schedule it"}
	if got := Reasoning(watch, same); got != "scheduler › pod added (no node) → schedule it" {
		t.Errorf("Reasoning(watch, same) = %q", got)
	}
	// The learner's own kubectl's request is summed up with who sent it:
	// said once, and not as the built-in prompt's "kubectl".
	own := sim.Hop{From: "kubectl", To: "apiserver", Verb: sim.VerbList, Object: "pods",
		Summary: "external kubectl (kubectl get): GET /api/v1/namespaces/default/pods", Origin: sim.OriginExternal}
	if got := Reasoning(own, same); got != own.Summary {
		t.Errorf("Reasoning(external) = %q", got)
	}
	own.From, own.To = "apiserver", "etcd"
	if got := Reasoning(own, same); got != "kube-apiserver › "+own.Summary {
		t.Errorf("Reasoning(external, apiserver → etcd) = %q", got)
	}
	// The apiserver's write to etcd carries out another component's
	// request: the why is the requester's, and the line names who asked,
	// not the apiserver.
	write := sim.Hop{From: "apiserver", To: "etcd", Verb: sim.VerbPut, Object: "/registry/pods/default/web-1",
		Summary: "want 3, have 2 → create 1", Requester: "controller-manager"}
	if got := Reasoning(write, same); got != "controller-manager › want 3, have 2 → create 1" {
		t.Errorf("Reasoning(etcd write) = %q", got)
	}
	write.Requester, write.Summary = "kubelet/node-2", "Running, 1/1 ready"
	if got := Reasoning(write, same); got != "kubelet (node-2) › Running, 1/1 ready" {
		t.Errorf("Reasoning(etcd write of a status) = %q", got)
	}
	// The learner's own kubectl asked: its summing up, who and what, is
	// the line, as on its request's hop.
	own.Requester = "kubectl"
	if got := Reasoning(own, same); got != own.Summary {
		t.Errorf("Reasoning(external, apiserver → etcd, for kubectl) = %q", got)
	}
	// A write with no why is the apiserver's own step: put KEY.
	write.Summary = ""
	if got := Reasoning(write, same); got != "kube-apiserver › put /registry/pods/default/web-1" {
		t.Errorf("Reasoning(etcd write without a why) = %q", got)
	}
	if got := DisplayName("runtime/node-2"); got != "container runtime (node-2)" {
		t.Errorf("DisplayName = %q", got)
	}
}

// TestChipNamesThePodWhole: a chip carries its pod's name whole, the
// template hash and all.
func TestChipNamesThePodWhole(t *testing.T) {
	c := Chip{Name: "nginx-deployment-5899dd46b4-r295v", State: Ready, Ready: "1/1", Restarts: 2, Left: -1}
	if got := c.Text(); got != "● nginx-deployment-5899dd46b4-r295v 1/1 ⟳2" {
		t.Errorf("Named = %q", got)
	}
}

func same(s string) string { return s }
