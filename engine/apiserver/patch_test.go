package apiserver

import (
	"testing"

	"github.com/kubeplay/kubeplay/engine/sim"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// TestPreparedPatch: a patch applied by the caller (PreparePatch, off
// the kernel goroutine) is what the apiserver admits and stores while it
// was applied to the stored version — with its error, if it had one —
// and is applied again to the stored object once that changed, as
// GuaranteedUpdate retries, so nothing written meanwhile is lost.
func TestPreparedPatch(t *testing.T) {
	s := newServer(t)
	cms := mustResource(t, "configmaps")
	obj, err := call(s, Request{Verb: sim.VerbCreate, Object: configMap("cm", 3)})
	if err != nil {
		t.Fatal(err)
	}
	patchReq := func(patch string, pt types.PatchType, base runtime.Object) Request {
		return Request{Verb: sim.VerbPatch, Resource: cms, Namespace: "default", Name: "cm", PatchType: pt, Patch: []byte(patch),
			Prepared: PreparePatch(base, pt, []byte(patch))}
	}

	// Applied to the stored version: its result is taken as it is. (The
	// request carries no patch of its own: had the kernel applied one,
	// the change would be missing.)
	req := patchReq(`{"data":{"y":"1"}}`, types.MergePatchType, obj)
	req.Patch = nil
	got, err := call(s, req)
	if err != nil || got.(*corev1.ConfigMap).Data["y"] != "1" {
		t.Fatalf("a patch prepared on the stored version: %v, %v", got, err)
	}

	// Prepared on that version, sent after another write: applied again
	// to the newer object, whose change stays.
	stale := patchReq(`{"data":{"z":"2"}}`, types.MergePatchType, got)
	newer := got.(*corev1.ConfigMap).DeepCopy()
	newer.Data["w"] = "3"
	if _, err := call(s, Request{Verb: sim.VerbUpdate, Object: newer}); err != nil {
		t.Fatal(err)
	}
	got, err = call(s, stale)
	if cm, _ := got.(*corev1.ConfigMap); err != nil || cm.Data["z"] != "2" || cm.Data["w"] != "3" || cm.Data["y"] != "1" {
		t.Fatalf("a patch prepared on an older version: %v, %v", got, err)
	}

	// A patch that could not be applied gets the apiserver's answer.
	_, err = call(s, patchReq(string(hostilePatch(30)), types.JSONPatchType, got))
	var se *apierrors.StatusError
	if !asStatus(err, &se) || se.ErrStatus.Code != 422 {
		t.Fatalf("a hostile patch prepared: %v", err)
	}
}
