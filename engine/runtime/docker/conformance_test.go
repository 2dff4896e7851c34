package docker_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime/docker"
	"github.com/kubeplay/kubeplay/engine/runtime/runtimetest"
)

var clusters atomic.Int64

// newRuntime returns a runtime of a fresh cluster, closed when t ends.
func newRuntime(t testing.TB) *docker.Runtime {
	t.Helper()
	connect(t)
	id := fmt.Sprintf("test%d-%d", os.Getpid(), clusters.Add(1))
	rt, err := docker.New(context.Background(), docker.Config{ClusterID: id, Node: "node-1", Images: testImages{}})
	if err != nil {
		t.Fatalf("docker.New: %v", err)
	}
	t.Cleanup(func() {
		if _, err := rt.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return rt
}

func TestConformance(t *testing.T) {
	connect(t)
	runtimetest.Run(t, runtimetest.Harness{
		New: func(t *testing.T) runtimetest.Instance {
			return runtimetest.Instance{Runtime: newRuntime(t), Sleep: time.Sleep, Now: time.Now}
		},
		DemoImage:  testImage,
		ShellImage: testImage,
		Slack:      1500 * time.Millisecond,
	})
}
