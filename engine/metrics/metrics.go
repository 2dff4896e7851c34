// Package metrics is kubeplay's stand-in for metrics-server: simulated
// usage figures derived from what the containers are and ask for. The
// built-in `kubectl top` prints them (and says on stderr that they are
// simulated); the HTTP API's metrics.k8s.io serves the same figures to a
// real kubectl top, which cannot be told. They are stable for a pod, so
// the same seed gives the same screen.
package metrics

import (
	"hash/fnv"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// What a node's system daemons use in the figures.
const (
	nodeCPUOverhead = 60        // millicores
	nodeMemOverhead = 600 << 20 // bytes
)

// Usage is simulated use: CPU in millicores, memory in bytes.
type Usage struct{ CPU, Memory int64 }

// ContainerUsage is one container's simulated use while it runs: a small
// base varied by a hash of its pod's and its name, plus a share of what
// it requests. ok is false when it does not run.
func ContainerUsage(p *corev1.Pod, c *corev1.Container) (u Usage, ok bool) {
	i := slices.IndexFunc(p.Status.ContainerStatuses, func(cs corev1.ContainerStatus) bool { return cs.Name == c.Name })
	if i < 0 || p.Status.ContainerStatuses[i].State.Running == nil {
		return u, false
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(p.Namespace + "/" + p.Name + "/" + c.Name))
	n := int64(h.Sum32())
	return Usage{CPU: 1 + n%3 + c.Resources.Requests.Cpu().MilliValue()/10,
		Memory: (3+n%5)<<20 + c.Resources.Requests.Memory().Value()/4}, true
}

// PodUsage is the sum of a pod's running containers' use; ok is false
// when none runs.
func PodUsage(p *corev1.Pod) (Usage, bool) {
	var u Usage
	running := false
	for i := range p.Spec.Containers {
		if cu, ok := ContainerUsage(p, &p.Spec.Containers[i]); ok {
			u.CPU += cu.CPU
			u.Memory += cu.Memory
			running = true
		}
	}
	return u, running
}

// NodeUsages is each node's simulated use, by name: its system daemons'
// and its running pods'.
func NodeUsages(nodes, pods []runtime.Object) map[string]Usage {
	out := make(map[string]Usage, len(nodes))
	for _, o := range nodes {
		out[o.(*corev1.Node).Name] = Usage{CPU: nodeCPUOverhead, Memory: nodeMemOverhead}
	}
	for _, o := range pods {
		p := o.(*corev1.Pod)
		t, onNode := out[p.Spec.NodeName]
		if u, ok := PodUsage(p); ok && onNode {
			out[p.Spec.NodeName] = Usage{t.CPU + u.CPU, t.Memory + u.Memory}
		}
	}
	return out
}
