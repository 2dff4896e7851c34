package cluster

import (
	"fmt"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/store"

	appsv1 "k8s.io/api/apps/v1"
)

// BenchmarkTenThousandPods creates 100 Deployments of 100 replicas on 100
// nodes and runs the cluster until every one has 100 available replicas.
// Goal: < 2 s per op on a 2-core machine.
func BenchmarkTenThousandPods(b *testing.B) {
	for range b.N {
		c, err := New(Options{Seed: 1, Nodes: 100})
		if err != nil {
			b.Fatal(err)
		}
		for i := range 100 {
			c.API.Submit("kubectl", apiserver.Request{Verb: apiserver.VerbCreate, Object: deployment(fmt.Sprintf("app-%02d", i), 100, "nginx:1.14.2")})
		}
		// Count finished deployments from the watch stream: reading all 100
		// after every hop would cost more than the cluster itself.
		available := map[string]bool{}
		stop := c.Store.Watch(func(ev store.Event) {
			if d, ok := ev.Object.(*appsv1.Deployment); ok {
				available[d.Name] = d.Status.AvailableReplicas == 100
			}
		})
		start := c.K.Delivered()
		ok := c.K.RunUntil(10*time.Minute, func() bool {
			if len(available) < 100 {
				return false
			}
			for _, ok := range available {
				if !ok {
					return false
				}
			}
			return true
		})
		stop()
		if !ok {
			b.Fatal("not every deployment became available")
		}
		b.ReportMetric(float64(c.K.Delivered()-start), "hops/op")
		b.ReportMetric(c.K.Elapsed().Seconds(), "cluster-s/op")
	}
}
