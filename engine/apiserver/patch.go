package apiserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"

	"github.com/kubeplay/kubeplay/engine/manifest"

	jsonpatch "github.com/evanphx/json-patch/v5"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
)

// ApplyPatch applies a patch of one of the three kinds kubectl sends to
// current (any API object: the HTTP API patches Scale subresources with
// it) and returns the patched object, as PATCH does.
func ApplyPatch(current runtime.Object, patchType types.PatchType, patch []byte) (runtime.Object, error) {
	return applyPatch(current, patchType, patch)
}

// PreparedPatch is a patch applied ahead of its request, on the
// caller's goroutine: applying one is the costliest part of a PATCH (a
// 1 MiB object is encoded, patched and decoded; a hostile JSON patch
// copies up to 3 MiB), and kube-apiserver does it in the request's own
// goroutine, so that one client's patch never delays another's reads.
// The kernel only runs admission on the result and stores it.
type PreparedPatch struct {
	base runtime.Object // the stored object it was applied to
	obj  runtime.Object
	err  error
	used bool // on the kernel goroutine
}

// PreparePatch applies patch to base, an object as the store holds it
// (stored objects are never changed in place, so base stays the version
// it was read as). Safe on any goroutine; the apiserver applies the
// patch again itself if base is no longer the stored object when the
// request is handled, as GuaranteedUpdate retries.
func PreparePatch(base runtime.Object, patchType types.PatchType, patch []byte) *PreparedPatch {
	obj, err := applyPatch(base, patchType, patch)
	return &PreparedPatch{base: base, obj: obj, err: err}
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
		if patched, err = applyJSONPatch(doc, patch); err != nil {
			return nil, err
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

// applyJSONPatch applies a JSON patch as kube-apiserver does: at most
// maxJSONPatchOperations operations, whose copies add at most
// jsonPatchMaxCopyBytes, with its errors.
func applyJSONPatch(doc, patch []byte) ([]byte, error) {
	p, err := jsonpatch.DecodePatch(patch)
	if err != nil {
		return nil, apierrors.NewBadRequest(err.Error())
	}
	if len(p) > maxJSONPatchOperations {
		return nil, apierrors.NewRequestEntityTooLargeError(fmt.Sprintf("The allowed maximum operations in a JSON patch is %d, got %d",
			maxJSONPatchOperations, len(p)))
	}
	opts := jsonpatch.NewApplyOptions()
	opts.AccumulatedCopySizeLimit = jsonPatchMaxCopyBytes
	patched, err := p.ApplyWithOptions(doc, opts)
	if err == nil {
		return patched, nil
	}
	// kube-apiserver says only that the request was wrong; the hint says
	// what.
	hint := manifest.Hint{
		EN: "The JSON patch could not be applied: " + err.Error(),
		KO: "JSON 패치를 적용하지 못했어요: " + err.Error(),
	}
	var tooMuch *jsonpatch.AccumulatedCopySizeError
	if errors.As(err, &tooMuch) {
		hint = manifest.Hint{
			EN: "Each copy operation adds to the object, and one patch may copy at most 3 MiB in all (kube-apiserver's limit): " + err.Error(),
			KO: "copy 연산은 할 때마다 오브젝트를 키워요. 패치 하나로 복사할 수 있는 양은 모두 합쳐 3 MiB까지예요(kube-apiserver의 한도): " + err.Error(),
		}
	}
	return nil, &HintedError{
		StatusError: apierrors.NewGenericServerResponse(http.StatusUnprocessableEntity, "", schema.GroupResource{}, "", err.Error(), 0, false),
		Hint:        hint,
	}
}
