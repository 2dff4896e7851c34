package kubelet

import (
	"fmt"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/runtime"

	corev1 "k8s.io/api/core/v1"
)

var (
	resNodes, _      = apiserver.ResourceFor("nodes")
	resConfigMaps, _ = apiserver.ResourceFor("configmaps")
	resSecrets, _    = apiserver.ResourceFor("secrets")
	resServices, _   = apiserver.ResourceFor("services")
)

// resolveEnv builds a container's environment as the kubelet does: envFrom
// first, then env in order, with the pod's own fields, then the Service
// variables the container does not set itself. HOSTNAME is the runtime's
// to set, from the sandbox's host name, as containerd and Docker do. A
// missing ConfigMap or Secret key is an error that keeps the container
// waiting in CreateContainerConfigError.
func (kl *Kubelet) resolveEnv(pod *corev1.Pod, spec *corev1.Container) ([]runtime.EnvVar, error) {
	svc := kl.serviceEnv(pod)
	if len(spec.Env) == 0 && len(spec.EnvFrom) == 0 {
		// Most containers set nothing of their own: the Service
		// variables alone, shared (no one changes a config's Env).
		return svc, nil
	}
	out := make([]runtime.EnvVar, 0, len(spec.Env)+len(svc))
	set := func(name, value string) {
		for i := range out {
			if out[i].Name == name {
				out[i].Value = value
				return
			}
		}
		out = append(out, runtime.EnvVar{Name: name, Value: value})
	}
	for _, from := range spec.EnvFrom {
		data, err := kl.sourceData(pod.Namespace, from.ConfigMapRef, from.SecretRef)
		if err != nil {
			return nil, err
		}
		for k, v := range data {
			set(from.Prefix+k, v)
		}
	}
	for _, e := range spec.Env {
		v, err := kl.envValue(pod, e)
		if err != nil {
			return nil, err
		}
		set(e.Name, v)
	}
	own := make(map[string]bool, len(out))
	for _, e := range out {
		own[e.Name] = true
	}
	for _, e := range svc {
		if !own[e.Name] {
			out = append(out, e)
		}
	}
	return out, nil
}

func (kl *Kubelet) envValue(pod *corev1.Pod, e corev1.EnvVar) (string, error) {
	src := e.ValueFrom
	switch {
	case src == nil:
		return e.Value, nil
	case src.FieldRef != nil:
		switch src.FieldRef.FieldPath {
		case "metadata.name":
			return pod.Name, nil
		case "metadata.namespace":
			return pod.Namespace, nil
		case "spec.nodeName":
			return pod.Spec.NodeName, nil
		case "status.podIP":
			if w := kl.workers[string(pod.UID)]; w != nil {
				return w.ip, nil
			}
		case "status.hostIP":
			return kl.hostIP(), nil
		}
		// metadata.annotations['key'] and metadata.labels['key'], as an
		// Indexed Job's JOB_COMPLETION_INDEX reads its index.
		for prefix, m := range map[string]map[string]string{"metadata.annotations": pod.Annotations, "metadata.labels": pod.Labels} {
			if k, ok := strings.CutPrefix(src.FieldRef.FieldPath, prefix+"['"); ok {
				if k, ok = strings.CutSuffix(k, "']"); ok {
					return m[k], nil
				}
			}
		}
		return "", nil
	case src.ConfigMapKeyRef != nil:
		return kl.keyValue(pod.Namespace, "configmap", src.ConfigMapKeyRef.Name, src.ConfigMapKeyRef.Key, src.ConfigMapKeyRef.Optional)
	case src.SecretKeyRef != nil:
		return kl.keyValue(pod.Namespace, "secret", src.SecretKeyRef.Name, src.SecretKeyRef.Key, src.SecretKeyRef.Optional)
	}
	return "", nil
}

func (kl *Kubelet) keyValue(ns, kind, name, key string, optional *bool) (string, error) {
	data, err := kl.objectData(ns, kind, name)
	if err != nil {
		if optional != nil && *optional {
			return "", nil
		}
		return "", err
	}
	v, ok := data[key]
	if !ok && (optional == nil || !*optional) {
		return "", fmt.Errorf("couldn't find key %s in %s %s/%s", key, kindTitle(kind), ns, name)
	}
	return v, nil
}

func kindTitle(kind string) string {
	if kind == "configmap" {
		return "ConfigMap"
	}
	return "Secret"
}

func (kl *Kubelet) sourceData(ns string, cm *corev1.ConfigMapEnvSource, sec *corev1.SecretEnvSource) (map[string]string, error) {
	switch {
	case cm != nil:
		data, err := kl.objectData(ns, "configmap", cm.Name)
		if err != nil && cm.Optional != nil && *cm.Optional {
			return nil, nil
		}
		return data, err
	case sec != nil:
		data, err := kl.objectData(ns, "secret", sec.Name)
		if err != nil && sec.Optional != nil && *sec.Optional {
			return nil, nil
		}
		return data, err
	}
	return nil, nil
}

func (kl *Kubelet) objectData(ns, kind, name string) (map[string]string, error) {
	if kind == "configmap" {
		obj, err := kl.api.Get(resConfigMaps, ns, name)
		if err != nil {
			return nil, fmt.Errorf("configmap %q not found", name)
		}
		return obj.(*corev1.ConfigMap).Data, nil
	}
	obj, err := kl.api.Get(resSecrets, ns, name)
	if err != nil {
		return nil, fmt.Errorf("secret %q not found", name)
	}
	data := map[string]string{}
	for k, v := range obj.(*corev1.Secret).Data {
		data[k] = string(v)
	}
	return data, nil
}
