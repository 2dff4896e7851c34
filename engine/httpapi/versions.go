package httpapi

import (
	"github.com/kubeplay/kubeplay/engine/manifest"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	"k8s.io/apimachinery/pkg/runtime"
)

// olderVersion is a version the apiserver serves besides the stored one,
// as kube-apiserver serves autoscaling/v1 beside v2: the same objects,
// converted on the way in and out. Discovery prefers the stored version.
type olderVersion struct {
	group, version, resource string
	new                      func() runtime.Object
	toStored                 func(in, stored runtime.Object) runtime.Object // stored is nil on create
	fromStored               func(runtime.Object) runtime.Object
}

var olderVersions = []*olderVersion{{
	group: "autoscaling", version: "v1", resource: "horizontalpodautoscalers",
	new: func() runtime.Object { return &autoscalingv1.HorizontalPodAutoscaler{} },
	// What v1 cannot say travels in annotations both ways (manifest's
	// HPAToV1 and HPAFromV1, as upstream's conversion), so a v1 client
	// that reads, edits and writes back keeps the other metrics and the
	// behavior, and one that writes a v1 object afresh sets only what v1
	// says, as on kube-apiserver.
	toStored: func(in, _ runtime.Object) runtime.Object {
		return manifest.HPAFromV1(in.(*autoscalingv1.HorizontalPodAutoscaler))
	},
	fromStored: func(obj runtime.Object) runtime.Object {
		return manifest.HPAToV1(obj.(*autoscalingv2.HorizontalPodAutoscaler))
	},
}}

// findOlder is the older version a path names, if any.
func findOlder(group, version, resource string) *olderVersion {
	for _, o := range olderVersions {
		if o.group == group && o.version == version && (resource == "" || o.resource == resource) {
			return o
		}
	}
	return nil
}

// apiVersion is the group/version the target's objects are answered in.
func (t target) apiVersion() string {
	if t.older != nil {
		return t.older.group + "/" + t.older.version
	}
	return t.res.APIVersion()
}

// view is a stored object as the target's version shows it.
func (t target) view(obj runtime.Object) runtime.Object {
	if t.older == nil || obj == nil {
		return obj
	}
	return t.older.fromStored(obj)
}

// views is view of each object.
func (t target) views(objs []runtime.Object) []runtime.Object {
	if t.older == nil {
		return objs
	}
	out := make([]runtime.Object, len(objs))
	for i, obj := range objs {
		out[i] = t.view(obj)
	}
	return out
}
