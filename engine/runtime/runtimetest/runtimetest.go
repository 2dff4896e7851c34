// Package runtimetest is the conformance suite of runtime.Runtime: what
// the kubelet relies on, checked the same way on the simulated runtime (in
// virtual time) and on Docker (in real time), so that every lesson behaves
// alike on both.
package runtimetest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"
)

// Harness is how the suite gets runtimes and lets time pass.
type Harness struct {
	// New returns a fresh runtime and its clock; it registers the
	// runtime's cleanup on t.
	New func(t *testing.T) Instance
	// DemoImage runs the demo app (kubeplay/demo). ShellImage runs
	// commands with sh -c, cat, touch, sleep and echo.
	DemoImage, ShellImage string
	// Slack is how much later than due a runtime may act: nothing for
	// the simulated runtime; process start and signal delivery for a real
	// one.
	Slack time.Duration
}

// Instance is one runtime under test with its clock.
type Instance struct {
	Runtime runtime.Runtime
	// Sleep lets d pass: the kernel's RunFor in virtual time, time.Sleep
	// in real time.
	Sleep func(d time.Duration)
	Now   func() time.Time
}

// MissingImage is an image no runtime has and no registry serves.
const MissingImage = "kubeplay-missing/nothing:v0"

// Run runs the suite.
func Run(t *testing.T, h Harness) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, s *suite)
	}{
		{"start and run", startAndRun},
		{"exit code reported", exitCode},
		{"http probes pass and fail", httpProbes},
		{"tcp probe", tcpProbe},
		{"exec probe", execProbe},
		{"restart is a new container", restart},
		{"termination: drains within grace", drainWithinGrace},
		{"termination: SIGKILL after grace", killAfterGrace},
		{"logs", logs},
		{"logs: streamed as written, every line once", streamLogs},
		{"exec output, exit code and timeout", execOutput},
		{"exec with standard input", execStdin},
		{"containers of a pod share the network", sharedNetwork},
		{"removing the sandbox ends its containers", removeSandbox},
		{"image errors", imageErrors},
		{"volumes: emptyDir shared, hostPath kept", volumes},
		{"emptyDir: kept for the pod's next sandbox until the pod is done", emptyDirOutlivesSandbox},
		{"persistent volume: kept across pods until removed", persistent},
		{"demo app shows its env and mounted files", demoEnvAndFiles},
		{"the pod's host name, resolver and hosts file", etcFiles},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := h.New(t)
			s := &suite{h: h, Instance: in, rt: in.Runtime}
			in.Runtime.OnExit(s.record)
			tc.run(t, s)
		})
	}
}

// suite is one case's runtime and the exits it reported.
type suite struct {
	Instance
	h  Harness
	rt runtime.Runtime

	mu    sync.Mutex // the exit handler may run on another goroutine
	exits []runtime.Exit
}

func (s *suite) record(ex runtime.Exit) {
	s.mu.Lock()
	s.exits = append(s.exits, ex)
	s.mu.Unlock()
}

func (s *suite) exitOf(id string) (runtime.Exit, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	var found runtime.Exit
	for _, ex := range s.exits {
		if ex.ContainerID == id {
			found = ex
			n++
		}
	}
	return found, n
}

// step is how often the suite looks while it waits.
const step = 25 * time.Millisecond

// eventually waits up to within (plus the harness's slack) for cond.
func (s *suite) eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := s.Now().Add(within + s.h.Slack)
	for !cond() {
		if s.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within+s.h.Slack)
		}
		s.Sleep(step)
	}
}

// waitExit waits for a container's exit, reported once.
func (s *suite) waitExit(t *testing.T, id string, within time.Duration) runtime.Exit {
	t.Helper()
	s.eventually(t, within, "exit of "+id, func() bool { _, n := s.exitOf(id); return n > 0 })
	ex, n := s.exitOf(id)
	if n != 1 {
		t.Errorf("exit of %s reported %d times, want once", id, n)
	}
	return ex
}

func (s *suite) sandbox(t *testing.T, pod string, volumes ...runtime.Volume) runtime.Sandbox {
	t.Helper()
	sb, err := s.rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-" + pod, PodName: pod, Namespace: "default", Hostname: pod, Volumes: volumes})
	if err != nil {
		t.Fatalf("RunSandbox: %v", err)
	}
	if net.ParseIP(sb.IP) == nil || sb.ID == "" {
		t.Fatalf("RunSandbox = %+v, want an ID and an IP", sb)
	}
	return sb
}

// start creates and starts a container in sb.
func (s *suite) start(t *testing.T, sb runtime.Sandbox, cfg runtime.ContainerConfig) string {
	t.Helper()
	id, err := s.rt.CreateContainer(sb.ID, cfg)
	if err != nil {
		t.Fatalf("CreateContainer(%s): %v", cfg.Name, err)
	}
	if err := s.rt.StartContainer(id); err != nil {
		t.Fatalf("StartContainer(%s): %v", cfg.Name, err)
	}
	return id
}

func (s *suite) demo(t *testing.T, sb runtime.Sandbox, env ...string) string {
	t.Helper()
	cfg := runtime.ContainerConfig{Name: "app", Image: s.h.DemoImage, Ports: []int32{8080}}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		cfg.Env = append(cfg.Env, runtime.EnvVar{Name: k, Value: v})
	}
	return s.start(t, sb, cfg)
}

func (s *suite) shell(t *testing.T, sb runtime.Sandbox, name, script string) string {
	t.Helper()
	return s.start(t, sb, runtime.ContainerConfig{Name: name, Image: s.h.ShellImage, Command: []string{"sh", "-c", script}})
}

// get waits until an HTTP probe of path gets an answer, and returns it.
func (s *suite) get(t *testing.T, id string, port int, path string) (int, string) {
	t.Helper()
	var status int
	var body string
	s.eventually(t, time.Second, fmt.Sprintf("GET :%d%s", port, path), func() bool {
		var err error
		status, body, err = s.rt.ProbeHTTP(id, port, path, false, time.Second)
		return err == nil
	})
	return status, body
}

func (s *suite) logs(t *testing.T, id string) string {
	t.Helper()
	var b strings.Builder
	if err := s.rt.Logs(id, &b); err != nil {
		t.Fatalf("Logs: %v", err)
	}
	return b.String()
}

func startAndRun(t *testing.T, s *suite) {
	id := s.demo(t, s.sandbox(t, "web"))
	st, err := s.rt.Status(id)
	if err != nil || !st.Running || st.StartedAt.IsZero() {
		t.Fatalf("Status = %+v, %v; want running with a start time", st, err)
	}
	status, body := s.get(t, id, 8080, "/")
	if status != 200 || !strings.Contains(body, "kubeplay demo") || !strings.Contains(body, "from pod web") {
		t.Errorf("GET / = %d %q, want 200 from the demo app of pod web", status, body)
	}
}

func exitCode(t *testing.T, s *suite) {
	sb := s.sandbox(t, "job")
	for _, tc := range []struct {
		script string
		code   int
		reason string
	}{{"echo done", 0, "Completed"}, {"exit 3", 3, "Error"}} {
		id := s.shell(t, sb, "c", tc.script)
		ex := s.waitExit(t, id, 2*time.Second)
		if ex.Status.ExitCode != tc.code || ex.Status.Reason != tc.reason || ex.Status.Running || ex.Status.FinishedAt.IsZero() {
			t.Errorf("%q: exit %+v, want code %d, reason %s and a finish time", tc.script, ex.Status, tc.code, tc.reason)
		}
		st, err := s.rt.Status(id)
		if err != nil || st.Running || st.ExitCode != tc.code {
			t.Errorf("%q: Status = %+v, %v; want exited with %d", tc.script, st, err, tc.code)
		}
	}
}

func httpProbes(t *testing.T, s *suite) {
	id := s.demo(t, s.sandbox(t, "web"), "FAIL_HEALTH_AFTER=2s")
	if status, _ := s.get(t, id, 8080, "/healthz"); status != 200 {
		t.Fatalf("/healthz = %d at start, want 200", status)
	}
	if status, _ := s.get(t, id, 8080, "/ready"); status != 200 {
		t.Errorf("/ready = %d, want 200", status)
	}
	s.eventually(t, 2*time.Second, "/healthz failing after FAIL_HEALTH_AFTER", func() bool {
		status, body, err := s.rt.ProbeHTTP(id, 8080, "/healthz", false, time.Second)
		return err == nil && status == 500 && body == "unhealthy\n"
	})
	if _, _, err := s.rt.ProbeHTTP(id, 9999, "/healthz", false, time.Second); !errors.Is(err, runtime.ErrConnRefused) {
		t.Errorf("probe of a closed port: %v, want ErrConnRefused", err)
	}
	// scheme: HTTPS against the demo app, which speaks plain HTTP: the
	// kubelet's TLS handshake gets an HTTP answer, and the probe fails.
	if status, _, err := s.rt.ProbeHTTP(id, 8080, "/ready", true, time.Second); !errors.Is(err, http.ErrSchemeMismatch) {
		t.Errorf("HTTPS probe of a plain HTTP server = %d, %v; want %v", status, err, http.ErrSchemeMismatch)
	}
}

func tcpProbe(t *testing.T, s *suite) {
	id := s.demo(t, s.sandbox(t, "web"))
	s.eventually(t, time.Second, "TCP probe of :8080", func() bool { return s.rt.ProbeTCP(id, 8080, time.Second) == nil })
	if err := s.rt.ProbeTCP(id, 9999, time.Second); !errors.Is(err, runtime.ErrConnRefused) {
		t.Errorf("TCP probe of a closed port: %v, want ErrConnRefused", err)
	}
}

func (s *suite) exec(t *testing.T, id string, cmd ...string) runtime.ExecResult {
	t.Helper()
	res, err := s.rt.Exec(id, cmd, 5*time.Second)
	if err != nil {
		t.Fatalf("Exec %q: %v", cmd, err)
	}
	return res
}

func execProbe(t *testing.T, s *suite) {
	id := s.demo(t, s.sandbox(t, "web"))
	if res := s.exec(t, id, "cat", "/tmp/healthy"); res.ExitCode == 0 {
		t.Errorf("cat of a missing file: exit 0, want a failure")
	}
	if res := s.exec(t, id, "touch", "/tmp/healthy"); res.ExitCode != 0 {
		t.Fatalf("touch: exit %d: %s", res.ExitCode, res.Output)
	}
	if res := s.exec(t, id, "cat", "/tmp/healthy"); res.ExitCode != 0 {
		t.Errorf("cat of a file there: exit %d: %s", res.ExitCode, res.Output)
	}
}

func restart(t *testing.T, s *suite) {
	sb := s.sandbox(t, "crashy")
	first := s.shell(t, sb, "c", "echo run; exit 1")
	s.waitExit(t, first, 2*time.Second)
	second := s.shell(t, sb, "c", "echo run; exit 1")
	if second == first {
		t.Fatalf("restart reused container ID %s", first)
	}
	if ex := s.waitExit(t, second, 2*time.Second); ex.Status.ExitCode != 1 {
		t.Errorf("second instance: exit %d, want 1", ex.Status.ExitCode)
	}
	if !strings.Contains(s.logs(t, first), "run") {
		t.Errorf("logs of the previous instance are gone")
	}
	if err := s.rt.RemoveContainer(first); err != nil {
		t.Errorf("RemoveContainer: %v", err)
	}
	if _, err := s.rt.Status(first); err == nil {
		t.Errorf("Status of a removed container: no error")
	}
}

// stop asks for a stop and returns the exit and how long it took.
func (s *suite) stop(t *testing.T, id string, grace, within time.Duration) (runtime.Exit, time.Duration) {
	t.Helper()
	s.eventually(t, time.Second, "demo app up", func() bool { return s.rt.ProbeTCP(id, 8080, time.Second) == nil })
	begin := s.Now()
	if err := s.rt.StopContainer(id, grace); err != nil {
		t.Fatalf("StopContainer: %v", err)
	}
	if took := s.Now().Sub(begin); took > 500*time.Millisecond {
		t.Errorf("StopContainer took %s, want it to return at once", took)
	}
	ex := s.waitExit(t, id, within)
	exited := ex.Status.FinishedAt
	if exited.IsZero() || s.h.Slack > 0 {
		exited = s.Now() // a real runtime's finish time is on the daemon's clock
	}
	return ex, exited.Sub(begin)
}

func (s *suite) checkTiming(t *testing.T, took, want time.Duration) {
	t.Helper()
	if took < want-step || took > want+step+s.h.Slack {
		t.Errorf("exited after %s, want %s", took.Round(time.Millisecond), want)
	}
}

func drainWithinGrace(t *testing.T, s *suite) {
	id := s.demo(t, s.sandbox(t, "web"), "SHUTDOWN_DELAY=1s")
	ex, took := s.stop(t, id, 3*time.Second, 3*time.Second)
	if ex.Status.ExitCode != 0 || ex.Status.Reason != "Completed" {
		t.Errorf("exit %+v, want 0 Completed after draining", ex.Status)
	}
	s.checkTiming(t, took, time.Second)
	if l := s.logs(t, id); !strings.Contains(l, "SIGTERM") || !strings.Contains(l, "drained") {
		t.Errorf("logs %q, want SIGTERM and drained", l)
	}
}

func killAfterGrace(t *testing.T, s *suite) {
	id := s.demo(t, s.sandbox(t, "web"), "SHUTDOWN_DELAY=30s")
	ex, took := s.stop(t, id, time.Second, 2*time.Second)
	if ex.Status.ExitCode != 137 || ex.Status.Reason != "Error" {
		t.Errorf("exit %+v, want 137 Error (SIGKILL)", ex.Status)
	}
	s.checkTiming(t, took, time.Second)
	if l := s.logs(t, id); !strings.Contains(l, "SIGTERM") || strings.Contains(l, "drained") {
		t.Errorf("logs %q, want SIGTERM first and no end of draining", l)
	}
}

func logs(t *testing.T, s *suite) {
	sb := s.sandbox(t, "web")
	app := s.demo(t, sb)
	s.eventually(t, time.Second, "demo app banner in logs", func() bool {
		return strings.Contains(s.logs(t, app), "kubeplay demo-app")
	})
	job := s.shell(t, sb, "job", "echo to-stdout; echo to-stderr >&2")
	s.waitExit(t, job, 2*time.Second)
	if l := s.logs(t, job); !strings.Contains(l, "to-stdout\n") || !strings.Contains(l, "to-stderr\n") {
		t.Errorf("logs %q, want both streams", l)
	}
}

// lockedBuffer is a log follower's output, written on its goroutine and
// read on the test's.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// streamLogs: a follower of a container that writes thousands of lines
// gets each of them once, in order, and its stream ends with the
// container; a tail of 1 is the last line.
func streamLogs(t *testing.T, s *suite) {
	ls, ok := s.rt.(runtime.LogStreamer)
	if !ok {
		t.Skip("this runtime's logs are followed on the kernel's clock (kubelet.FollowLogs), not streamed")
	}
	const lines = 5000
	id := s.shell(t, s.sandbox(t, "chatty"), "c", fmt.Sprintf("sleep 1; i=0; while [ $i -lt %d ]; do echo line $i; i=$((i+1)); done; echo last", lines))
	var out lockedBuffer
	ended := make(chan error, 1)
	go func() { ended <- ls.StreamLogs(context.Background(), id, -1, true, &out) }()
	select {
	case err := <-ended:
		if err != nil {
			t.Fatalf("StreamLogs: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the follow did not end with the container; %d bytes so far", len(out.String()))
	}
	var want strings.Builder
	for i := range lines {
		fmt.Fprintf(&want, "line %d\n", i)
	}
	want.WriteString("last\n")
	if got := out.String(); got != want.String() {
		t.Errorf("followed %d bytes, want %d (every line once, in order); it ends %q", len(got), want.Len(), got[max(0, len(got)-40):])
	}
	var tail lockedBuffer
	if err := ls.StreamLogs(context.Background(), id, 1, false, &tail); err != nil || tail.String() != "last\n" {
		t.Errorf("tail 1 = %q, %v; want the last line", tail.String(), err)
	}
}

func execOutput(t *testing.T, s *suite) {
	id := s.demo(t, s.sandbox(t, "web"))
	res := s.exec(t, id, "sh", "-c", "echo out; echo err >&2; exit 4")
	// Both streams, in either order: a real runtime reads them from two
	// pipes.
	if out := string(res.Output); res.ExitCode != 4 || res.TimedOut || len(out) != 8 || !strings.Contains(out, "out\n") || !strings.Contains(out, "err\n") {
		t.Errorf("exec = %d %q (timed out %v), want 4 and the lines out and err", res.ExitCode, res.Output, res.TimedOut)
	}
	// A program the container lacks: the OCI runtime's error, as Docker
	// gives it, on both runtimes.
	res = s.exec(t, id, "no-such-binary")
	if want := runtime.ExecNotFound(errors.New(`exec: "no-such-binary": executable file not found in $PATH`)); res.ExitCode != want.ExitCode || string(res.Output) != string(want.Output) {
		t.Errorf("exec of a missing binary = %d %q, want %d %q", res.ExitCode, res.Output, want.ExitCode, want.Output)
	}
	res, err := s.rt.Exec(id, []string{"sleep", "10"}, 500*time.Millisecond)
	if err != nil || !res.TimedOut {
		t.Errorf("exec past its timeout = %+v, %v; want TimedOut", res, err)
	}
}

// execStdin: a command reads what it was given to its end, as `kubectl
// exec -i POD -- sh -c 'cat'` with a here-document.
func execStdin(t *testing.T, s *suite) {
	se, ok := s.rt.(runtime.StdinExecer)
	if !ok {
		t.Skip("this runtime cannot give a command standard input")
	}
	id := s.demo(t, s.sandbox(t, "web"))
	res, err := se.ExecStdin(id, []string{"sh", "-c", "cat; read -r line || echo at-end; exit 3"}, []byte("one\ntwo\n"), 5*time.Second)
	if err != nil || res.ExitCode != 3 || string(res.Output) != "one\ntwo\nat-end\n" {
		t.Errorf("exec with stdin = %d %q, %v; want 3 and one, two, at-end", res.ExitCode, res.Output, err)
	}
}

func sharedNetwork(t *testing.T, s *suite) {
	sb := s.sandbox(t, "web")
	a := s.demo(t, sb, "VERSION=a")
	s.demo(t, sb, "VERSION=b", "PORT=8081")
	// Container a's pod IP answers on b's port: one network namespace.
	if status, body := s.get(t, a, 8081, "/"); status != 200 || !strings.Contains(body, "demo b") {
		t.Errorf("GET :8081 through a = %d %q, want b's answer", status, body)
	}
	// And localhost, from a third container, is the pod itself.
	sh := s.shell(t, sb, "sh", "sleep 600")
	for _, host := range []string{"localhost", "127.0.0.1"} {
		if res := s.exec(t, sh, "wget", "-qO-", "http://"+host+":8081/"); res.ExitCode != 0 || !strings.Contains(string(res.Output), "demo b") {
			t.Errorf("wget %s:8081 in the pod = %d %q, want b's answer", host, res.ExitCode, res.Output)
		}
	}
}

func removeSandbox(t *testing.T, s *suite) {
	sb := s.sandbox(t, "web")
	id := s.demo(t, sb)
	s.get(t, id, 8080, "/")
	if err := s.rt.RemoveSandbox(sb.ID); err != nil {
		t.Fatalf("RemoveSandbox: %v", err)
	}
	if ex := s.waitExit(t, id, time.Second); ex.Status.ExitCode != 137 {
		t.Errorf("exit %+v, want 137 (killed)", ex.Status)
	}
	if _, err := s.rt.Status(id); err == nil {
		t.Errorf("Status of a container of a removed sandbox: no error")
	}
}

func imageErrors(t *testing.T, s *suite) {
	if !s.rt.HasImage(s.h.DemoImage) {
		t.Errorf("HasImage(%s) = false", s.h.DemoImage)
	}
	if s.rt.HasImage(MissingImage) {
		t.Errorf("HasImage(%s) = true", MissingImage)
	}
	_, err := s.rt.PullImage(MissingImage)
	if !errors.Is(err, runtime.ErrImageNotFound) {
		t.Errorf("PullImage(%s) = %v, want ErrImageNotFound", MissingImage, err)
	}
}

// volumes: two containers of a pod share an emptyDir (one of them
// read-only, one through a subPath); a hostPath file outlives the pod and
// is there for the next pod on the node, whose emptyDir starts empty.
func volumes(t *testing.T, s *suite) {
	vols := []runtime.Volume{{Name: "shared"}, {Name: "node", HostPath: "/var/lib/kubeplay-conformance"}}
	sb := s.sandbox(t, "vol", vols...)
	sleeper := func(name string, mounts ...runtime.Mount) string {
		return s.start(t, sb, runtime.ContainerConfig{Name: name, Image: s.h.ShellImage,
			Command: []string{"sh", "-c", "sleep 600"}, Mounts: mounts})
	}
	writer := sleeper("writer", runtime.Mount{Volume: "shared", Path: "/data"}, runtime.Mount{Volume: "node", Path: "/node"})
	reader := sleeper("reader", runtime.Mount{Volume: "shared", Path: "/in", ReadOnly: true})
	sub := sleeper("sub", runtime.Mount{Volume: "shared", Path: "/sub", SubPath: "part"})
	for _, cmd := range [][]string{
		{"sh", "-c", "echo hello > /data/msg"},
		{"sh", "-c", "echo kept > /node/kept"},
	} {
		if res := s.exec(t, writer, cmd...); res.ExitCode != 0 {
			t.Fatalf("%q in writer: exit %d: %s", cmd, res.ExitCode, res.Output)
		}
	}
	if res := s.exec(t, sub, "sh", "-c", "echo deep > /sub/f"); res.ExitCode != 0 {
		t.Fatalf("write through the subPath: exit %d: %s", res.ExitCode, res.Output)
	}
	if res := s.exec(t, reader, "cat", "/in/msg"); res.ExitCode != 0 || string(res.Output) != "hello\n" {
		t.Errorf("cat /in/msg in reader = %d %q, want the writer's hello", res.ExitCode, res.Output)
	}
	if res := s.exec(t, reader, "cat", "/in/part/f"); res.ExitCode != 0 || string(res.Output) != "deep\n" {
		t.Errorf("cat /in/part/f in reader = %d %q, want what sub wrote under its subPath", res.ExitCode, res.Output)
	}
	if res := s.exec(t, reader, "touch", "/in/x"); res.ExitCode == 0 || !strings.Contains(strings.ToLower(string(res.Output)), "read-only") {
		t.Errorf("touch in a readOnly mount = %d %q, want a read-only file system error", res.ExitCode, res.Output)
	}
	if err := s.rt.RemoveSandbox(sb.ID); err != nil {
		t.Fatalf("RemoveSandbox: %v", err)
	}

	next := s.sandbox(t, "vol-next", vols...)
	id := s.start(t, next, runtime.ContainerConfig{Name: "c", Image: s.h.ShellImage, Command: []string{"sh", "-c", "sleep 600"},
		Mounts: []runtime.Mount{{Volume: "shared", Path: "/data"}, {Volume: "node", Path: "/node"}}})
	if res := s.exec(t, id, "cat", "/node/kept"); res.ExitCode != 0 || string(res.Output) != "kept\n" {
		t.Errorf("hostPath in the next pod: cat /node/kept = %d %q, want kept", res.ExitCode, res.Output)
	}
	if res := s.exec(t, id, "cat", "/data/msg"); res.ExitCode == 0 {
		t.Errorf("emptyDir of the next pod holds the last pod's file %q", res.Output)
	}
	if _, err := s.rt.CreateContainer(next.ID, runtime.ContainerConfig{Name: "bad", Image: s.h.ShellImage,
		Mounts: []runtime.Mount{{Volume: "nope", Path: "/x"}}}); err == nil {
		t.Errorf("CreateContainer mounting a volume the pod lacks: no error")
	}
}

// emptyDirOutlivesSandbox: a pod's new sandbox (after SandboxChanged)
// finds its emptyDir as the containers left it, as the kubelet's volume
// manager keeps it while the pod lives; once RemovePodVolumes says the
// pod is done, a sandbox of the same UID starts empty.
func emptyDirOutlivesSandbox(t *testing.T, s *suite) {
	vol := runtime.Volume{Name: "scratch"}
	mount := []runtime.Mount{{Volume: "scratch", Path: "/scratch"}}
	sleeper := func(sb runtime.Sandbox) string {
		return s.start(t, sb, runtime.ContainerConfig{Name: "c", Image: s.h.ShellImage,
			Command: []string{"sh", "-c", "sleep 600"}, Mounts: mount})
	}
	first := s.sandbox(t, "keep", vol)
	if res := s.exec(t, sleeper(first), "sh", "-c", "echo still here > /scratch/f"); res.ExitCode != 0 {
		t.Fatalf("write to the emptyDir: exit %d: %s", res.ExitCode, res.Output)
	}
	if err := s.rt.RemoveSandbox(first.ID); err != nil {
		t.Fatalf("RemoveSandbox: %v", err)
	}
	second := s.sandbox(t, "keep", vol)
	if res := s.exec(t, sleeper(second), "cat", "/scratch/f"); res.ExitCode != 0 || string(res.Output) != "still here\n" {
		t.Errorf("the pod's next sandbox: cat /scratch/f = %d %q, want what its last container wrote", res.ExitCode, res.Output)
	}
	if err := s.rt.RemoveSandbox(second.ID); err != nil {
		t.Fatalf("RemoveSandbox: %v", err)
	}
	if err := s.rt.RemovePodVolumes("uid-keep"); err != nil {
		t.Fatalf("RemovePodVolumes: %v", err)
	}
	third := s.sandbox(t, "keep", vol)
	if res := s.exec(t, sleeper(third), "cat", "/scratch/f"); res.ExitCode == 0 {
		t.Errorf("after RemovePodVolumes the emptyDir still holds %q", res.Output)
	}
}

// persistent: a PersistentVolume's data outlives the pod that wrote it,
// is there for the next pod that mounts the volume, and is gone once the
// runtime removes it (a Delete reclaim policy).
func persistent(t *testing.T, s *suite) {
	store, ok := s.rt.(runtime.PersistentStore)
	if !ok {
		t.Fatalf("%T does not implement runtime.PersistentStore", s.rt)
	}
	const pv = "pvc-conformance"
	mount := func(pod string) (runtime.Sandbox, string) {
		sb := s.sandbox(t, pod, runtime.Volume{Name: "data", Persistent: pv})
		return sb, s.start(t, sb, runtime.ContainerConfig{Name: "c", Image: s.h.ShellImage, Command: []string{"sh", "-c", "sleep 600"},
			Mounts: []runtime.Mount{{Volume: "data", Path: "/data"}}})
	}
	sb, id := mount("pv-writer")
	if res := s.exec(t, id, "sh", "-c", "echo kept > /data/f"); res.ExitCode != 0 {
		t.Fatalf("write to the volume: exit %d: %s", res.ExitCode, res.Output)
	}
	if err := s.rt.RemoveSandbox(sb.ID); err != nil {
		t.Fatalf("RemoveSandbox: %v", err)
	}
	sb, id = mount("pv-reader")
	if res := s.exec(t, id, "cat", "/data/f"); res.ExitCode != 0 || string(res.Output) != "kept\n" {
		t.Errorf("the next pod: cat /data/f = %d %q, want kept", res.ExitCode, res.Output)
	}
	if err := s.rt.RemoveSandbox(sb.ID); err != nil {
		t.Fatalf("RemoveSandbox: %v", err)
	}
	if err := store.RemovePersistent(pv); err != nil {
		t.Fatalf("RemovePersistent: %v", err)
	}
	_, id = mount("pv-after")
	if res := s.exec(t, id, "ls", "/data"); res.ExitCode != 0 || len(res.Output) != 0 {
		t.Errorf("after RemovePersistent: ls /data = %d %q, want an empty volume", res.ExitCode, res.Output)
	}
}

// demoEnvAndFiles reads the demo app's /env and /files: what a ConfigMap
// put in its environment and its volume.
func demoEnvAndFiles(t *testing.T, s *suite) {
	sb := s.sandbox(t, "cfg", runtime.Volume{Name: "config", Files: map[string][]byte{"color": []byte("blue"), "mode": []byte("debug\n")}})
	id := s.start(t, sb, runtime.ContainerConfig{Name: "app", Image: s.h.DemoImage, Ports: []int32{8080},
		Env:    []runtime.EnvVar{{Name: "GREETING", Value: "hello"}},
		Mounts: []runtime.Mount{{Volume: "config", Path: "/etc/config", ReadOnly: true}}})
	if status, body := s.get(t, id, 8080, "/env"); status != 200 || !strings.Contains(body, "GREETING=hello\n") || !strings.Contains(body, "HOSTNAME=") {
		t.Errorf("GET /env = %d %q, want GREETING=hello and HOSTNAME among the lines", status, body)
	}
	if status, body := s.get(t, id, 8080, "/files/etc/config/color"); status != 200 || body != "blue" {
		t.Errorf("GET /files/etc/config/color = %d %q, want 200 blue", status, body)
	}
	status, body := s.get(t, id, 8080, "/files/etc/config")
	if status != 200 || !strings.Contains(body, "color\n") || !strings.Contains(body, "mode\n") {
		t.Errorf("GET /files/etc/config = %d %q, want its files listed", status, body)
	}
	if status, _ := s.get(t, id, 8080, "/files/etc/config/nope"); status != 404 {
		t.Errorf("GET /files/etc/config/nope = %d, want 404", status)
	}
}

// etcFiles: every container of a pod sees the pod's host name in
// /etc/hostname and from gethostname, its resolver configuration in
// /etc/resolv.conf, and the hosts file the kubelet gives it as /etc/hosts,
// both writable as on a node; a container given no hosts file keeps the
// runtime's.
func etcFiles(t *testing.T, s *suite) {
	dns := &runtime.DNSConfig{Servers: []string{"10.96.0.10"}, Searches: []string{"default.svc.cluster.local", "svc.cluster.local", "cluster.local"}, Options: []string{"ndots:5"}}
	sb, err := s.rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-files", PodName: "files", Namespace: "default", Hostname: "db-0", DNS: dns})
	if err != nil {
		t.Fatalf("RunSandbox: %v", err)
	}
	hosts := "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n" + sb.IP + "\tdb-0.db.default.svc.cluster.local\tdb-0\n"
	id := s.start(t, sb, runtime.ContainerConfig{Name: "c", Image: s.h.ShellImage, Command: []string{"sh", "-c", "sleep 600"}, HostsFile: []byte(hosts)})
	want := "db-0\n" + "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n" + hosts
	if res := s.exec(t, id, "cat", "/etc/hostname", "/etc/resolv.conf", "/etc/hosts"); res.ExitCode != 0 || string(res.Output) != want {
		t.Errorf("cat /etc/hostname /etc/resolv.conf /etc/hosts = %d\n%s\nwant\n%s", res.ExitCode, res.Output, want)
	}
	if res := s.exec(t, id, "sh", "-c", "echo '10.0.0.9 extra' >> /etc/hosts && tail -n 1 /etc/hosts"); res.ExitCode != 0 || string(res.Output) != "10.0.0.9 extra\n" {
		t.Errorf("appending to /etc/hosts = %d %q, want it written", res.ExitCode, res.Output)
	}
	other := s.start(t, sb, runtime.ContainerConfig{Name: "own", Image: s.h.ShellImage, Command: []string{"sh", "-c", "sleep 600"}})
	if res := s.exec(t, other, "cat", "/etc/hosts"); strings.Contains(string(res.Output), "Kubernetes-managed") {
		t.Errorf("a container given no hosts file sees the kubelet's: %q", res.Output)
	}
}
