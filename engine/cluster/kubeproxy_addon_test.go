package cluster

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// kubeProxyPods are kube-proxy's pods by node.
func (c *Cluster) kubeProxyPods(t *testing.T) map[string]*corev1.Pod {
	t.Helper()
	out := map[string]*corev1.Pod{}
	for _, o := range c.api.List(resPods, metav1.NamespaceSystem) {
		p := o.(*corev1.Pod)
		if p.Labels["k8s-app"] != "kube-proxy" {
			continue
		}
		if ref := metav1.GetControllerOf(p); ref == nil || ref.Kind != "DaemonSet" || ref.Name != "kube-proxy" {
			t.Errorf("pod %s is not the kube-proxy DaemonSet's: owner %v", p.Name, ref)
		}
		if out[p.Spec.NodeName] != nil {
			t.Errorf("two kube-proxy pods on %s: %s and %s", p.Spec.NodeName, out[p.Spec.NodeName].Name, p.Name)
		}
		out[p.Spec.NodeName] = p
	}
	return out
}

// TestKubeProxyIsADaemonSet: as on a kubeadm cluster, kube-proxy is a
// DaemonSet in kube-system whose controller made, at boot, one pod on
// every node, ready before the first command, on the node's network (its
// IP the node's, none taken from the node's pod range), a stand-in that
// says so in its log; a node tainted keeps its pod (kube-proxy tolerates
// every taint), and a node added gets one.
func TestKubeProxyIsADaemonSet(t *testing.T) {
	c, err := New(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ds := c.daemonSet(t, metav1.NamespaceSystem, "kube-proxy")
	if st := ds.Status; st.DesiredNumberScheduled != 3 || st.NumberReady != 3 || st.NumberAvailable != 3 {
		t.Fatalf("kube-proxy after boot: %+v, want 3 desired, ready and available", st)
	}
	pods := c.kubeProxyPods(t)
	if len(pods) != 3 {
		t.Fatalf("kube-proxy pods on %d nodes, want 3", len(pods))
	}
	for node, p := range pods {
		if !strings.HasPrefix(p.Name, "kube-proxy-") || p.Status.Phase != corev1.PodRunning {
			t.Errorf("%s: pod %s %s", node, p.Name, p.Status.Phase)
		}
		if p.Status.PodIP == "" || p.Status.PodIP != p.Status.HostIP {
			t.Errorf("%s: pod IP %q, want the node's %q", node, p.Status.PodIP, p.Status.HostIP)
		}
		var logs bytes.Buffer
		if err := c.kubelets[node].Logs(p.Status.ContainerStatuses[0].ContainerID, &logs); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(logs.String(), "stands in for kube-proxy and writes no rules itself") {
			t.Errorf("%s: kube-proxy's log %q does not say what it is", node, logs.String())
		}
	}
	// The coredns pods kept the first addresses of their nodes' ranges.
	for _, o := range c.api.List(resPods, metav1.NamespaceSystem) {
		if p := o.(*corev1.Pod); strings.HasPrefix(p.Name, "coredns-") && !strings.HasSuffix(p.Status.PodIP, ".2") {
			t.Errorf("coredns pod %s at %s, want its node's first pod address", p.Name, p.Status.PodIP)
		}
	}

	// A taint no pod tolerates: kube-proxy stays.
	obj, err := c.api.Get(resNodes, "", "node-1")
	if err != nil {
		t.Fatal(err)
	}
	node := obj.(*corev1.Node).DeepCopy()
	node.Spec.Taints = append(node.Spec.Taints, corev1.Taint{Key: "dedicated", Value: "db", Effect: corev1.TaintEffectNoExecute})
	c.write(t, sim.VerbUpdate, node)
	c.k.RunFor(10 * time.Second)
	if p := c.kubeProxyPods(t)["node-1"]; p == nil || p.DeletionTimestamp != nil {
		t.Errorf("kube-proxy's pod on the tainted node-1: %v", p)
	}

	// A node added gets its pod.
	name, err := c.AddNode("", "", "")
	if err != nil {
		t.Fatal(err)
	}
	c.settle(t, metav1.NamespaceSystem, "kube-proxy", 4)
	if p := c.kubeProxyPods(t)[name]; p == nil || p.Status.PodIP != p.Status.HostIP {
		t.Errorf("kube-proxy's pod on the added %s: %v", name, p)
	}
}

// TestAddonsDrawNoLearnerNames: the pods the add-ons' controllers make
// (kube-proxy's, one a node at boot) draw their names from the add-ons'
// own source, so a learner's pods are named as on a cluster without
// them: web's first pod on 3 nodes, seed 1, is the one it was before
// kube-proxy had pods (main at 4a9016b), whatever the number of nodes.
func TestAddonsDrawNoLearnerNames(t *testing.T) {
	for nodes, want := range map[int]string{3: "web-7b696df7db-r295v", 30: "web-7b696df7db-qd7ts"} {
		c, err := New(Options{Seed: 1, Nodes: nodes})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(c.kubeProxyPods(t)); n != nodes {
			t.Fatalf("%d nodes, %d kube-proxy pods", nodes, n)
		}
		create(t, c, deployment("web", 1, "nginx:1.14.2"))
		c.k.RunFor(5 * time.Second)
		var got []string
		for _, o := range c.api.List(resPods, "default") {
			got = append(got, o.(*corev1.Pod).Name)
		}
		if len(got) != 1 || got[0] != want {
			t.Errorf("%d nodes: pods %q, want %s", nodes, got, want)
		}
	}
}
