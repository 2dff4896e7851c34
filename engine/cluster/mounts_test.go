package cluster

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/runtime"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"
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
	c.k.RunFor(5 * time.Second)
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

// TestDroppedPrivilegesEvent: the kubelet says on the pod what it did not
// grant, in the cluster's language; a pod that asks for nothing of it
// gets no such event. The simulated runtime lends its node's network
// (hostNetwork): the pod has the node's address, and the event does not
// name it.
func TestDroppedPrivilegesEvent(t *testing.T) {
	for lang, want := range map[bilingual.Lang]string{
		"en": "NotGranted: kubeplay did not grant what this pod asks for: privileged (container app), capabilities.add NET_ADMIN (container app); its containers run unprivileged, in namespaces of their own",
		"ko": "NotGranted: kubeplay는 이 파드가 요청한 privileged(컨테이너 app), capabilities.add NET_ADMIN(컨테이너 app) 설정을 적용하지 않았어요. 컨테이너는 특권 없이 자기 네임스페이스에서 실행돼요",
	} {
		c, err := New(Options{Seed: 1, Nodes: 1, Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		p := pod("priv", "nginx")
		p.Spec.HostNetwork = true
		p.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{Privileged: ptr.To(true),
			Capabilities: &corev1.Capabilities{Add: []corev1.Capability{"NET_ADMIN"}}}
		create(t, c, p)
		create(t, c, pod("plain", "nginx"))
		c.k.RunFor(5 * time.Second)
		if evs := eventsAbout(c, "default", "priv"); !slices.Contains(evs, want) {
			t.Errorf("%s: events %q, want %q", lang, evs, want)
		}
		for _, ev := range eventsAbout(c, "default", "plain") {
			if strings.HasPrefix(ev, "NotGranted") {
				t.Errorf("%s: plain pod got %q", lang, ev)
			}
		}
		if p := getPod(t, c, "priv"); p.Status.Phase != corev1.PodRunning || p.Status.PodIP != p.Status.HostIP || p.Status.HostIP == "" {
			t.Errorf("%s: the pod on the node's network is %s at %q on node %q, want Running at the node's address", lang, p.Status.Phase, p.Status.PodIP, p.Status.HostIP)
		}
	}
}
