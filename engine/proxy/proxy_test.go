package proxy_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/console"
)

// freeNodePort finds a node port nothing on this machine listens on.
func freeNodePort(t *testing.T) int {
	t.Helper()
	for p := 32767; p > 32000; p-- {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err == nil {
			ln.Close()
			return p
		}
	}
	t.Skip("no free port in 32000-32767")
	return 0
}

// TestNodePortSimOverTCP: a real TCP client on 127.0.0.1 reaches the
// simulated demo app through kube-proxy's listener, while the test's
// goroutine runs the virtual-time cluster, as the shell does.
func TestNodePortSimOverTCP(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, NodePorts: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var out bytes.Buffer
	con := console.New(c, &out, &out, console.Options{})
	port := freeNodePort(t)
	for _, line := range []string{
		"kubectl create deployment web --image=kubeplay/demo:v1 --replicas=2",
		"kubectl rollout status deployment/web",
		fmt.Sprintf("kubectl create service nodeport web --tcp=80:8080 --node-port=%d", port),
		"sleep 2s",
	} {
		if code, _ := con.Exec(line, nil); code != 0 {
			t.Fatalf("%s: exit %d\n%s", line, code, out.String())
		}
	}
	type result struct {
		body, pod string
		err       error
	}
	ch := make(chan result, 2)
	for range 2 {
		go func() {
			resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/", port))
			if err != nil {
				ch <- result{err: err}
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			ch <- result{string(b), resp.Header.Get("X-Kubeplay-Pod"), err}
		}()
	}
	pods := map[string]bool{}
	deadline := time.Now().Add(10 * time.Second)
	for got := 0; got < 2; {
		select {
		case r := <-ch:
			got++
			if r.err != nil {
				t.Fatal(r.err)
			}
			if !strings.Contains(r.body, "kubeplay demo v1 from pod "+r.pod) {
				t.Errorf("body %q does not name pod %q", r.body, r.pod)
			}
			pods[r.pod] = true
		default:
			if time.Now().After(deadline) {
				t.Fatal("no answer in 10s")
			}
			c.CatchUp()
			c.RunFor(10 * time.Millisecond)
			time.Sleep(time.Millisecond)
		}
	}
	if len(pods) != 2 {
		t.Errorf("round robin: answers from %v, want two pods", pods)
	}
	con.Exec("kubectl delete svc web", nil)
	if _, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
		t.Errorf("port %d still listens after the Service was deleted", port)
	}
}
