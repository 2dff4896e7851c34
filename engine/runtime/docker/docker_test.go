package docker_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/runtime/docker"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

func TestUnreachableDaemon(t *testing.T) {
	for _, host := range []string{"tcp://127.0.0.1:1", "unix:///nonexistent/docker.sock"} {
		t.Setenv("DOCKER_HOST", host)
		begin := time.Now()
		_, err := docker.New(context.Background(), docker.Config{ClusterID: "x", Node: "n"})
		if err == nil {
			t.Fatalf("DOCKER_HOST=%s: no error", host)
		}
		for _, want := range []string{"cannot reach the Docker daemon", host, "DOCKER_HOST", "--runtime sim"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("DOCKER_HOST=%s: error %q does not say %q", host, err, want)
			}
		}
		if took := time.Since(begin); took > 2*time.Second {
			t.Errorf("DOCKER_HOST=%s: took %s to fail, want about a second at most", host, took)
		}
	}
}

func TestListFiltersAreKubeplayLabels(t *testing.T) {
	for _, terms := range [][]string{nil, {"com.example=1"}, {docker.LabelCluster, "name=x"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("LabelFilter(%q) did not refuse", terms)
				}
			}()
			docker.LabelFilter(terms...)
		}()
	}
}

// pod starts a sandbox and one container in it.
func pod(t testing.TB, rt *docker.Runtime, name string, cfg runtime.ContainerConfig) (runtime.Sandbox, string) {
	t.Helper()
	sb, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-" + name, PodName: name, Namespace: "default", Hostname: name})
	if err != nil {
		t.Fatalf("RunSandbox: %v", err)
	}
	id, err := rt.CreateContainer(sb.ID, cfg)
	if err != nil {
		t.Fatalf("CreateContainer: %v", err)
	}
	if err := rt.StartContainer(id); err != nil {
		t.Fatalf("StartContainer: %v", err)
	}
	return sb, id
}

// exits collects a runtime's exits on a channel.
func exits(rt *docker.Runtime) <-chan runtime.Exit {
	ch := make(chan runtime.Exit, 16)
	rt.OnExit(func(ex runtime.Exit) { ch <- ex })
	return ch
}

func waitExit(t *testing.T, ch <-chan runtime.Exit, id string, within time.Duration) runtime.Exit {
	t.Helper()
	timeout := time.After(within)
	for {
		select {
		case ex := <-ch:
			if ex.ContainerID == id {
				return ex
			}
		case <-timeout:
			t.Fatalf("no exit of %s within %s", id, within)
		}
	}
}

func TestOOMKilled(t *testing.T) {
	rt := newRuntime(t)
	ch := exits(rt)
	_, id := pod(t, rt, "hog", runtime.ContainerConfig{Name: "hog", Image: testImage, Command: []string{"hog"}, MemoryLimit: 32 << 20})
	ex := waitExit(t, ch, id, 20*time.Second)
	if ex.Status.Reason != "OOMKilled" || ex.Status.ExitCode != 137 {
		t.Errorf("exit %+v, want OOMKilled 137", ex.Status)
	}
	if st, err := rt.Status(id); err != nil || st.Reason != "OOMKilled" {
		t.Errorf("Status = %+v, %v; want OOMKilled", st, err)
	}
}

// A container of the demo app accepts connections once it is started:
// the runtime reports it started when the app has written its first
// line, after it listens, not when the daemon has created its process,
// tens of milliseconds before (hundreds under load), which made a pod
// Ready and sent requests before its app listened (lesson 15 on CI).
// One with a STARTUP_DELAY, on purpose, still starts at once.
func TestStartedAppsListen(t *testing.T) {
	rt := newRuntime(t)
	if _, err := rt.PullImage(testImage); err != nil { // as the kubelet does first
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b", "c"} {
		_, id := pod(t, rt, name, runtime.ContainerConfig{Name: "app", Image: testImage})
		if err := rt.ProbeTCP(id, 8080, 2*time.Second); err != nil {
			t.Errorf("pod %s right after its start: %v", name, err)
		}
	}
	start := time.Now()
	_, id := pod(t, rt, "slow", runtime.ContainerConfig{Name: "app", Image: testImage, Env: []runtime.EnvVar{{Name: "STARTUP_DELAY", Value: "1h"}}})
	if err := rt.ProbeTCP(id, 8080, 2*time.Second); err == nil {
		t.Error("an app with STARTUP_DELAY=1h listened at its start")
	}
	if el := time.Since(start); el > time.Minute {
		t.Errorf("the start of an app with STARTUP_DELAY=1h waited %s", el)
	}
}

// TestPodShape checks what Kubernetes on Docker does: the app container
// joins the sandbox's network namespace (localhost is shared), carries the
// labels, the limits, and nothing privileged.
func TestPodShape(t *testing.T) {
	rt := newRuntime(t)
	sb, a := pod(t, rt, "web", runtime.ContainerConfig{Name: "a", Image: testImage, MemoryLimit: 64 << 20, CPULimit: 500})
	b, err := rt.CreateContainer(sb.ID, runtime.ContainerConfig{Name: "b", Image: testImage, Env: []runtime.EnvVar{{Name: "PORT", Value: "8081"}, {Name: "VERSION", Value: "b"}}})
	if err == nil {
		err = rt.StartContainer(b)
	}
	if err != nil {
		t.Fatal(err)
	}
	var res runtime.ExecResult
	for range 20 {
		if res, err = rt.Exec(a, []string{"wget", "-q", "-O-", "http://localhost:8081/"}, 2*time.Second); err == nil && res.ExitCode == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil || !strings.Contains(string(res.Output), "demo b from pod web") {
		t.Errorf("wget localhost:8081 in a = %+v, %v; want b's answer", res, err)
	}

	ins, err := rt.Client().ContainerInspect(context.Background(), a, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hc, labels := ins.Container.HostConfig, ins.Container.Config.Labels
	if hc.Privileged || hc.NetworkMode != container.NetworkMode("container:"+sb.ID) || hc.PidMode.IsHost() {
		t.Errorf("host config: privileged %v, network %s, pid %s", hc.Privileged, hc.NetworkMode, hc.PidMode)
	}
	if hc.Memory != 64<<20 || hc.NanoCPUs != 500_000_000 {
		t.Errorf("limits: memory %d, nano CPUs %d", hc.Memory, hc.NanoCPUs)
	}
	for _, l := range []string{docker.LabelCluster, docker.LabelPod, docker.LabelNode, docker.LabelOwnerPID, docker.LabelSandbox} {
		if labels[l] == "" {
			t.Errorf("label %s missing: %v", l, labels)
		}
	}
	if labels[docker.LabelPod] != "default/web" {
		t.Errorf("pod label %q, want default/web", labels[docker.LabelPod])
	}
}

func TestExecMissingBinary(t *testing.T) {
	rt := newRuntime(t)
	_, id := pod(t, rt, "web", runtime.ContainerConfig{Name: "app", Image: testImage})
	res, err := rt.Exec(id, []string{"no-such-binary"}, 5*time.Second)
	if err != nil || res.ExitCode != 126 || !strings.Contains(string(res.Output), "executable file not found") {
		t.Errorf("exec = %+v %q, %v; want 126 and the OCI message", res, res.Output, err)
	}
}

func TestStandIn(t *testing.T) {
	rt := newRuntime(t)
	if rt.HasImage(standInFor) {
		t.Fatalf("HasImage(%s) before any pull", standInFor)
	}
	res, err := rt.PullImage(standInFor)
	if err != nil || res.StandIn == "" || res.Size == 0 {
		t.Fatalf("PullImage = %+v, %v; want a stand-in", res, err)
	}
	if !rt.HasImage(standInFor) || rt.StandIn(standInFor) != res.StandIn {
		t.Errorf("after the pull: HasImage %v, StandIn %q", rt.HasImage(standInFor), rt.StandIn(standInFor))
	}
	_, id := pod(t, rt, "web", runtime.ContainerConfig{Name: "nginx", Image: standInFor})
	var logs strings.Builder
	for range 40 {
		logs.Reset()
		if err := rt.Logs(id, &logs); err != nil || strings.Contains(logs.String(), "standing in for "+standInFor) {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "standing in for "+standInFor) {
		t.Errorf("logs %q, want the demo app standing in", logs.String())
	}
	// The stand-in links every command of kubeplay's; an exec finds only
	// those of the image it plays, nginx: curl, no wget.
	want := runtime.ExecNotFound(errors.New(`exec: "wget": executable file not found in $PATH`))
	if res, err := rt.Exec(id, []string{"wget", "-qO-", "http://localhost:8080/"}, 5*time.Second); err != nil || res.ExitCode != want.ExitCode || string(res.Output) != string(want.Output) {
		t.Errorf("exec of wget in the nginx stand-in = %+v %q, %v; want %d %q", res, res.Output, err, want.ExitCode, want.Output)
	}
	if res, err := rt.Exec(id, []string{"sh", "-c", "wget -qO- http://localhost:8080/ 2>&1; command -v curl"}, 5*time.Second); err != nil || res.ExitCode != 0 || string(res.Output) != "sh: wget: not found\n/bin/curl\n" {
		t.Errorf("sh -c wget in the nginx stand-in = %+v %q, %v; want wget not found, curl there", res, res.Output, err)
	}
	if res, err := rt.PullImage(testImage); err != nil || res.StandIn != "" {
		t.Errorf("PullImage of an image the source builds = %+v, %v", res, err)
	}
	if _, err := rt.PullImage("kubeplay-missing/x:1"); !errors.Is(err, runtime.ErrImageNotFound) {
		t.Errorf("PullImage of a missing image = %v", err)
	}
}

// unlabelled starts a container kubeplay did not create (no labels, a
// kubeplay-like name) that every cleanup must leave alone; the test
// removes it at its end.
func unlabelled(t *testing.T, cli *client.Client) string {
	t.Helper()
	ctx := context.Background()
	c, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name:   fmt.Sprintf("kubeplay_not-ours_%d", os.Getpid()),
		Config: &container.Config{Image: testImage, Entrypoint: helperCmd("pause")},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true})
	})
	if _, err := cli.ContainerStart(ctx, c.ID, client.ContainerStartOptions{}); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func survives(t *testing.T, cli *client.Client, id, after string) {
	t.Helper()
	ins, err := cli.ContainerInspect(context.Background(), id, client.ContainerInspectOptions{})
	if err != nil || !ins.Container.State.Running {
		t.Errorf("the unlabelled container did not survive %s: %v", after, err)
	}
}

func TestCleanupTouchesOnlyKubeplayObjects(t *testing.T) {
	cli := connect(t)
	ctx := context.Background()
	other := unlabelled(t, cli)
	run := fmt.Sprintf("cleanup-%d", os.Getpid())
	for i, cleanup := range []struct {
		name string
		do   func(rt *docker.Runtime) ([]string, error)
	}{
		{"Close", func(rt *docker.Runtime) ([]string, error) {
			rm, err := rt.Close(ctx)
			return append(rm.Containers, rm.Networks...), err
		}},
		{"cleanup by label", func(*docker.Runtime) ([]string, error) {
			return docker.Cleanup(ctx, cli, docker.LabelCluster, "kubeplay.test-run="+run)
		}},
	} {
		cluster := fmt.Sprintf("%s-%d", run, i)
		rt, err := docker.New(ctx, docker.Config{ClusterID: cluster, Node: "n1", Images: testImages{}, Labels: map[string]string{"kubeplay.test-run": run}})
		if err != nil {
			t.Fatal(err)
		}
		pod(t, rt, "a", runtime.ContainerConfig{Name: "app", Image: testImage})
		pod(t, rt, "b", runtime.ContainerConfig{Name: "app", Image: testImage})
		removed, err := cleanup.do(rt)
		if err != nil {
			t.Errorf("%s: %v", cleanup.name, err)
		}
		// Two pods of a sandbox and an app each, and the network.
		if len(removed) != 5 || !slices.ContainsFunc(removed, func(s string) bool { return strings.Contains(s, "kubeplay-"+cluster) }) {
			t.Errorf("%s removed %q, want 4 containers and network kubeplay-%s", cleanup.name, removed, cluster)
		}
		if cleanup.name != "Close" {
			rt.Close(ctx)
		}
		left, _ := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", docker.LabelCluster+"="+cluster)})
		if len(left.Items) > 0 {
			t.Errorf("%s left %d containers", cleanup.name, len(left.Items))
		}
		survives(t, cli, other, cleanup.name)
	}
	if _, err := docker.Reap(ctx, cli); err != nil {
		t.Errorf("Reap: %v", err)
	}
	survives(t, cli, other, "Reap")
	// CleanupAll removes every kubeplay object on the daemon, those of
	// other runs too, so it runs only when asked.
	if os.Getenv("KUBEPLAY_TEST_CLEANUP_ALL") == "1" {
		removed, err := docker.CleanupAll(ctx)
		t.Logf("CleanupAll removed %q, %v", removed, err)
		survives(t, cli, other, "CleanupAll")
	}
}

// TestReap kills a process that owns a pod with SIGKILL, as a crash
// would, and checks that Reap removes what it left.
func TestReap(t *testing.T) {
	if cluster := os.Getenv("KUBEPLAY_REAP_CHILD"); cluster != "" {
		reapChild(t, cluster)
		return
	}
	cli := connect(t)
	ctx := context.Background()
	cluster := fmt.Sprintf("reap-%d", os.Getpid())
	child := exec.Command(os.Args[0], "-test.run=^TestReap$", "-test.count=1")
	child.Env = append(os.Environ(), "KUBEPLAY_REAP_CHILD="+cluster)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.Contains(sc.Text(), "ready") {
	}
	child.Process.Kill()
	child.Wait()

	byCluster := make(client.Filters).Add("label", docker.LabelCluster+"="+cluster)
	left, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: byCluster})
	if err != nil || len(left.Items) != 2 {
		t.Fatalf("the killed run left %d containers (%v), want its pod's 2", len(left.Items), err)
	}
	rm, err := docker.Reap(ctx, cli)
	if err != nil {
		t.Fatalf("Reap: %v", err)
	}
	if !slices.Contains(rm.Networks, "kubeplay-"+cluster) || len(rm.Containers) < 2 {
		t.Errorf("Reap %s, %q; want the 2 containers and network of %s", rm, rm, cluster)
	}
	left, _ = cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: byCluster})
	if len(left.Items) > 0 {
		t.Errorf("Reap left %d containers", len(left.Items))
	}
}

func reapChild(t *testing.T, cluster string) {
	connect(t)
	rt, err := docker.New(context.Background(), docker.Config{ClusterID: cluster, Node: "n1", Images: testImages{}})
	if err != nil {
		t.Fatal(err)
	}
	pod(t, rt, "orphan", runtime.ContainerConfig{Name: "app", Image: testImage})
	fmt.Println("ready")
	time.Sleep(time.Minute) // killed by the parent
}

// TestSandboxDeath: a killed sandbox is reported as a sandbox's
// exit, so that the kubelet can make a new one.
func TestSandboxDeath(t *testing.T) {
	rt := newRuntime(t)
	ch := exits(rt)
	sb, _ := pod(t, rt, "sb", runtime.ContainerConfig{Name: "app", Image: testImage})
	if err := rt.KillSandbox(sb.ID); err != nil {
		t.Fatal(err)
	}
	ex := waitExit(t, ch, sb.ID, 20*time.Second)
	if !ex.Sandbox || ex.Status.ExitCode != 137 {
		t.Errorf("exit %+v, want a sandbox's, 137", ex)
	}
}

// TestExecStreamTerminal: an interactive sh on a terminal, as `kubectl
// exec -it POD -- sh` runs it: it answers each line as it is typed, and
// its exit code ends the session.
func TestExecStreamTerminal(t *testing.T) {
	rt := newRuntime(t)
	_, id := pod(t, rt, "web", runtime.ContainerConfig{Name: "app", Image: testImage})
	stdin, typed := io.Pipe()
	out := &dockertest.Buffer{}
	sizes := make(chan runtime.TermSize, 1)
	sizes <- runtime.TermSize{Width: 100, Height: 30}
	type result struct {
		code int
		err  error
	}
	done := make(chan result, 1)
	go func() {
		code, err := rt.ExecStream(context.Background(), id, []string{"sh"}, runtime.ExecStreams{Stdin: stdin, Stdout: out, TTY: true, Resize: sizes})
		done <- result{code, err}
	}()
	saw := func(want string) {
		t.Helper()
		out.Await(t, want, 10*time.Second)
	}
	typeKeys := func(keys string) {
		t.Helper()
		if _, err := io.WriteString(typed, keys); err != nil {
			t.Fatal(err)
		}
	}
	typeKeys("echo answer-$((6*7))\n")
	saw("answer-42") // before the session ends: the shell answers as it goes
	// ls lays its names out in columns on a terminal, one a line into a pipe.
	typeKeys("ls -d /bin /dev /etc; ls -d /bin /dev | cat\n")
	saw("/bin  /dev  /etc\r\n")
	saw("/bin\r\n/dev\r\n")
	// A background job outlives the line that started it.
	typeKeys("(sleep 0.5; echo bg-$((1+1))) &\n")
	saw("bg-2")
	// ^C stops the command that runs, not the shell; at the prompt it
	// only gives a fresh prompt.
	typeKeys("sleep 30\n")
	time.Sleep(300 * time.Millisecond) // the line is read, sleep runs
	typeKeys("\x03")
	typeKeys("echo status-$?\n")
	saw("status-130")
	typeKeys("\x03echo still-here\n")
	saw("still-here")
	// A syntax error is said and the shell goes on; ^C in the middle of a
	// statement drops it.
	typeKeys("echo )\necho alive-$((2*5))\n")
	saw("syntax error")
	saw("alive-10")
	typeKeys("for i in 1 2; do\n")
	saw("> ")
	typeKeys("\x03")
	time.Sleep(100 * time.Millisecond) // the signal reaches the shell first
	typeKeys("echo fresh-$((3*3))\n")
	saw("fresh-9")
	typeKeys("exit 3\n")
	select {
	case r := <-done:
		if r.err != nil || r.code != 3 {
			t.Errorf("ExecStream = %d, %v; want exit code 3", r.code, r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the session did not end after exit")
	}
	_ = typed.Close()
}

// TestFollowLogsAcrossRotation: a container writing far more than its
// log file holds (rotated at 4 MiB here) is followed to its end, every
// line once and in order, through several rotations.
func TestFollowLogsAcrossRotation(t *testing.T) {
	connect(t)
	id := fmt.Sprintf("test%d-%d", os.Getpid(), clusters.Add(1))
	rt, err := docker.New(context.Background(), docker.Config{ClusterID: id, Node: "node-1", Images: testImages{}, LogMaxSize: "4m"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := rt.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	sb, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-chatty", PodName: "chatty", Namespace: "default", Hostname: "chatty"})
	if err != nil {
		t.Fatal(err)
	}
	const lines = 200000
	// A pause every 20,000 lines (about 1.7 MiB of log): Docker 20.10
	// loses whole rotated files when they turn several times a second,
	// which a slow reader (-race) meets; this tests kubeplay's follow
	// across rotations, not that daemon defect.
	cid, err := rt.CreateContainer(sb.ID, runtime.ContainerConfig{Name: "c", Image: testImage,
		Command: []string{"sh", "-c", fmt.Sprintf("sleep 1; i=0; while [ $i -lt %d ]; do echo line $i; i=$((i+1)); [ $((i %% 20000)) -eq 0 ] && sleep 0.3; done; true", lines)}})
	if err == nil {
		err = rt.StartContainer(cid)
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := rt.StreamLogs(ctx, cid, -1, true, &out); err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(got) != lines {
		t.Fatalf("followed %d lines, want %d; the last: %q", len(got), lines, got[len(got)-1])
	}
	for i, l := range got {
		if l != fmt.Sprintf("line %d", i) {
			t.Fatalf("line %d is %q", i, l)
		}
	}
}

// TestContainerStats: the runtime measures a container's real CPU use
// from its cgroup: a shell spinning under a 500m limit uses up to half a
// core, an idle one next to nothing.
func TestContainerStats(t *testing.T) {
	defer docker.MeasureEvery(time.Second)()
	rt := newRuntime(t)
	_, spin := pod(t, rt, "spin", runtime.ContainerConfig{Name: "spin", Image: testImage, Command: []string{"sh", "-c", "while :; do :; done"}, CPULimit: 500})
	_, idle := pod(t, rt, "idle", runtime.ContainerConfig{Name: "idle", Image: testImage, Command: []string{"sleep", "3600"}})
	var st runtime.ContainerStats
	ok := false
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if st, ok = rt.ContainerStats(spin); ok {
			break
		}
	}
	if !ok {
		t.Fatal("no figures for the spinning container within 20s")
	}
	// Up to the limit; how much of it depends on what else the machine
	// runs, but clearly more than an idle container.
	if st.CPU < 50 || st.CPU > 600 || st.Memory <= 0 || st.Window <= 0 {
		t.Errorf("spinning under a 500m limit: %+v, want a busy container's cpu, at most 500m", st)
	}
	if st, ok := rt.ContainerStats(idle); ok && st.CPU > 50 {
		t.Errorf("idle: %+v, want a few millicores", st)
	}
}

// pauseSource is the tests' image source with a sandbox image of its
// own, a tag of the test image it makes on each Sandbox call, counted.
type pauseSource struct {
	testImages
	cli   *client.Client
	ref   string
	calls atomic.Int32
}

func (s *pauseSource) Sandbox(ctx context.Context) (docker.Image, []string, error) {
	s.calls.Add(1)
	if _, err := s.cli.ImageTag(ctx, client.ImageTagOptions{Source: testImage, Target: s.ref}); err != nil {
		return docker.Image{}, nil, err
	}
	return docker.Image{Ref: s.ref}, helperCmd("pause"), nil
}

// TestSandboxImageAskedOnce: the sandbox image is asked of the image
// source for the first sandbox only, not a daemon round trip per pod; an
// image removed since is made again by the source.
func TestSandboxImageAskedOnce(t *testing.T) {
	cli := connect(t)
	id := fmt.Sprintf("test%d-pause", os.Getpid())
	src := &pauseSource{cli: cli, ref: "kubeplay-test/pause:" + id}
	t.Cleanup(func() {
		_, _ = cli.ImageRemove(context.Background(), src.ref, client.ImageRemoveOptions{})
	})
	rt, err := docker.New(context.Background(), docker.Config{ClusterID: id, Node: "node-1", Images: src})
	if err != nil {
		t.Fatalf("docker.New: %v", err)
	}
	t.Cleanup(func() {
		if _, err := rt.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	run := func(name string) {
		t.Helper()
		if _, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-" + name, PodName: name, Namespace: "default", Hostname: name}); err != nil {
			t.Fatalf("RunSandbox %s: %v", name, err)
		}
	}
	run("a")
	run("b")
	if n := src.calls.Load(); n != 1 {
		t.Errorf("two sandboxes asked the image source %d times, want once", n)
	}
	// Untagged: the test image itself stays.
	if _, err := cli.ImageRemove(context.Background(), src.ref, client.ImageRemoveOptions{}); err != nil {
		t.Fatal(err)
	}
	run("c")
	if n := src.calls.Load(); n != 2 {
		t.Errorf("a sandbox after its image was removed: the source was asked %d times in all, want twice", n)
	}
}

// TestCloseWaitsForACreateUnderWay: a sandbox asked for just before Close
// is made after Close has listed the node's containers; Close waits for
// it and removes it too (it was left on the daemon with its network:
// launch's TestDockerBootWaitsForDNS on CI), and a sandbox asked for
// after Close is refused.
func TestCloseWaitsForACreateUnderWay(t *testing.T) {
	connect(t)
	id := fmt.Sprintf("test%d-close", os.Getpid())
	rt, err := docker.New(context.Background(), docker.Config{ClusterID: id, Node: "node-1", Images: testImages{}})
	if err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	docker.HoldCreates(rt, func() { close(entered); <-release })
	made := make(chan error, 1)
	go func() {
		_, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-late", PodName: "late", Namespace: "default", Hostname: "late"})
		made <- err
	}()
	<-entered
	closed := make(chan error, 1)
	go func() { _, err := rt.Close(context.Background()); closed <- err }()
	// Let Close run as far as it goes while the create is held: without
	// the wait it lists and removes, finds nothing, and returns.
	select {
	case err := <-closed:
		closed <- err
	case <-time.After(2 * time.Second):
	}
	close(release)
	if err := <-made; err != nil {
		t.Errorf("the sandbox asked for before Close: %v", err)
	}
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	if left, err := docker.ClusterLeft(context.Background(), id); err != nil || len(left) > 0 {
		t.Errorf("left on the daemon after Close: %v %v", left, err)
		docker.Cleanup(context.Background(), connect(t), docker.LabelCluster+"="+id)
	}
	if _, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-after", PodName: "after", Namespace: "default", Hostname: "after"}); err == nil {
		t.Errorf("a sandbox was made after Close")
	}
}
