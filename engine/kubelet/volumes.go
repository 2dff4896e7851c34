package kubelet

import (
	"fmt"
	"path"

	"github.com/kubeplay/kubeplay/engine/runtime"

	corev1 "k8s.io/api/core/v1"
)

// volumes are the pod's volumes as the runtime provides them: emptyDir and
// hostPath. Other kinds (configMap, secret, persistentVolumeClaim, …) are
// not mounted yet: each is an empty folder, and an event says so.
func (kl *Kubelet) volumes(w *podWorker) []runtime.Volume {
	var out []runtime.Volume
	for _, v := range w.pod.Spec.Volumes {
		rv := runtime.Volume{Name: v.Name}
		switch {
		case v.HostPath != nil:
			rv.HostPath = path.Clean("/" + v.HostPath.Path)
		case v.EmptyDir != nil:
		default:
			kl.event(w, corev1.EventTypeWarning, "VolumeNotSupported", fmt.Sprintf(
				"volume %q: kubeplay mounts emptyDir and hostPath volumes only (%s volumes come later); it is an empty folder", v.Name, volumeKind(v.VolumeSource)))
		}
		out = append(out, rv)
	}
	return out
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
