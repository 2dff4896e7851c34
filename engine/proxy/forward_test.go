package proxy_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/proxy"

	corev1 "k8s.io/api/core/v1"
)

// runWhile runs the virtual-time cluster, as the shell does at its
// prompt, until wait returns, and fails after 10 s of wall time.
func runWhile[T any](t *testing.T, c *cluster.Cluster, ch <-chan T) T {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case v := <-ch:
			return v
		default:
			if time.Now().After(deadline) {
				t.Fatal("no answer in 10s")
			}
			c.CatchUp()
			c.RunFor(10 * time.Millisecond)
			time.Sleep(time.Millisecond)
		}
	}
}

type answer struct {
	status int
	body   string
	err    error
}

func get(url string, ch chan<- answer) {
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}, Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		ch <- answer{err: err}
		return
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	ch <- answer{resp.StatusCode, string(b), err}
}

const configured = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: web
    image: kubeplay/demo:v1
    env:
    - {name: GREETING, value: hello}
    ports:
    - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {port: 80, targetPort: http}
`

// webCluster is a seeded cluster whose console has applied web.yaml (the
// configured demo pod and its Service) and waited for the pod to be Ready;
// the console's stdout and stderr come back empty.
func webCluster(t *testing.T) (*cluster.Cluster, *console.Console, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	out, errOut := new(bytes.Buffer), new(bytes.Buffer)
	con := console.New(c, out, errOut, console.Options{ReadFile: func(string) ([]byte, error) { return []byte(configured), nil }})
	for _, line := range []string{"kubectl apply -f web.yaml", "kubectl wait --for=condition=Ready pod/web"} {
		if code, _ := con.Exec(line, nil); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", line, code, out.String(), errOut.String())
		}
	}
	out.Reset()
	errOut.Reset()
	return c, con, out, errOut
}

// TestPortForwardSim: kubectl port-forward svc/web :80 listens on
// 127.0.0.1, prints kubectl's lines, and a real TCP client reaches the
// simulated demo app through it (the Service's port 80 is the pod's 8080).
func TestPortForwardSim(t *testing.T) {
	c, con, out, errOut := webCluster(t)
	if code, _ := con.Exec("kubectl port-forward svc/web :80", nil); code != 0 {
		t.Fatalf("port-forward: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	m := regexp.MustCompile(`^Forwarding from 127\.0\.0\.1:(\d+) -> 8080\n$`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("port-forward printed %q, want kubectl's Forwarding line to the pod's port 8080", out.String())
	}
	if !strings.Contains(errOut.String(), "port-forward stop") {
		t.Errorf("port-forward does not say how it ends: %q", errOut.String())
	}
	local, _ := strconv.Atoi(m[1])
	out.Reset()
	ch := make(chan answer, 1)
	go get(fmt.Sprintf("http://127.0.0.1:%d/env", local), ch)
	a := runWhile(t, c, ch)
	if a.err != nil || a.status != 200 || !strings.Contains(a.body, "GREETING=hello\n") {
		t.Fatalf("GET /env through the forward = %d %q %v", a.status, a.body, a.err)
	}
	c.RunFor(time.Second)
	if got, want := out.String(), fmt.Sprintf("Handling connection for %d\n", local); got != want {
		t.Errorf("stdout after a connection = %q, want %q", got, want)
	}

	// The same local port again cannot be had; kubectl's words.
	out.Reset()
	errOut.Reset()
	if code, _ := con.Exec(fmt.Sprintf("kubectl port-forward pod/web %d:http", local), nil); code == 0 {
		t.Errorf("a second forward on port %d succeeded", local)
	}
	if want := fmt.Sprintf("error: unable to listen on any of the requested ports: [{%d 8080}]\n", local); !strings.HasSuffix(errOut.String(), want) {
		t.Errorf("stderr = %q, want it to end with %q", errOut.String(), want)
	}

	out.Reset()
	if code, _ := con.Exec("kubectl port-forward stop", nil); code != 0 || !strings.Contains(out.String(), fmt.Sprintf("stopped forwarding 127.0.0.1:%d -> pod/web:8080", local)) {
		t.Errorf("port-forward stop: exit %d, %q", code, out.String())
	}
	if conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", local)); err == nil {
		conn.Close()
		t.Errorf("port %d still listens after port-forward stop", local)
	}
	// The cluster's network is kube-proxy (with the ingress controller).
	p := c.Network().(interface{ Forwards() []*proxy.Forward })
	if len(p.Forwards()) != 0 {
		t.Errorf("forwards left: %v", p.Forwards())
	}
}

// TestPortForwardErrors: what kubectl says to a bad port-forward.
func TestPortForwardErrors(t *testing.T) {
	_, con, out, errOut := webCluster(t)
	for _, tc := range []struct{ line, stderr string }{
		{"kubectl port-forward pod/web", "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n"},
		{"kubectl port-forward pod/nope 8080:80", "Error from server (NotFound): pods \"nope\" not found\n"},
		{"kubectl port-forward svc/web 8080:81", "error: Service web does not have a service port 81\n"},
		{"kubectl port-forward pod/web 8080:grpc", "error: Pod 'web' does not have a named port 'grpc'\n"},
		{"kubectl port-forward pod/web x:80", "error: error parsing local port 'x': strconv.ParseUint: parsing \"x\": invalid syntax\n"},
		{"kubectl port-forward stop", "kubeplay: no port-forward is running\n"},
	} {
		out.Reset()
		errOut.Reset()
		if code, _ := con.Exec(tc.line, nil); code == 0 {
			t.Errorf("%s: exit 0", tc.line)
		}
		if errOut.String() != tc.stderr {
			t.Errorf("%s: stderr %q, want %q", tc.line, errOut.String(), tc.stderr)
		}
	}
}

// TestPortForwardNotRunning: kubectl refuses a pod that does not run yet.
func TestPortForwardNotRunning(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var out, errOut bytes.Buffer
	con := console.New(c, &out, &errOut, console.Options{})
	con.Exec("kubectl run web --image=kubeplay-missing/nothing:v0", nil)
	con.Exec("sleep 10s", nil)
	errOut.Reset()
	if code, _ := con.Exec("kubectl port-forward web 8080", nil); code == 0 {
		t.Error("port-forward to a pending pod: exit 0")
	}
	if want := "error: unable to forward port because pod is not running. Current status=Pending\n"; errOut.String() != want {
		t.Errorf("stderr %q, want %q", errOut.String(), want)
	}
}

// TestDialPod is the HTTP API's way to a pod: from another goroutine, while
// the cluster runs.
func TestDialPod(t *testing.T) {
	c, con, _, _ := webCluster(t)
	ch := make(chan answer, 1)
	go func() {
		conn, err := c.Network().DialPod(context.Background(), "apiserver", "default", "web", 8080, nil)
		if err != nil {
			ch <- answer{err: err}
			return
		}
		defer conn.Close()
		fmt.Fprint(conn, "GET /files/etc/no-such-file HTTP/1.1\r\nHost: web\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			ch <- answer{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		ch <- answer{resp.StatusCode, string(b), err}
	}()
	a := runWhile(t, c, ch)
	if a.err != nil || a.status != 404 || !strings.Contains(a.body, "/etc/no-such-file: no such file") {
		t.Errorf("GET /files/etc/no-such-file over DialPod = %d %q %v, want the demo app's 404", a.status, a.body, a.err)
	}

	go func() {
		_, err := c.Network().DialPod(context.Background(), "apiserver", "default", "nope", 8080, nil)
		ch <- answer{err: err}
	}()
	if a := runWhile(t, c, ch); a.err == nil || !strings.Contains(a.err.Error(), `pods "nope" not found`) {
		t.Errorf("DialPod to a missing pod: %v", a.err)
	}
	if ep, err := c.Network().PodEndpoint("default", "web", 8080); err != nil || ep.Pod != "web" || ep.Port != 8080 || ep.IP == "" {
		t.Errorf("PodEndpoint of a running pod = %+v, %v", ep, err)
	}
	con.Exec("kubectl run later --image=kubeplay/demo:v1", nil)
	var nr proxy.PodNotRunningError
	if _, err := c.Network().PodEndpoint("default", "later", 8080); !errors.As(err, &nr) || nr.Phase != corev1.PodPending {
		t.Errorf("PodEndpoint of a pending pod: %v, want PodNotRunningError{Pending}", err)
	}
}
