package proxy_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/proxy"
)

// TestLoadStop: a stopped run sends no more, counts what was in flight,
// and is done; the proxy keeps it as its last run, for the traffic pane.
func TestLoadStop(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var out bytes.Buffer
	con := console.New(c, &out, &out, console.Options{})
	for _, line := range []string{"kubectl create deployment web --image=kubeplay/demo:v1 --replicas=2",
		"kubectl rollout status deployment/web", "kubectl expose deployment web --port 80 --target-port 8080", "sleep 2s"} {
		if code, _ := con.Exec(line, nil); code != 0 {
			t.Fatalf("%s: exit %d\n%s", line, code, out.String())
		}
	}
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
