package launch_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/guest/multicall/kubeplaytest"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"

	appsv1 "k8s.io/api/apps/v1"
)

func TestMain(m *testing.M) { kubeplaytest.Main(m) }

// TestDockerBootWaitsForDNS: a cluster on Docker is handed over only once
// its coredns pods are ready, so that the first lookups inside pods do not
// fail, and says how far it got while it waits.
func TestDockerBootWaitsForDNS(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a cluster on Docker")
	}
	dockertest.Need(t, "a cluster on Docker")
	var mu sync.Mutex
	var notices []string
	c, stop, err := launch.Start(context.Background(), launch.Options{Runtime: launch.Docker, Binary: kubeplaytest.Binary(t, false),
		Cluster: cluster.Options{Nodes: 1}, Notice: func(s string) { mu.Lock(); notices = append(notices, s); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { stop(); dockertest.NothingLeft(t, os.Getpid()) }()
	res, _ := backend.ResourceFor("deployments")
	obj, err := c.Get(res, "kube-system", "coredns")
	if err != nil {
		t.Fatal(err)
	}
	if d := obj.(*appsv1.Deployment); d.Status.ReadyReplicas != *d.Spec.Replicas {
		t.Errorf("the cluster was handed over with coredns %d/%d ready", d.Status.ReadyReplicas, *d.Spec.Replicas)
	}
	mu.Lock()
	said := strings.Join(notices, "\n")
	mu.Unlock()
	if !strings.Contains(said, "waiting for the cluster DNS: coredns 0/2 ready") || !strings.Contains(said, "the cluster DNS is ready (coredns 2/2)") {
		t.Errorf("the wait was not shown:\n%s", said)
	}
}
