package present

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8stypes "k8s.io/apimachinery/pkg/types"
)

// A DaemonSet during a rolling update on four nodes: node-1's pod has the
// new template, node-2's the old one, node-3's new pod is not bound yet
// (so node-3 has none, and that pod a cell of its own at the end), and
// node-10 has none. Pods of another DaemonSet and of no owner stay out.
func TestDaemonSetRows(t *testing.T) {
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "fluentd", Namespace: "kube-system", UID: "ds-1",
		Annotations: map[string]string{appsv1.DeprecatedTemplateGeneration: "2"}},
		Status: appsv1.DaemonSetStatus{DesiredNumberScheduled: 4, NumberReady: 2}}
	owner := func(uid string) []metav1.OwnerReference {
		yes := true
		return []metav1.OwnerReference{{Kind: "DaemonSet", Name: "x", UID: k8stypes.UID(uid), Controller: &yes}}
	}
	pod := func(name, node, gen, uid string) *corev1.Pod {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "kube-system", OwnerReferences: owner(uid),
			Labels: map[string]string{"pod-template-generation": gen}},
			Spec:   corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Name: "c"}}},
			Status: corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Ready: true}}}}
		return p
	}
	unbound := pod("fluentd-c", "", "2", "ds-1")
	unbound.Status = corev1.PodStatus{Phase: corev1.PodPending}
	orphan := pod("lonely", "node-1", "2", "")
	orphan.OwnerReferences = nil
	node := func(name string) *corev1.Node { return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}} }
	rows := DaemonSetRows([]*appsv1.DaemonSet{ds}, []*corev1.Node{node("node-10"), node("node-2"), node("node-1"), node("node-3")},
		[]*corev1.Pod{pod("fluentd-a", "node-1", "2", "ds-1"), pod("fluentd-b", "node-2", "1", "ds-1"), unbound, pod("other", "node-1", "2", "ds-2"), orphan}, time.Time{})
	if len(rows) != 1 || rows[0].Desired != 4 || rows[0].Ready != 2 || rows[0].Namespace != "kube-system" {
		t.Fatalf("rows = %+v", rows)
	}
	var got []string
	for _, n := range rows[0].Nodes {
		line := n.Node + ":"
		for _, p := range n.Pods {
			line += " " + p.Text()
			if p.Outdated {
				line += " outdated"
			}
		}
		got = append(got, line)
	}
	want := []string{"node-1: ● fluentd-a 1/1", "node-2: ● fluentd-b 1/1 outdated", "node-3:", "node-10:", ": ○ fluentd-c 0/1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
}

// An add-on DaemonSet (kube-proxy, its pods labelled k8s-app in
// kube-system) is an add-on in a word, after the add-on Deployments of
// its namespace and before another namespace's; a learner's DaemonSet in
// kube-system (the documentation's fluentd-elasticsearch: k8s-app on the
// DaemonSet, not on its pods) keeps its row.
func TestAddDaemonSetsPutsAddonsAside(t *testing.T) {
	b := Board{Addons: []AddonRow{{Namespace: "ingress-kubeplay", Name: "controller", Ready: 1, Replicas: 1}, {Namespace: "kube-system", Name: "coredns", Ready: 2, Replicas: 2}}}
	proxy := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "kube-proxy", Namespace: "kube-system", Labels: map[string]string{"k8s-app": "kube-proxy"}},
		Spec:   appsv1.DaemonSetSpec{Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"k8s-app": "kube-proxy"}}}},
		Status: appsv1.DaemonSetStatus{DesiredNumberScheduled: 3, NumberReady: 2}}
	fluentd := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "fluentd-elasticsearch", Namespace: "kube-system", Labels: map[string]string{"k8s-app": "fluentd-logging"}},
		Spec: appsv1.DaemonSetSpec{Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"name": "fluentd-elasticsearch"}}}}}
	b.AddDaemonSets([]*appsv1.DaemonSet{proxy, fluentd}, nil, nil, time.Time{})
	want := []AddonRow{{Namespace: "kube-system", Name: "coredns", Ready: 2, Replicas: 2}, {Namespace: "kube-system", Name: "kube-proxy", Ready: 2, Replicas: 3},
		{Namespace: "ingress-kubeplay", Name: "controller", Ready: 1, Replicas: 1}}
	if diff := cmp.Diff(want, b.Addons); diff != "" {
		t.Errorf("add-ons (-want +got):\n%s", diff)
	}
	if len(b.DaemonSets) != 1 || b.DaemonSets[0].Name != "fluentd-elasticsearch" {
		t.Errorf("DaemonSet rows %+v, want fluentd-elasticsearch's only", b.DaemonSets)
	}
}
