package apiserver

import (
	"fmt"
	"reflect"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Resource describes one kind the apiserver serves, as API discovery does.
type Resource struct {
	Kind       string
	Name       string // plural, as in URLs and etcd keys: "pods"
	Singular   string
	Group      string // "" for core, "apps", ...
	Version    string
	Namespaced bool
	ShortNames []string
	// EtcdName is the resource's name in etcd keys when it differs
	// (nodes live under /registry/minions).
	EtcdName string
	// DrawsAside: the objects' generated names and UIDs come from the
	// kernel's RandAside, not its Rand (see there).
	DrawsAside bool
	// Deprecated is the warning kube-apiserver sends with every request
	// to a deprecated resource version, which kubectl prints as
	// "Warning: …" once per command; empty for the others.
	Deprecated string
	new        func() runtime.Object
}

// endpointsDeprecated is kube-apiserver 1.33's warning for v1 Endpoints.
const endpointsDeprecated = "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"

// GroupResource is the name kubectl prints in errors: "deployments.apps".
func (r *Resource) GroupResource() schema.GroupResource {
	return schema.GroupResource{Group: r.Group, Resource: r.Name}
}

// GroupKind identifies the kind in validation errors.
func (r *Resource) GroupKind() schema.GroupKind {
	return schema.GroupKind{Group: r.Group, Kind: r.Kind}
}

// APIVersion is "v1" or "apps/v1".
func (r *Resource) APIVersion() string {
	if r.Group == "" {
		return r.Version
	}
	return r.Group + "/" + r.Version
}

// KindName is how kubectl names an object of this resource in its messages:
// "pod/web", "deployment.apps/web".
func (r *Resource) KindName(name string) string {
	k := strings.ToLower(r.Kind)
	if r.Group != "" {
		k += "." + r.Group
	}
	return k + "/" + name
}

func (r *Resource) etcd() string {
	if r.EtcdName != "" {
		return r.EtcdName
	}
	return r.Name
}

// New returns an empty object of the resource's type.
func (r *Resource) New() runtime.Object { return r.new() }

// Resources is the table of every kind kubeplay serves, in the order
// `kubectl get all` and discovery list them.
var resources = []*Resource{
	{Kind: "Pod", Name: "pods", Singular: "pod", Version: "v1", Namespaced: true, ShortNames: []string{"po"}, new: func() runtime.Object { return &corev1.Pod{} }},
	{Kind: "Service", Name: "services", Singular: "service", Version: "v1", Namespaced: true, ShortNames: []string{"svc"}, EtcdName: "services/specs", new: func() runtime.Object { return &corev1.Service{} }},
	{Kind: "DaemonSet", Name: "daemonsets", Singular: "daemonset", Group: "apps", Version: "v1", Namespaced: true, ShortNames: []string{"ds"}, new: func() runtime.Object { return &appsv1.DaemonSet{} }},
	{Kind: "Deployment", Name: "deployments", Singular: "deployment", Group: "apps", Version: "v1", Namespaced: true, ShortNames: []string{"deploy"}, new: func() runtime.Object { return &appsv1.Deployment{} }},
	{Kind: "ReplicaSet", Name: "replicasets", Singular: "replicaset", Group: "apps", Version: "v1", Namespaced: true, ShortNames: []string{"rs"}, new: func() runtime.Object { return &appsv1.ReplicaSet{} }},
	{Kind: "StatefulSet", Name: "statefulsets", Singular: "statefulset", Group: "apps", Version: "v1", Namespaced: true, ShortNames: []string{"sts"}, new: func() runtime.Object { return &appsv1.StatefulSet{} }},
	{Kind: "HorizontalPodAutoscaler", Name: "horizontalpodautoscalers", Singular: "horizontalpodautoscaler", Group: "autoscaling", Version: "v2", Namespaced: true, ShortNames: []string{"hpa"}, new: func() runtime.Object { return &autoscalingv2.HorizontalPodAutoscaler{} }},
	{Kind: "Job", Name: "jobs", Singular: "job", Group: "batch", Version: "v1", Namespaced: true, new: func() runtime.Object { return &batchv1.Job{} }},
	{Kind: "CronJob", Name: "cronjobs", Singular: "cronjob", Group: "batch", Version: "v1", Namespaced: true, ShortNames: []string{"cj"}, new: func() runtime.Object { return &batchv1.CronJob{} }},
	{Kind: "Node", Name: "nodes", Singular: "node", Version: "v1", ShortNames: []string{"no"}, EtcdName: "minions", new: func() runtime.Object { return &corev1.Node{} }},
	{Kind: "Namespace", Name: "namespaces", Singular: "namespace", Version: "v1", ShortNames: []string{"ns"}, new: func() runtime.Object { return &corev1.Namespace{} }},
	{Kind: "Event", Name: "events", Singular: "event", Version: "v1", Namespaced: true, ShortNames: []string{"ev"}, new: func() runtime.Object { return &corev1.Event{} }},
	//lint:ignore SA1019 kubectl get endpoints still serves it, and learners meet it first
	{Kind: "Endpoints", Name: "endpoints", Singular: "endpoints", Version: "v1", Namespaced: true, ShortNames: []string{"ep"}, EtcdName: "services/endpoints", Deprecated: endpointsDeprecated, new: func() runtime.Object { return &corev1.Endpoints{} }},
	{Kind: "ConfigMap", Name: "configmaps", Singular: "configmap", Version: "v1", Namespaced: true, ShortNames: []string{"cm"}, new: func() runtime.Object { return &corev1.ConfigMap{} }},
	{Kind: "Secret", Name: "secrets", Singular: "secret", Version: "v1", Namespaced: true, new: func() runtime.Object { return &corev1.Secret{} }},
	{Kind: "PersistentVolume", Name: "persistentvolumes", Singular: "persistentvolume", Version: "v1", ShortNames: []string{"pv"}, new: func() runtime.Object { return &corev1.PersistentVolume{} }},
	{Kind: "PersistentVolumeClaim", Name: "persistentvolumeclaims", Singular: "persistentvolumeclaim", Version: "v1", Namespaced: true, ShortNames: []string{"pvc"}, new: func() runtime.Object { return &corev1.PersistentVolumeClaim{} }},
	// ControllerRevision keeps the pod templates of a DaemonSet's (and a
	// StatefulSet's) revisions: rollout history and undo read them.
	{Kind: "ControllerRevision", Name: "controllerrevisions", Singular: "controllerrevision", Group: "apps", Version: "v1", Namespaced: true, new: func() runtime.Object { return &appsv1.ControllerRevision{} }},
	{Kind: "StorageClass", Name: "storageclasses", Singular: "storageclass", Group: "storage.k8s.io", Version: "v1", ShortNames: []string{"sc"}, new: func() runtime.Object { return &storagev1.StorageClass{} }},
	{Kind: "Ingress", Name: "ingresses", Singular: "ingress", Group: "networking.k8s.io", Version: "v1", Namespaced: true, ShortNames: []string{"ing"}, new: func() runtime.Object { return &networkingv1.Ingress{} }},
	{Kind: "IngressClass", Name: "ingressclasses", Singular: "ingressclass", Group: "networking.k8s.io", Version: "v1", new: func() runtime.Object { return &networkingv1.IngressClass{} }},
	// EndpointSlices are what kube-proxy and kubectl describe service/ingress
	// read of a Service's endpoints since Endpoints were deprecated.
	{Kind: "EndpointSlice", Name: "endpointslices", Singular: "endpointslice", Group: "discovery.k8s.io", Version: "v1", Namespaced: true, DrawsAside: true, new: func() runtime.Object { return &discoveryv1.EndpointSlice{} }},
}

// Resources returns the served resources.
func Resources() []*Resource { return resources }

// ResourceFor finds a resource by plural, singular, short name or kind, with
// an optional group suffix ("deployments.apps"), case-insensitively.
func ResourceFor(name string) (*Resource, bool) {
	n := strings.ToLower(name)
	group := ""
	if i := strings.IndexByte(n, '.'); i > 0 {
		n, group = n[:i], n[i+1:]
	}
	for _, r := range resources {
		if group != "" && group != r.Group {
			continue
		}
		if n == r.Name || n == r.Singular || n == strings.ToLower(r.Kind) {
			return r, true
		}
		for _, s := range r.ShortNames {
			if n == s {
				return r, true
			}
		}
	}
	return nil, false
}

// byType maps each served Go type to its resource; built once, never changed.
var byType = func() map[reflect.Type]*Resource {
	m := make(map[reflect.Type]*Resource, len(resources))
	for _, r := range resources {
		m[reflect.TypeOf(r.new())] = r
	}
	return m
}()

// ResourceOf returns the resource an object belongs to.
func ResourceOf(obj runtime.Object) (*Resource, error) {
	if r, ok := byType[reflect.TypeOf(obj)]; ok {
		return r, nil
	}
	return nil, fmt.Errorf("kubeplay does not serve objects of type %T", obj)
}
