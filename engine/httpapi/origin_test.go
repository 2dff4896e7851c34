package httpapi

import (
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/sim"
)

// TestRequestsFromOutsideAreMarked: the hops of a request over HTTP say
// they came from outside, so that the flow can draw the learner's own
// kubectl apart from the prompt's without reading the summary's words.
func TestRequestsFromOutsideAreMarked(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	origins := map[[2]sim.Component]sim.Origin{}
	c.Observe(func(h sim.Hop) {
		route := [2]sim.Component{sim.Component(h.From), sim.Component(h.To)}
		mu.Lock()
		defer mu.Unlock()
		if _, seen := origins[route]; !seen && (h.Object == "pods/web" || h.Object == "/registry/pods/default/web") {
			origins[route] = h.Origin // the first: the create, not the writes that follow it
		}
	})
	sv := serveCluster(t, c)
	if code, body := sv.do(t, "POST", "/api/v1/namespaces/default/pods", "application/json", podJSON); code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, route := range [][2]sim.Component{{"kubectl", "apiserver"}, {"apiserver", "etcd"}} {
		if o, ok := origins[route]; !ok || o != sim.OriginExternal {
			t.Errorf("%s → %s: origin %v (seen %v), want external", route[0], route[1], o, ok)
		}
	}
	if o := origins[[2]sim.Component{"apiserver", "scheduler"}]; o != sim.OriginInside {
		t.Errorf("the scheduler's watch: origin %v, want inside", o)
	}
}

// TestHeardTellsEachResourceRequest: Heard is told of each request that
// names a resource — its method, path, query and body — and not of
// discovery; the request is served as it would be without it (the body
// it was told of is still read).
func TestHeardTellsEachResourceRequest(t *testing.T) {
	type heard struct{ method, path, query, body string }
	var mu sync.Mutex
	var got []heard
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sv := serveCluster(t, c, func(s *Server) {
		s.Heard = func(method, path, query string, body []byte) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, heard{method, path, query, string(body)})
		}
	})
	if code, body := sv.do(t, "GET", "/api/v1", "", ""); code != http.StatusOK {
		t.Fatalf("discovery: %d %s", code, body)
	}
	if code, body := sv.do(t, "POST", "/api/v1/namespaces/default/pods?fieldManager=kubectl-create", "application/json", podJSON); code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	if code, body := sv.do(t, "GET", "/api/v1/namespaces/default/pods?limit=500", "", ""); code != http.StatusOK {
		t.Fatalf("list: %d %s", code, body)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []heard{
		{"POST", "/api/v1/namespaces/default/pods", "fieldManager=kubectl-create", podJSON},
		{"GET", "/api/v1/namespaces/default/pods", "limit=500", ""},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Heard was told of\n%q\nwant\n%q", got, want)
	}
}
