package printers

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// persistentVolume is kubectl's describePersistentVolume.
func (d *describer) persistentVolume(pv *corev1.PersistentVolume) {
	d.write(level0, "Name:\t%s\n", pv.Name)
	d.labels("", "Labels", pv.Labels)
	d.annotations("Annotations", pv.Annotations)
	d.write(level0, "Finalizers:\t%v\n", pv.Finalizers)
	class := pv.Spec.StorageClassName
	if c, ok := pv.Annotations[betaStorageClassAnnotation]; ok {
		class = c
	}
	d.write(level0, "StorageClass:\t%s\n", class)
	if pv.Spec.VolumeAttributesClassName != nil {
		d.write(level0, "VolumeAttributesClass:\t%s\n", *pv.Spec.VolumeAttributesClassName)
	}
	d.storageStatus(pv.DeletionTimestamp, string(pv.Status.Phase))
	claim := ""
	if pv.Spec.ClaimRef != nil {
		claim = pv.Spec.ClaimRef.Namespace + "/" + pv.Spec.ClaimRef.Name
	}
	d.write(level0, "Claim:\t%s\n", claim)
	d.write(level0, "Reclaim Policy:\t%v\n", pv.Spec.PersistentVolumeReclaimPolicy)
	d.write(level0, "Access Modes:\t%s\n", accessModes(pv.Spec.AccessModes))
	if pv.Spec.VolumeMode != nil {
		d.write(level0, "VolumeMode:\t%v\n", *pv.Spec.VolumeMode)
	}
	capacity := pv.Spec.Capacity[corev1.ResourceStorage]
	d.write(level0, "Capacity:\t%s\n", capacity.String())
	if pv.Spec.NodeAffinity == nil {
		d.write(level0, "Node Affinity:\t<none>\n")
	} else {
		d.write(level0, "Node Affinity:\t\n")
	}
	d.write(level0, "Message:\t%s\n", pv.Status.Message)
	d.write(level0, "Source:\n")
	s := pv.Spec.PersistentVolumeSource
	switch {
	case s.HostPath != nil:
		d.volumeSource(corev1.VolumeSource{HostPath: s.HostPath})
	case s.NFS != nil:
		d.write(level2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t%v\n    Path:\t%v\n    ReadOnly:\t%v\n", s.NFS.Server, s.NFS.Path, s.NFS.ReadOnly)
	case s.Local != nil:
		d.write(level2, "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t%v\n", s.Local.Path)
	case s.CSI != nil:
		d.write(level2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t%v\n    FSType:\t%v\n    VolumeHandle:\t%v\n    ReadOnly:\t%v\n",
			s.CSI.Driver, s.CSI.FSType, s.CSI.VolumeHandle, s.CSI.ReadOnly)
		d.write(level2, "VolumeAttributes:\t")
		if len(s.CSI.VolumeAttributes) == 0 {
			d.write(level0, "<none>\n")
		}
		for i, k := range sortedKeys(s.CSI.VolumeAttributes) {
			if i > 0 {
				d.write(level2, "\t")
			}
			d.write(level0, "%s=%s\n", k, s.CSI.VolumeAttributes[k])
		}
	}
	d.events()
}

// persistentVolumeClaim is kubectl's describePersistentVolumeClaim; the
// context's pods are the ones that mount the claim ("Used By").
func (d *describer) persistentVolumeClaim(pvc *corev1.PersistentVolumeClaim) {
	d.write(level0, "Name:\t%s\n", pvc.Name)
	d.write(level0, "Namespace:\t%s\n", pvc.Namespace)
	class := ""
	if pvc.Spec.StorageClassName != nil {
		class = *pvc.Spec.StorageClassName
	}
	if c, ok := pvc.Annotations[betaStorageClassAnnotation]; ok {
		class = c
	}
	d.write(level0, "StorageClass:\t%s\n", class)
	d.storageStatus(pvc.DeletionTimestamp, string(pvc.Status.Phase))
	d.write(level0, "Volume:\t%s\n", pvc.Spec.VolumeName)
	d.labels("", "Labels", pvc.Labels)
	d.annotations("Annotations", pvc.Annotations)
	d.write(level0, "Finalizers:\t%v\n", pvc.Finalizers)
	capacity, modes := "", ""
	if pvc.Spec.VolumeName != "" {
		q := pvc.Status.Capacity[corev1.ResourceStorage]
		capacity, modes = q.String(), accessModes(pvc.Status.AccessModes)
	}
	d.write(level0, "Capacity:\t%s\n", capacity)
	d.write(level0, "Access Modes:\t%s\n", modes)
	if pvc.Spec.VolumeMode != nil {
		d.write(level0, "VolumeMode:\t%v\n", *pvc.Spec.VolumeMode)
	}
	d.write(level0, "Used By:\t")
	if len(d.ctx.Pods) == 0 {
		d.write(level0, "<none>\n")
	}
	for i, p := range d.ctx.Pods {
		if i > 0 {
			d.write(level0, "\t")
		}
		d.write(level0, "%s\n", p.Name)
	}
	d.events()
}

// storageStatus is the Status line of a volume or claim.
func (d *describer) storageStatus(deleted *metav1.Time, phase string) {
	if deleted != nil {
		d.write(level0, "Status:\tTerminating (lasts %s)\n", d.since(*deleted))
		return
	}
	d.write(level0, "Status:\t%v\n", phase)
}

// storageClass is kubectl 1.33's describeStorageClass: its annotations
// (last-applied too) on one line, as labels.FormatLabels joins them.
func (d *describer) storageClass(sc *storagev1.StorageClass) {
	d.write(level0, "Name:\t%s\n", sc.Name)
	isDefault := "No"
	if isDefaultStorageClass(sc) {
		isDefault = "Yes"
	}
	d.write(level0, "IsDefaultClass:\t%s\n", isDefault)
	d.write(level0, "Annotations:\t%s\n", labels.FormatLabels(sc.Annotations))
	d.write(level0, "Provisioner:\t%s\n", sc.Provisioner)
	d.write(level0, "Parameters:\t%s\n", labels.FormatLabels(sc.Parameters))
	d.write(level0, "AllowVolumeExpansion:\t%s\n", boolPtr(sc.AllowVolumeExpansion))
	if len(sc.MountOptions) == 0 {
		d.write(level0, "MountOptions:\t<none>\n")
	} else {
		d.write(level0, "MountOptions:\n")
		for _, o := range sc.MountOptions {
			d.write(level1, "%s\n", o)
		}
	}
	if sc.ReclaimPolicy != nil {
		d.write(level0, "ReclaimPolicy:\t%s\n", *sc.ReclaimPolicy)
	}
	if sc.VolumeBindingMode != nil {
		d.write(level0, "VolumeBindingMode:\t%s\n", *sc.VolumeBindingMode)
	}
	// kubectl tests != nil, but an empty list never crosses the wire
	// (omitempty), so what it sees set has terms.
	if len(sc.AllowedTopologies) > 0 {
		d.write(level0, "AllowedTopologies:\t\n")
		for i, term := range sc.AllowedTopologies {
			d.write(level1, "Term %d:\t", i)
			if len(term.MatchLabelExpressions) == 0 {
				d.write(level0, "<none>\n")
			}
			for j, req := range term.MatchLabelExpressions {
				if j != 0 {
					d.write(level1, "\t")
				}
				expr := req.Key + " in"
				if len(req.Values) > 0 {
					expr += " [" + strings.Join(req.Values, ", ") + "]"
				}
				d.write(level0, "%s\n", expr)
			}
		}
	}
	d.events()
}
