package framework

import corev1 "k8s.io/api/core/v1"

// podCache holds what several plugins derive from the pod being scheduled,
// computed once per cycle instead of once per node per plugin (upstream
// keeps the same in its CycleState, written at PreFilter and PreScore).
// It is keyed by the pod pointer; the Scheduler refreshes it at the start of
// every cycle, so a pod object changed between cycles is read afresh.
type podCache struct {
	pod      *corev1.Pod
	requests Resource
	nonZero  Resource
	ports    []HostPort
}

func (c *podCache) get(pod *corev1.Pod) *podCache {
	if c.pod != pod {
		c.refresh(pod)
	}
	return c
}

func (c *podCache) refresh(pod *corev1.Pod) {
	c.pod = pod
	c.requests = PodRequests(pod)
	c.nonZero = nonZeroRequests(pod)
	c.ports = appendHostPorts(c.ports[:0], pod)
}

// cached is embedded by the plugins that read the pod's requests or ports;
// its zero value works, so a plugin can be used on its own in tests.
type cached struct{ cache *podCache }

func (c *cached) podInfo(pod *corev1.Pod) *podCache {
	if c.cache == nil {
		c.cache = &podCache{}
	}
	return c.cache.get(pod)
}
