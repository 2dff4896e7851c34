package kubelet

import (
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
)

var resPods, _ = apiserver.ResourceFor("pods")

func simHop(from, to sim.Component, verb sim.Verb, object, why string) sim.Hop {
	return sim.Hop{From: from, To: to, Verb: verb, Object: object, Summary: why}
}

func apiRequestDelete(pod *corev1.Pod, grace *int64, why string) apiserver.Request {
	return apiserver.Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: pod.Namespace, Name: pod.Name, Grace: grace, Why: why}
}

// containerName is what an exit hop says of its container.
type containerName struct{ object, container string }
