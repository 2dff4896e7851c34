package cluster

import (
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// BenchmarkJob1000Completions runs a Job of 1,000 completions with
// parallelism 50 (each pod `sleep 1`) on the simulated runtime until it is
// Complete, on 10 nodes: each node has 253 pod IPs, and a completed pod
// keeps its sandbox, so its address, until the pod is deleted (a real
// kubelet stops a finished pod's sandbox, which gives the address back;
// on 3 nodes the Job stalls at 759 succeeded). Goal (issue 17): < 1 s
// wall per op.
func BenchmarkJob1000Completions(b *testing.B) {
	for range b.N {
		c, err := New(Options{Seed: 1, Nodes: 10})
		if err != nil {
			b.Fatal(err)
		}
		job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "many", Namespace: "default"},
			Spec: batchv1.JobSpec{Completions: ptr.To[int32](1000), Parallelism: ptr.To[int32](50),
				Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever,
					Containers: []corev1.Container{{Name: "w", Image: "busybox:1.28", Command: []string{"sleep", "1"}}}}}}}
		c.api.Submit("kubectl", apiserver.Request{Verb: sim.VerbCreate, Object: job})
		done := false
		stop := c.st.Watch(func(ev store.Event) {
			if j, ok := ev.Object.(*batchv1.Job); ok {
				for _, cond := range j.Status.Conditions {
					done = done || (cond.Type == batchv1.JobComplete && cond.Status == corev1.ConditionTrue)
				}
			}
		})
		wall, start, cpu := time.Now(), c.k.Delivered(), cpuTime()
		ok := c.k.RunUntil(time.Hour, func() bool { return done })
		stop()
		if !ok {
			obj, _ := c.api.Get(resJobsBench, "default", "many")
			b.Fatalf("the job did not complete in %s: %+v", c.k.Elapsed(), obj.(*batchv1.Job).Status)
		}
		b.ReportMetric(time.Since(wall).Seconds(), "wall-s/op")
		b.ReportMetric(float64(c.k.Delivered()-start), "hops/op")
		b.ReportMetric(c.k.Elapsed().Seconds(), "cluster-s/op")
		b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s/op")
	}
}

var resJobsBench, _ = apiserver.ResourceFor("jobs")
