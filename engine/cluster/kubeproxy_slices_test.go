package cluster

import (
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/dns"
	"github.com/kubeplay/kubeplay/engine/guest/kubeproxy"
	"github.com/kubeplay/kubeplay/engine/sim"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestKubeProxyReadsEndpointSlices: a Service in front of 5,000 pods,
// whose Endpoints would be over etcd's 1.5 MiB (refused; upstream caps it
// at 1,000 addresses anyway), reaches every one of them, as upstream's
// kube-proxy does from the Service's EndpointSlices of 100 each: the
// engine's kube-proxy and the snapshot a Docker pod's proxy routes by.
func TestKubeProxyReadsEndpointSlices(t *testing.T) {
	if testing.Short() {
		t.Skip("5,000 pods")
	}
	const replicas = 5000
	c, err := New(Options{Seed: 1, Nodes: 50})
	if err != nil {
		t.Fatal(err)
	}
	c.api.Submit("kubectl", apiserver.Request{Verb: sim.VerbCreate, Object: &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "big", Namespace: "default"},
		Spec:       corev1.ServiceSpec{Selector: map[string]string{"app": "big"}, Ports: []corev1.ServicePort{{Port: 80, Protocol: corev1.ProtocolTCP}}},
	}})
	c.api.Submit("kubectl", apiserver.Request{Verb: sim.VerbCreate, Object: deployment("big", replicas, "nginx:1.14.2")})
	ok := c.k.RunUntil(time.Hour, func() bool {
		obj, err := c.api.Get(resDeployments, "default", "big")
		return err == nil && obj.(*appsv1.Deployment).Status.AvailableReplicas == replicas && c.proxy.Endpoints("default", "big", 0) == replicas
	})
	if !ok {
		t.Fatalf("kube-proxy routes the Service to %d of its %d ready pods", c.proxy.Endpoints("default", "big", 0), replicas)
	}
	snap, err := dns.DecodeSnapshot(c.servicesSnapshot())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range kubeproxy.NewTable(snap).Routes() {
		if svc := (storeObjects{c.st}).ServiceByIP(p.At.Addr().String()); svc != nil && svc.Name == "big" {
			if len(p.Targets) != replicas {
				t.Errorf("a Docker pod's rules send the Service to %d endpoints; want %d", len(p.Targets), replicas)
			}
			return
		}
	}
	t.Errorf("a Docker pod's rules do not route the Service: %d slices, %d services", len(snap.SliceList), len(snap.ServiceList))
}
