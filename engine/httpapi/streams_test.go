package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	//lint:ignore SA1019 client-go's portforward still takes apimachinery's Dialer
	"k8s.io/apimachinery/pkg/util/httpstream"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/tools/remotecommand"
	"k8s.io/client-go/transport/spdy"
	"k8s.io/client-go/util/exec"
)

// counterPod writes a numbered line every second.
const counterPod = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"counter"},"spec":{"containers":[{"name":"count","image":"busybox",
"command":["sh","-c","i=0; while true; do echo line $i; i=$((i+1)); sleep 1; done"]}]}}`

// running creates a pod and waits until it runs.
func (sv *served) running(t *testing.T, manifest string) *corev1.Pod {
	t.Helper()
	if code, body := sv.do(t, "POST", "/api/v1/namespaces/default/pods", "application/json", manifest); code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	var pod corev1.Pod
	_ = json.Unmarshal([]byte(manifest), &pod)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		_, body := sv.do(t, "GET", "/api/v1/namespaces/default/pods/"+pod.Name, "", "")
		var got corev1.Pod
		if err := json.Unmarshal([]byte(body), &got); err == nil && got.Status.Phase == corev1.PodRunning {
			return &got
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("pod %s not running within 20s", pod.Name)
	return nil
}

func TestLogs(t *testing.T) {
	sv := serve(t)
	sv.running(t, counterPod)
	time.Sleep(1500 * time.Millisecond)
	code, body := sv.do(t, "GET", "/api/v1/namespaces/default/pods/counter/log?container=count", "", "")
	if code != 200 || !strings.HasPrefix(body, "line 0\nline 1\n") {
		t.Fatalf("log: %d %q", code, body)
	}
	code, body = sv.do(t, "GET", "/api/v1/namespaces/default/pods/counter/log?tailLines=1", "", "")
	if code != 200 || strings.Count(body, "\n") != 1 || !strings.HasPrefix(body, "line ") {
		t.Fatalf("log with tailLines=1: %d %q", code, body)
	}
	code, body = sv.do(t, "GET", "/api/v1/namespaces/default/pods/counter/log?previous=true", "", "")
	if code != 400 || !strings.Contains(body, `previous terminated container \"count\" in pod \"counter\" not found`) {
		t.Fatalf("log of a previous instance there is not: %d %s", code, body)
	}
	code, body = sv.do(t, "GET", "/api/v1/namespaces/default/pods/counter/log?container=nope", "", "")
	if code != 400 || !strings.Contains(body, "container nope is not valid for pod counter") {
		t.Fatalf("log of a container the pod has not: %d %s", code, body)
	}
	code, body = sv.do(t, "GET", "/api/v1/namespaces/default/pods/nope/log", "", "")
	if code != 404 || !strings.Contains(body, `pods \"nope\" not found`) {
		t.Fatalf("log of a pod there is not: %d %s", code, body)
	}
}

// TestLogsFollow: follow=true sends lines as they are written, and the
// stream ends when the instance does.
func TestLogsFollow(t *testing.T) {
	sv := serve(t)
	sv.running(t, counterPod)
	resp, err := sv.client().Get(sv.base + "/api/v1/namespaces/default/pods/counter/log?follow=true&tailLines=0")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/plain" {
		t.Fatalf("follow: %d %s", resp.StatusCode, ct)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	for range 2 {
		select {
		case l := <-lines:
			if !strings.HasPrefix(l, "line ") {
				t.Fatalf("followed line %q", l)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no line followed within 5s")
		}
	}
	// Deleting the pod ends the instance, and with it the stream.
	sv.do(t, "DELETE", "/api/v1/namespaces/default/pods/counter", "application/json", `{"gracePeriodSeconds":0}`)
	timeout := time.After(10 * time.Second)
	for {
		select {
		case _, ok := <-lines:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatal("the stream did not end with the container")
		}
	}
}

// TestLogsFollowEndsOnClose: Close ends a followed log.
func TestLogsFollowEndsOnClose(t *testing.T) {
	sv := serve(t)
	sv.running(t, counterPod)
	resp, err := sv.client().Get(sv.base + "/api/v1/namespaces/default/pods/counter/log?follow=true")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	closed := make(chan error, 1)
	go func() { closed <- sv.s.Close() }()
	done := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, resp.Body); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end the followed log")
	}
	<-closed
}

func TestMetrics(t *testing.T) {
	sv := serve(t)
	sv.running(t, counterPod)
	// The pod has run less than a whole window (15 s of the wall clock
	// here): metrics-server has no figure for it yet, as after a real
	// pod's start. The figures themselves are TestMetricsFollowLoad's.
	code, body := sv.do(t, "GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", "", "")
	if code != 200 || !strings.Contains(body, `"kind":"PodMetricsList"`) || !strings.Contains(body, `"items":[]`) {
		t.Fatalf("pod metrics: %d %s", code, body)
	}
	code, body = sv.do(t, "GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/counter", "", "")
	if code != 404 || !strings.Contains(body, `podmetrics.metrics.k8s.io \"default/counter\" not found`) {
		t.Fatalf("metrics of a pod not measured yet: %d %s", code, body)
	}
	code, body = sv.do(t, "GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope", "", "")
	if code != 404 || !strings.Contains(body, `podmetrics.metrics.k8s.io \"default/nope\" not found`) {
		t.Fatalf("metrics of a pod there is not: %d %s", code, body)
	}
	code, body = sv.do(t, "GET", "/apis/metrics.k8s.io/v1beta1/nodes", "", "")
	if code != 200 || !strings.Contains(body, `"kind":"NodeMetricsList"`) || !strings.Contains(body, `"name":"node-1"`) {
		t.Fatalf("node metrics: %d %s", code, body)
	}
}

// execIn runs command in the counter pod through client-go's executor
// (WebSocket, or SPDY when spdy is set), as kubectl exec does.
func (sv *served) execIn(t *testing.T, spdy bool, stdin string, command ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	opts := remotecommand.StreamOptions{Stdout: &out, Stderr: &out}
	if stdin != "" {
		opts.Stdin = strings.NewReader(stdin)
	}
	err := sv.execWith(t, spdy, opts, command...)
	return out.String(), err
}

// execWith runs command in the counter pod as kubectl does, over a
// WebSocket or SPDY, with opts's streams.
func (sv *served) execWith(t *testing.T, spdy bool, opts remotecommand.StreamOptions, command ...string) error {
	t.Helper()
	q := url.Values{"command": command, "container": {"count"}, "stdout": {"true"}}
	if opts.Stderr != nil {
		q.Set("stderr", "true")
	}
	if opts.Stdin != nil {
		q.Set("stdin", "true")
	}
	if opts.Tty {
		q.Set("tty", "true")
	}
	u, _ := url.Parse(sv.base + "/api/v1/namespaces/default/pods/counter/exec?" + q.Encode())
	cfg := sv.restConfig()
	var ex remotecommand.Executor
	var err error
	if spdy {
		ex, err = remotecommand.NewSPDYExecutor(cfg, "POST", u)
	} else {
		ex, err = remotecommand.NewWebSocketExecutor(cfg, "GET", u.String())
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return ex.StreamWithContext(ctx, opts)
}

func TestExec(t *testing.T) {
	sv := serve(t)
	sv.running(t, counterPod)
	for _, spdy := range []bool{false, true} {
		out, err := sv.execIn(t, spdy, "", "sh", "-c", "echo out; echo err >&2")
		if err != nil || out != "out\nerr\n" {
			t.Errorf("spdy=%v: exec: %q %v", spdy, out, err)
		}
		out, err = sv.execIn(t, spdy, "", "sh", "-c", "echo bye; exit 3")
		var code exec.CodeExitError
		if !errors.As(err, &code) || code.Code != 3 || out != "bye\n" {
			t.Errorf("spdy=%v: exit code: %q %v", spdy, out, err)
		}
		out, err = sv.execIn(t, spdy, "hello\nworld\n", "sh", "-c", "cat; echo done")
		if err != nil || out != "hello\nworld\ndone\n" {
			t.Errorf("spdy=%v: stdin: %q %v", spdy, out, err)
		}
	}
	code, body := sv.do(t, "POST", "/api/v1/namespaces/default/pods/counter/exec?command=ls&stdout=true&container=nope", "", "")
	if code != 400 || !strings.Contains(body, "container nope is not valid for pod counter") {
		t.Errorf("exec in a container the pod has not: %d %s", code, body)
	}
	code, body = sv.do(t, "POST", "/api/v1/namespaces/default/pods/counter/exec?command=ls&stdout=true", "", "")
	if code != 400 || !strings.Contains(body, "needs an upgrade") {
		t.Errorf("exec without an upgrade: %d %s", code, body)
	}
}

// TestPortForward: client-go's port-forward, tunnelled in a WebSocket
// (kubectl 1.32's first choice) and on plain SPDY, reaches the demo app
// in the pod; a port nothing listens on is reported on the error stream.
func TestPortForward(t *testing.T) {
	sv := serve(t)
	sv.running(t, podJSON)
	u, _ := url.Parse(sv.base + "/api/v1/namespaces/default/pods/web/portforward")
	cfg := sv.restConfig()
	dialers := map[string]func() httpstream.Dialer{
		"tunnel": func() httpstream.Dialer {
			d, err := portforward.NewSPDYOverWebsocketDialer(u, cfg)
			if err != nil {
				t.Fatal(err)
			}
			return d
		},
		"spdy": func() httpstream.Dialer {
			transport, upgrader, err := spdy.RoundTripperFor(cfg)
			if err != nil {
				t.Fatal(err)
			}
			return spdy.NewDialer(upgrader, &http.Client{Transport: transport}, "POST", u)
		},
	}
	for name, dialer := range dialers {
		t.Run(name, func(t *testing.T) {
			stop, ready := make(chan struct{}), make(chan struct{})
			var errOut strings.Builder
			pf, err := portforward.NewOnAddresses(dialer(), []string{"127.0.0.1"}, []string{"0:80", "0:9999"}, stop, ready, io.Discard, &errOut)
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- pf.ForwardPorts() }()
			defer func() {
				close(stop)
				<-done
			}()
			select {
			case <-ready:
			case err := <-done:
				t.Fatalf("port-forward: %v", err)
			}
			ports, _ := pf.GetPorts()
			resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/", ports[0].Local))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(body), "from pod web") {
				t.Errorf("through the forward: %d %q", resp.StatusCode, body)
			}
			if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/", ports[1].Local)); err == nil {
				resp.Body.Close()
				t.Errorf("a port nothing listens on answered %d", resp.StatusCode)
			}
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), "lost connection to pod") {
					t.Errorf("after a refused port: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("a refused port did not end the forward")
			}
			done <- nil
		})
	}
}
