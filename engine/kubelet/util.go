package kubelet

import (
	"sync"

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

// containerName is what an exit hop says of its container: pods/<pod>/
// <container>, spelt when an exit asks (object).
type containerName struct{ pod, container string }

func (n containerName) object() string { return "pods/" + n.pod + "/" + n.container }

// containerNames are containerName by runtime ID, safe for concurrent use.
type containerNames struct {
	mu    sync.Mutex
	names map[string]containerName
}

func (c *containerNames) Store(id string, n containerName) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.names == nil {
		c.names = map[string]containerName{}
	}
	c.names[id] = n
}

func (c *containerNames) Load(id string) (containerName, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.names[id]
	return n, ok
}

func (c *containerNames) Delete(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.names, id)
}
