package console

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/launch/launchtest"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
)

// terminatingScript: a Service's one pod drains for 20 s after SIGTERM
// (no readiness probe, so it is still serving); scaled to zero, it has no
// ready endpoint, and kube-proxy sends the pod's connections to the
// serving, terminating one until it is gone.
const terminatingScript = `run c --image=busybox -- sleep 3600
create deployment term --image=kubeplay/demo:v1
expose deployment term --port=80 --target-port=8080
patch deployment term -p '{"spec":{"template":{"spec":{"containers":[{"name":"demo","env":[{"name":"SHUTDOWN_DELAY","value":"20s"}]}]}}}}'
rollout status deployment/term --timeout=2m
wait --for=condition=Ready pod/c --timeout=2m
sleep 3s
exec c -- wget -qO- http://term
scale deployment term --replicas=0
sleep 3s
get endpointslices -l kubernetes.io/service-name=term -o jsonpath='{range .items[*].endpoints[*]}{.targetRef.name} ready={.conditions.ready} serving={.conditions.serving} terminating={.conditions.terminating}{"\n"}{end}'
exec c -- wget -qO- http://term
wait --for=delete pod -l app=term --timeout=2m
sleep 3s
exec c -- wget -qO- http://term
`

func checkTerminatingFallback(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(terminatingScript))
	got := out.String()
	first := regexp.MustCompile(`(?m)^\$ exec c -- wget -qO- http://term\nkubeplay demo v1 from pod (term-\S+)\n`).FindStringSubmatch(got)
	if first == nil {
		t.Fatalf("term did not answer while ready:\n%s", got)
	}
	pod := first[1]
	for _, want := range []string{
		pod + " ready=false serving=true terminating=true\n$ exec c -- wget -qO- http://term\nkubeplay demo v1 from pod " + pod + "\n",
		"$ exec c -- wget -qO- http://term\nwget: can't connect to remote host (",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in the output:\n%s", want, got)
		}
	}
}

// TestTerminatingFallback: with no ready endpoint, a Service's
// connections go to its serving, terminating ones (upstream's
// ProxyTerminatingEndpoints), on the simulated runtime.
func TestTerminatingFallback(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkTerminatingFallback(t, c)
}

// TestTerminatingFallbackOnDocker: the same from a Docker container,
// through the nftables rules of its pod's kube-proxy.
func TestTerminatingFallbackOnDocker(t *testing.T) {
	dockertest.Need(t, "kube-proxy's terminating endpoints on Docker")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	checkTerminatingFallback(t, launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 1}))
}

// affinityTimeoutScript: ClientIP affinity with a 10-second timeout. The
// pod's connections stick to one endpoint while they come within it
// (three, 4 s apart: 8 s in all, then a fourth), and go elsewhere once it
// has passed without one: to the next endpoint in turn, then stick
// there.
const affinityTimeoutScript = `run c --image=busybox -- sleep 3600
create deployment aff --image=kubeplay/demo:v1 --replicas=2
expose deployment aff --port=80 --target-port=8080
patch svc aff -p '{"spec":{"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":10}}}}'
rollout status deployment/aff --timeout=2m
wait --for=condition=Ready pod/c --timeout=2m
sleep 3s
exec c -- wget -qO- http://aff
sleep 4s
exec c -- wget -qO- http://aff
sleep 4s
exec c -- wget -qO- http://aff
sleep 4s
exec c -- wget -qO- http://aff
sleep 12s
exec c -- wget -qO- http://aff
exec c -- wget -qO- http://aff
get svc aff -o jsonpath='{.spec.sessionAffinityConfig.clientIP.timeoutSeconds}{"\n"}'
`

func checkAffinityTimeout(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(affinityTimeoutScript))
	got := out.String()
	answers := regexp.MustCompile(`(?m)^\$ exec c -- wget -qO- http://aff\nkubeplay demo v1 from pod (\S+)\n`).FindAllStringSubmatch(got, -1)
	if len(answers) != 6 || !strings.Contains(got, "\n10\n") {
		t.Fatalf("want 6 answers from aff and its timeout, got %d:\n%s", len(answers), got)
	}
	first, then := answers[0][1], answers[4][1]
	for i, a := range answers {
		if want := map[bool]string{true: first, false: then}[i < 4]; a[1] != want {
			t.Errorf("answer %d from %s, want %s (the first four within the timeout, the last two after it):\n%s", i, a[1], want, got)
		}
	}
	if first == then {
		t.Errorf("after 12 s without a connection (timeout 10 s) the pod still went to %s:\n%s", first, got)
	}
}

// TestAffinityTimeout: sessionAffinityConfig.clientIP.timeoutSeconds on
// the simulated runtime.
func TestAffinityTimeout(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkAffinityTimeout(t, c)
}

// TestAffinityTimeoutOnDocker: the same from a Docker container: its
// pod's nftables rules keep the client in an endpoint's set whose entry
// expires after the timeout.
func TestAffinityTimeoutOnDocker(t *testing.T) {
	dockertest.Need(t, "ClientIP affinity's timeout on Docker")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	checkAffinityTimeout(t, launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 1}))
}

// apiFromInside: the kubernetes Service from a pod, by name and by
// cluster IP, over TLS: what kube-apiserver lets anyone read, and 403 for
// system:anonymous elsewhere; with busybox's wget, and nginx's curl
// (busybox has none).
const apiFromInside = `run c --image=busybox -- sleep 3600
run n --image=nginx
wait --for=condition=Ready pod/c pod/n --timeout=2m
sleep 2s
exec c -- wget -qO- https://kubernetes.default/version
exec c -- wget -qO- https://10.96.0.1/healthz
exec c -- wget -qO- https://kubernetes.default.svc.cluster.local:443/api/v1/namespaces/default/pods
exec n -- curl -sS https://kubernetes.default/version
exec n -- curl -sk https://kubernetes.default/livez
exec n -- curl -k -s -o /dev/null -w '%{http_code} %{scheme} %{remote_port}\n' https://kubernetes/api
`

func checkAPIFromInside(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(apiFromInside))
	got := out.String()
	for _, want := range []string{
		"$ exec c -- wget -qO- https://kubernetes.default/version\n{\n  \"major\": \"1\",\n",
		"\"gitVersion\": \"v1.",
		"$ exec c -- wget -qO- https://10.96.0.1/healthz\nok$ ",
		"/pods\nwget: server returned error: HTTP/1.1 403 Forbidden\ncommand terminated with exit code 1\n",
		// curl checks the certificate unless -k, as in a real pod.
		"$ exec n -- curl -sS https://kubernetes.default/version\ncurl: (60) SSL certificate problem: unable to get local issuer certificate\n",
		"command terminated with exit code 60\n",
		"$ exec n -- curl -sk https://kubernetes.default/livez\nok$ ",
		"https://kubernetes/api\n403 https 443\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in the output:\n%s", want, got)
		}
	}
}

// TestAPIFromInside: the kubernetes Service answers a pod on the
// simulated runtime.
func TestAPIFromInside(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkAPIFromInside(t, c)
}

// TestAPIFromInsideOnDocker: the same from a Docker container, over real
// TLS: its pod's proxy answers the Service's addresses.
func TestAPIFromInsideOnDocker(t *testing.T) {
	dockertest.Need(t, "the kubernetes Service from a Docker container")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	checkAPIFromInside(t, launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 1}))
}
