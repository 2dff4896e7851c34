package cluster

import (
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
)

// TestPodStartIsTwoStatusWrites: as upstream's kubelet, which writes a
// status when syncPod begins (Pending, ContainerCreating, no IP yet) and
// again after the runtime's SyncPod has made the sandbox and started the
// containers (Running, with the pod IP), a pod's start is two status
// writes, whatever its containers and pulls. kubeplay wrote a third in
// between, Pending with just the pod IP, once the sandbox was made.
func TestPodStartIsTwoStatusWrites(t *testing.T) {
	pulled := pod("two", "kubeplay/demo:v1")
	pulled.Spec.Containers = append(pulled.Spec.Containers,
		corev1.Container{Name: "side", Image: "busybox:1.36", Command: []string{"sleep", "3600"}, ImagePullPolicy: corev1.PullAlways})
	for _, tc := range []struct {
		pod  *corev1.Pod
		want []string
	}{
		{pod("one", "kubeplay/demo:v1"), []string{"Pending, 0/1 ready (ContainerCreating)", "Running, 1/1 ready"}},
		{pulled, []string{"Pending, 0/2 ready (ContainerCreating, ContainerCreating)", "Running, 2/2 ready"}},
	} {
		p, want := tc.pod, tc.want
		t.Run(p.Name, func(t *testing.T) {
			c, err := New(Options{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			var writes []sim.Hop
			c.k.Observe(func(h sim.Hop) {
				if h.Verb == sim.VerbUpdateStatus && h.From.Kind() == sim.KindKubelet {
					writes = append(writes, h)
				}
			})
			create(t, c, p)
			if !c.k.RunUntil(time.Minute, func() bool { return c.podPhase(p.Name) == corev1.PodRunning }) {
				t.Fatalf("pod %s never Running", p.Name)
			}
			c.k.RunFor(5 * time.Second)
			if len(writes) != len(want) {
				for _, h := range writes {
					t.Logf("%8.3f %s", h.At.Seconds(), h.Summary)
				}
				t.Fatalf("%d status writes, want %d", len(writes), len(want))
			}
			for i, h := range writes {
				if h.Summary != want[i] {
					t.Errorf("write %d: %q, want %q", i+1, h.Summary, want[i])
				}
			}
			obj, _ := c.api.Get(resPods, "default", p.Name)
			if ip := obj.(*corev1.Pod).Status.PodIP; ip == "" {
				t.Error("the Running status has no pod IP")
			}
		})
	}
}
