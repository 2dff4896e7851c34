package kubelet

import (
	"fmt"
	"path"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/runtime"

	corev1 "k8s.io/api/core/v1"
)

var (
	resPVCs, _ = apiserver.ResourceFor("persistentvolumeclaims")
	resPVs, _  = apiserver.ResourceFor("persistentvolumes")
)

// volumes are the pod's volumes as the runtime provides them: emptyDir,
// hostPath, configMap and secret volumes as folders holding their keys,
// and a claim's PersistentVolume. Other kinds (projected, …) are not
// mounted yet: each is an empty folder, and an event says so. A ConfigMap
// or Secret that does not exist (and is not optional) is an error, as the
// kubelet's MountVolume.SetUp fails, and so is a claim that is missing or
// not bound: the pod waits in ContainerCreating.
func (kl *Kubelet) volumes(w *podWorker) ([]runtime.Volume, error) {
	var out []runtime.Volume
	var unprocessed []string
	var processErr error
	for _, v := range w.pod.Spec.Volumes {
		rv := runtime.Volume{Name: v.Name}
		switch {
		case v.HostPath != nil:
			rv.HostPath = path.Clean("/" + v.HostPath.Path)
		case v.EmptyDir != nil:
		case v.ConfigMap != nil:
			files, err := kl.keyFiles(w.pod.Namespace, "configmap", v.ConfigMap.Name, v.ConfigMap.Items, v.ConfigMap.Optional)
			if err != nil {
				return nil, fmt.Errorf("MountVolume.SetUp failed for volume %q : %w", v.Name, err)
			}
			rv.Files = files
		case v.Secret != nil:
			files, err := kl.keyFiles(w.pod.Namespace, "secret", v.Secret.SecretName, v.Secret.Items, v.Secret.Optional)
			if err != nil {
				return nil, fmt.Errorf("MountVolume.SetUp failed for volume %q : %w", v.Name, err)
			}
			rv.Files = files
		case v.PersistentVolumeClaim != nil:
			pv, err := kl.claimVolume(w.pod.Namespace, v.PersistentVolumeClaim.ClaimName)
			if err != nil {
				unprocessed = append(unprocessed, v.Name)
				processErr = fmt.Errorf("error processing PVC %s/%s: %w", w.pod.Namespace, v.PersistentVolumeClaim.ClaimName, err)
				continue
			}
			if pv.Spec.HostPath != nil {
				// A hostPath volume is a folder of the node, claimed or not.
				rv.HostPath = path.Clean("/" + pv.Spec.HostPath.Path)
			} else {
				rv.Persistent = pv.Name
			}
		default:
			kl.event(w, corev1.EventTypeWarning, "VolumeNotSupported", fmt.Sprintf(
				"volume %q: kubeplay mounts emptyDir, hostPath, configMap and secret volumes only (%s volumes come later); it is an empty folder", v.Name, volumeKind(v.VolumeSource)))
		}
		out = append(out, rv)
	}
	if processErr != nil {
		//lint:ignore ST1005 the kubelet's own words, which the FailedMount event shows
		return nil, fmt.Errorf("Unable to attach or mount volumes: unmounted volumes=[%s], unattached volumes=[], failed to process volumes=[%s]: %w",
			strings.Join(unprocessed, " "), strings.Join(unprocessed, " "), processErr)
	}
	return out, nil
}

// claimVolume is the PersistentVolume bound to a claim, as the kubelet's
// volume manager finds it (getPVCExtractPV, getPVSpec).
func (kl *Kubelet) claimVolume(ns, name string) (*corev1.PersistentVolume, error) {
	obj, err := kl.api.Get(resPVCs, ns, name)
	if err != nil {
		return nil, fmt.Errorf("failed to fetch PVC from API server: %w", err)
	}
	claim := obj.(*corev1.PersistentVolumeClaim)
	switch {
	case claim.DeletionTimestamp != nil:
		return nil, fmt.Errorf("PVC is being deleted")
	case claim.Status.Phase != corev1.ClaimBound || claim.Spec.VolumeName == "":
		return nil, fmt.Errorf("PVC is not bound")
	}
	obj, err = kl.api.Get(resPVs, "", claim.Spec.VolumeName)
	if err != nil {
		return nil, fmt.Errorf("failed to fetch PV %s from API server: %w", claim.Spec.VolumeName, err)
	}
	pv := obj.(*corev1.PersistentVolume)
	switch {
	case pv.Spec.ClaimRef == nil:
		return nil, fmt.Errorf("found PV object %s but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim", pv.Name)
	case pv.Spec.ClaimRef.UID != claim.UID:
		return nil, fmt.Errorf("found PV object %s but its pv.Spec.ClaimRef.UID %s does not point to claim.UID %s", pv.Name, pv.Spec.ClaimRef.UID, claim.UID)
	}
	return pv, nil
}

// keyFiles are the files a configMap or secret volume holds: one per key,
// or the keys items name, at their paths.
func (kl *Kubelet) keyFiles(ns, kind, name string, items []corev1.KeyToPath, optional *bool) (map[string][]byte, error) {
	data, err := kl.objectData(ns, kind, name)
	if err != nil {
		if optional != nil && *optional {
			return nil, nil
		}
		return nil, err
	}
	files := map[string][]byte{}
	if len(items) == 0 {
		for k, v := range data {
			files[k] = []byte(v)
		}
		return files, nil
	}
	for _, it := range items {
		v, ok := data[it.Key]
		if !ok {
			if optional != nil && *optional {
				continue
			}
			return nil, fmt.Errorf("configmap references non-existent config key: %s", it.Key)
		}
		files[it.Path] = []byte(v)
	}
	return files, nil
}

func volumeKind(s corev1.VolumeSource) string {
	switch {
	case s.ConfigMap != nil:
		return "configMap"
	case s.Secret != nil:
		return "secret"
	case s.PersistentVolumeClaim != nil:
		return "persistentVolumeClaim"
	case s.Projected != nil:
		return "projected"
	case s.DownwardAPI != nil:
		return "downwardAPI"
	}
	return "other"
}

// mounts are a container's volumeMounts.
func mounts(spec corev1.Container) []runtime.Mount {
	var out []runtime.Mount
	for _, m := range spec.VolumeMounts {
		out = append(out, runtime.Mount{Volume: m.Name, Path: m.MountPath, SubPath: m.SubPath, ReadOnly: m.ReadOnly})
	}
	return out
}
