package realcluster

import (
	"errors"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/admission"
	"github.com/kubeplay/kubeplay/engine/bilingual"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestForbiddenHintNamesThePermission(t *testing.T) {
	for _, tc := range []struct {
		msg, en, ko string
	}{
		{`User "learner" cannot list resource "pods" in API group "" in the namespace "default"`,
			"list on pods (API group core) in namespace default: your kubeconfig's user needs a Role",
			"네임스페이스 default에서 pods의 list(API 그룹 core)예요"},
		{`User "learner" cannot create resource "nodes" in API group "" at the cluster scope`,
			"create on nodes (API group core) cluster-wide: your kubeconfig's user needs a ClusterRole granting it, bound to them by an admin; `kubectl auth can-i create nodes` tells",
			"클러스터 전체 nodes의 create(API 그룹 core)예요. 관리자가 이 권한을 주는 ClusterRole을 kubeconfig"},
	} {
		err := explainForbidden(apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "", errors.New(tc.msg)))
		var se *apierrors.StatusError
		if !errors.As(err, &se) || !apierrors.IsForbidden(err) {
			t.Fatalf("the hinted error is no longer the apiserver's 403: %#v", err)
		}
		h, ok := admission.HintFor(err)
		if !ok || !strings.Contains(h.In(bilingual.English), tc.en) || !strings.Contains(h.In(bilingual.Korean), tc.ko) {
			t.Errorf("%s: hint %+v", tc.msg, h)
		}
	}
	other := apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "x", errors.New("a webhook said no"))
	if err := explainForbidden(other); err != error(other) {
		t.Errorf("a 403 that names no permission got a hint: %v", err)
	}
}
