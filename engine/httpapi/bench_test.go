package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/watch"
)

// deployment is a Deployment of n demo pods, as JSON.
func deployment(name string, n int) string {
	return fmt.Sprintf(`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":%q},"spec":{"replicas":%d,
"selector":{"matchLabels":{"app":%q}},"template":{"metadata":{"labels":{"app":%q}},"spec":{"containers":[{"name":"app","image":"nginx"}]}}}}`,
		name, n, name, name)
}

// waitAvailable polls until the deployment has n updated, available
// replicas and nothing old left.
func (sv *served) waitAvailable(t testing.TB, name string, n int, image string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		var dep *appsv1.Deployment
		var pods int
		sv.s.onKernel(httptestRequest(), func() {
			res, _ := apiserver.ResourceFor("deployments")
			if obj, err := sv.c.Get(res, "default", name); err == nil {
				dep = obj.(*appsv1.Deployment)
			}
			pres, _ := apiserver.ResourceFor("pods")
			pods = len(sv.c.List(pres, "default"))
		})
		if dep != nil && dep.Status.ObservedGeneration == dep.Generation && dep.Status.AvailableReplicas == int32(n) && dep.Status.UpdatedReplicas == int32(n) &&
			dep.Status.Replicas == int32(n) && pods == n && dep.Spec.Template.Spec.Containers[0].Image == image {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("deployment %s never had %d available replicas of %s", name, n, image)
}

// podEventsAfter lists the pod changes the history holds after rev, as a
// watcher must have seen them: "TYPE name rv" lines.
func (sv *served) podEventsAfter(rev int64) []string {
	var out []string
	sv.s.onKernel(httptestRequest(), func() {
		evs, _ := sv.s.hist.since(rev)
		for _, ev := range evs {
			p, ok := ev.Object.(*corev1.Pod)
			if !ok || p.Namespace != "default" {
				continue
			}
			rv := p.ResourceVersion
			if ev.Type == watch.Deleted {
				rv = strconv.FormatInt(ev.Rev, 10)
			}
			out = append(out, fmt.Sprintf("%s %s %s", ev.Type, p.Name, rv))
		}
	})
	return out
}

func (sv *served) revision() int64 {
	var rev int64
	sv.s.onKernel(httptestRequest(), func() { rev = sv.c.Revision() })
	return rev
}

// TestWatchFanOut: twenty watchers of the same pods during a rolling
// update of 20 pods each see every change, in order.
func TestWatchFanOut(t *testing.T) {
	sv := serve(t)
	if code, body := sv.do(t, "POST", "/apis/apps/v1/namespaces/default/deployments", "application/json", deployment("web", 20)); code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	sv.waitAvailable(t, "web", 20, "nginx")
	from := sv.revision()
	const watchers = 20
	got := make([][]string, watchers)
	var mu sync.Mutex // got's
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range watchers {
		req, _ := http.NewRequestWithContext(ctx, "GET", sv.base+"/api/v1/namespaces/default/pods?watch=true&resourceVersion="+strconv.FormatInt(from, 10), nil)
		resp, err := sv.client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer resp.Body.Close()
			dec := json.NewDecoder(resp.Body)
			for {
				var ev struct {
					Type   string     `json:"type"`
					Object corev1.Pod `json:"object"`
				}
				if dec.Decode(&ev) != nil {
					return
				}
				mu.Lock()
				got[i] = append(got[i], fmt.Sprintf("%s %s %s", ev.Type, ev.Object.Name, ev.Object.ResourceVersion))
				mu.Unlock()
			}
		}()
	}
	patch := `{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.16.1"}]}}}}`
	if code, body := sv.do(t, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web", "application/strategic-merge-patch+json", patch); code != 200 {
		t.Fatalf("patch: %d %s", code, body)
	}
	sv.waitAvailable(t, "web", 20, "nginx:1.16.1")
	made := len(sv.podEventsAfter(from))
	// The last changes on their way (slow under -race).
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		behind := 0
		for _, g := range got {
			if len(g) < made {
				behind++
			}
		}
		mu.Unlock()
		if behind == 0 {
			break
		}
	}
	cancel()
	wg.Wait()
	// Changes may go on after the rollout: every watcher must have seen
	// at least the rollout's, and nothing but the cluster's, in order.
	want := sv.podEventsAfter(from)
	if made < 40 {
		t.Fatalf("a rolling update of 20 pods made only %d pod changes", made)
	}
	for i, g := range got {
		if len(g) < made || strings.Join(g, "\n") != strings.Join(want[:min(len(g), len(want))], "\n") {
			t.Errorf("watcher %d saw %d changes; the cluster made %d during the rollout, %d in all", i, len(g), made, len(want))
		}
	}
}

// kubectlOrSkip finds the real kubectl for a benchmark.
func kubectlOrSkip(b *testing.B) string {
	path, err := exec.LookPath("kubectl")
	if err != nil {
		b.Skip("no kubectl on PATH: this benchmark measures a real kubectl against kubeplay")
	}
	return path
}

// kubectlEnv points a kubectl at sv, with its discovery cache in dir.
func (sv *served) kubectlEnv(b testing.TB, dir string) []string {
	kc, err := WriteKubeconfig(dir, "kubeplay-test", sv.base, sv.s.Token(), sv.s.CACert())
	if err != nil {
		b.Fatal(err)
	}
	return append(os.Environ(), "KUBECONFIG="+kc, "HOME="+dir, "KUBECACHEDIR="+filepath.Join(dir, "cache"))
}

// BenchmarkKubectlGetPods compares, in one run, `kubectl get pods` over
// HTTP with 100 pods, the same kubectl starting and doing nothing
// (version --client), and the built-in prompt's `get pods` on a twin
// cluster. Goal: get-pods <= start + 5 ms.
func BenchmarkKubectlGetPods(b *testing.B) {
	kubectl := kubectlOrSkip(b)
	sv := serve(b)
	if code, body := sv.do(b, "POST", "/apis/apps/v1/namespaces/default/deployments", "application/json", deployment("web", 100)); code != 201 {
		b.Fatalf("create: %d %s", code, body)
	}
	sv.waitAvailable(b, "web", 100, "nginx")
	env := sv.kubectlEnv(b, b.TempDir())
	run := func(b *testing.B, args ...string) {
		cmd := exec.Command(kubectl, args...)
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			b.Fatalf("kubectl %v: %v\n%s", args, err, out.String())
		}
	}
	run(b, "get", "pods") // fills the discovery cache, as a learner's first command does
	// kubectl's own cost of `get pods`: the same kubectl against a server
	// that replays kubeplay's answers at once, from memory.
	canned := replay(b, sv)
	cannedEnv := canned.kubectlEnv(b, b.TempDir())
	runCanned := func(b *testing.B) {
		cmd := exec.Command(kubectl, "get", "pods")
		cmd.Env = cannedEnv
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("kubectl get pods against the replay: %v\n%s", err, out)
		}
	}
	runCanned(b)
	// The three kubectls in turn, so that the machine's drift (kubectl's
	// start varies by milliseconds from run to run) hits each alike.
	b.Run("interleaved", func(b *testing.B) {
		var start, replayed, real time.Duration
		timed := func(f func()) time.Duration { t0 := time.Now(); f(); return time.Since(t0) }
		for b.Loop() {
			start += timed(func() { run(b, "version", "--client") })
			replayed += timed(func() { runCanned(b) })
			real += timed(func() { run(b, "get", "pods") })
		}
		ms := func(d time.Duration) float64 { return float64(d) / float64(b.N) / float64(time.Millisecond) }
		b.ReportMetric(ms(start), "start-ms")
		b.ReportMetric(ms(replayed), "get-pods-replayed-ms")
		b.ReportMetric(ms(real), "get-pods-ms")
		b.ReportMetric(ms(real-start), "over-start-ms")
		b.ReportMetric(ms(real-replayed), "kubeplay-adds-ms")
	})
	b.Run("kubectl-get-pods-100-replayed", func(b *testing.B) {
		for b.Loop() {
			runCanned(b)
		}
	})
	b.Run("kubectl-start", func(b *testing.B) {
		for b.Loop() {
			run(b, "version", "--client")
		}
	})
	b.Run("kubectl-get-pods-100", func(b *testing.B) {
		for b.Loop() {
			run(b, "get", "pods")
		}
	})
	// What kubeplay adds to kubectl's own time: one table of 100 pods,
	// asked over loopback as kubectl asks it.
	b.Run("server-table-100", func(b *testing.B) {
		for b.Loop() {
			if code, _ := sv.do(b, "GET", "/api/v1/namespaces/default/pods?limit=500", "", "",
				"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"); code != 200 {
				b.Fatal(code)
			}
		}
	})
	b.Run("builtin-get-pods-100", func(b *testing.B) {
		c, err := cluster.New(cluster.Options{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		con := console.New(c, io.Discard, io.Discard, console.Options{})
		con.Exec("create deployment web --image=nginx --replicas=100", nil)
		con.Exec("rollout status deployment/web", nil)
		for b.Loop() {
			con.Exec("get pods", nil)
		}
	})
}

// replay records kubeplay's answers to one `kubectl get pods` (discovery
// included) and serves them again from memory, instantly.
func replay(b *testing.B, sv *served) *served {
	type answer struct {
		code int
		ct   string
		body []byte
	}
	answers := map[string]answer{}
	var mu sync.Mutex
	for _, path := range []string{"/api", "/apis", "/api/v1", "/apis/apps/v1", "/apis/batch/v1", "/apis/storage.k8s.io/v1",
		"/apis/authorization.k8s.io/v1", "/apis/metrics.k8s.io/v1beta1", "/version", "/api/v1/namespaces/default/pods?limit=500"} {
		req, _ := http.NewRequest("GET", sv.base+path, nil)
		req.Header.Set("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
		resp, err := sv.client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answers[path] = answer{resp.StatusCode, resp.Header.Get("Content-Type"), body}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		a, ok := answers[r.URL.RequestURI()]
		if !ok {
			a, ok = answers[r.URL.Path] // discovery, asked with ?timeout=32s
		}
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a.ct)
		w.WriteHeader(a.code)
		_, _ = w.Write(a.body)
	}))
	b.Cleanup(srv.Close)
	return &served{base: srv.URL, s: sv.s} // s: for its token
}

// cpuTime is the CPU this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWatchFanOut: 20 real `kubectl get pods -w` follow a rolling
// update of 100 pods; every one must print every change. It reports the
// CPU kubeplay spent on the rollout with the watchers and without them.
func BenchmarkWatchFanOut(b *testing.B) {
	kubectl := kubectlOrSkip(b)
	for b.Loop() {
		without := rolloutCPU(b, kubectl, 0)
		with := rolloutCPU(b, kubectl, 20)
		b.ReportMetric(float64(without.Milliseconds()), "cpu-ms-0-watchers")
		b.ReportMetric(float64(with.Milliseconds()), "cpu-ms-20-watchers")
	}
}

// rolloutCPU rolls 100 pods to a new image with n kubectl watchers and
// returns the CPU the process spent meanwhile; it fails the benchmark if
// a watcher missed a change.
func rolloutCPU(b *testing.B, kubectl string, n int) time.Duration {
	sv := serve(b)
	if code, body := sv.do(b, "POST", "/apis/apps/v1/namespaces/default/deployments", "application/json", deployment("web", 100)); code != 201 {
		b.Fatalf("create: %d %s", code, body)
	}
	sv.waitAvailable(b, "web", 100, "nginx")
	env := sv.kubectlEnv(b, b.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outs := make([]*dockertest.Buffer, n)
	var cmds []*exec.Cmd
	for i := range n {
		cmd := exec.CommandContext(ctx, kubectl, "get", "pods", "-w", "--output-watch-events",
			"-o", `jsonpath={.type} {.object.metadata.name} {.object.metadata.resourceVersion}{"\n"}`)
		cmd.Env = env
		outs[i] = &dockertest.Buffer{}
		cmd.Stdout = outs[i]
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	lines := func(i int) []string { return strings.Split(strings.TrimSpace(outs[i].String()), "\n") }
	for i := range n { // each has listed the 100 pods
		for deadline := time.Now().Add(time.Minute); len(lines(i)) < 100; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				b.Fatalf("watcher %d listed only %d pods", i, len(lines(i)))
			}
		}
	}
	from := sv.revision()
	start := cpuTime()
	patch := `{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.16.1"}]}}}}`
	if code, body := sv.do(b, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web", "application/strategic-merge-patch+json", patch); code != 200 {
		b.Fatalf("patch: %d %s", code, body)
	}
	sv.waitAvailable(b, "web", 100, "nginx:1.16.1")
	used := cpuTime() - start
	made := len(sv.podEventsAfter(from))
	for i := range n {
		for deadline := time.Now().Add(time.Minute); len(lines(i)) < 100+made; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				b.Fatalf("watcher %d printed %d changes of the rollout's %d", i, len(lines(i))-100, made)
			}
		}
	}
	cancel()
	for _, c := range cmds {
		_ = c.Wait()
	}
	return used
}
