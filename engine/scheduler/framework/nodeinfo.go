package framework

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
)

// NodeInfo is a node with what the scheduler needs to know about the pods
// on it, added up once so that a scheduling cycle is arithmetic, not a walk
// over every pod. The engine keeps one per node and feeds it AddPod and
// RemovePod as pods are bound and finish, as kube-scheduler's cache does.
type NodeInfo struct {
	Node *corev1.Node
	// Pods are the pods bound to this node that have not terminated.
	Pods []*corev1.Pod
	// Requested is the sum of PodRequests over Pods (Pods counts them).
	Requested Resource
	// NonZeroRequested is Requested with the scoring defaults for pods
	// that request nothing; the least-allocated score reads it.
	NonZeroRequested Resource
	// Allocatable is the node's status.allocatable.
	Allocatable Resource
	// UsedPorts are the host ports Pods hold.
	UsedPorts []HostPort
	// conditionTaint is the taint the node's Ready condition stands for
	// (see eachTaint), nil when it is Ready or already carries one: read
	// once per node change instead of once per node per pod.
	conditionTaint *corev1.Taint
	// gen counts the changes that can change a filter's verdict or a
	// score: the methods below bump it, so a NodeInfo must change through
	// them. memo is what the scheduler worked out at gen (equivalence.go).
	gen  uint64
	memo memo
}

// HostPort is one host port a pod holds on its node.
type HostPort struct {
	IP       string // "0.0.0.0" when the pod did not pick one
	Protocol corev1.Protocol
	Port     int32
}

// NewNodeInfo builds a NodeInfo from a node and the pods bound to it; pods
// that have terminated (Succeeded or Failed) hold nothing and are skipped.
func NewNodeInfo(node *corev1.Node, pods []*corev1.Pod) *NodeInfo {
	n := &NodeInfo{Pods: make([]*corev1.Pod, 0, len(pods))}
	n.SetNode(node)
	for _, p := range pods {
		n.AddPod(p)
	}
	return n
}

// SetNode replaces the node object, for when its labels, taints,
// conditions or allocatable change.
func (n *NodeInfo) SetNode(node *corev1.Node) {
	n.gen++
	n.Node = node
	n.Allocatable = resourceFromList(node.Status.Allocatable)
	n.conditionTaint = conditionTaint(node)
}

// Name is the node's name.
func (n *NodeInfo) Name() string { return n.Node.Name }

// AddPod accounts for a pod bound to this node. A terminated pod is ignored.
func (n *NodeInfo) AddPod(pod *corev1.Pod) {
	if terminated(pod) {
		return
	}
	n.gen++
	n.Pods = append(n.Pods, pod)
	n.Requested.add(PodRequests(pod))
	n.NonZeroRequested.add(nonZeroRequests(pod))
	n.UsedPorts = appendHostPorts(n.UsedPorts, pod)
}

// RemovePod forgets a pod (matched by UID, or by namespace and name when it
// has no UID) and reports whether it was there.
func (n *NodeInfo) RemovePod(pod *corev1.Pod) bool {
	// From the end: the pod most often removed is the one just assumed,
	// when its binding comes back.
	for i := len(n.Pods) - 1; i >= 0; i-- {
		p := n.Pods[i]
		if !samePod(p, pod) {
			continue
		}
		n.gen++
		n.Pods = append(n.Pods[:i], n.Pods[i+1:]...)
		// Subtract what p added, not pod: the caller may hold a newer copy.
		n.Requested.sub(PodRequests(p))
		n.NonZeroRequested.sub(nonZeroRequests(p))
		n.removeHostPorts(p)
		return true
	}
	return false
}

// UpdatePod replaces the version of a pod the NodeInfo holds (matched as
// RemovePod does) by a newer one, in its place, and reports whether it was
// there: upstream's cache takes every update of a pod, so that what reads
// the pods (preemption orders victims by start time) sees them as they are.
func (n *NodeInfo) UpdatePod(pod *corev1.Pod) bool {
	for i := len(n.Pods) - 1; i >= 0; i-- {
		if samePod(n.Pods[i], pod) {
			n.replace(i, pod)
			return true
		}
	}
	return false
}

// UpdatePodFrom is UpdatePod for a caller that knows held, the version
// the NodeInfo holds: it is looked for by address, which reads none of
// the node's pods, where matching by UID reads each one (a cache miss
// apiece, a hundred pods a node, for every status a pod's kubelet
// writes). If held is not there, it matches as UpdatePod does.
func (n *NodeInfo) UpdatePodFrom(held, pod *corev1.Pod) bool {
	if i := slices.Index(n.Pods, held); i >= 0 {
		n.replace(i, pod)
		return true
	}
	return n.UpdatePod(pod)
}

// replace puts pod in the place of Pods[i], another version of it.
func (n *NodeInfo) replace(i int, pod *corev1.Pod) {
	p := n.Pods[i]
	n.Pods[i] = pod
	if !sameContainers(p, pod) {
		n.gen++
		n.Requested.sub(PodRequests(p))
		n.NonZeroRequested.sub(nonZeroRequests(p))
		n.removeHostPorts(p)
		n.Requested.add(PodRequests(pod))
		n.NonZeroRequested.add(nonZeroRequests(pod))
		n.UsedPorts = appendHostPorts(n.UsedPorts, pod)
	}
}

// sameContainers says whether two versions of a pod share their containers
// and pod-level resources and have no overhead, as the shallow copies a
// status write makes do: then they request the same, and summing it again
// would be wasted.
func sameContainers(a, b *corev1.Pod) bool {
	same := func(x, y []corev1.Container) bool {
		return len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	}
	return same(a.Spec.Containers, b.Spec.Containers) && same(a.Spec.InitContainers, b.Spec.InitContainers) &&
		a.Spec.Resources == b.Spec.Resources && len(a.Spec.Overhead) == 0 && len(b.Spec.Overhead) == 0
}

// Clone copies the NodeInfo so that the copy's pods can change without
// touching the original; the node and pod objects are shared.
func (n *NodeInfo) Clone() *NodeInfo {
	c := *n
	c.memo = memo{} // its raw scores would share n's array
	c.Pods = append([]*corev1.Pod(nil), n.Pods...)
	c.UsedPorts = append([]HostPort(nil), n.UsedPorts...)
	return &c
}

func (n *NodeInfo) removeHostPorts(pod *corev1.Pod) {
	for _, hp := range appendHostPorts(nil, pod) {
		for i, used := range n.UsedPorts {
			if used == hp {
				n.UsedPorts = append(n.UsedPorts[:i], n.UsedPorts[i+1:]...)
				break
			}
		}
	}
}

func samePod(a, b *corev1.Pod) bool {
	if a.UID != "" || b.UID != "" {
		return a.UID == b.UID
	}
	return a.Namespace == b.Namespace && a.Name == b.Name
}

func terminated(pod *corev1.Pod) bool {
	return pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
}

// appendHostPorts lists the host ports a pod asks for, with upstream's
// defaults filled in: no IP means every address, no protocol means TCP.
// Sidecars run for the pod's whole life, so their ports count too.
func appendHostPorts(dst []HostPort, pod *corev1.Pod) []HostPort {
	add := func(c *corev1.Container) {
		for _, p := range c.Ports {
			if p.HostPort <= 0 {
				continue
			}
			hp := HostPort{IP: p.HostIP, Protocol: p.Protocol, Port: p.HostPort}
			if hp.IP == "" {
				hp.IP = wildcardIP
			}
			if hp.Protocol == "" {
				hp.Protocol = corev1.ProtocolTCP
			}
			dst = append(dst, hp)
		}
	}
	for i := range pod.Spec.Containers {
		add(&pod.Spec.Containers[i])
	}
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			add(c)
		}
	}
	return dst
}

const wildcardIP = "0.0.0.0"
