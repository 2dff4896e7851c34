// Package dockertest is what tests that use the Docker daemon share: they
// skip without one, except on CI (CI=true), where they must run; and they
// check that a run left nothing of its own on the daemon. A cluster on
// Docker for a test is started by engine/launch/launchtest, beside what
// starts it, so nothing under engine/runtime imports upward.
package dockertest

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime/docker"
)

// Need skips the test when no Docker daemon answers, saying that what is
// skipped; under CI=true it fails instead.
func Need(t testing.TB, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cli, err := docker.Connect(ctx)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but no Docker daemon answers, so %s cannot run: %v", what, err)
		}
		t.Skipf("no Docker daemon answers, so %s is skipped (it runs wherever one does): %v", what, err)
	}
	cli.Close()
}

// NothingLeft fails the test if containers or networks made by the
// kubeplay process pid are still on the daemon.
func NothingLeft(t testing.TB, pid int) {
	t.Helper()
	nothingLeft(t, func(ctx context.Context) ([]string, error) { return docker.OwnedBy(ctx, pid) })
}

// NothingLeftOf fails the test if containers or networks of cluster are
// still on the daemon: the check of a test whose cluster is gone while
// others of the same process (parallel tests) still run.
func NothingLeftOf(t testing.TB, cluster string) {
	t.Helper()
	nothingLeft(t, func(ctx context.Context) ([]string, error) { return docker.ClusterLeft(ctx, cluster) })
}

func nothingLeft(t testing.TB, list func(context.Context) ([]string, error)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	left, err := list(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Errorf("left on the Docker daemon after the run: %v", left)
	}
}

// Buffer is output written on one goroutine (a process's, a session's)
// and read on the test's while it is written.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Await waits until the buffer holds want, or fails the test after within
// saying what it holds.
func (b *Buffer) Await(t testing.TB, want string, within time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(within); !strings.Contains(b.String(), want); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never saw %q within %s; saw:\n%s", want, within, b.String())
		}
	}
}
