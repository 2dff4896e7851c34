package cluster

//lint:file-ignore SA1019 v1 Endpoints is what the endpoints controller writes.

import (
	"fmt"
	"testing"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// BenchmarkServiceOver20kPods is a Service in front of a Deployment of
// 20,000 replicas on 200 nodes, run until every replica is available. Its
// Endpoints are synced once per batch of pod changes (endpoints-writes/op
// counts them), not once per pod change: each sync lists and sorts every
// pod of the Service, so one per change grew as n². addresses/op is how
// many the Endpoints held at the end: an Endpoints of 20,000 addresses is
// over etcd's 1.5 MiB, and is refused (upstream caps it at 1,000
// addresses and kube-proxy reads EndpointSlices; kubeplay's reads
// Endpoints). Compare with BenchmarkDeployment20kOn200Nodes, the same
// without the Service.
func BenchmarkServiceOver20kPods(b *testing.B) { benchmarkService(b, 20_000, 200) }

// BenchmarkServiceOver5kPods is the same at a quarter of the size, to see
// how the cost grows with the Service's pods.
func BenchmarkServiceOver5kPods(b *testing.B) { benchmarkService(b, 5_000, 50) }

func benchmarkService(b *testing.B, replicas int32, nodes int) {
	var addresses int32
	var syncs int
	benchmarkDeployment(b, replicas, nodes, deploymentRun{
		setUp: func(c *Cluster) {
			addresses, syncs = 0, 0
			c.api.Submit("kubectl", apiserver.Request{Verb: sim.VerbCreate, Object: &corev1.Service{
				ObjectMeta: metav1.ObjectMeta{Name: "big", Namespace: "default"},
				Spec:       corev1.ServiceSpec{Selector: map[string]string{"app": "big"}, Ports: []corev1.ServicePort{{Port: 80, Protocol: corev1.ProtocolTCP}}},
			}})
		},
		see: func(ev store.Event) {
			if o, ok := ev.Object.(*corev1.Endpoints); ok {
				syncs++
				addresses = 0
				for _, s := range o.Subsets {
					addresses += int32(len(s.Addresses))
				}
			}
		},
		report: func(b *testing.B) string {
			b.ReportMetric(float64(syncs), "endpoints-writes/op")
			b.ReportMetric(float64(addresses), "addresses/op")
			return fmt.Sprintf(", %d addresses", addresses)
		},
	})
}
