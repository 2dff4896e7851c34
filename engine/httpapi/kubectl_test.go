package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/console"
)

// twins drive two clusters born alike (same seed, same start): one by a
// real kubectl over HTTP, one by the built-in prompt, with the same
// commands. The engine is deterministic, so whatever the two print must
// agree wherever kubectl prints the server's data. Between commands both
// clusters are brought to the same instant (the next whole second), so
// AGE columns agree too.
type twins struct {
	t       *testing.T
	kubectl string
	env     []string
	dir     string

	real    *cluster.Cluster
	srv     *Server
	builtin *cluster.Cluster
	con     *console.Console
	out     bytes.Buffer
	errOut  bytes.Buffer
}

func newTwins(t *testing.T) *twins {
	t.Helper()
	path, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("no kubectl on PATH: comparing a real kubectl with the built-in prompt needs one (kubectl 1.28 or newer)")
	}
	epoch := time.Now().Truncate(time.Second)
	tw := &twins{t: t, kubectl: path, dir: t.TempDir()}
	if tw.real, err = cluster.New(cluster.Options{Seed: 7, Epoch: epoch}); err != nil {
		t.Fatal(err)
	}
	if tw.builtin, err = cluster.New(cluster.Options{Seed: 7, Epoch: epoch}); err != nil {
		t.Fatal(err)
	}
	tw.srv = New(tw.real, "en")
	if err := tw.srv.Listen("127.0.0.1:0", false); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tw.srv.Close() })
	kc, err := WriteKubeconfig(tw.dir, "kubeplay-test", tw.srv.URL(), tw.srv.Token(), tw.srv.CACert())
	if err != nil {
		t.Fatal(err)
	}
	// HOME: kubectl's discovery cache goes to a folder of the test's.
	tw.env = append(os.Environ(), "KUBECONFIG="+kc, "HOME="+tw.dir, "KUBECACHEDIR="+filepath.Join(tw.dir, "cache"))
	tw.con = console.New(tw.builtin, &tw.out, &tw.errOut, console.Options{Lang: "en"})
	return tw
}

// result is what one kubectl printed.
type result struct {
	out, err string
	code     int
}

// runReal runs the real kubectl, serving its requests meanwhile on this
// goroutine (the real cluster's kernel's): each request is answered in
// virtual time, as the built-in's are; while a watch is open, time runs
// ahead in small steps so that what it waits for happens.
func (tw *twins) runReal(stdin string, limit time.Duration, args ...string) result {
	tw.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, tw.kubectl, args...)
	cmd.Env = tw.env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		tw.t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	k := tw.real
	for {
		select {
		case err := <-exited:
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				tw.t.Fatal(err)
			}
			return result{out.String(), errOut.String(), code}
		case <-k.Wake():
		case <-time.After(2 * time.Millisecond):
		}
		k.CatchUp()
		k.Wait(time.Minute, func() bool { return !tw.srv.Busy() })
		if len(tw.srv.streams) > 0 {
			k.RunFor(20 * time.Millisecond)
		}
	}
}

// runBuiltin runs the same command at the built-in prompt.
func (tw *twins) runBuiltin(stdin string, args ...string) result {
	tw.out.Reset()
	tw.errOut.Reset()
	line := "kubectl"
	for _, a := range args {
		line += " " + shellQuote(a)
	}
	var in *strings.Reader
	if stdin != "" {
		in = strings.NewReader(stdin)
	}
	code, _ := tw.con.Exec(line, in)
	return result{tw.out.String(), tw.errOut.String(), code}
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\"{}[]$*?\\|&;<>()") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// sync brings both clusters to the same instant: the next whole second
// after the later of the two.
func (tw *twins) sync() {
	at := max(tw.real.Elapsed(), tw.builtin.Elapsed())
	at = at.Truncate(time.Second) + time.Second
	tw.real.RunFor(at - tw.real.Elapsed())
	tw.builtin.RunFor(at - tw.builtin.Elapsed())
}

// same runs a command on both and requires the same output, after norm.
func (tw *twins) same(norm func(string) string, stdin string, args ...string) result {
	tw.t.Helper()
	tw.sync()
	real := tw.runReal(stdin, 30*time.Second, args...)
	builtin := tw.runBuiltin(stdin, args...)
	if norm == nil {
		norm = func(s string) string { return s }
	}
	if norm(real.out) != norm(builtin.out) || real.code != builtin.code || norm(real.err) != norm(builtin.err) {
		tw.t.Errorf("kubectl %s:\n--- real kubectl (exit %d):\n%s%s--- built-in (exit %d):\n%s%s",
			strings.Join(args, " "), real.code, real.out, real.err, builtin.code, builtin.out, builtin.err)
	}
	return real
}

// eventAges blanks the AGE column of describe's Events table: kubectl
// computes it from its own clock, not from the server's data.
var eventAge = regexp.MustCompile(`(?m)^(  (?:Normal|Warning)\s+\S+\s+)\S+(\s+)`)

// podAge blanks the Age column of describe node's Non-terminated Pods
// table (the node's coredns replica), for the same reason.
var podAge = regexp.MustCompile(`(?m)^(  \S+\s+\S+\s+.*\(\d+%\)\s+)\S+$`)

func describeNorm(s string) string {
	s = eventAge.ReplaceAllString(s, "${1}AGE${2}")
	s = podAge.ReplaceAllString(s, "${1}AGE")
	return regexp.MustCompile(` {2,}`).ReplaceAllString(s, "  ")
}

// lastLine keeps the last line: rollout status prints progress lines
// whose number depends on when kubectl looked.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestRealKubectlMatchesTheBuiltinPrompt(t *testing.T) {
	tw := newTwins(t)
	manifest, err := os.ReadFile("../../assets/examples/nginx-deployment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tw.same(nil, "", "get", "nodes")
	tw.same(nil, "", "get", "nodes", "-o", "wide")
	tw.same(nil, "", "get", "pods")
	tw.same(nil, "", "get", "namespaces")
	tw.same(nil, string(manifest), "apply", "-f", "-")
	tw.same(lastLine, "", "rollout", "status", "deployment/nginx-deployment")
	for _, format := range [][]string{nil, {"-o", "wide"}, {"-o", "name"}, {"--show-labels"}, {"-o", "jsonpath={.items[*].metadata.name}"},
		{"-o", "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName"}} {
		tw.same(nil, "", append([]string{"get", "pods"}, format...)...)
	}
	tw.same(nil, "", "get", "deploy,rs,pods", "-o", "wide")
	tw.same(nil, "", "get", "all")
	tw.same(nil, "", "get", "pods", "-A")
	tw.same(nil, "", "get", "deployment", "nginx-deployment", "-o", "yaml")
	tw.same(nil, "", "get", "deployment", "nginx-deployment", "-o", "json")
	tw.same(describeNorm, "", "describe", "deployment", "nginx-deployment")
	tw.same(nil, "", "set", "image", "deployment/nginx-deployment", "nginx=nginx:1.16.1")
	tw.same(lastLine, "", "rollout", "status", "deployment/nginx-deployment")
	tw.same(nil, "", "rollout", "history", "deployment/nginx-deployment")
	tw.same(nil, "", "rollout", "undo", "deployment/nginx-deployment", "--to-revision=1")
	tw.same(lastLine, "", "rollout", "status", "deployment/nginx-deployment")
	tw.same(nil, "", "scale", "deployment/nginx-deployment", "--replicas=5")
	tw.same(lastLine, "", "rollout", "status", "deployment/nginx-deployment")
	tw.same(nil, "", "get", "rs")
	// apply again: an update, then a no-op.
	changed := strings.Replace(string(manifest), "replicas: 3", "replicas: 2", 1)
	tw.same(nil, changed, "apply", "-f", "-")
	tw.same(nil, changed, "apply", "-f", "-")
	tw.same(nil, "", "create", "deployment", "web", "--image=nginx", "--replicas=2")
	tw.same(lastLine, "", "rollout", "status", "deployment/web")
	tw.same(nil, "", "get", "pods", "-l", "app=web")
	// Field selectors: selected on the server for a real kubectl, by the
	// same fields in the built-in; errors as cli-runtime words them.
	tw.same(nil, "", "get", "pods", "--field-selector", "status.phase=Running,spec.nodeName!=node-9", "-o", "wide")
	tw.same(nil, "", "get", "events", "--field-selector", "involvedObject.kind=Deployment,type=Normal")
	tw.same(nil, "", "get", "pods", "--field-selector", "status.hostIP=10.0.0.1")
	tw.same(nil, "", "get", "pods", "-l", "app=web", "--field-selector", "phase")
	tw.same(nil, "", "get", "deploy,rs", "--field-selector", "status.replicas=2")
	tw.same(nil, "", "get", "deploy,rs", "--field-selector", "metadata.name=web")
	tw.same(nil, "", "get", "deployment", "web", "--field-selector", "metadata.name=web")
	tw.same(nil, "", "delete", "rs", "--field-selector", "status.replicas=0")
	tw.same(nil, "", "delete", "pods", "--field-selector", "status.phase=Failed")
	tw.same(nil, "", "delete", "deployment", "web")
	tw.same(nil, "", "get", "pods", "-l", "app=web")
	// Errors: not found, invalid, unknown type.
	tw.same(nil, "", "get", "pod", "nope")
	tw.same(nil, "", "delete", "deployment", "nope")
	tw.same(nil, "", "run", "Bad", "--image=nginx")
	tw.same(nil, "", "get", "widgets")
	tw.same(describeNorm, "", "describe", "nodes", "node-1")
}

// TestRealKubectlServerSideApply: --server-side creates, then updates.
func TestRealKubectlServerSideApply(t *testing.T) {
	tw := newTwins(t)
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n"
	got := tw.runReal(cm, 30*time.Second, "apply", "--server-side", "-f", "-")
	if got.code != 0 || got.out != "configmap/settings serverside-applied\n" {
		t.Fatalf("server-side apply (create): %+v", got)
	}
	got = tw.runReal(strings.Replace(cm, "blue", "green", 1), 30*time.Second, "apply", "--server-side", "-f", "-")
	if got.code != 0 || got.out != "configmap/settings serverside-applied\n" {
		t.Fatalf("server-side apply (update): %+v", got)
	}
	got = tw.runReal("", 30*time.Second, "get", "configmap", "settings", "-o", "jsonpath={.data.color}")
	if got.out != "green" {
		t.Fatalf("after server-side apply the ConfigMap says %+v", got)
	}
}

// TestRealKubectlWatch: get -w prints the list, then a row per change.
func TestRealKubectlWatch(t *testing.T) {
	tw := newTwins(t)
	tw.runReal("", 30*time.Second, "run", "web", "--image=nginx")
	got := tw.runReal("", 3*time.Second, "get", "pods", "-w")
	lines := strings.Split(strings.TrimSpace(got.out), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "NAME") || !strings.HasPrefix(lines[1], "web ") {
		t.Fatalf("get -w printed:\n%s%s", got.out, got.err)
	}
	if !strings.Contains(got.out, "Running") {
		t.Errorf("the watch never showed the pod Running:\n%s", got.out)
	}

}

// TestRealKubectlPortForward: `kubectl port-forward` through kubeplay's
// API reaches the demo app in the pod, and says what kubectl says.
func TestRealKubectlPortForward(t *testing.T) {
	path, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("no kubectl on PATH: running a real kubectl port-forward needs one (kubectl 1.28 or newer)")
	}
	sv := serve(t)
	sv.running(t, podJSON)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "port-forward", "pod/web", "0:80", "--address", "127.0.0.1")
	cmd.Env = sv.kubectlEnv(t, t.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		_ = cmd.Wait()
	}()
	first := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		first <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var line string
	select {
	case line = <-first:
	case <-time.After(20 * time.Second):
		t.Fatalf("kubectl port-forward printed nothing in 20s; stderr: %s", errOut.String())
	}
	m := regexp.MustCompile(`^Forwarding from 127\.0\.0\.1:(\d+) -> 80\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("kubectl port-forward said %q; stderr: %s", line, errOut.String())
	}
	resp, err := http.Get("http://127.0.0.1:" + m[1] + "/")
	if err != nil {
		t.Fatalf("through kubectl's forward: %v; stderr: %s", err, errOut.String())
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "from pod web") {
		t.Errorf("through kubectl's forward: %d %q", resp.StatusCode, body)
	}
}

// TestRealKubectlMeetsTheLimits: an object over etcd's 1.5 MiB (from a
// file, or from create configmap, which words it its own way) and a
// JSON patch whose copies double the object thirty times (1.9 KB) are
// refused with kube-apiserver's words, the same through a real kubectl
// as at the built-in prompt.
func TestRealKubectlMeetsTheLimits(t *testing.T) {
	tw := newTwins(t)
	big := `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"x":"` + strings.Repeat("a", 2<<20) + `"}}`
	if r := tw.same(nil, big, "create", "-f", "-"); !strings.Contains(r.err, `Error from server: error when creating "STDIN": etcdserver: request is too large`) {
		t.Errorf("create of 2 MiB: %+v", r)
	}
	file := filepath.Join(tw.dir, "big.txt")
	if err := os.WriteFile(file, []byte(strings.Repeat("a", 2<<20)), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := tw.same(nil, "", "create", "configmap", "big", "--from-file="+file); !strings.Contains(r.err, "error: failed to create configmap: etcdserver: request is too large") {
		t.Errorf("create configmap of 2 MiB: %+v", r)
	}
	tw.same(nil, "", "create", "deployment", "web", "--image=nginx")
	tw.same(nil, "", "create", "deployment", "web", "--image=nginx")
	var ops []string
	for i := range 30 {
		ops = append(ops, fmt.Sprintf(`{"op":"copy","from":"/spec","path":"/spec/x%d"}`, i))
	}
	hostile := "[" + strings.Join(ops, ",") + "]"
	if r := tw.same(nil, "", "patch", "deployment", "web", "--type=json", "-p", hostile); !strings.Contains(r.err, "The request is invalid: the server rejected our request due to an error in our request") {
		t.Errorf("hostile patch: %+v", r)
	}
}
