package docker_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"
)

// TestVolumeFolders checks where volumes live: under the cluster's own
// folder (never the host's real hostPath), an emptyDir kept past its
// sandbox and removed with its pod, and the whole folder removed by Close.
func TestVolumeFolders(t *testing.T) {
	rt := newRuntime(t)
	state := rt.StateDir()
	root, err := os.UserCacheDir()
	if err != nil || !strings.HasPrefix(state, filepath.Join(root, "kubeplay")+"/") {
		t.Fatalf("StateDir %q is not under %s/kubeplay (%v)", state, root, err)
	}
	real := "/kubeplay-test-must-not-exist"
	sb, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-v", PodName: "v", Namespace: "default", Hostname: "v",
		Volumes: []runtime.Volume{{Name: "scratch"}, {Name: "host", HostPath: real}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.Notice, real) || !strings.Contains(sb.Notice, state) {
		t.Errorf("notice %q does not say where hostPath %s really is", sb.Notice, real)
	}
	id, err := rt.CreateContainer(sb.ID, runtime.ContainerConfig{Name: "c", Image: testImage, Command: []string{"sh", "-c", "echo x > /s/f; echo y > /h/f; sleep 600"},
		Mounts: []runtime.Mount{{Volume: "scratch", Path: "/s"}, {Volume: "host", Path: "/h"}}})
	if err == nil {
		err = rt.StartContainer(id)
	}
	if err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(state, "pods", "uid-v", "volumes", "scratch", "f")
	host := filepath.Join(state, "nodes", "node-1", "hostpath", real, "f")
	for _, f := range []string{empty, host} {
		for i := 0; i < 100 && !exists(f); i++ {
			time.Sleep(20 * time.Millisecond)
		}
		if !exists(f) {
			t.Errorf("%s: not written through the mount", f)
		}
	}
	if exists(real) {
		t.Errorf("the host's real %s was made", real)
	}
	if err := rt.RemoveSandbox(sb.ID); err != nil {
		t.Fatal(err)
	}
	if !exists(empty) {
		t.Errorf("after the sandbox: emptyDir gone, want it kept for the pod's next sandbox")
	}
	if err := rt.RemovePodVolumes("uid-v"); err != nil {
		t.Fatal(err)
	}
	if exists(filepath.Dir(filepath.Dir(empty))) || !exists(host) {
		t.Errorf("after the pod: emptyDir there %v (want gone), hostPath there %v (want kept)", exists(empty), exists(host))
	}
	if _, err := rt.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if exists(state) {
		t.Errorf("Close left the cluster's folder %s", state)
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }
