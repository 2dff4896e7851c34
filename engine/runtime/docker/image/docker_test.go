package image

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/guest/multicall/kubeplaytest"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// dockerClient is a client of a daemon that answers within a second. Without
// one the test is skipped — unless CI=true, where the Docker half must run.
func dockerClient(tb testing.TB) *client.Client {
	tb.Helper()
	cli, err := client.New(client.FromEnv)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err = cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true})
		cancel()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("CI=true and no Docker daemon answers: %v", err)
		}
		tb.Skipf("no Docker daemon answers within 1s (%v): skipping the Docker tests", err)
	}
	tb.Cleanup(func() { cli.Close() })
	return cli
}

const labelCluster = "kubeplay.cluster"

// testCluster is a fresh cluster id, test-<random>, for this test's
// containers and images; they are removed by that label at the end, and
// nothing else is.
func testCluster(tb testing.TB, cli *client.Client) string {
	tb.Helper()
	b := make([]byte, 4)
	rand.Read(b)
	id := "test-" + hex.EncodeToString(b)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		f := make(client.Filters).Add("label", labelCluster+"="+id)
		cs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
		if err != nil {
			tb.Errorf("listing the test's containers: %v", err)
		}
		for _, c := range cs.Items {
			if _, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true}); err != nil {
				tb.Errorf("removing container %s: %v", c.ID, err)
			}
		}
		is, err := cli.ImageList(ctx, client.ImageListOptions{All: true, Filters: f})
		if err != nil {
			tb.Errorf("listing the test's images: %v", err)
		}
		for _, im := range is.Items {
			if _, err := cli.ImageRemove(ctx, im.ID, client.ImageRemoveOptions{Force: true, PruneChildren: true}); err != nil {
				tb.Errorf("removing image %s: %v", im.ID, err)
			}
		}
	})
	return id
}

// runContainer creates and starts a container of the test's cluster on the
// default bridge.
func runContainer(t *testing.T, cli *client.Client, cluster string, cfg *container.Config) string {
	t.Helper()
	ctx := context.Background()
	cfg.Labels = map[string]string{labelCluster: cluster}
	c, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{Config: cfg, HostConfig: &container.HostConfig{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.ContainerStart(ctx, c.ID, client.ContainerStartOptions{}); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func logs(t *testing.T, cli *client.Client, id string) string {
	t.Helper()
	r, err := cli.ContainerLogs(context.Background(), id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out bytes.Buffer
	stdcopy.StdCopy(&out, &out, r)
	return out.String()
}

func execIn(t *testing.T, cli *client.Client, id string, cmd ...string) (string, int) {
	t.Helper()
	ctx := context.Background()
	ex, err := cli.ExecCreate(ctx, id, client.ExecCreateOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		t.Fatal(err)
	}
	att, err := cli.ExecAttach(ctx, ex.ID, client.ExecAttachOptions{}) // starts it
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	stdcopy.StdCopy(&out, &out, att.Reader)
	att.Close()
	res, err := cli.ExecInspect(ctx, ex.ID, client.ExecInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), res.ExitCode
}

func waitExit(t *testing.T, cli *client.Client, id string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w := cli.ContainerWait(ctx, id, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
	select {
	case r := <-w.Result:
		return int(r.StatusCode)
	case err := <-w.Error:
		t.Fatal(err)
	}
	return -1
}

func httpGet(url string) (int, string, error) {
	resp, err := (&http.Client{Timeout: 2 * time.Second}).Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func TestDemoImageOnDocker(t *testing.T) {
	cli := dockerClient(t)
	cluster := testCluster(t, cli)
	bin := kubeplaytest.Binary(t, false)
	ctx := context.Background()
	var said []string
	progress := func(s string) { said = append(said, s) }
	tag := cluster // a tag of our own: other kubeplay runs may build v1 from another binary
	ref, err := EnsureDemo(ctx, cli, tag, progress, WithBinary(bin), WithLabel(labelCluster, cluster))
	if err != nil {
		t.Fatal(err)
	}
	sum, _, _ := hashBinary(bin)
	if ref != "kubeplay/demo:"+tag+"-kp"+sum[:12] || len(said) != 2 ||
		!strings.HasPrefix(said[0], "building kubeplay/demo:"+tag+" from "+bin+" (") || !strings.HasPrefix(said[1], "done in ") {
		t.Fatalf("ref %q, progress %q", ref, said)
	}
	t.Logf("progress: %q", said)

	// Up to date: not rebuilt.
	said = nil
	if _, err := EnsureDemo(ctx, cli, tag, progress, WithBinary(bin)); err != nil || said != nil {
		t.Fatalf("second EnsureDemo: %v, progress %q (should not rebuild)", err, said)
	}
	im, err := cli.ImageInspect(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if l := im.Config.Labels; l[LabelImage] != "demo" || l[LabelBinary] != sum {
		t.Errorf("labels %v", l)
	}

	// Concurrent callers share one build; the image it replaces is removed.
	said = nil
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			_, err := EnsureDemo(ctx, cli, tag, progress, WithBinary(bin), WithLabel(labelCluster, cluster), Force())
			errs <- err
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := len(said); n < 2 || n > 4 { // one build, or two if a caller came after the first was done
		t.Errorf("3 concurrent forced builds: progress %q", said)
	}
	if _, err := cli.ImageInspect(ctx, im.ID); err == nil {
		t.Errorf("the replaced image %s is still there", im.ID)
	}

	id := runContainer(t, cli, cluster, &container.Config{Image: ref, Env: []string{"SHUTDOWN_DELAY=1s"}})
	insp, err := cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ip := insp.Container.NetworkSettings.Networks["bridge"].IPAddress
	base := "http://" + ip.String() + ":8080"
	var code int
	var body string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		code, body, err = httpGet(base + "/")
		if err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil || code != 200 || body != fmt.Sprintf("kubeplay demo %s from pod %s\n", tag, insp.Container.Config.Hostname) {
		t.Fatalf("GET / from the host: %d %q %v\nlogs:\n%s", code, body, err, logs(t, cli, id))
	}
	if code, body, err := httpGet(base + "/healthz"); err != nil || code != 200 || body != "ok\n" {
		t.Errorf("GET /healthz: %d %q %v", code, body, err)
	}

	if out, code := execIn(t, cli, id, "sh", "-c", "echo hi > /tmp/x; cat /tmp/x"); out != "hi\n" || code != 0 {
		t.Errorf("exec sh -c: %q, exit %d", out, code)
	}
	if out, code := execIn(t, cli, id, "ls", "-ld", "/tmp"); code != 0 || !strings.HasPrefix(out, "drwxrwxrwt") {
		t.Errorf("ls -ld /tmp: %q, exit %d", out, code)
	}
	if out, code := execIn(t, cli, id, "cat", "/nope"); code != 1 || out != "cat: can't open '/nope': No such file or directory\n" {
		t.Errorf("cat /nope: %q, exit %d", out, code)
	}
	// /usr/bin/env is there for `#!/usr/bin/env sh` scripts.
	if out, code := execIn(t, cli, id, "sh", "-c", `echo 'echo script $1' > /tmp/s.sh`); code != 0 {
		t.Fatalf("writing a script: %q, exit %d", out, code)
	}
	if out, code := execIn(t, cli, id, "/usr/bin/env", "sh", "/tmp/s.sh", "arg"); code != 0 || out != "script arg\n" {
		t.Errorf("/usr/bin/env sh /tmp/s.sh: %q, exit %d", out, code)
	}

	stopped := time.Now()
	timeout := 10
	if _, err := cli.ContainerStop(ctx, id, client.ContainerStopOptions{Timeout: &timeout}); err != nil {
		t.Fatal(err)
	}
	el := time.Since(stopped)
	insp, err = cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if insp.Container.State.ExitCode != 0 || el < time.Second || el > 5*time.Second {
		t.Errorf("after SIGTERM with SHUTDOWN_DELAY=1s: exit %d after %v", insp.Container.State.ExitCode, el)
	}
	out := logs(t, cli, id)
	for _, want := range []string{"kubeplay demo-app " + tag + " listening on :8080\n", "GET / 200 from ",
		"demo-app: SIGTERM received, draining for 1s then exiting\ndemo-app: drained, bye\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "/healthz") {
		t.Errorf("probe requests logged:\n%s", out)
	}
}

// Two kubeplay binaries share a daemon and an image's name: each builds
// its own once, under its pinned reference, and neither rebuilds when the
// other has built since (they took turns rebuilding kubeplay/pause, a
// second each, in the middle of each other's pod starts). The plain name
// follows the newest build.
func TestTwoBinariesBuildOnce(t *testing.T) {
	cli := dockerClient(t)
	cluster := testCluster(t, cli)
	ctx := context.Background()
	bins := []string{kubeplaytest.Binary(t, false), kubeplaytest.Binary(t, true)}
	builds := 0
	progress := func(s string) {
		if strings.HasPrefix(s, "building ") {
			builds++
		}
	}
	tag := cluster
	var refs [2]string
	for round := range 3 {
		for i, bin := range bins {
			ref, err := EnsureDemo(ctx, cli, tag, progress, WithBinary(bin), WithLabel(labelCluster, cluster))
			if err != nil {
				t.Fatal(err)
			}
			if round > 0 && ref != refs[i] {
				t.Errorf("round %d, binary %d: %s, then %s", round, i, refs[i], ref)
			}
			refs[i] = ref
			if got, ok := Present(ctx, cli, "kubeplay/demo:"+tag, WithBinary(bin)); !ok || got != ref {
				t.Errorf("Present for binary %d: %s %v, want %s", i, got, ok, ref)
			}
		}
	}
	if builds != 2 || refs[0] == refs[1] {
		t.Errorf("%d builds for two binaries in three rounds (want 2), refs %q", builds, refs)
	}
	plain, err := cli.ImageInspect(ctx, "kubeplay/demo:"+tag)
	if err != nil {
		t.Fatal(err)
	}
	newest, err := cli.ImageInspect(ctx, refs[1])
	if err != nil || plain.ID != newest.ID {
		t.Errorf("kubeplay/demo:%s is %s, want the newest build %s (%v)", tag, plain.ID, newest.ID, err)
	}
}

// TestStandInsOnDocker: a busybox pod's shell command runs for real through
// kubeplay's shell; a static binary makes a working image too; the pause
// image waits for SIGTERM.
func TestStandInsOnDocker(t *testing.T) {
	cli := dockerClient(t)
	cluster := testCluster(t, cli)
	ctx := context.Background()

	ref, notice, ok := StandIn("busybox:" + cluster)
	if !ok {
		t.Fatal("no stand-in for busybox")
	}
	t.Log(notice)
	if _, err := Ensure(ctx, cli, ref, nil, WithBinary(kubeplaytest.Binary(t, false)), WithLabel(labelCluster, cluster)); err != nil {
		t.Fatal(err)
	}
	id := runContainer(t, cli, cluster, &container.Config{Image: ref,
		Cmd: []string{"sh", "-c", "touch /tmp/healthy; cat /tmp/healthy && echo healthy; sleep 0.3; rm /tmp/healthy; ls /tmp; echo done"}})
	if code := waitExit(t, cli, id); code != 0 || logs(t, cli, id) != "healthy\ndone\n" {
		t.Errorf("busybox stand-in: exit %d, logs %q", code, logs(t, cli, id))
	}
	// Without a command, busybox runs sh, which exits at once with no
	// terminal.
	id = runContainer(t, cli, cluster, &container.Config{Image: ref})
	if code := waitExit(t, cli, id); code != 0 {
		t.Errorf("busybox stand-in without a command: exit %d", code)
	}

	ref, notice, _ = StandIn("nginx:" + cluster)
	t.Log(notice)
	if _, err := Ensure(ctx, cli, ref, nil, WithBinary(kubeplaytest.Binary(t, false)), WithLabel(labelCluster, cluster)); err != nil {
		t.Fatal(err)
	}
	id = runContainer(t, cli, cluster, &container.Config{Image: ref, Env: []string{"PORT=8081"}})
	var out string
	var code int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if out, code = execIn(t, cli, id, "curl", "-s", "http://127.0.0.1:8081/"); code == 0 { // nginx has curl, no wget
			break
		}
	}
	if code != 0 || !strings.HasPrefix(out, "kubeplay demo "+cluster+" from pod ") {
		t.Errorf("nginx stand-in, curl from inside: %q, exit %d", out, code)
	}
	if l := logs(t, cli, id); !strings.HasPrefix(l, "kubeplay demo-app "+cluster+" listening on :8081 (standing in for nginx:"+cluster+")\n") {
		t.Errorf("nginx stand-in logs: %q", l)
	}

	static := kubeplaytest.Binary(t, true)
	var said []string
	ref, err := EnsureDemo(ctx, cli, cluster+"-static", func(s string) { said = append(said, s) }, WithBinary(static), WithLabel(labelCluster, cluster))
	if err != nil {
		t.Fatal(err)
	}
	if len(said) == 0 || !strings.Contains(said[0], "(static, ") {
		t.Errorf("progress %q", said)
	}
	id = runContainer(t, cli, cluster, &container.Config{Image: ref, Entrypoint: []string{"/bin/echo", "static", "ok"}})
	if code := waitExit(t, cli, id); code != 0 || logs(t, cli, id) != "static ok\n" {
		t.Errorf("static image: exit %d, logs %q", code, logs(t, cli, id))
	}

	id = runContainer(t, cli, cluster, &container.Config{Image: ref, Entrypoint: PauseCommand})
	time.Sleep(200 * time.Millisecond)
	if _, err := cli.ContainerKill(ctx, id, client.ContainerKillOptions{Signal: "SIGTERM"}); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, cli, id); code != 0 {
		t.Errorf("pause: exit %d on SIGTERM", code)
	}
}

// BenchmarkEnsureDemoBuild is a forced rebuild of the demo image from the
// test's kubeplay build (dynamically linked where cgo is on), or from the
// binary KUBEPLAY_BENCH_BINARY names (a full kubeplay). Goal: < 1 s.
func BenchmarkEnsureDemoBuild(b *testing.B) {
	cli := dockerClient(b)
	cluster := testCluster(b, cli)
	bin := os.Getenv("KUBEPLAY_BENCH_BINARY")
	if bin == "" {
		bin = kubeplaytest.Binary(b, false)
	}
	ctx := context.Background()
	opts := []Option{WithBinary(bin), WithLabel(labelCluster, cluster), Force()}
	if _, err := EnsureDemo(ctx, cli, cluster, nil, opts...); err != nil { // warm: the layer and the hash
		b.Fatal(err)
	}
	st, _ := os.Stat(bin)
	b.ReportMetric(float64(st.Size())/(1<<20), "MB-binary")
	for b.Loop() {
		if _, err := EnsureDemo(ctx, cli, cluster, nil, opts...); err != nil {
			b.Fatal(err)
		}
	}
}
