package admission

import (
	"strings"
	"testing"
	"time"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

func ingressClass(name string, isDefault bool, created time.Time) *networkingv1.IngressClass {
	ic := &networkingv1.IngressClass{ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: metav1.NewTime(created)},
		Spec: networkingv1.IngressClassSpec{Controller: "kubeplay.io/ingress"}}
	if isDefault {
		ic.Annotations = map[string]string{IsDefaultIngressClassAnnotation: "true"}
	}
	return ic
}

// The DefaultIngressClass plugin names the newest default class on an
// Ingress that names none, by field or by the old annotation.
func TestAdmitCreateDefaultIngressClass(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	classes := []runtime.Object{ingressClass("kubeplay", true, t0), ingressClass("other", false, t0.Add(time.Hour)), ingressClass("newer", true, t0.Add(time.Minute))}
	for _, tc := range []struct {
		name    string
		ing     *networkingv1.Ingress
		classes []runtime.Object
		want    string
	}{
		{"unset gets the newest default", &networkingv1.Ingress{}, classes, `"newer"`},
		{"named class kept", &networkingv1.Ingress{Spec: networkingv1.IngressSpec{IngressClassName: ptr("other")}}, classes, `"other"`},
		{"annotation kept", &networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{IngressClassAnnotation: "nginx"}}}, classes, "<nil>"},
		{"no default: stays unset", &networkingv1.Ingress{}, classes[1:2], "<nil>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			AdmitCreate(tc.ing, func(string) []runtime.Object { return tc.classes })
			if got := deref(tc.ing.Spec.IngressClassName); got != tc.want {
				t.Errorf("ingressClassName = %v, want %v", got, tc.want)
			}
		})
	}
}

// An IngressClass's controller is required, a domain-prefixed path, and
// immutable, as upstream's ValidateIngressClass says.
func TestValidateIngressClass(t *testing.T) {
	ok := ingressClass("kubeplay", false, time.Time{})
	for _, tc := range []struct {
		name       string
		controller string
		old        runtime.Object
		want       string
	}{
		{"valid", "kubeplay.io/ingress", nil, ""},
		{"required", "", nil, "spec.controller: Required value"},
		{"not a path", "nginx", nil, "spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")"},
		{"immutable", "k8s.io/ingress-nginx", ok, "spec.controller: Invalid value: \"k8s.io/ingress-nginx\": field is immutable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ic := ingressClass("kubeplay", false, time.Time{})
			ic.Spec.Controller = tc.controller
			Default(ic)
			err := Validate(ic, tc.old)
			got := ""
			if err != nil {
				got = KubectlMessage(err)
			}
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want it to say %q", got, tc.want)
			}
		})
	}
}
