package console

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/launch/launchtest"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
)

// standInPortScript: a pod of nginx that declares no port is still
// reached on port 80, where nginx listens; and the bundled example, which
// declares port 80, is reached through a Service on port 80.
const standInPortScript = `run web --image=nginx:1.25
expose pod web --port=80
apply -f assets/examples/nginx-deployment.yaml
expose deployment nginx-deployment --port=80
wait --for=condition=Ready pod/web --timeout=2m
rollout status deployment/nginx-deployment --timeout=2m
sleep 2s
curl svc/web
curl svc/nginx-deployment
`

func checkStandInPorts(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true, ReadFile: fromRepo}).Run(strings.NewReader(standInPortScript))
	for _, want := range []string{"$ curl svc/web\nkubeplay demo 1.25 from pod web", "$ curl svc/nginx-deployment\nkubeplay demo 1.14.2 from pod nginx-deployment-"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("want %q in the output:\n%s", want, out.String())
		}
	}
}

// TestStandInsListenWhereTheirImageDoes, on the simulated runtime.
func TestStandInsListenWhereTheirImageDoes(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkStandInPorts(t, c)
}

// TestStandInsListenWhereTheirImageDoesOnDocker: the same on Docker.
func TestStandInsListenWhereTheirImageDoesOnDocker(t *testing.T) {
	dockertest.Need(t, "stand-in ports on Docker")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	checkStandInPorts(t, launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 1}))
}

// TestDeleteWhileStartingOnDocker: pods deleted at moments of their start
// on Docker (sandbox, create or start in flight, as it falls) are all gone
// once their deletes return, none left Terminating.
func TestDeleteWhileStartingOnDocker(t *testing.T) {
	dockertest.Need(t, "deleting pods while they start on Docker")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	c := launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 1})
	var script strings.Builder
	for i, wait := range []string{"0.3s", "0.8s", "1.1s", "1.4s", "1.7s", "2.2s"} {
		fmt.Fprintf(&script, "run x%d --image=kubeplay/demo:v1\nsleep %s\ndelete pod x%d\n", i, wait, i)
	}
	script.WriteString("get pods\n")
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(script.String()))
	if !strings.HasSuffix(out.String(), "$ get pods\nNo resources found in default namespace.\n") {
		t.Errorf("pods left after their deletes:\n%s", out.String())
	}
}

// TestLogsOnDocker: the built-in kubectl's logs and logs -f of a real
// container, streamed from the runtime: every line once, the follow ending
// with the container, a tail of the daemon's lines.
func TestLogsOnDocker(t *testing.T) {
	dockertest.Need(t, "logs on Docker")
	t.Parallel() // a cluster of its own (launchtest.DockerCluster)
	c := launchtest.DockerCluster(t, cluster.Options{Seed: 1, Nodes: 1})
	script := `run c --image=busybox --restart=Never -- sh -c 'i=0; while [ $i -lt 5 ]; do echo line $i; i=$((i+1)); sleep 1; done'
wait --for=condition=Ready pod/c --timeout=1m
logs -f c
logs c --tail 2
`
	var out bytes.Buffer
	New(c, &out, &out, Options{Echo: true}).Run(strings.NewReader(script))
	want := "$ logs -f c\nline 0\nline 1\nline 2\nline 3\nline 4\n$ logs c --tail 2\nline 3\nline 4\n"
	if !strings.HasSuffix(out.String(), want) {
		t.Errorf("output:\n%s\nwant it to end with:\n%s", out.String(), want)
	}
}
