package kubelet

import (
	"fmt"
	"path"

	"github.com/kubeplay/kubeplay/engine/runtime"

	corev1 "k8s.io/api/core/v1"
)

// volumes are the pod's volumes as the runtime provides them: emptyDir,
// hostPath, and configMap and secret volumes as folders holding their
// keys. Other kinds (persistentVolumeClaim, projected, …) are not mounted
// yet: each is an empty folder, and an event says so. A ConfigMap or
// Secret that does not exist (and is not optional) is an error, as the
// kubelet's MountVolume.SetUp fails: the pod waits in ContainerCreating.
func (kl *Kubelet) volumes(w *podWorker) ([]runtime.Volume, error) {
	var out []runtime.Volume
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
		default:
			kl.event(w, corev1.EventTypeWarning, "VolumeNotSupported", fmt.Sprintf(
				"volume %q: kubeplay mounts emptyDir, hostPath, configMap and secret volumes only (%s volumes come later); it is an empty folder", v.Name, volumeKind(v.VolumeSource)))
		}
		out = append(out, rv)
	}
	return out, nil
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
