package docker_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"
)

// BenchmarkPodStart is one pod from nothing to serving: its sandbox, one
// demo app container, and the first TCP probe that connects.
func BenchmarkPodStart(b *testing.B) {
	rt := newRuntime(b)
	for i := 0; b.Loop(); i++ {
		sb, id := pod(b, rt, fmt.Sprintf("p%d", i), runtime.ContainerConfig{Name: "app", Image: testImage})
		for rt.ProbeTCP(id, 8080, time.Second) != nil {
			time.Sleep(5 * time.Millisecond)
		}
		b.StopTimer()
		if err := rt.RemoveSandbox(sb.ID); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkTeardown30Pods is Close of a node running 30 pods: 60
// containers and the cluster network removed.
func BenchmarkTeardown30Pods(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		rt := newRuntime(b)
		for i := range 30 {
			pod(b, rt, fmt.Sprintf("p%d", i), runtime.ContainerConfig{Name: "app", Image: testImage})
		}
		b.StartTimer()
		rm, err := rt.Close(context.Background())
		if err != nil || len(rm.Containers) != 60 {
			b.Fatalf("Close: %s, %v", rm, err)
		}
	}
}
