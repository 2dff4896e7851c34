package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
)

// freeNodePort is a port in the NodePort range nothing listens on now.
func freeNodePort(t *testing.T) int {
	t.Helper()
	for p := 32700; p > 30000; p -= 7 {
		if ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p)); err == nil {
			ln.Close()
			return p
		}
	}
	t.Fatal("no free port in the NodePort range")
	return 0
}

// getOnce is one GET on a new connection, as a curl from another terminal.
func getOnce(url string) (string, error) {
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// TestNodePortOnDocker: a NodePort Service is answered over real TCP on
// 127.0.0.1 by real containers, each connection sent to a ready pod in
// turn; kubectl port-forward reaches one of them, and the demo app shows
// its environment. Nothing is left on the daemon afterwards.
func TestNodePortOnDocker(t *testing.T) {
	needDockerInParallel(t, "the NodePort test on Docker")
	bin := kubeplayBinary(t)
	port := freeNodePort(t)
	cmd := exec.Command(bin, "shell", "--runtime", "docker", "--strict")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr dockertest.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := false
	defer func() {
		if !exited {
			stdin.Close()
			_ = cmd.Wait()
		}
		dockertest.NothingLeft(t, cmd.Process.Pid)
	}()
	fmt.Fprintf(stdin, `create deployment web --image=kubeplay/demo:v1 --replicas=2
rollout status deployment/web --timeout=2m
create service nodeport web --tcp=80:8080 --node-port=%d
sleep 2s
port-forward deploy/web :8080
`, port)
	forwarding := regexp.MustCompile(`Forwarding from 127\.0\.0\.1:(\d+) -> 8080`)
	deadline := time.Now().Add(3 * time.Minute)
	var m []string
	for m = forwarding.FindStringSubmatch(stdout.String()); m == nil; m = forwarding.FindStringSubmatch(stdout.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("no port-forward after 3 minutes\nstdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}

	pods := map[string]bool{}
	from := regexp.MustCompile(`^kubeplay demo v1 from pod (web-\S+)\n$`)
	for i := 0; i < 6; i++ {
		body, err := getOnce(fmt.Sprintf("http://127.0.0.1:%d/", port))
		if err != nil {
			t.Fatalf("GET the NodePort %d: %v\nstderr:\n%s", port, err, stderr.String())
		}
		pm := from.FindStringSubmatch(body)
		if pm == nil {
			t.Fatalf("GET the NodePort: %q, want the demo app naming its pod", body)
		}
		pods[pm[1]] = true
	}
	if len(pods) != 2 {
		t.Errorf("six connections to the NodePort were answered by %v, want both pods", pods)
	}
	env, err := getOnce("http://127.0.0.1:" + m[1] + "/env")
	if err != nil || !strings.Contains(env, "HOSTNAME=web-") {
		t.Errorf("GET /env through port-forward: %q, %v", env, err)
	}

	fmt.Fprintln(stdin, "port-forward stop")
	fmt.Fprintln(stdin, "exit")
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Errorf("kubeplay shell: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	exited = true
	if out := stdout.String(); !strings.Contains(out, "Handling connection for "+m[1]) || !strings.Contains(out, "stopped forwarding 127.0.0.1:"+m[1]) {
		t.Errorf("stdout lacks kubectl's Handling connection line or the stop:\n%s", out)
	}
}
