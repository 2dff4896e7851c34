package printers

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// statefulSet is kubectl's describeStatefulSet; ctx.Pods are the pods it
// controls.
func (d *describer) statefulSet(ss *appsv1.StatefulSet) {
	selector := "<invalid>"
	if sel, err := metav1.LabelSelectorAsSelector(ss.Spec.Selector); err == nil {
		selector = sel.String()
	}
	d.write(level0, "Name:\t%s\n", ss.Name)
	d.write(level0, "Namespace:\t%s\n", ss.Namespace)
	d.write(level0, "CreationTimestamp:\t%s\n", ss.CreationTimestamp.Format(rfc1123z))
	d.write(level0, "Selector:\t%s\n", selector)
	d.labels("", "Labels", ss.Labels)
	d.annotations("Annotations", ss.Annotations)
	d.write(level0, "Replicas:\t%d desired | %d total\n", deref32(ss.Spec.Replicas), ss.Status.Replicas)
	d.write(level0, "Update Strategy:\t%s\n", ss.Spec.UpdateStrategy.Type)
	if ru := ss.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
		d.write(level1, "Partition:\t%d\n", *ru.Partition)
		if ru.MaxUnavailable != nil {
			d.write(level1, "MaxUnavailable:\t%s\n", ru.MaxUnavailable.String())
		}
	}
	d.write(level0, "Pods Status:\t%s\n", d.podPhaseCounts())
	d.podTemplate(&ss.Spec.Template)
	d.volumeClaimTemplates(ss.Spec.VolumeClaimTemplates)
	d.events()
}

// volumeClaimTemplates is describeVolumeClaimTemplates.
func (d *describer) volumeClaimTemplates(templates []corev1.PersistentVolumeClaim) {
	if len(templates) == 0 {
		d.write(level0, "Volume Claims:\t<none>\n")
		return
	}
	d.write(level0, "Volume Claims:\n")
	for _, pvc := range templates {
		d.write(level1, "Name:\t%s\n", pvc.Name)
		class := ""
		if pvc.Spec.StorageClassName != nil {
			class = *pvc.Spec.StorageClassName
		} else if c, ok := pvc.Annotations[corev1.BetaStorageClassAnnotation]; ok {
			class = c
		}
		d.write(level1, "StorageClass:\t%s\n", class)
		d.labels("  ", "Labels", pvc.Labels)
		d.labels("  ", "Annotations", pvc.Annotations)
		if capacity, ok := pvc.Spec.Resources.Requests[corev1.ResourceStorage]; ok {
			d.write(level1, "Capacity:\t%s\n", capacity.String())
		} else {
			d.write(level1, "Capacity:\t<default>\n")
		}
		d.write(level1, "Access Modes:\t%s\n", fmt.Sprint(pvc.Spec.AccessModes))
	}
}
