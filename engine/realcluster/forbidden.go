package realcluster

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/kubeplay/kubeplay/engine/korean"
	"github.com/kubeplay/kubeplay/engine/manifest"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// forbidden is a 403 of the real apiserver, printed as kubectl prints it,
// with kubeplay's hint below naming the permission the learner lacks.
type forbidden struct {
	*apierrors.StatusError
	hint manifest.Hint
}

func (f forbidden) Unwrap() error { return f.StatusError }

// LearnerHint is what admission.HintFor (kubectl's error printer) shows.
func (f forbidden) LearnerHint() manifest.Hint { return f.hint }

// rbacDenied reads the RBAC authorizer's words: `User "learner" cannot
// list resource "pods" in API group "" in the namespace "default"` (or
// "at the cluster scope").
var rbacDenied = regexp.MustCompile(`cannot (\S+) resource "([^"]*)" in API group "([^"]*)"(?: in the namespace "([^"]*)"| at the cluster scope)`)

// explainForbidden gives a 403 its hint, when the message says which
// permission was missing.
func explainForbidden(err error) error {
	var se *apierrors.StatusError
	if !errors.As(err, &se) || !apierrors.IsForbidden(err) {
		return err
	}
	m := rbacDenied.FindStringSubmatch(se.ErrStatus.Message)
	if m == nil {
		return err
	}
	verb, resource, group, ns := m[1], m[2], m[3], m[4]
	groupName := group
	if groupName == "" {
		groupName = "core"
	}
	can := fmt.Sprintf("kubectl auth can-i %s %s", verb, resource)
	where, whereKO, role := "cluster-wide", "클러스터 전체", "ClusterRole"
	if ns != "" {
		can += " -n " + ns
		where, whereKO, role = "in namespace "+ns, "네임스페이스 "+ns+"에서", "Role"
	}
	return forbidden{se, manifest.Hint{
		EN: fmt.Sprintf("the permission missing is %s on %s (API group %s) %s: your kubeconfig's user needs a %s granting it, bound to them by an admin; `%s` tells whether you have it.", verb, resource, groupName, where, role, can),
		KO: fmt.Sprintf("없는 권한은 %s %s의 %s(API 그룹 %s)예요. 관리자가 이 권한을 주는 %s kubeconfig 사용자에게 바인딩해야 해요. 권한이 있는지는 `%s`로 확인해요.", whereKO, resource, verb, groupName, korean.With(role, "를"), can),
	}}
}
