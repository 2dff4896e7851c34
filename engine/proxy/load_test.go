package proxy_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/proxy"
)

// TestLoadStop: a stopped run sends no more, counts what was in flight,
// and is done; the proxy keeps it as its last run, for the traffic pane.
func TestLoadStop(t *testing.T) {
	c := clusterAfter(t, "kubectl create deployment web --image=kubeplay/demo:v1 --replicas=2",
		"kubectl rollout status deployment/web", "kubectl expose deployment web --port 80 --target-port 8080", "sleep 2s")
	if c.Network().LastLoad() != nil {
		t.Fatal("LastLoad before any run")
	}
	l, err := c.Network().StartLoad(proxy.LoadOptions{Namespace: "default", Service: "web", RPS: 10, For: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if c.Network().LastLoad() != l {
		t.Error("LastLoad is not the run just started")
	}
	c.RunFor(time.Second - time.Millisecond/2)
	l.Stop()
	c.RunFor(10 * time.Second)
	r := l.Report()
	if r.Sent != 10 || r.Answered != 10 || r.Errors != 0 || r.Total != 600 || !r.Done || !r.Stopped || !l.Done() {
		t.Errorf("report after Stop = %+v, want 10 sent and answered of 600, done and stopped", r)
	}
	if len(r.PerPod) != 2 || r.PerPod[0].OK != 5 || r.PerPod[1].OK != 5 {
		t.Errorf("per pod = %+v, want 5 answers from each of two pods", r.PerPod)
	}
}

// TestLoadRightAfterExpose: a load run started the moment a Service is
// created, before kube-proxy's next sync has written a rule for it, runs
// (CI once saw `load` answer `services "web" not found` for a Service that
// existed): the requests sent before the sync are refused, as a real
// client's are, and the rest reach the pods. A Service the apiserver does
// not have is still refused up front.
func TestLoadRightAfterExpose(t *testing.T) {
	c := clusterAfter(t, "kubectl create deployment web --image=kubeplay/demo:v1 --replicas=2",
		"kubectl rollout status deployment/web",
		// Two Services first spend kube-proxy's burst of syncs, so the
		// third waits for the next sync, as after a busy minute.
		"kubectl expose deployment web --name web-a --port 80 --target-port 8080",
		"kubectl expose deployment web --name web-b --port 80 --target-port 8080",
		"kubectl expose deployment web --port 80 --target-port 8080")
	var before proxy.Answer
	c.Network().Do("default", "web", 0, "/", func(a proxy.Answer) { before = a })
	if before.Err == nil || !strings.Contains(before.Err.Error(), "not found") {
		t.Fatalf("kube-proxy answered %+v for web the instant it was created; the test needs it not yet synced", before)
	}
	l, err := c.Network().StartLoad(proxy.LoadOptions{Namespace: "default", Service: "web", RPS: 10, For: 3 * time.Second})
	if err != nil {
		t.Fatalf("load right after expose: %v", err)
	}
	c.RunFor(5 * time.Second)
	r := l.Report()
	if !r.Done || r.Sent != 30 || r.NoEndpoint == 0 || r.Errors != r.NoEndpoint || len(r.PerPod) != 2 {
		t.Errorf("report = %+v, want 30 sent, the first refused before kube-proxy's sync and the rest answered by both pods", r)
	}
	if _, err := c.Network().StartLoad(proxy.LoadOptions{Namespace: "default", Service: "nope", RPS: 10, For: time.Second}); err == nil || !strings.Contains(err.Error(), `services "nope" not found`) {
		t.Errorf("load against a Service that does not exist: err = %v, want not found", err)
	}
}

// clusterAfter is a seeded simulated cluster on which the shell lines
// have run, each succeeding; it is closed when the test ends.
func clusterAfter(t *testing.T, lines ...string) *cluster.Cluster {
	t.Helper()
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	var out bytes.Buffer
	con := console.New(c, &out, &out, console.Options{})
	for _, line := range lines {
		if code, _ := con.Exec(line, nil); code != 0 {
			t.Fatalf("%s: exit %d\n%s", line, code, out.String())
		}
	}
	return c
}
