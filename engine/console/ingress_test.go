package console

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/launch/launchtest"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
)

const ingressHostScript = `create deployment cart --image=kubeplay/demo:v1
create deployment shop --image=kubeplay/demo:v1
expose deployment cart --port=80 --target-port=8080
expose deployment shop --port=80 --target-port=8080
create ingress shop --rule="shop.example/cart*=cart:80" --rule="shop.example/*=shop:80"
rollout status deployment/cart --timeout=2m
rollout status deployment/shop --timeout=2m
rollout status deployment/ingress-kubeplay-controller -n ingress-kubeplay --timeout=2m
sleep 2s
get ingress shop
`

// freePort is a port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// hostResult is what a GET from the host got.
type hostResult struct {
	status    int
	pod, body string
	err       error
}

// getFromHost sends a GET with Host header host to url from the host, as
// a learner's own curl does, running the cluster on the wall clock (the
// simulated cluster answers only while it runs, as in the TUI) until the
// answer comes.
func getFromHost(c *cluster.Cluster, client *http.Client, url, host string) hostResult {
	ch := make(chan hostResult, 1)
	go func() {
		// Wake the cluster's clock, which waits for hops, to see it.
		defer c.Inject(sim.Hop{From: "test", To: "test", Verb: sim.VerbTimer, Internal: true}, nil)
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Host = host
		resp, err := client.Do(req)
		if err != nil {
			ch <- hostResult{err: err}
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		ch <- hostResult{status: resp.StatusCode, pod: resp.Header.Get("X-Kubeplay-Pod"), body: string(body)}
	}()
	var r hostResult
	got := false
	deadline := time.Now().Add(30 * time.Second)
	c.RunLive(func() bool {
		select {
		case r = <-ch:
			got = true
		default:
		}
		return got || time.Now().After(deadline)
	})
	if !got {
		r = <-ch
	}
	return r
}

// checkIngressFromTheHost sends, as a learner's own curl does, real HTTP
// requests to the ingress controller's port on 127.0.0.1: shop.example's
// /cart reaches the cart Service's pod, its other paths the shop pods,
// and an unknown host gets the 404 page.
func checkIngressFromTheHost(t *testing.T, c *cluster.Cluster, port int) {
	t.Helper()
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{Proxy: nil}}
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(ingressHostScript))
	if !strings.Contains(out.String(), "127.0.0.1") {
		t.Fatalf("the Ingress got no address:\n%s", out.String())
	}
	get := func(host, path string) (int, string, string) {
		r := getFromHost(c, client, fmt.Sprintf("http://127.0.0.1:%d%s", port, path), host)
		if r.err != nil {
			t.Fatalf("GET %s%s: %v", host, path, r.err)
		}
		return r.status, r.pod, r.body
	}
	for _, tc := range []struct{ host, path, pod string }{
		{"shop.example", "/cart", "cart-"},
		{"shop.example", "/cart/items", "cart-"},
		{"shop.example", "/", "shop-"},
		{"shop.example:8080", "/cartoon", "shop-"},
	} {
		status, pod, body := get(tc.host, tc.path)
		if status != http.StatusOK || !strings.HasPrefix(pod, tc.pod) || !strings.Contains(body, "from pod "+pod) {
			t.Errorf("Host %s, GET %s: HTTP %d from pod %q (%q); want 200 from a %s… pod", tc.host, tc.path, status, pod, body, tc.pod)
		}
	}
	if status, _, body := get("other.example", "/cart"); status != http.StatusNotFound || !strings.Contains(body, "404 Not Found") {
		t.Errorf("unknown host: HTTP %d %q; want the 404 page", status, body)
	}
}

// TestIngressFromTheHost, on the simulated runtime.
func TestIngressFromTheHost(t *testing.T) {
	port := freePort(t)
	c, err := cluster.New(cluster.Options{Seed: 1, NodePorts: true, IngressPort: port})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(t.Context()) })
	checkIngressFromTheHost(t, c, port)
}

// TestIngressFromTheHostOnDocker: the same on Docker, to real containers.
func TestIngressFromTheHostOnDocker(t *testing.T) {
	dockertest.Need(t, "the ingress controller on Docker")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	port := freePort(t)
	checkIngressFromTheHost(t, launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 1, IngressPort: port}), port)
}

// BenchmarkIngressVsNodePortSim measures, in one run on the simulated
// runtime, GETs from the host through a NodePort and through the ingress
// controller, alternating, each answered by a simulated pod (SimLatency
// of cluster time, which follows the wall clock here): requests/s of
// both and their ratio (goal ≥ 0.6).
func BenchmarkIngressVsNodePortSim(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	c, err := cluster.New(cluster.Options{Seed: 1, NodePorts: true, IngressPort: port})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = c.Close(context.Background()) }()
	b.Chdir("../..")
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(ingressHostScript + "expose deployment shop --name=shop-np --type=NodePort --port=80 --target-port=8080\nsleep 2s\n"))
	res, _ := apiserver.ResourceFor("services")
	svc, err := c.Get(res, "default", "shop-np")
	if err != nil {
		b.Fatalf("%v\n%s", err, out.String())
	}
	nodePort := svc.(*corev1.Service).Spec.Ports[0].NodePort
	for _, keepAlive := range []bool{false, true} {
		name := "new-conn"
		if keepAlive {
			name = "keep-alive"
		}
		b.Run(name, func(b *testing.B) {
			client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: !keepAlive}}
			timed := func(url, host string) time.Duration {
				start := time.Now()
				if r := getFromHost(c, client, url, host); r.err != nil || r.status != http.StatusOK {
					b.Fatalf("GET %s (Host %s): %v, HTTP %d", url, host, r.err, r.status)
				}
				return time.Since(start)
			}
			var nSum, iSum time.Duration
			b.ResetTimer()
			for range b.N {
				nSum += timed(fmt.Sprintf("http://127.0.0.1:%d/", nodePort), "web")
				iSum += timed(fmt.Sprintf("http://127.0.0.1:%d/", port), "shop.example")
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/nSum.Seconds(), "nodeport-req/s")
			b.ReportMetric(float64(b.N)/iSum.Seconds(), "ingress-req/s")
			b.ReportMetric(float64(nSum)/float64(iSum), "req/s-ratio")
		})
	}
}

// ingressFromPod: the ingress controller from inside a pod (nginx's,
// which has curl), by its Service's name and its cluster IP, with a Host
// header, as from the host.
const ingressFromPod = `run c --image=nginx
wait --for=condition=Ready pod/c --timeout=2m
get svc -n ingress-kubeplay
exec c -- curl -s -H 'Host: shop.example' http://ingress-kubeplay-controller.ingress-kubeplay/cart
exec c -- curl -s -H 'Host: shop.example' http://10.96.71.34/
exec c -- curl -s -H 'Host: other.example' http://ingress-kubeplay-controller.ingress-kubeplay.svc.cluster.local/cart
`

// checkIngressFromPod: shop.example's /cart reaches a cart pod, / a shop
// pod, an unknown host the 404 page; the hops go pod c → the controller
// → the backend pod.
func checkIngressFromPod(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	var hops []sim.Hop
	c.Observe(func(h sim.Hop) {
		if h.Verb == sim.VerbConnect {
			hops = append(hops, h)
		}
	})
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(ingressHostScript + ingressFromPod))
	got := out.String()
	for _, want := range []string{
		"ingress-kubeplay-controller   ClusterIP   10.96.71.34   <none>        80/TCP",
		"/cart\nkubeplay demo v1 from pod cart-",
		"http://10.96.71.34/\nkubeplay demo v1 from pod shop-",
		"/cart\n<html>\r\n<head><title>404 Not Found</title></head>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in the output:\n%s", want, got)
		}
	}
	var chain []string
	for _, h := range hops {
		if h.From == "pod/c" || h.From == "ingress-controller" || h.To == "ingress-controller" {
			chain = append(chain, fmt.Sprintf("%s → %s: %s", h.From, h.To, h.Summary))
		}
	}
	joined := strings.Join(chain, "\n")
	for _, want := range []string{"pod/c → ", "GET shop.example/cart\n", "→ pod/cart-", "GET shop.example/cart → default/cart:80"} {
		if !strings.Contains(joined, want) {
			t.Errorf("want %q in the hops:\n%s", want, joined)
		}
	}
}

// TestIngressFromPod, on the simulated runtime.
func TestIngressFromPod(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, IngressPort: 8080})
	if err != nil {
		t.Fatal(err)
	}
	checkIngressFromPod(t, c)
}

// TestIngressFromPodOnDocker: the same from a Docker container: its pod's
// proxy passes the Service's requests on to the controller's socket.
func TestIngressFromPodOnDocker(t *testing.T) {
	dockertest.Need(t, "the ingress controller from a Docker container")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	checkIngressFromPod(t, launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 1, IngressPort: freePort(t)}))
}

// A pod that does not take the request (its app listens only after its
// STARTUP_DELAY, though it is Ready without a probe) is skipped as
// ingress-nginx skips it: the controller tries the next endpoint, three
// tries in all, and answers 502 itself once none took it — to the shell's
// curl from the host, where kubeplay said "Empty reply from server", and
// to a pod's curl through the controller's Service on the simulated
// runtime, which said "Couldn't connect to server" when the controller
// picked pod slow.
func TestIngressTriesTheNextEndpoint(t *testing.T) {
	page502 := "<title>502 Bad Gateway</title>"
	for _, tc := range []struct {
		name string
		// client starts the client; curl is one GET of shop.example
		// (PORT: the controller's host port).
		client, curl string
		// noAnswer is what the client says where no controller answers.
		noAnswer string
		failed   []string
	}{
		{name: "from the host", curl: "curl -H 'Host: shop.example' http://127.0.0.1:PORT/\n", noAnswer: "Empty reply",
			failed: []string{page502, "(HTTP 502 from the ingress controller: no pod of the backend Service took the request, in 3 tries as ingress-nginx makes them)"}},
		{name: "from a pod", client: "run c --image=nginx\nwait --for=condition=Ready pod/c --timeout=2m\n", // nginx has curl, busybox none
			curl: "exec c -- curl -sS -H 'Host: shop.example' http://ingress-kubeplay-controller.ingress-kubeplay/\n", noAnswer: "curl: (",
			failed: []string{page502}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port := freePort(t)
			c, err := cluster.New(cluster.Options{Seed: 1, IngressPort: port})
			if err != nil {
				t.Fatal(err)
			}
			var tries []string
			c.Observe(func(h sim.Hop) {
				if h.From == "ingress-controller" && h.Verb == sim.VerbConnect {
					tries = append(tries, string(h.To))
				}
			})
			curl := strings.ReplaceAll(tc.curl, "PORT", strconv.Itoa(port))
			var out bytes.Buffer
			New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(tc.client + `run good --image=kubeplay/demo:v1 --labels=app=shop
run slow --image=kubeplay/demo:v1 --labels=app=shop --env=STARTUP_DELAY=1h
create service clusterip shop --tcp=80:8080
create ingress shop --rule="shop.example/*=shop:80"
wait --for=condition=Ready pod/good --timeout=2m
wait --for=condition=Ready pod/slow --timeout=2m
sleep 2s
` + strings.Repeat(curl, 4)))
			got := out.String()
			if n := strings.Count(got, "kubeplay demo v1 from pod good"); n != 4 || strings.Contains(got, tc.noAnswer) {
				t.Errorf("pod good answered %d of 4 requests, want every one:\n%s", n, got)
			}
			if !slices.Contains(tries, "pod/slow") {
				t.Errorf("the controller never tried pod slow: %q", tries)
			}
			out.Reset()
			New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader("delete pod good\nsleep 2s\n" + curl))
			got = out.String()
			for _, want := range tc.failed {
				if !strings.Contains(got, want) {
					t.Errorf("with only pod slow, want %q:\n%s", want, got)
				}
			}
		})
	}
}
