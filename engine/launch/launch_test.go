package launch_test

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/launch"
)

// TestClustersStopWhatTheyStarted: a fresh cluster's stop closes its
// NodePort listener (kube-proxy's, on 127.0.0.1), which a lesson replaced
// and never stopped kept, port and goroutines; Stop stops the ones not
// stopped yet, and no goroutine of theirs is left; stopping twice is
// harmless.
func TestClustersStopWhatTheyStarted(t *testing.T) {
	before := runtime.NumGoroutine()
	s := &launch.Clusters{Runtime: launch.Sim, Cluster: cluster.Options{Seed: 1, Nodes: 1}}
	first, _, _, err := s.Start(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	fresh, stop, err := s.Fresh()
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := nodePort(t, first), nodePort(t, fresh)
	stop()
	stop()
	if listening(p2) {
		t.Errorf("the fresh cluster's node port %d still listens after its stop", p2)
	}
	if !listening(p1) {
		t.Errorf("the first cluster's node port %d closed with the fresh one's", p1)
	}
	s.Stop()
	s.Stop()
	if listening(p1) {
		t.Errorf("the first cluster's node port %d still listens after Stop", p1)
	}
	// The listeners' goroutines are gone with them (they end as they
	// notice: a moment).
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(2 * time.Second); n > before && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	if n > before {
		t.Errorf("%d goroutines after Stop, %d before the clusters started", n, before)
	}
}

// nodePort makes a NodePort Service on c, on a free port, and returns
// the port once kube-proxy listens on it.
func nodePort(t *testing.T, c backend.Cluster) int {
	t.Helper()
	for port := 30000 + time.Now().Nanosecond()%2000; port < 32767; port++ {
		if ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			ln.Close()
			var out, errOut strings.Builder
			cmd := fmt.Sprintf("create service nodeport web --tcp=80 --node-port=%d\n", port)
			if code := console.New(c, &out, &errOut, console.Options{}).Run(strings.NewReader(cmd)); code != 0 {
				t.Fatalf("%s: exit %d: %s", cmd, code, errOut.String())
			}
			if !listening(port) {
				t.Fatalf("node port %d does not listen: %s", port, out.String())
			}
			return port
		}
	}
	t.Fatal("no free node port")
	return 0
}

func listening(port int) bool {
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// TestFreshInstallsTheAddonsAsked: a cluster Fresh starts for a lesson
// that declares the ingress add-on has it (its IngressClass, and
// Capabilities say so); one for nothing in particular has not, nor has
// one when the learner left the add-on out (IngressPort 0).
func TestFreshInstallsTheAddonsAsked(t *testing.T) {
	for _, tc := range []struct {
		name   string
		port   int
		addons []string
		want   bool
	}{
		{"none asked", 18099, nil, false},
		{"ingress asked", 18099, []string{backend.AddonIngress}, true},
		{"ingress left out", 0, []string{backend.AddonIngress}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &launch.Clusters{Runtime: launch.Sim, Cluster: cluster.Options{Seed: 1, Nodes: 1}, IngressPort: tc.port}
			defer s.Stop()
			c, _, err := s.Fresh(tc.addons...)
			if err != nil {
				t.Fatal(err)
			}
			has := slices.Contains(c.Capabilities().Addons, backend.AddonIngress)
			class := false
			if r, ok := backend.ResourceFor("ingressclasses"); ok {
				_, err := c.Get(r, "", "kubeplay")
				class = err == nil
			}
			if has != tc.want || class != tc.want {
				t.Errorf("Capabilities().Addons has ingress: %v, IngressClass kubeplay: %v; want %v", has, class, tc.want)
			}
		})
	}
}
