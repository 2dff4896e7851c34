package docker_test

import (
	"context"
	"errors"
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

// TestMountsStayInTheirFolders: a container can plant symlinks in what it
// mounts — hostPath / (the node's whole hostPath folder), an emptyDir —
// but no later mount follows one out: hostPath /evil and subPath evil,
// both links to the host's /etc, are refused with the kubelet's words,
// and a link that stays inside its volume still works.
func TestMountsStayInTheirFolders(t *testing.T) {
	rt := newRuntime(t)
	sb, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-plant", PodName: "plant", Namespace: "default", Hostname: "plant",
		Volumes: []runtime.Volume{{Name: "node", HostPath: "/"}, {Name: "scratch"}}})
	if err != nil {
		t.Fatal(err)
	}
	planter, err := rt.CreateContainer(sb.ID, runtime.ContainerConfig{Name: "c", Image: testImage, Command: []string{"sh", "-c", "sleep 600"},
		Mounts: []runtime.Mount{{Volume: "node", Path: "/node"}, {Volume: "scratch", Path: "/s"}}})
	if err == nil {
		err = rt.StartContainer(planter)
	}
	if err != nil {
		t.Fatal(err)
	}
	// kubeplay's shell has no ln: the links are made from the host, in the
	// folders the container's mounts are.
	state := rt.StateDir()
	for _, link := range []string{
		filepath.Join(state, "nodes", "node-1", "hostpath", "evil"),
		filepath.Join(state, "pods", "uid-plant", "volumes", "scratch", "evil"),
	} {
		if err := os.Symlink("/etc", link); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(state, "pods", "uid-plant", "volumes", "scratch", "real"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", filepath.Join(state, "pods", "uid-plant", "volumes", "scratch", "inside")); err != nil {
		t.Fatal(err)
	}

	_, err = rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-evil", PodName: "evil", Namespace: "default", Hostname: "evil",
		Volumes: []runtime.Volume{{Name: "etc", HostPath: "/evil"}}})
	var merr *runtime.MountError
	if !errors.As(err, &merr) || merr.Volume != "etc" || strings.Contains(err.Error(), "passwd") {
		t.Errorf("hostPath /evil through a link to /etc: %v, want a MountError for volume etc", err)
	}
	_, err = rt.CreateContainer(sb.ID, runtime.ContainerConfig{Name: "sub", Image: testImage, Command: []string{"sh", "-c", "sleep 600"},
		Mounts: []runtime.Mount{{Volume: "scratch", Path: "/etc-of-the-host", SubPath: "evil"}}})
	const want = `failed to prepare subPath for volumeMount "scratch" of container "sub"`
	if !errors.As(err, &merr) || err.Error() != want {
		t.Errorf("subPath evil through a link to /etc: %v, want %q", err, want)
	}
	inside, err := rt.CreateContainer(sb.ID, runtime.ContainerConfig{Name: "inside", Image: testImage, Command: []string{"sh", "-c", "echo ok > /x/f; sleep 600"},
		Mounts: []runtime.Mount{{Volume: "scratch", Path: "/x", SubPath: "inside"}}})
	if err == nil {
		err = rt.StartContainer(inside)
	}
	if err != nil {
		t.Fatalf("subPath through a link that stays in the volume: %v", err)
	}
	real := filepath.Join(state, "pods", "uid-plant", "volumes", "scratch", "real", "f")
	for i := 0; i < 100 && !exists(real); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if !exists(real) {
		t.Errorf("the write through subPath inside did not reach %s", real)
	}
}

// TestMountSwappedBeforeStart: a mount's folder swapped for a symlink
// between the container's create and its start (by a container that
// mounts the folder's parent) does not take the mount out: the start is
// refused.
func TestMountSwappedBeforeStart(t *testing.T) {
	rt := newRuntime(t)
	sb, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-swap", PodName: "swap", Namespace: "default", Hostname: "swap",
		Volumes: []runtime.Volume{{Name: "data", HostPath: "/data"}}})
	if err != nil {
		t.Fatal(err)
	}
	id, err := rt.CreateContainer(sb.ID, runtime.ContainerConfig{Name: "c", Image: testImage, Command: []string{"sh", "-c", "sleep 600"},
		Mounts: []runtime.Mount{{Volume: "data", Path: "/data"}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(rt.StateDir(), "nodes", "node-1", "hostpath", "data")
	if err := os.Rename(dir, dir+"-before"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc", dir); err != nil {
		t.Fatal(err)
	}
	if err := rt.StartContainer(id); err == nil || !strings.Contains(err.Error(), "leads out") {
		t.Errorf("start with its mount's folder swapped for a link to /etc: %v, want a refusal", err)
	}
}
