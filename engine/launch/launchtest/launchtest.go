// Package launchtest starts clusters for tests the way kubeplay starts them
// (engine/launch), with what a test needs around it: a kubeplay binary made
// for the test, and a check at the end that nothing was left behind.
package launchtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/guest/multicall/kubeplaytest"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
)

// DockerCluster starts a cluster whose pods are real containers, their images
// built from a kubeplay made for the test (the package's TestMain must be
// kubeplaytest.Main), and stops it when the test ends, checking that
// nothing of it is left on the daemon: of this cluster, so that tests
// with clusters of their own may run in parallel (t.Parallel). It needs a
// daemon: see dockertest.Need.
func DockerCluster(t testing.TB, opts cluster.Options) *cluster.Cluster {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	id := "test-" + hex.EncodeToString(b)
	c, stop, err := launch.Start(context.Background(), launch.Options{
		Runtime: launch.Docker, Binary: kubeplaytest.Binary(t, false), Cluster: opts, ClusterID: id,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop()
		dockertest.NothingLeftOf(t, id)
	})
	return c
}
