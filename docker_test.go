package main

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
)

// scriptOnDocker runs script in `kubeplay shell --runtime docker --strict`
// and returns what it printed. It fails the test when the shell fails, and
// at the test's end when a container or network of the run is left.
// needDockerInParallel is dockertest.Need for a test that then runs in
// parallel with the others on Docker (two at a time, go test's -parallel):
// each runs its own kubeplay, whose cluster has its own network and whose
// leftovers are looked for by its own PID, and each mostly waits on the
// wall clock (containers starting, a CronJob's minute, an HPA's window)
// rather than on the CPU. One after the other they took the package to
// 544 s of go test's 600 on CI here.
func needDockerInParallel(t *testing.T, what string) {
	t.Helper()
	dockertest.Need(t, what)
	t.Parallel()
}

func scriptOnDocker(t *testing.T, script string) (out, errOut string) {
	t.Helper()
	cmd := exec.Command(kubeplayBinary(t), "shell", "--runtime", "docker", "--strict")
	cmd.Stdin = strings.NewReader(script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if cmd.Process != nil {
		t.Cleanup(func() { dockertest.NothingLeft(t, cmd.Process.Pid) })
	}
	out, errOut = stdout.String(), stderr.String()
	if err != nil {
		t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}
	return out, errOut
}

func TestUnreachableDockerHost(t *testing.T) {
	t.Setenv("DOCKER_HOST", "tcp://127.0.0.1:1")
	_, errOut, code := runMain(t, "exit\n", "shell", "--runtime", "docker")
	if code == 0 || !strings.Contains(errOut, "cannot reach the Docker daemon") {
		t.Errorf("--runtime docker with no daemon: exit %d, stderr %q; want a clear failure", code, errOut)
	}
	_, errOut, code = runMain(t, "exit\n", "shell", "--runtime", "auto")
	if code != 0 || !strings.Contains(errOut, "containers are simulated") {
		t.Errorf("--runtime auto with no daemon: exit %d, stderr %q; want the simulated runtime, said once", code, errOut)
	}
}

// TestShellOnDocker builds kubeplay, runs a deployment as real containers
// with it, reaches one from inside a pod, and checks that nothing of the
// run is left once the process has exited. It runs the real binary: the
// images kubeplay builds hold the binary that runs, and a test binary
// cannot be the demo app.
func TestShellOnDocker(t *testing.T) {
	needDockerInParallel(t, "the Docker end-to-end test")
	bin := kubeplayBinary(t)
	script := `apply -f assets/examples/nginx-deployment.yaml
create deployment demo --image=kubeplay/demo:v2
rollout status deployment/nginx-deployment --timeout=2m
rollout status deployment/demo --timeout=2m
get pods
exec deploy/nginx-deployment -- curl -s localhost:80/
`
	cmd := exec.Command(bin, "shell", "--runtime", "docker", "--strict")
	cmd.Stdin = strings.NewReader(script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	out, errOut := stdout.String(), stderr.String()
	if err != nil {
		t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}
	if strings.Count(out, "1/1     Running") != 4 || !strings.Contains(out, "kubeplay demo 1.14.2 from pod nginx-deployment-") {
		t.Errorf("stdout:\n%s", out)
	}
	// The exit says what it removes, and then that it did: 4 pods, the
	// ingress controller's, the two of coredns, metrics-server's and the
	// three nodes' kube-proxy are 22 containers, a sandbox and an app each.
	if !strings.Contains(errOut, "kubeplay: removing this run's 22 containers…") ||
		!regexp.MustCompile(`kubeplay: removed 22 containers and the cluster's network in \d+\.\ds\n`).MatchString(errOut) {
		t.Errorf("stderr does not report the removal of the 22 containers:\n%s", errOut)
	}
	dockertest.NothingLeft(t, cmd.Process.Pid)
}
