package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	appsv1 "k8s.io/api/apps/v1"
	authzv1 "k8s.io/api/authorization/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// status serves NAME/status: reads as the object; writes as the
// apiserver's update-status, which changes nothing but the status.
func (s *Server) status(w http.ResponseWriter, r *http.Request, t target) {
	switch r.Method {
	case http.MethodGet:
		s.get(w, r, t)
	case http.MethodPut:
		obj, err := s.decodeBody(r, t)
		if err != nil {
			s.writeError(w, err)
			return
		}
		s.write(w, r, t, http.StatusOK, apiserver.Request{Verb: sim.VerbUpdateStatus, Object: obj})
	default:
		s.writeError(w, apierrors.NewMethodNotSupported(groupResource(t.group, t.resource+"/status"), r.Method))
	}
}

// scale serves NAME/scale (autoscaling/v1 Scale) for the workloads that
// have replicas: what `kubectl scale` reads and patches.
func (s *Server) scale(w http.ResponseWriter, r *http.Request, t target) {
	switch t.resource {
	case "deployments", "replicasets", "statefulsets":
	default:
		s.writeError(w, apierrors.NewNotFound(groupResource(t.group, t.resource+"/scale"), t.name))
		return
	}
	got, err := s.fetch(r, t)
	if err != nil {
		s.writeError(w, err)
		return
	}
	current, err := scaleOf(got.objs[0])
	if err != nil {
		s.writeError(w, err)
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, current)
		return
	case http.MethodPut, http.MethodPatch:
	default:
		s.writeError(w, apierrors.NewMethodNotSupported(groupResource("autoscaling", "scale"), r.Method))
		return
	}
	body, err := readBody(r)
	if err != nil {
		s.writeError(w, err)
		return
	}
	want, err := patchedScale(current, r, body)
	if err != nil {
		s.writeError(w, err)
		return
	}
	if want.ResourceVersion != "" && want.ResourceVersion != current.ResourceVersion {
		s.writeError(w, apierrors.NewConflict(groupResource("autoscaling", "scale"), t.name,
			fmt.Errorf("the object has been modified; please apply your changes to the latest version and try again")))
		return
	}
	patch := fmt.Appendf(nil, `{"spec":{"replicas":%d}}`, want.Spec.Replicas)
	obj, err := s.call(r, apiserver.Request{Verb: sim.VerbPatch, Resource: t.res, Namespace: t.namespace, Name: t.name,
		Patch: patch, PatchType: types.MergePatchType}, nil)
	if err != nil {
		s.writeError(w, err)
		return
	}
	out, err := scaleOf(obj)
	if err != nil {
		s.writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// patchedScale is the Scale a PUT sends or a PATCH makes of current.
func patchedScale(current *autoscalingv1.Scale, r *http.Request, body []byte) (*autoscalingv1.Scale, error) {
	if r.Method == http.MethodPut {
		var want autoscalingv1.Scale
		if err := json.Unmarshal(body, &want); err != nil {
			return nil, apierrors.NewBadRequest("error decoding Scale: " + err.Error())
		}
		return &want, nil
	}
	pt, ok := patchTypes[mediaType(r)]
	if !ok || pt == types.ApplyYAMLPatchType {
		return nil, unsupportedMediaType(patchMediaTypes)
	}
	patched, err := apiserver.ApplyPatch(current, pt, body)
	if err != nil {
		return nil, err
	}
	want := patched.(*autoscalingv1.Scale)
	want.ResourceVersion = "" // a patch applies to the current version
	return want, nil
}

// scaleOf is a workload's Scale subresource.
func scaleOf(obj runtime.Object) (*autoscalingv1.Scale, error) {
	var m metav1.ObjectMeta
	var spec, status int32
	var sel *metav1.LabelSelector
	switch o := obj.(type) {
	case *appsv1.Deployment:
		m, spec, status, sel = o.ObjectMeta, deref(o.Spec.Replicas), o.Status.Replicas, o.Spec.Selector
	case *appsv1.ReplicaSet:
		m, spec, status, sel = o.ObjectMeta, deref(o.Spec.Replicas), o.Status.Replicas, o.Spec.Selector
	case *appsv1.StatefulSet:
		m, spec, status, sel = o.ObjectMeta, deref(o.Spec.Replicas), o.Status.Replicas, o.Spec.Selector
	default:
		return nil, apierrors.NewBadRequest(fmt.Sprintf("%T has no scale subresource", obj))
	}
	selector := ""
	if sel != nil {
		if ls, err := metav1.LabelSelectorAsSelector(sel); err == nil {
			selector = ls.String()
		}
	}
	return &autoscalingv1.Scale{
		TypeMeta: metav1.TypeMeta{Kind: "Scale", APIVersion: "autoscaling/v1"},
		ObjectMeta: metav1.ObjectMeta{Name: m.Name, Namespace: m.Namespace, UID: m.UID,
			ResourceVersion: m.ResourceVersion, CreationTimestamp: m.CreationTimestamp},
		Spec:   autoscalingv1.ScaleSpec{Replicas: spec},
		Status: autoscalingv1.ScaleStatus{Replicas: status, Selector: selector},
	}, nil
}

func deref(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}

// accessReview answers every SelfSubjectAccessReview (kubectl auth
// can-i, k9s) with "allowed": the playground has one user, who may do
// anything.
func (s *Server) accessReview(w http.ResponseWriter, r *http.Request, t target) {
	if r.Method != http.MethodPost {
		s.writeError(w, apierrors.NewMethodNotSupported(groupResource(t.group, t.resource), r.Method))
		return
	}
	body, err := readBody(r)
	if err != nil {
		s.writeError(w, err)
		return
	}
	switch t.resource {
	case "selfsubjectaccessreviews":
		var review authzv1.SelfSubjectAccessReview
		if err := decodeAny(r, body, &review); err != nil {
			s.writeError(w, err)
			return
		}
		review.APIVersion, review.Kind = "authorization.k8s.io/v1", "SelfSubjectAccessReview"
		review.Status = authzv1.SubjectAccessReviewStatus{Allowed: true, Reason: "kubeplay: the playground's only user may do anything"}
		writeJSON(w, http.StatusCreated, &review)
	case "selfsubjectrulesreviews":
		var review authzv1.SelfSubjectRulesReview
		if err := decodeAny(r, body, &review); err != nil {
			s.writeError(w, err)
			return
		}
		review.APIVersion, review.Kind = "authorization.k8s.io/v1", "SelfSubjectRulesReview"
		review.Status = authzv1.SubjectRulesReviewStatus{
			ResourceRules:    []authzv1.ResourceRule{{Verbs: []string{"*"}, APIGroups: []string{"*"}, Resources: []string{"*"}}},
			NonResourceRules: []authzv1.NonResourceRule{{Verbs: []string{"*"}, NonResourceURLs: []string{"*"}}},
		}
		writeJSON(w, http.StatusCreated, &review)
	default:
		s.writeError(w, apierrors.NewNotFound(groupResource(t.group, t.resource), ""))
	}
}

// decodeAny decodes a JSON or protobuf body (kubectl auth can-i sends
// protobuf) into obj.
func decodeAny(r *http.Request, body []byte, obj runtime.Object) error {
	if mediaType(r) == runtime.ContentTypeProtobuf {
		if _, _, err := codecs.UniversalDeserializer().Decode(body, nil, obj); err != nil {
			return apierrors.NewBadRequest(err.Error())
		}
		return nil
	}
	if err := json.Unmarshal(body, obj); err != nil {
		return apierrors.NewBadRequest(err.Error())
	}
	return nil
}
