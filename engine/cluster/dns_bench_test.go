package cluster

import (
	"fmt"
	"testing"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/dns"

	wire "github.com/miekg/dns"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// manyServices is a cluster with n more Services (svc-0 … in default,
// cluster IPs from 10.100.0.0), stored as the apiserver would have them.
func manyServices(b *testing.B, n int) *Cluster {
	b.Helper()
	c, err := New(Options{Seed: 1, Nodes: 1})
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		ip := fmt.Sprintf("10.100.%d.%d", i/250, 1+i%250)
		svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("svc-%d", i), Namespace: "default"},
			Spec: corev1.ServiceSpec{ClusterIP: ip, ClusterIPs: []string{ip}, Ports: []corev1.ServicePort{{Port: 80, Protocol: corev1.ProtocolTCP}}}}
		c.st.Put(apiserver.KeyOf(svc), svc)
	}
	return c
}

// BenchmarkSimDNSLookup is one pod's lookup of a Service by its full name
// on the simulated runtime, in a cluster of 1,000 Services: the CPU the
// cluster DNS (what CoreDNS answers) costs the engine per query. Target:
// < 50 µs.
func BenchmarkSimDNSLookup(b *testing.B) {
	benchmarkLookup(b, "svc-777.default.svc.cluster.local.", wire.TypeA)
}

// BenchmarkSimReverseLookup is a PTR query of a Service's cluster IP in
// that cluster.
func BenchmarkSimReverseLookup(b *testing.B) {
	benchmarkLookup(b, dns.ReverseName("10.100.3.28"), wire.TypePTR)
}

func benchmarkLookup(b *testing.B, name string, qtype uint16) {
	c := manyServices(b, 1000)
	server := dns.New(storeObjects{c.st})
	q := new(wire.Msg)
	q.SetQuestion(name, qtype)
	b.ReportAllocs()
	for b.Loop() {
		if r := server.Answer(q); len(r.Answer) != 1 {
			b.Fatalf("no answer: %v", r)
		}
	}
}

// BenchmarkSimRouteClusterIP is kube-proxy's rule for one connection to a
// cluster IP on the simulated runtime (the name looked up, then the
// address connected to), in that cluster.
func BenchmarkSimRouteClusterIP(b *testing.B) {
	c := manyServices(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := c.routeClusterIP("10.244.1.2", "10.100.3.28", 80, false); !ok {
			b.Fatal("not a Service's cluster IP")
		}
	}
}
