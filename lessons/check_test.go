package lessons

import (
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/sim"
)

// checkRun is a one-step lesson with check c, on a fresh cluster, and a
// console to change the cluster with.
func checkRun(t *testing.T, c Check) (*Run, func(line string)) {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	cl, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	con := console.New(cl, &out, &out, console.Options{})
	l := &Lesson{ID: "t", Steps: []Step{{Check: &c}}}
	r := NewRun(l, cl, &Progress{Lessons: map[string][]int{}}, "en")
	return r, func(line string) {
		code, _ := con.Exec(line, nil)
		r.Record(line, code == 0)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", line, code, out.String())
		}
		cl.RunFor(console.ThinkTime * 50)
	}
}

func TestCheckWait(t *testing.T) {
	for _, tc := range []struct {
		wait, cmd string
	}{
		{"--for=condition=Ready pod/web", "run web --image=nginx"},
		{"--for=jsonpath={.status.phase}=Running pod/web", "run web --image=nginx"},
		{"--for=condition=Ready pods -l run=web", "run web --image=nginx"},
		{"--for=delete pod/web -n default", "delete pod web"},
	} {
		t.Run(tc.wait, func(t *testing.T) {
			r, run := checkRun(t, Check{Wait: tc.wait})
			if strings.Contains(tc.wait, "delete") {
				run("run web --image=nginx")
				if r.Met() {
					t.Fatal("met while the pod exists")
				}
			} else if r.Met() {
				t.Fatal("met before anything ran")
			}
			run(tc.cmd)
			if !r.Met() {
				t.Error("not met after " + tc.cmd)
			}
		})
	}
}

// A wait on a Service's EndpointSlice, what CoreDNS and kube-proxy read
// (lesson 18 waits so for its headless Service before the lookup), is
// met once the slice lists the ready pods, and its goal says so in
// words, not in jsonpath.
func TestCheckWaitOnAServicesSlice(t *testing.T) {
	c := Check{Wait: "--for=jsonpath={.endpoints[1].conditions.ready}=true endpointslices -l kubernetes.io/service-name=web"}
	r, run := checkRun(t, c)
	for lang, want := range map[bilingual.Lang]string{
		bilingual.English: "the EndpointSlice of Service web lists 2 ready pods",
		bilingual.Korean:  "web 서비스의 엔드포인트슬라이스에 준비된 파드가 2개 있어야 해요.",
	} {
		if got := r.Step().Check.Goal(lang); got != want {
			t.Errorf("goal in %s: %q, want %q", lang, got, want)
		}
	}
	run("create deployment web --image=kubeplay/demo:v1 --replicas=2")
	if r.Met() {
		t.Fatal("met before the Service")
	}
	run("create service clusterip web --clusterip=None --tcp=80:8080")
	if !r.Met() {
		t.Error("not met with two ready pods behind web")
	}
}

// A step done when an object is gone is not done when it never was
// (a learner who skipped the steps that made it).
func TestCheckGoneNeedsItToHaveBeen(t *testing.T) {
	r, run := checkRun(t, Check{Wait: "--for=delete pod/web"})
	if r.Met() {
		t.Fatal("met although pod web never existed")
	}
	run("run web --image=nginx")
	run("delete pod web")
	if !r.Met() {
		t.Error("not met after pod web was made and deleted")
	}
}

func TestCheckPodsCountsLivePodsInPhase(t *testing.T) {
	r, run := checkRun(t, Check{Pods: &PodCount{Selector: "app=web", Phase: "Running", Ready: true, Count: 2}})
	run("create deployment web --image=nginx --replicas=2")
	if !r.Met() {
		t.Fatal("2 running pods not counted")
	}
	run("scale deployment web --replicas=3")
	if r.Met() {
		t.Error("3 pods counted as 2")
	}
}

// An event counts only when recorded during the step: the pods of the
// first step must not pass the second's check.
func TestCheckEventSinceStepBegan(t *testing.T) {
	r, run := checkRun(t, Check{Event: &EventSeen{Reason: "Scheduled", Object: "pod/web*"}})
	run("run web --image=nginx")
	if !r.Met() {
		t.Fatal("Scheduled event not seen")
	}
	r.Begin(0)
	if r.Met() {
		t.Fatal("an event of the last step counted")
	}
	run("run web2 --image=nginx")
	if !r.Met() {
		t.Error("second Scheduled event not seen")
	}
}

func TestCheckRan(t *testing.T) {
	r, run := checkRun(t, Check{Ran: "get pods"})
	run("kubectl get nodes")
	if r.Met() {
		t.Fatal("get nodes counted as get pods")
	}
	run("kubectl get pods -o wide")
	if !r.Met() {
		t.Error("get pods -o wide not counted")
	}
}

func TestHopMatch(t *testing.T) {
	h := sim.Hop{From: "apiserver", To: "kubelet/node-2", Verb: "watch", Object: "pods/web-x7k2p"}
	for _, tc := range []struct {
		m    HopMatch
		want bool
	}{
		{HopMatch{To: "kubelet"}, true},
		{HopMatch{To: "kubelet/node-2", Object: "pods/web"}, true},
		{HopMatch{To: "kube"}, false},
		{HopMatch{From: "apiserver", Verb: "bind"}, false},
		{HopMatch{Object: "pods/db"}, false},
	} {
		if got := tc.m.Matches(h); got != tc.want {
			t.Errorf("%+v matches = %v, want %v", tc.m, got, tc.want)
		}
	}
	h.Internal = true
	if (HopMatch{To: "kubelet"}).Matches(h) {
		t.Error("an internal hop matched")
	}
}

func TestExplainOncePerStepWithHopValues(t *testing.T) {
	l := &Lesson{ID: "t", Steps: []Step{{PauseOn: []Pause{{Match: HopMatch{Verb: "bind"}, Explain: Text{EN: "to {object}: {summary}", KO: "{object}"}}}}}}
	cl, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := NewRun(l, cl, &Progress{Lessons: map[string][]int{}}, "en")
	h := sim.Hop{Verb: "bind", Object: "pods/web", Summary: "node-1 scores 397"}
	if got, ok := r.Explain(h); !ok || got != "to pods/web: node-1 scores 397" {
		t.Errorf("Explain = %q, %v", got, ok)
	}
	if r.WouldPause(h) {
		t.Error("the same mark paused twice in one step")
	}
	if len(r.Unexplained()) != 0 {
		t.Errorf("Unexplained = %v", r.Unexplained())
	}
}

// TestCheckExec: an exec check holds when the command succeeds in the
// pod's container and prints what it asks, whichever way the pod got it.
func TestCheckExec(t *testing.T) {
	r, run := checkRun(t, Check{Exec: &ExecOutput{Pod: "web", Command: "sh -c 'echo $MODE'", Output: "fast"}})
	if r.Met() {
		t.Fatal("met before the pod exists")
	}
	run("run web --image=kubeplay/demo:v1 --env=MODE=slow")
	if r.Met() {
		t.Fatal("met when the container prints slow")
	}
	run("delete pod web")
	run("run web --image=kubeplay/demo:v1 --env=MODE=fast")
	if !r.Met() {
		t.Error("not met when the container prints fast")
	}
	if err := (&Check{Exec: &ExecOutput{Pod: "web"}}).Validate(); err == nil || !strings.Contains(err.Error(), "command is missing") {
		t.Errorf("an exec without a command: %v", err)
	}
}
