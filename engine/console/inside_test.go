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
	checkInside(t, launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 1}))
}
