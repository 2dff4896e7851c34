package printers

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

func (d *describer) node(n *corev1.Node) {
	d.write(level0, "Name:\t%s\n", n.Name)
	d.write(level0, "Roles:\t%s\n", orNone(strings.Join(nodeRoles(n), ",")))
	d.labels("", "Labels", n.Labels)
	d.annotations("Annotations", n.Annotations)
	d.write(level0, "CreationTimestamp:\t%s\n", n.CreationTimestamp.Format(rfc1123z))
	d.taints("Taints", n.Spec.Taints)
	d.write(level0, "Unschedulable:\t%v\n", n.Spec.Unschedulable)
	d.lease(n.Name)

	if len(n.Status.Conditions) > 0 {
		d.write(level0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
		d.write(level1, "----\t------\t-----------------\t------------------\t------\t-------\n")
		for _, c := range n.Status.Conditions {
			d.write(level1, "%v \t%v \t%s \t%s \t%v \t%v\n", c.Type, c.Status,
				c.LastHeartbeatTime.Format(rfc1123z), c.LastTransitionTime.Format(rfc1123z), c.Reason, c.Message)
		}
	}
	d.write(level0, "Addresses:\n")
	for _, a := range n.Status.Addresses {
		d.write(level1, "%s:\t%s\n", a.Type, a.Address)
	}
	for _, part := range []struct {
		title string
		list  corev1.ResourceList
	}{{"Capacity", n.Status.Capacity}, {"Allocatable", n.Status.Allocatable}} {
		if len(part.list) == 0 {
			continue
		}
		d.write(level0, "%s:\n", part.title)
		for _, name := range sortedResourceNames(part.list) {
			q := part.list[name]
			d.write(level1, "%s:\t%s\n", name, q.String())
		}
	}
	info := n.Status.NodeInfo
	d.write(level0, "System Info:\n")
	for _, f := range [][2]string{
		{"Machine ID", info.MachineID},
		{"System UUID", info.SystemUUID},
		{"Boot ID", info.BootID},
		{"Kernel Version", info.KernelVersion},
		{"OS Image", info.OSImage},
		{"Operating System", info.OperatingSystem},
		{"Architecture", info.Architecture},
		{"Container Runtime Version", info.ContainerRuntimeVersion},
		{"Kubelet Version", info.KubeletVersion},
		//lint:ignore SA1019 kubectl 1.33 still prints it
		{"Kube-Proxy Version", info.KubeProxyVersion},
	} {
		d.write(level1, "%s:\t%s\n", f[0], f[1])
	}
	if n.Spec.PodCIDR != "" {
		d.write(level0, "PodCIDR:\t%s\n", n.Spec.PodCIDR)
	}
	if len(n.Spec.PodCIDRs) > 0 {
		d.write(level0, "PodCIDRs:\t%s\n", strings.Join(n.Spec.PodCIDRs, ","))
	}
	if n.Spec.ProviderID != "" {
		d.write(level0, "ProviderID:\t%s\n", n.Spec.ProviderID)
	}
	d.nodeResources(n)
	d.events()
}

func (d *describer) lease(nodeName string) {
	l := d.ctx.Lease
	if l == nil {
		d.write(level0, "Lease:\tFailed to get lease: leases.coordination.k8s.io %q not found\n", nodeName)
		return
	}
	d.write(level0, "Lease:\n")
	holder, acquire, renew := "<unset>", "<unset>", "<unset>"
	if l.Spec.HolderIdentity != nil {
		holder = *l.Spec.HolderIdentity
	}
	if l.Spec.AcquireTime != nil {
		acquire = l.Spec.AcquireTime.Format(rfc1123z)
	}
	if l.Spec.RenewTime != nil {
		renew = l.Spec.RenewTime.Format(rfc1123z)
	}
	d.write(level1, "HolderIdentity:\t%s\n", holder)
	d.write(level1, "AcquireTime:\t%s\n", acquire)
	d.write(level1, "RenewTime:\t%s\n", renew)
}

// podRequestsAndLimits sums a pod's container requests and limits; an
// init container counts when it asks for more than all app containers
// together (they run one at a time, before the app containers); restartable
// init containers (sidecars) add to the sum like app containers; pod
// overhead is added on top.
func podRequestsAndLimits(p *corev1.Pod) (reqs, limits corev1.ResourceList) {
	reqs, limits = corev1.ResourceList{}, corev1.ResourceList{}
	add := func(dst, src corev1.ResourceList) {
		for name, q := range src {
			v := dst[name]
			v.Add(q)
			dst[name] = v
		}
	}
	raise := func(dst, src corev1.ResourceList) {
		for name, q := range src {
			if v, ok := dst[name]; !ok || q.Cmp(v) > 0 {
				dst[name] = q.DeepCopy()
			}
		}
	}
	for _, c := range p.Spec.Containers {
		add(reqs, c.Resources.Requests)
		add(limits, c.Resources.Limits)
	}
	for i := range p.Spec.InitContainers {
		c := &p.Spec.InitContainers[i]
		if isRestartableInit(c) {
			add(reqs, c.Resources.Requests)
			add(limits, c.Resources.Limits)
			continue
		}
		raise(reqs, c.Resources.Requests)
		raise(limits, c.Resources.Limits)
	}
	add(reqs, p.Spec.Overhead)
	if len(limits) > 0 {
		add(limits, p.Spec.Overhead)
	}
	return reqs, limits
}

// percent is kubectl's int64(float64(part)/float64(whole)*100), 0 when
// the node has none of the resource.
func percent(part, whole int64) int64 {
	if whole == 0 {
		return 0
	}
	return int64(float64(part) / float64(whole) * 100)
}

// amount is a quantity as describe prints it: "100m (2%)".
func amount(q resource.Quantity, whole resource.Quantity, milli bool) string {
	part, total := q.Value(), whole.Value()
	if milli {
		part, total = q.MilliValue(), whole.MilliValue()
	}
	return fmt.Sprintf("%s (%d%%)", q.String(), percent(part, total))
}

// nodeResources is describeNodeResource over ctx.Pods.
func (d *describer) nodeResources(n *corev1.Node) {
	d.write(level0, "Non-terminated Pods:\t(%d in total)\n", len(d.ctx.Pods))
	d.write(level1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
	d.write(level1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
	alloc := n.Status.Capacity
	if len(n.Status.Allocatable) > 0 {
		alloc = n.Status.Allocatable
	}
	totalReqs, totalLimits := corev1.ResourceList{}, corev1.ResourceList{}
	for i := range d.ctx.Pods {
		p := &d.ctx.Pods[i]
		reqs, limits := podRequestsAndLimits(p)
		d.write(level1, "%s\t%s\t\t%s\t%s\t%s\t%s\t%s\n", p.Namespace, p.Name,
			amount(reqs[corev1.ResourceCPU], alloc[corev1.ResourceCPU], true),
			amount(limits[corev1.ResourceCPU], alloc[corev1.ResourceCPU], true),
			amount(reqs[corev1.ResourceMemory], alloc[corev1.ResourceMemory], false),
			amount(limits[corev1.ResourceMemory], alloc[corev1.ResourceMemory], false),
			d.since(p.CreationTimestamp))
		for name, q := range reqs {
			v := totalReqs[name]
			v.Add(q)
			totalReqs[name] = v
		}
		for name, q := range limits {
			v := totalLimits[name]
			v.Add(q)
			totalLimits[name] = v
		}
	}
	d.write(level0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
	d.write(level1, "Resource\tRequests\tLimits\n")
	d.write(level1, "--------\t--------\t------\n")
	for _, r := range []struct {
		name  corev1.ResourceName
		milli bool
	}{{corev1.ResourceCPU, true}, {corev1.ResourceMemory, false}, {corev1.ResourceEphemeralStorage, false}} {
		d.write(level1, "%s\t%s\t%s\n", r.name,
			amount(totalReqs[r.name], alloc[r.name], r.milli), amount(totalLimits[r.name], alloc[r.name], r.milli))
	}
	// Huge pages with percentages first, then extended resources bare.
	var extended []corev1.ResourceName
	for _, name := range sortedResourceNames(alloc) {
		switch {
		case strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix):
			d.write(level1, "%s\t%s\t%s\n", name, amount(totalReqs[name], alloc[name], false), amount(totalLimits[name], alloc[name], false))
		case name != corev1.ResourceCPU && name != corev1.ResourceMemory && name != corev1.ResourceEphemeralStorage && name != corev1.ResourcePods:
			extended = append(extended, name)
		}
	}
	for _, name := range extended {
		rq, lm := totalReqs[name], totalLimits[name]
		d.write(level1, "%s\t%s\t%s\n", name, rq.String(), lm.String())
	}
}
