package cluster

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

//lint:file-ignore SA1019 v1 Endpoints is what the endpoints controller writes here.

// The cluster DNS is an add-on a learner can see, as on a kubeadm
// cluster: the coredns Deployment's two pods run in kube-system on two
// nodes, ready when the first command is typed, and the kube-dns
// Service's endpoints are those pods.
func TestClusterDNSIsCoreDNSPods(t *testing.T) {
	c, err := New(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.api.Get(resDeployments, metav1.NamespaceSystem, "coredns")
	if err != nil {
		t.Fatal(err)
	}
	if st := d.(*appsv1.Deployment).Status; st.ReadyReplicas != 2 || st.AvailableReplicas != 2 {
		t.Fatalf("coredns after boot: %d ready, %d available; want 2 and 2", st.ReadyReplicas, st.AvailableReplicas)
	}
	var ips []string
	nodes := map[string]bool{}
	for _, o := range c.api.List(resPods, metav1.NamespaceSystem) {
		p := o.(*corev1.Pod)
		if strings.HasPrefix(p.Name, "metrics-server-") || strings.HasPrefix(p.Name, "kube-proxy-") {
			continue
		}
		if !strings.HasPrefix(p.Name, "coredns-") || p.Status.Phase != corev1.PodRunning {
			t.Errorf("pod %s in kube-system: %s", p.Name, p.Status.Phase)
		}
		ips = append(ips, p.Status.PodIP)
		nodes[p.Spec.NodeName] = true
	}
	if len(ips) != 2 || len(nodes) != 2 {
		t.Fatalf("coredns pods %v on nodes %v; want two pods on two nodes", ips, nodes)
	}
	ep, err := c.api.Get(resEndpoints, metav1.NamespaceSystem, "kube-dns")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range ep.(*corev1.Endpoints).Subsets {
		for _, a := range s.Addresses {
			got = append(got, a.IP)
		}
	}
	if len(got) != 2 || !(got[0] == ips[0] && got[1] == ips[1] || got[0] == ips[1] && got[1] == ips[0]) {
		t.Fatalf("kube-dns endpoints %v; want the coredns pods %v", got, ips)
	}
}
