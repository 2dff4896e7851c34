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

// insideScript is the start of issue 16's transcript: a Service, then a
// pod that looks at what the kubelet gave it.
const insideScript = `create deployment web --image=nginx --replicas=2
expose deployment web --port=80 --target-port=8080
run c --image=busybox -- sleep 3600
wait --for=condition=Ready pod/c --timeout=2m
exec c -- cat /etc/resolv.conf
exec c -- cat /etc/hostname
exec c -- cat /etc/hosts
exec c -- env
exec c -- hostname
get pod c -o jsonpath='{.status.podIP}{"\n"}'
get svc web -o jsonpath='{.spec.clusterIP}{"\n"}'
`

// checkInside: the files and variables every container of a pod gets,
// as in a container of a real cluster.
func checkInside(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(insideScript))
	got := out.String()
	ips := regexp.MustCompile(`(?m)^\$ get pod c -o jsonpath.*\n(\S+)\n\$ get svc web -o jsonpath.*\n(\S+)\n`).FindStringSubmatch(got)
	if ips == nil {
		t.Fatalf("no pod IP and cluster IP in the output:\n%s", got)
	}
	podIP, svcIP := ips[1], ips[2]
	if strings.Contains(got, "KUBEPLAY_") {
		t.Errorf("kubeplay's own variables show in the pod's environment:\n%s", got)
	}
	for _, want := range []string{
		"$ exec c -- cat /etc/resolv.conf\nsearch default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
		"$ exec c -- cat /etc/hostname\nc\n",
		"$ exec c -- cat /etc/hosts\n# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" +
			"fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n" + podIP + "\tc\n$",
		"\nWEB_SERVICE_HOST=" + svcIP + "\n", "\nWEB_SERVICE_PORT=80\n", "\nWEB_PORT=tcp://" + svcIP + ":80\n",
		"\nWEB_PORT_80_TCP=tcp://" + svcIP + ":80\n", "\nWEB_PORT_80_TCP_PROTO=tcp\n", "\nWEB_PORT_80_TCP_PORT=80\n",
		"\nWEB_PORT_80_TCP_ADDR=" + svcIP + "\n",
		"\nKUBERNETES_SERVICE_HOST=10.96.0.1\n", "\nKUBERNETES_SERVICE_PORT=443\n", "\nKUBERNETES_SERVICE_PORT_HTTPS=443\n",
		"\nHOSTNAME=c\n", "$ exec c -- hostname\nc\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in the output:\n%s", want, got)
		}
	}
}

func TestInsideThePod(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkInside(t, c)
}

func TestInsideThePodOnDocker(t *testing.T) {
	dockertest.Need(t, "the pod's /etc files and Service variables on Docker")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	checkInside(t, launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 1}))
}

// servicesFromInside is issue 16's transcript, run from a pod: the names
// and cluster IPs of Services answer as on a real cluster. web is nginx
// (which listens on 80) behind --target-port=8080, so its connections are
// refused, as they are on a real cluster; demo listens on 8080.
const servicesFromInside = `create deployment web --image=nginx --replicas=2
expose deployment web --port=80 --target-port=8080
create deployment demo --image=kubeplay/demo:v1 --replicas=2
expose deployment demo --port=80 --target-port=8080
run c --image=busybox -- sleep 3600
wait --for=condition=Ready pod/c --timeout=2m
rollout status deployment/web --timeout=2m
rollout status deployment/demo --timeout=2m
sleep 3s
exec c -- wget -qO- http://web
exec c -- nslookup web
exec deploy/web -- getent hosts web
exec c -- nslookup nope
run -i --rm --image busybox:1.28 old --restart=Never -- nslookup web
exec c -- wget -qO- http://demo
exec c -- wget -qO- http://demo
exec c -- wget -qO- http://demo.default.svc.cluster.local
exec c -- wget -qO- http://demo.default
get svc demo -o jsonpath='{.spec.clusterIP}{"\n"}'
get pods -l app=demo -o jsonpath='{.items[*].metadata.name}{"\n"}'
`

// affinityFromInside: ClientIP affinity sends a pod's connections to one
// endpoint; a Service without ready endpoints refuses them.
const affinityFromInside = `patch svc demo -p '{"spec":{"sessionAffinity":"ClientIP"}}'
sleep 3s
exec c -- wget -qO- http://demo
exec c -- wget -qO- http://demo
exec c -- wget -qO- http://demo
scale deployment demo --replicas=0
wait --for=delete pod -l app=demo --timeout=2m
sleep 3s
exec c -- wget -qO- http://demo
`

// TestServicesFromInsideOnDocker: from inside a Docker container, over
// real UDP and TCP, Service names resolve through the cluster DNS at
// 10.96.0.10 and cluster IPs reach the ready endpoints in turn.
func TestServicesFromInsideOnDocker(t *testing.T) {
	dockertest.Need(t, "cluster DNS and cluster IPs inside Docker containers")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	checkServicesFromInside(t, launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 2}))
}

// TestServicesFromInside: the same on the simulated runtime.
func TestServicesFromInside(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 2})
	if err != nil {
		t.Fatal(err)
	}
	checkServicesFromInside(t, c)
}

func checkServicesFromInside(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(servicesFromInside))
	got := out.String()
	m := regexp.MustCompile(`(?m)^\$ get svc demo -o jsonpath.*\n(\S+)\n\$ get pods -l app=demo.*\n(\S+) (\S+)\n`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("no cluster IP and pods of demo in the output:\n%s", got)
	}
	ip, pod1, pod2 := m[1], m[2], m[3]
	webIP := regexp.MustCompile(`(?m)^Name:\tweb\.default\.svc\.cluster\.local\nAddress: (\S+)\n`).FindStringSubmatch(got)
	if webIP == nil {
		t.Fatalf("nslookup web did not answer:\n%s", got)
	}
	for _, want := range []string{
		"$ exec c -- wget -qO- http://web\nwget: can't connect to remote host (" + webIP[1] + "): Connection refused\ncommand terminated with exit code 1\n",
		"$ exec c -- nslookup web\nServer:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: " + webIP[1] + "\n\n** server can't find web.svc.cluster.local: NXDOMAIN\n",
		// busybox has no getent: nginx's image (glibc's) has.
		"$ exec deploy/web -- getent hosts web\nFound 2 pods, using pod/web-",
		"\n" + webIP[1] + "  web.default.svc.cluster.local\n",
		"** server can't find nope.default.svc.cluster.local: NXDOMAIN\n",
		// busybox 1.28's own nslookup, through the search list, as the
		// documentation's DNS examples print it.
		"Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web\nAddress 1: " + webIP[1] + " web.default.svc.cluster.local\npod \"old\" deleted\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in the output:\n%s", want, got)
		}
	}
	// Round robin: the two endpoints in turn, whichever name is used.
	answers := regexp.MustCompile(`(?m)^\$ exec c -- wget -qO- http://demo\S*\nkubeplay demo v1 from pod (\S+)\n`).FindAllStringSubmatch(got, -1)
	if len(answers) != 4 {
		t.Fatalf("want 4 answers from demo, got %d:\n%s", len(answers), got)
	}
	for i, a := range answers {
		if other := answers[(i+1)%4][1]; a[1] == other || a[1] != pod1 && a[1] != pod2 {
			t.Errorf("answer %d from %s, next from %s: want demo's two pods (%s, %s) in turn", i, a[1], other, pod1, pod2)
		}
	}

	out.Reset()
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader("exec c -- wget -qO- http://" + ip + "\n" + affinityFromInside))
	got = out.String()
	sticky := regexp.MustCompile(`(?m)^kubeplay demo v1 from pod (\S+)\n`).FindAllStringSubmatch(got, -1)
	if len(sticky) != 4 {
		t.Fatalf("want 4 answers from demo (by its IP, then with affinity), got %d:\n%s", len(sticky), got)
	}
	for _, a := range sticky[2:] {
		if a[1] != sticky[1][1] {
			t.Errorf("with ClientIP affinity, answers from %s and %s:\n%s", sticky[1][1], a[1], got)
		}
	}
	if want := "wget: can't connect to remote host (" + ip + "): Connection refused\n"; !strings.Contains(got, want) {
		t.Errorf("with no endpoints: want %q in the output:\n%s", want, got)
	}
}
