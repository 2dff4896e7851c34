package apiserver

import (
	"encoding/json"
	"fmt"
	"reflect"

	jsonpatch "github.com/evanphx/json-patch/v5"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
)

// ApplyPatch applies a patch of one of the three kinds kubectl sends to
// current (any API object: the HTTP API patches Scale subresources with
// it) and returns the patched object, as PATCH does.
func ApplyPatch(current runtime.Object, patchType types.PatchType, patch []byte) (runtime.Object, error) {
	return applyPatch(current, patchType, patch)
}

func applyPatch(current runtime.Object, patchType types.PatchType, patch []byte) (runtime.Object, error) {
	doc, err := json.Marshal(current)
	if err != nil {
		return nil, err
	}
	var patched []byte
	switch patchType {
	case types.StrategicMergePatchType, "":
		patched, err = strategicpatch.StrategicMergePatch(doc, patch, current)
	case types.MergePatchType:
		patched, err = jsonpatch.MergePatch(doc, patch)
	case types.JSONPatchType:
		var p jsonpatch.Patch
		if p, err = jsonpatch.DecodePatch(patch); err == nil {
			patched, err = p.Apply(doc)
		}
	default:
		return nil, apierrors.NewBadRequest(fmt.Sprintf("unsupported patch type %q: use strategic, merge or json", patchType))
	}
	if err != nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("the patch could not be applied: %v", err))
	}
	// Decode into a zero value: fields the patch removed must go.
	v := reflect.New(reflect.TypeOf(current).Elem()).Interface().(runtime.Object)
	if err := json.Unmarshal(patched, v); err != nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("the patched object is not valid: %v", err))
	}
	return v, nil
}
