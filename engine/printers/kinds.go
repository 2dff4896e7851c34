package printers

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/scheme"
)

// gvkFor returns the group, version and kind of a typed object, from its
// TypeMeta when set, else from the client-go scheme (objects read back
// from a store often have an empty TypeMeta).
func gvkFor(obj runtime.Object) (schema.GroupVersionKind, error) {
	if gvk := obj.GetObjectKind().GroupVersionKind(); gvk.Kind != "" && gvk.Version != "" {
		return gvk, nil
	}
	gvks, _, err := scheme.Scheme.ObjectKinds(obj)
	if err != nil {
		return schema.GroupVersionKind{}, err
	}
	return gvks[0], nil
}

// resourceName is the "pod", "deployment.apps" that kubectl puts before
// a name for -o name and when several kinds are listed.
func resourceName(obj runtime.Object) string {
	gvk, err := gvkFor(obj)
	if err != nil {
		return strings.ToLower(fmt.Sprintf("%T", obj))
	}
	if gvk.Group == "" {
		return strings.ToLower(gvk.Kind)
	}
	return strings.ToLower(gvk.Kind) + "." + gvk.Group
}
