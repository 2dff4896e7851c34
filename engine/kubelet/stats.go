package kubelet

import (
	"sort"

	"github.com/kubeplay/kubeplay/engine/runtime"
)

// PodStats is what the kubelet's resource metrics endpoint
// (/metrics/resource, which metrics-server scrapes) says of one pod: the
// runtime's figures for each of its running containers.
type PodStats struct {
	Namespace, Name string
	Containers      []ContainerStats
}

// ContainerStats are one container's figures, by its name in the pod.
type ContainerStats struct {
	Name string
	runtime.ContainerStats
}

// Stats are the figures of the node's pods that have any, by namespace
// and name; none when the runtime measures nothing or the kubelet is
// stopped (its endpoint does not answer).
func (kl *Kubelet) Stats() []PodStats {
	sr, ok := kl.rt.(runtime.StatsReporter)
	if !ok || kl.stopped {
		return nil
	}
	var out []PodStats
	for _, w := range kl.workers {
		ps := PodStats{Namespace: w.pod.Namespace, Name: w.pod.Name}
		for _, c := range w.containers {
			if c.id == "" || c.state != stateRunning {
				continue
			}
			if st, ok := sr.ContainerStats(c.id); ok {
				ps.Containers = append(ps.Containers, ContainerStats{Name: c.spec.Name, ContainerStats: st})
			}
		}
		if len(ps.Containers) > 0 {
			out = append(out, ps)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out
}
