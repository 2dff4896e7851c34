package console

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/launch/launchtest"
	"github.com/kubeplay/kubeplay/engine/runtime/docker"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"

	"github.com/moby/moby/client"
)

// benchSetup is a Docker cluster with a Service demo (two pods) and a pod
// c holding netbench (testdata/netbench) at /netbench; it returns a run of
// netbench in c, demo's cluster IP and its pods' IPs.
func benchSetup(b *testing.B) (run func(args ...string) string, clusterIP string, podIPs []string) {
	b.Helper()
	dockertest.Need(b, "the in-container network benchmarks")
	dir := b.TempDir()
	bin := filepath.Join(dir, "netbench")
	build := exec.Command("go", "build", "-o", bin, "./testdata/netbench")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build ./testdata/netbench: %v\n%s", err, out)
	}
	c := launchtest.DockerCluster(b, cluster.Options{Seed: 1, Nodes: 2})
	var out bytes.Buffer
	New(c, &out, &out, Options{}).Run(strings.NewReader(`create deployment demo --image=kubeplay/demo:v1 --replicas=2
expose deployment demo --port=80 --target-port=8080
run c --image=busybox -- sleep 3600
wait --for=condition=Ready pod/c --timeout=2m
rollout status deployment/demo --timeout=2m
sleep 3s
get svc demo -o jsonpath='{.spec.clusterIP}{"\n"}'
get pods -l app=demo -o jsonpath='{.items[*].status.podIP}{"\n"}'
`))
	m := regexp.MustCompile(`(?m)^(10\.\d+\.\d+\.\d+)\n(\d+\.\d+\.\d+\.\d+ \d+\.\d+\.\d+\.\d+)\n`).FindStringSubmatch(out.String())
	if m == nil {
		b.Fatalf("no cluster IP and pod IP:\n%s", out.String())
	}
	copyInto(b, "default/c", bin)
	return func(args ...string) string {
		var out bytes.Buffer
		New(c, &out, &out, Options{}).Run(strings.NewReader("exec c -- /netbench " + strings.Join(args, " ") + "\n"))
		return out.String()
	}, m[1], strings.Fields(m[2])
}

// copyInto puts the file at path into the running container of pod
// (namespace/name) at /.
func copyInto(b *testing.B, pod, path string) {
	b.Helper()
	ctx := context.Background()
	cli, err := docker.Connect(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	// This process's: other runs on the daemon may have a pod of that name.
	found, err := cli.ContainerList(ctx, client.ContainerListOptions{Filters: make(client.Filters).Add("label", docker.LabelPod+"="+pod).
		Add("label", docker.LabelRole+"=container").Add("label", docker.LabelOwnerPID+"="+strconv.Itoa(os.Getpid()))})
	if err != nil || len(found.Items) != 1 {
		b.Fatalf("the container of %s: %v (%d found)", pod, err, len(found.Items))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var archive bytes.Buffer
	tw := tar.NewWriter(&archive)
	if err := tw.WriteHeader(&tar.Header{Name: filepath.Base(path), Mode: 0o755, Size: int64(len(data))}); err != nil {
		b.Fatal(err)
	}
	tw.Write(data)
	tw.Close()
	if _, err := cli.CopyToContainer(ctx, found.Items[0].ID, client.CopyToContainerOptions{DestinationPath: "/", Content: &archive}); err != nil {
		b.Fatal(err)
	}
}

// metric reads "NAME p50=X p99=Y" from netbench's output, in milliseconds.
func metric(b *testing.B, out, name string) (p50, p99 float64) {
	b.Helper()
	m := regexp.MustCompile(`(?m)^` + name + ` p50=(\d+) p99=(\d+) `).FindStringSubmatch(out)
	if m == nil {
		b.Fatalf("no %s figures in:\n%s", name, out)
	}
	a, _ := strconv.Atoi(m[1])
	z, _ := strconv.Atoi(m[2])
	return float64(a) / 1000, float64(z) / 1000
}

// benchSamples is how many lookups or requests one report rests on, so
// that a 99th percentile means something whatever b.N is.
const benchSamples = 4000

// BenchmarkDNSInsideContainerOnDocker: from inside a pod, A queries for
// a Service's full name to resolv.conf's nameserver (10.96.0.10, answered
// by the pod's kube-proxy with the cluster DNS's code), one UDP exchange
// each, and whole lookups of it through Go's resolver (A and AAAA at
// once). Goal: p99 < 5 ms.
func BenchmarkDNSInsideContainerOnDocker(b *testing.B) {
	run, _, _ := benchSetup(b)
	const name = "demo.default.svc.cluster.local"
	b.ResetTimer()
	for b.Loop() {
		q50, q99 := metric(b, run("query", name, fmt.Sprint(benchSamples)), "query")
		l50, l99 := metric(b, run("dns", name, fmt.Sprint(benchSamples)), "dns")
		b.ReportMetric(q50, "query-p50-ms")
		b.ReportMetric(q99, "query-p99-ms")
		b.ReportMetric(l50, "lookup-p50-ms")
		b.ReportMetric(l99, "lookup-p99-ms")
	}
}

// BenchmarkClusterIPvsPodIPOnDocker: GETs on a new connection each (as
// wget), from inside a pod, to demo's cluster IP and to its pods directly
// (in turn, as the cluster IP sends them), interleaved in the same run.
// Goal: p99 ratio ≤ 1.5.
func BenchmarkClusterIPvsPodIPOnDocker(b *testing.B) {
	run, clusterIP, podIPs := benchSetup(b)
	direct := "http://" + podIPs[0] + ":8080/,http://" + podIPs[1] + ":8080/"
	b.ResetTimer()
	for b.Loop() {
		out := run("http", "http://"+clusterIP+"/", direct, fmt.Sprint(benchSamples))
		c50, c99 := metric(b, out, "http1")
		p50, p99 := metric(b, out, "http2")
		b.ReportMetric(c50, "clusterip-p50-ms")
		b.ReportMetric(c99, "clusterip-p99-ms")
		b.ReportMetric(p50, "podip-p50-ms")
		b.ReportMetric(p99, "podip-p99-ms")
		b.ReportMetric(c99/p99, "p99-ratio")
	}
}
