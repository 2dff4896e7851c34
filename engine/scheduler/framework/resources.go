package framework

import (
	corev1 "k8s.io/api/core/v1"
)

// Resource is an amount of the resources the scheduler checks, as plain
// integers so that a scheduling cycle never parses a Quantity.
type Resource struct {
	MilliCPU         int64
	Memory           int64 // bytes
	EphemeralStorage int64 // bytes
	// Pods is how many pods: a node's allocatable pod slots, or the number
	// of pods summed into a Requested (every pod takes one slot).
	Pods int64
}

// Defaults kube-scheduler assumes, for scoring only, for a container that
// requests no cpu or no memory; without them a node full of best-effort
// pods would look empty and attract every new one (pkg/scheduler/util).
const (
	DefaultMilliCPURequest int64 = 100               // 0.1 core
	DefaultMemoryRequest   int64 = 200 * 1024 * 1024 // 200 MiB
)

func (r *Resource) add(o Resource) {
	r.MilliCPU += o.MilliCPU
	r.Memory += o.Memory
	r.EphemeralStorage += o.EphemeralStorage
	r.Pods += o.Pods
}

func (r *Resource) sub(o Resource) {
	r.MilliCPU -= o.MilliCPU
	r.Memory -= o.Memory
	r.EphemeralStorage -= o.EphemeralStorage
	r.Pods -= o.Pods
}

func (r *Resource) setMax(o Resource) {
	r.MilliCPU = max(r.MilliCPU, o.MilliCPU)
	r.Memory = max(r.Memory, o.Memory)
	r.EphemeralStorage = max(r.EphemeralStorage, o.EphemeralStorage)
}

// isZero ignores Pods: a pod always takes a slot, that is not a request.
func (r Resource) isZero() bool {
	return r.MilliCPU == 0 && r.Memory == 0 && r.EphemeralStorage == 0
}

// resourceFromList reads a ResourceList such as a node's allocatable.
func resourceFromList(rl corev1.ResourceList) Resource {
	var r Resource
	if q, ok := rl[corev1.ResourceCPU]; ok {
		r.MilliCPU = q.MilliValue()
	}
	r.Memory = value(rl, corev1.ResourceMemory)
	r.EphemeralStorage = value(rl, corev1.ResourceEphemeralStorage)
	r.Pods = value(rl, corev1.ResourcePods)
	return r
}

func value(rl corev1.ResourceList, name corev1.ResourceName) int64 {
	if q, ok := rl[name]; ok {
		return q.Value()
	}
	return 0
}

// containerRequests reads one container's requests; with nonZero, a missing
// (not an explicit zero) cpu or memory request counts as the default.
func containerRequests(rl corev1.ResourceList, nonZero bool) Resource {
	r := resourceFromList(rl)
	r.Pods = 0
	if nonZero {
		if _, ok := rl[corev1.ResourceCPU]; !ok {
			r.MilliCPU = DefaultMilliCPURequest
		}
		if _, ok := rl[corev1.ResourceMemory]; !ok {
			r.Memory = DefaultMemoryRequest
		}
	}
	return r
}

// PodRequests is what a pod takes from a node, as kube-scheduler counts it
// (component-helpers resource.PodRequests): regular containers run together
// so they add up; sidecars (init containers with restartPolicy Always) keep
// running so they add up too; the other init containers run one at a time,
// each next to the sidecars started before it, so only the largest of them
// matters; pod-level requests, when set, replace the containers' sum; the
// RuntimeClass overhead comes on top. Pods is 1.
func PodRequests(pod *corev1.Pod) Resource {
	return podRequests(pod, false)
}

// nonZeroRequests is PodRequests with the scoring defaults applied to every
// container that leaves cpu or memory unset.
func nonZeroRequests(pod *corev1.Pod) Resource {
	return podRequests(pod, true)
}

func podRequests(pod *corev1.Pod, nonZero bool) Resource {
	podLevel := podLevelRequests(pod)
	// Upstream applies no defaults when the pod itself states its requests.
	nonZero = nonZero && podLevel == nil

	var sum Resource
	for i := range pod.Spec.Containers {
		sum.add(containerRequests(pod.Spec.Containers[i].Resources.Requests, nonZero))
	}
	var sidecars, initMax Resource
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		r := containerRequests(c.Resources.Requests, nonZero)
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			sum.add(r)
			sidecars.add(r)
			initMax.setMax(sidecars)
			continue
		}
		r.add(sidecars)
		initMax.setMax(r)
	}
	sum.setMax(initMax)

	if podLevel != nil {
		if q, ok := podLevel[corev1.ResourceCPU]; ok {
			sum.MilliCPU = q.MilliValue()
		}
		if q, ok := podLevel[corev1.ResourceMemory]; ok {
			sum.Memory = q.Value()
		}
	}
	sum.add(resourceFromList(pod.Spec.Overhead))
	sum.Pods = 1
	return sum
}

// podLevelRequests returns spec.resources.requests if it sets cpu or memory,
// the only pod-level resources the scheduler honours.
func podLevelRequests(pod *corev1.Pod) corev1.ResourceList {
	if pod.Spec.Resources == nil {
		return nil
	}
	rl := pod.Spec.Resources.Requests
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if _, ok := rl[name]; ok {
			return rl
		}
	}
	return nil
}
