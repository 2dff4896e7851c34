package printers

import (
	corev1 "k8s.io/api/core/v1"
)

// namespace is kubectl 1.33's describeNamespace. kubeplay serves no
// ResourceQuotas nor LimitRanges, so a namespace has none, as a fresh
// cluster's have; describe namespace prints no events.
func (d *describer) namespace(ns *corev1.Namespace) {
	d.write(level0, "Name:\t%s\n", ns.Name)
	d.labels("", "Labels", ns.Labels)
	d.annotations("Annotations", ns.Annotations)
	d.write(level0, "Status:\t%s\n", ns.Status.Phase)
	if len(ns.Status.Conditions) > 0 {
		d.write(level0, "Conditions:\n")
		d.write(level1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
		d.write(level1, "----\t------\t------------------\t------\t-------\n")
		for _, c := range ns.Status.Conditions {
			d.write(level1, "%v\t%v\t%s\t%v\t%v\n", c.Type, c.Status, c.LastTransitionTime.Format(rfc1123z), c.Reason, c.Message)
		}
	}
	d.write(level0, "\nNo resource quota.\n")
	d.write(level0, "\nNo LimitRange resource.\n")
}
