package lessons

import (
	"strings"
	"testing"
)

// TestCheckLoad: a load run of the step counts once it is over, for its
// Service, with the errors and the pods it saw; a run of an earlier step
// does not.
func TestCheckLoad(t *testing.T) {
	r, run := checkRun(t, Check{Load: &LoadResult{Service: "web", Errors: "none", Pods: 2}})
	run("create deployment web --image=kubeplay/demo:v1 --replicas=2")
	run("expose deployment web --port 80 --target-port 8080")
	if r.Met() {
		t.Fatal("met before any load")
	}
	run("load svc/web --rps 10 --for 2s")
	if !r.Met() {
		t.Fatal("a clean run answered by both pods does not count")
	}
	r.Begin(0)
	if r.Met() {
		t.Fatal("the run of the last step counted")
	}

	for _, tc := range []struct {
		check LoadResult
		met   bool
	}{
		{LoadResult{Service: "web"}, true},
		{LoadResult{Service: "web", Errors: "some"}, false},
		{LoadResult{Service: "web", Pods: 3}, false},
		{LoadResult{Service: "other"}, false},
	} {
		r, run := checkRun(t, Check{Load: &tc.check})
		run("create deployment web --image=kubeplay/demo:v1 --replicas=2")
		run("expose deployment web --port 80 --target-port 8080")
		run("load svc/web --rps 10 --for 1s")
		if r.Met() != tc.met {
			t.Errorf("%+v: met %v, want %v", tc.check, r.Met(), tc.met)
		}
	}

	// Errors: the only pod stops being ready, and without endpoints every
	// request fails.
	r, run = checkRun(t, Check{Load: &LoadResult{Service: "web", Errors: "some"}})
	run("create deployment web --image=kubeplay/demo:v1 --replicas=1")
	run("expose deployment web --port 80 --target-port 8080")
	run("scale deployment web --replicas=0")
	run("load svc/web --rps 10 --for 1s")
	if !r.Met() {
		t.Error("a run with no endpoints does not count as losing requests")
	}
}

func TestCheckLoadValidate(t *testing.T) {
	for _, tc := range []struct {
		l    LoadResult
		want string
	}{
		{LoadResult{}, "service is missing"},
		{LoadResult{Service: "web", Errors: "few"}, "errors must be none or some"},
		{LoadResult{Service: "web", Pods: -1}, "pods must not be negative"},
	} {
		err := (&Check{Load: &tc.l}).Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.l, err, tc.want)
		}
	}
}
