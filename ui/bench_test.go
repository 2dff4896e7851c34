package ui

import (
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/kubectl"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// BenchmarkFirstFrame is start to first frame: the app, its first size
// and the start page drawn (goal < 150 ms).
func BenchmarkFirstFrame(b *testing.B) {
	for b.Loop() {
		a := testApp(Options{Lang: "en", Nodes: 3, Theme: theme.Auto})
		a.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
		_ = a.View()
	}
}

// BenchmarkFirstPlaygroundFrame adds booting the cluster and drawing the
// playground: what `enter` on free play costs.
func BenchmarkFirstPlaygroundFrame(b *testing.B) {
	for b.Loop() {
		a := testApp(Options{Lang: "en", Nodes: 3, Theme: theme.Auto, Playground: true})
		a.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
		_ = a.View()
	}
}

// busyApp is the playground on a cluster of nodes running pods pods.
func busyApp(tb testing.TB, nodes, pods int) *App {
	tb.Helper()
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: nodes, NodePods: pods})
	if err != nil {
		tb.Fatal(err)
	}
	s := &kubectl.Session{C: c, Out: io.Discard, Err: io.Discard}
	if code := s.Exec([]string{"create", "deployment", "web", "--image=kubeplay/demo:v1", "--replicas=" + strconv.Itoa(pods)}); code != 0 {
		tb.Fatal("create failed")
	}
	c.RunFor(2 * time.Minute)
	a := testApp(Options{Lang: "en", Nodes: nodes, Theme: theme.Auto})
	a.cluster = c
	a.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	a.openPlayground()
	return a
}

// BenchmarkView200Pods draws the playground with 200 pods on 10 nodes
// (goal < 2 ms).
func BenchmarkView200Pods(b *testing.B) {
	a := busyApp(b, 10, 200)
	if !strings.Contains(a.View().Content, "200/200") {
		b.Fatalf("the deployment is not ready:\n%s", a.View().Content)
	}
	for b.Loop() {
		_ = a.View()
	}
}

// TestMemory1000Pods reports the memory of the playground with 1000 pods
// (goal: RSS < 60 MB). Run with -run Memory -v.
func TestMemory1000Pods(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 1000 pods")
	}
	a := busyApp(t, 10, 1000)
	_ = a.View()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("1000 pods: heap in use %.1f MB, Go runtime total %.1f MB, RSS %s", float64(ms.HeapInuse)/1e6, float64(ms.Sys)/1e6, rss())
	runtime.KeepAlive(a)
}

// rss is the process's resident set, from /proc on Linux.
func rss() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmRSS:"))
		}
	}
	return "unknown"
}

// BenchmarkView200PodsChanged draws it with the board redrawn every time
// (the size changes by a line each frame): the cost when the store changed.
func BenchmarkView200PodsChanged(b *testing.B) {
	a := busyApp(b, 10, 200)
	i := 0
	for b.Loop() {
		i++
		a.Update(tea.WindowSizeMsg{Width: 160, Height: 48 - i%2})
		_ = a.View()
	}
}

// BenchmarkBoardSnapshot1000Pods builds the board's snapshot of a cluster
// with 1,000 pods on 10 nodes, as the playground does after each change
// of the store (on a real cluster: each watch event mirrored): the last
// part of a change's way to the screen.
func BenchmarkBoardSnapshot1000Pods(b *testing.B) {
	a := busyApp(b, 10, 1000)
	if got := a.driver.Board().Pods; got != 1000 {
		b.Fatalf("the board has %d pods", got)
	}
	for b.Loop() {
		_ = a.driver.Board()
	}
}
