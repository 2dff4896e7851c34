package cluster

import (
	"fmt"
	"time"

	"github.com/kubeplay/kubeplay/engine/kubelet"

	corev1 "k8s.io/api/core/v1"
)

// NodeMonitorGracePeriod is how long the node lifecycle controller waits
// for a kubelet's status before it marks the node's Ready condition
// Unknown (kube-controller-manager's --node-monitor-grace-period).
const NodeMonitorGracePeriod = 50 * time.Second

// StopNode stops a node's kubelet, as when its process dies or the
// machine is cut off: its containers keep running, but it no longer syncs
// pods or posts status, and after NodeMonitorGracePeriod the node goes
// NotReady (Ready=Unknown).
func (c *Cluster) StopNode(name string) error {
	kl := c.kubelets[name]
	switch {
	case kl == nil:
		return fmt.Errorf("node %q not found", name)
	case kl.Stopped():
		return fmt.Errorf("node %q is already stopped", name)
	}
	kl.Stop()
	if c.stops == nil {
		c.stops = map[string]int{}
	}
	c.stops[name]++
	gen := c.stops[name]
	c.k.After(NodeMonitorGracePeriod, kubelet.NodeLifecycleController, fmt.Sprintf("no status from kubelet/%s for %s", name, NodeMonitorGracePeriod), func() {
		if kl.Stopped() && c.stops[name] == gen {
			kubelet.SetNodeReady(c.api, kubelet.NodeLifecycleController, name, corev1.ConditionUnknown, kubelet.ReasonUnknown, kubelet.MessageUnknown)
		}
	})
	return nil
}

// StartNode starts a stopped node's kubelet again: it posts Ready and
// syncs the node's pods with what the apiserver holds now.
func (c *Cluster) StartNode(name string) error {
	kl := c.kubelets[name]
	switch {
	case kl == nil:
		return fmt.Errorf("node %q not found", name)
	case !kl.Stopped():
		return fmt.Errorf("node %q is not stopped", name)
	}
	kl.Start()
	return nil
}

// KillContainer kills a running container of a pod at once (SIGKILL, exit
// code 137), for real on Docker; the kubelet restarts it per the pod's
// restartPolicy. container "" means the pod's only (or first) container.
func (c *Cluster) KillContainer(namespace, pod, container string) (string, error) {
	obj, err := c.api.Get(resPods, namespace, pod)
	if err != nil {
		return "", fmt.Errorf("pods %q not found", pod)
	}
	p := obj.(*corev1.Pod)
	if container == "" && len(p.Spec.Containers) > 0 {
		container = p.Spec.Containers[0].Name
	}
	for _, cs := range p.Status.ContainerStatuses {
		if cs.Name != container {
			continue
		}
		if cs.State.Running == nil || cs.ContainerID == "" {
			return "", fmt.Errorf("container %s of pod %s is not running", container, pod)
		}
		kl := c.kubelets[p.Spec.NodeName]
		if kl == nil {
			return "", fmt.Errorf("pod %s has no node", pod)
		}
		return container, kl.Kill(cs.ContainerID)
	}
	return "", fmt.Errorf("container %s is not valid for pod %s", container, pod)
}

// KillSandbox kills a pod's sandbox at once, as a Docker daemon restart
// does (for real on Docker): the kubelet kills the pod's containers and
// starts them again in a new sandbox, with a new pod IP.
func (c *Cluster) KillSandbox(namespace, pod string) error {
	obj, err := c.api.Get(resPods, namespace, pod)
	if err != nil {
		return fmt.Errorf("pods %q not found", pod)
	}
	p := obj.(*corev1.Pod)
	kl := c.kubelets[p.Spec.NodeName]
	if kl == nil {
		return fmt.Errorf("pod %s has no node", pod)
	}
	if err := kl.KillSandbox(string(p.UID)); err != nil {
		return fmt.Errorf("pod %s: %w", pod, err)
	}
	return nil
}
