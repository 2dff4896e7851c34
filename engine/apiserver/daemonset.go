package apiserver

import (
	"maps"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime"
)

// templateGeneration is the DaemonSet strategy's templateGeneration,
// which apps/v1 shows as this annotation: 1 on create, one more each time
// the pod template changes (old is nil on create).
func templateGeneration(obj, old runtime.Object) {
	ds, ok := obj.(*appsv1.DaemonSet)
	if !ok {
		return
	}
	gen := int64(1)
	if prev, ok := old.(*appsv1.DaemonSet); ok {
		gen, _ = strconv.ParseInt(prev.Annotations[appsv1.DeprecatedTemplateGeneration], 10, 64)
		gen = max(gen, 1)
		if !apiequality.Semantic.DeepEqual(&ds.Spec.Template, &prev.Spec.Template) {
			gen++
		}
	}
	a := maps.Clone(ds.Annotations) // the client's map is not the apiserver's to change
	if a == nil {
		a = map[string]string{}
	}
	a[appsv1.DeprecatedTemplateGeneration] = strconv.FormatInt(gen, 10)
	ds.Annotations = a
}
