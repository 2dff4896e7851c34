package kubelet

import (
	"strings"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/runtime"
	corev1 "k8s.io/api/core/v1"
)

// SetLang sets the language of the kubelet's events in
// kubeplay's own words.
func (kl *Kubelet) SetLang(lang bilingual.Lang) { kl.lang = lang }

// notGranted names what a pod asks for that kubeplay does not grant: the
// node's namespaces, privileged containers and added capabilities (the
// Docker runtime gives a pod's containers none of them; only its sandbox,
// kubeplay's own pause, has NET_ADMIN over the pod's own network
// namespace, for kube-proxy's rules there). hostNetwork is granted where
// the runtime lends its node's network (hostNetwork: the simulated one,
// whose nodes are the simulation's), and nowhere else.
func notGranted(pod *corev1.Pod, lang bilingual.Lang, hostNetwork bool) []string {
	var out []string
	for _, f := range []struct {
		on   bool
		name string
	}{{pod.Spec.HostNetwork && !hostNetwork, "hostNetwork"}, {pod.Spec.HostPID, "hostPID"}, {pod.Spec.HostIPC, "hostIPC"}} {
		if f.on {
			out = append(out, f.name)
		}
	}
	of := func(what, container string) string {
		return what + lang.Pick(" (container ", "(컨테이너 ") + container + ")"
	}
	for _, c := range pod.Spec.Containers {
		sc := c.SecurityContext
		if sc == nil {
			continue
		}
		if sc.Privileged != nil && *sc.Privileged {
			out = append(out, of("privileged", c.Name))
		}
		if sc.Capabilities != nil && len(sc.Capabilities.Add) > 0 {
			caps := make([]string, len(sc.Capabilities.Add))
			for i, c := range sc.Capabilities.Add {
				caps[i] = string(c)
			}
			out = append(out, of("capabilities.add "+strings.Join(caps, " "), c.Name))
		}
	}
	return out
}

// tellNotGranted records, once for a pod the kubelet takes on, what it
// asked for and does not get.
func (kl *Kubelet) tellNotGranted(w *podWorker) {
	asked := notGranted(w.pod, kl.lang, kl.grantsHostNetwork())
	if len(asked) == 0 {
		return
	}
	list := strings.Join(asked, ", ")
	msg := kl.lang.Pick(
		"kubeplay did not grant what this pod asks for: "+list+"; its containers run unprivileged, in namespaces of their own",
		"kubeplay는 이 파드가 요청한 "+list+" 설정을 적용하지 않았어요. 컨테이너는 특권 없이 자기 네임스페이스에서 실행돼요")
	kl.event(w, corev1.EventTypeNormal, "NotGranted", msg)
}

// grantsHostNetwork reports whether the node's runtime lends a pod the
// node's network (runtime.HostNetworker).
func (kl *Kubelet) grantsHostNetwork() bool {
	h, ok := kl.rt.(runtime.HostNetworker)
	return ok && h.GrantsHostNetwork()
}
