package main

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime/docker"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"

	"github.com/moby/moby/client"
)

// TestSandboxKilledOnDocker: the pause container of a running pod is
// killed behind kubeplay's back (as a daemon restart does); the kubelet
// says SandboxChanged, makes a new sandbox with a new IP and restarts the
// pod's container in it. Nothing is left on the daemon afterwards.
func TestSandboxKilledOnDocker(t *testing.T) {
	needDockerInParallel(t, "the sandbox recovery test on Docker")
	bin := kubeplayBinary(t)
	cmd := exec.Command(bin, "shell", "--runtime", "docker")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr dockertest.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		_ = cmd.Wait()
		dockertest.NothingLeft(t, cmd.Process.Pid)
	}()
	// state prints the pod's IP, restarts and readiness on one line.
	const state = `get pod web -o jsonpath='state {.status.podIP} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].ready}{"\n"}'` + "\n"
	line := regexp.MustCompile(`state (\S*) (\d+) (true|false)\n`)
	// poll asks for the state until ok accepts it.
	poll := func(what string, ok func(ip string, restarts int, ready bool) bool) string {
		deadline := time.Now().Add(2 * time.Minute)
		for seen := 0; ; {
			fmt.Fprint(stdin, state)
			for time.Now().Before(deadline) {
				all := line.FindAllStringSubmatch(stdout.String(), -1)
				if len(all) > seen {
					seen = len(all)
					m := all[len(all)-1]
					n, _ := strconv.Atoi(m[2])
					if ok(m[1], n, m[3] == "true") {
						return m[1]
					}
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 2 minutes\nstdout:\n%s\nstderr:\n%s", what, stdout.String(), stderr.String())
			}
			time.Sleep(300 * time.Millisecond)
		}
	}
	fmt.Fprintln(stdin, "run web --image=kubeplay/demo:v1")
	fmt.Fprintln(stdin, "wait --for=condition=Ready pod/web --timeout=2m")
	oldIP := poll("web Ready", func(_ string, _ int, ready bool) bool { return ready })

	ctx := context.Background()
	cli, err := docker.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	// sandbox is web's running sandbox container.
	sandbox := func() string {
		res, err := cli.ContainerList(ctx, client.ContainerListOptions{Filters: make(client.Filters).Add("label",
			docker.LabelOwnerPID+"="+strconv.Itoa(cmd.Process.Pid), docker.LabelRole+"=sandbox", docker.LabelPod+"=default/web")})
		if err != nil || len(res.Items) != 1 {
			t.Fatalf("web's sandbox: %d running, %v", len(res.Items), err)
		}
		return res.Items[0].ID
	}
	old := sandbox()
	if _, err := cli.ContainerKill(ctx, old, client.ContainerKillOptions{Signal: "KILL"}); err != nil {
		t.Fatal(err)
	}

	// Docker's IPAM hands out the lowest free address, which the dead
	// sandbox freed: the new IP may be the old one, unlike host-local's.
	newIP := poll("web Running again in a new sandbox", func(ip string, restarts int, ready bool) bool {
		return ready && restarts == 1 && ip != ""
	})
	if sandbox() == old {
		t.Errorf("web runs in its old sandbox")
	}
	fmt.Fprintln(stdin, "describe pod web")
	fmt.Fprintln(stdin, "exit")
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Errorf("kubeplay shell: %v\nstderr:\n%s", err, stderr.String())
	}
	if out := stdout.String(); !strings.Contains(out, "Pod sandbox changed, it will be killed and re-created.") {
		t.Errorf("no SandboxChanged event in describe:\n%s", out)
	}
	t.Logf("pod IP %s, then %s in the new sandbox", oldIP, newIP)
}
