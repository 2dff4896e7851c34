package framework

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// VolumeBindingName is the plugin that checks a pod's claims.
const VolumeBindingName = "VolumeBinding"

// ClaimGetter finds a claim of the pod's namespace by name.
type ClaimGetter func(name string) (*corev1.PersistentVolumeClaim, bool)

// VolumeBindingPreFilter is the VolumeBinding plugin's PreFilter: a pod
// whose claim is missing, lost, being deleted, or not bound yet while its
// class binds at once (Immediate), fits no node, however the nodes are;
// the pod waits until the claim changes. delayBinding says whether a class
// waits for the first pod instead (WaitForFirstConsumer).
func VolumeBindingPreFilter(pod *corev1.Pod, claim ClaimGetter, delayBinding func(class string) bool) *Status {
	unboundImmediate := false
	for _, v := range pod.Spec.Volumes {
		if v.PersistentVolumeClaim == nil {
			continue
		}
		name := v.PersistentVolumeClaim.ClaimName
		pvc, ok := claim(name)
		switch {
		case !ok:
			return unresolvable(VolumeBindingName, fmt.Sprintf("persistentvolumeclaim %q not found", name))
		case pvc.Status.Phase == corev1.ClaimLost:
			return unresolvable(VolumeBindingName, fmt.Sprintf("persistentvolumeclaim %q bound to non-existent persistentvolume %q", name, pvc.Spec.VolumeName))
		case pvc.DeletionTimestamp != nil:
			return unresolvable(VolumeBindingName, fmt.Sprintf("persistentvolumeclaim %q is being deleted", name))
		}
		_, complete := pvc.Annotations["pv.kubernetes.io/bind-completed"]
		class := ""
		if pvc.Spec.StorageClassName != nil {
			class = *pvc.Spec.StorageClassName
		}
		if (pvc.Spec.VolumeName == "" || !complete) && !delayBinding(class) {
			unboundImmediate = true
		}
	}
	if unboundImmediate {
		return unresolvable(VolumeBindingName, "pod has unbound immediate PersistentVolumeClaims")
	}
	return nil
}

// PreFilterMessage is the FailedScheduling message for a pod a PreFilter
// plugin turned away: its reason once, not counted per node, then the
// preemption dry run that cannot help.
func PreFilterMessage(numAllNodes int, st *Status) string {
	if numAllNodes == 0 {
		return msgNoNodes
	}
	return fmt.Sprintf("0/%d nodes are available: %s. preemption: %s", numAllNodes, st.Message(),
		FitErrorMessage(numAllNodes, nil, msgPreemptionNoHelp))
}
