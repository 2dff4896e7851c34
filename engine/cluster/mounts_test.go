package cluster

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"

	corev1 "k8s.io/api/core/v1"
)

// refusingMounts is a runtime that refuses a hostPath and every subPath,
// as Docker's does when a symlink leads them out of their folder.
type refusingMounts struct{ runtime.Runtime }

func (r refusingMounts) RunSandbox(cfg runtime.SandboxConfig) (runtime.Sandbox, error) {
	for _, v := range cfg.Volumes {
		if v.HostPath != "" {
			return runtime.Sandbox{}, &runtime.MountError{Volume: v.Name, Err: errors.New("hostPath /evil: a symlink in it leads out")}
		}
	}
	return r.Runtime.RunSandbox(cfg)
}

func (r refusingMounts) CreateContainer(sb string, cfg runtime.ContainerConfig) (string, error) {
	for _, m := range cfg.Mounts {
		if m.SubPath != "" {
			return "", &runtime.MountError{Volume: m.Volume, Container: cfg.Name, Err: errors.New("leads out")}
		}
	}
	return r.Runtime.CreateContainer(sb, cfg)
}

// TestRefusedMountsAsTheKubeletSaysThem: a hostPath the runtime refuses is
// a FailedMount event; a subPath it refuses leaves the container in
// CreateContainerConfigError, with the kubelet's words.
func TestRefusedMountsAsTheKubeletSaysThem(t *testing.T) {
	c, err := New(Options{Seed: 1, Nodes: 1, wrapRuntime: func(_ string, r runtime.Runtime) runtime.Runtime { return refusingMounts{r} }})
	if err != nil {
		t.Fatal(err)
	}
	host := pod("host", "nginx")
	host.Spec.Volumes = []corev1.Volume{{Name: "etc", VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/evil"}}}}
	sub := pod("sub", "nginx")
	sub.Spec.Volumes = []corev1.Volume{{Name: "scratch", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
	sub.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "scratch", MountPath: "/x", SubPath: "evil"}}
	create(t, c, host)
	create(t, c, sub)
	c.K.RunFor(5 * time.Second)
	if evs := eventsAbout(c, "default", "host"); !slices.Contains(evs, `FailedMount: MountVolume.SetUp failed for volume "etc" : hostPath /evil: a symlink in it leads out`) {
		t.Errorf("events of pod host: %q", evs)
	}
	const msg = `failed to prepare subPath for volumeMount "scratch" of container "app"`
	w := getPod(t, c, "sub").Status.ContainerStatuses[0].State.Waiting
	if w == nil || w.Reason != "CreateContainerConfigError" || w.Message != msg {
		t.Errorf("container of pod sub waits with %+v, want CreateContainerConfigError: %s", w, msg)
	}
	if evs := eventsAbout(c, "default", "sub"); !slices.Contains(evs, "Failed: Error: "+msg) {
		t.Errorf("events of pod sub: %q", evs)
	}
}
