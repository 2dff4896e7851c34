package ingress

import (
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/proxy"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func paths(ps ...networkingv1.HTTPIngressPath) *networkingv1.HTTPIngressRuleValue {
	return &networkingv1.HTTPIngressRuleValue{Paths: ps}
}

func to(path string, kind networkingv1.PathType, svc string) networkingv1.HTTPIngressPath {
	return networkingv1.HTTPIngressPath{Path: path, PathType: &kind,
		Backend: networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{Name: svc, Port: networkingv1.ServiceBackendPort{Number: 80}}}}
}

func ing(name string, age int, def string, rules ...networkingv1.IngressRule) *networkingv1.Ingress {
	i := &networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default",
		CreationTimestamp: metav1.NewTime(time.Date(2026, 1, 1, 0, 0, age, 0, time.UTC))}, Spec: networkingv1.IngressSpec{Rules: rules}}
	if def != "" {
		i.Spec.DefaultBackend = &networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{Name: def, Port: networkingv1.ServiceBackendPort{Number: 80}}}
	}
	return i
}

// The table routes as ingress-nginx's servers and locations do.
func TestTableRoutesAsIngressNginx(t *testing.T) {
	exact, prefix, impl := networkingv1.PathTypeExact, networkingv1.PathTypePrefix, networkingv1.PathTypeImplementationSpecific
	ings := []*networkingv1.Ingress{
		ing("shop", 1, "home",
			networkingv1.IngressRule{Host: "shop.example", IngressRuleValue: networkingv1.IngressRuleValue{HTTP: paths(
				to("/", prefix, "web"), to("/cart", prefix, "cart"), to("/cart/checkout", exact, "pay"), to("/img", impl, "img"))}}),
		ing("wild", 2, "", networkingv1.IngressRule{Host: "*.apps.example", IngressRuleValue: networkingv1.IngressRuleValue{HTTP: paths(to("/", prefix, "apps"))}}),
		ing("later", 3, "", networkingv1.IngressRule{Host: "shop.example", IngressRuleValue: networkingv1.IngressRuleValue{HTTP: paths(to("/cart", prefix, "stolen"))}}),
		ing("nohost", 4, "", networkingv1.IngressRule{IngressRuleValue: networkingv1.IngressRuleValue{HTTP: paths(to("/status", exact, "status"))}}),
		ing("catch-all", 5, "fallback"),
		ing("api", 6, "", networkingv1.IngressRule{Host: "api.example", IngressRuleValue: networkingv1.IngressRuleValue{HTTP: paths(to("/v1", prefix, "api"))}}),
	}
	svc := func(ns, name string) *corev1.Service {
		if name == "missing" {
			return nil
		}
		return &corev1.Service{Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 80}}}}
	}
	tab := build(ings, svc, func(_, _, _ string) []proxy.Endpoint { return nil })
	for _, tc := range []struct{ host, path, want string }{
		{"shop.example", "/cart", "cart"},
		{"SHOP.example:8080", "/cart/", "cart"},
		{"shop.example", "/cart/checkout", "pay"},
		{"shop.example", "/cart/checkout/x", "cart"},
		{"shop.example", "/cartoon", "web"},
		{"shop.example", "/imgs/a.png", "img"},
		{"x.apps.example", "/", "apps"},
		{"a.x.apps.example", "/", "fallback"},
		{"other.example", "/status", "status"},
		{"other.example", "/", "fallback"},
		{"api.example", "/v1/users", "api"},
		{"api.example", "/v2", ""},
	} {
		got, ok := tab.lookup(tc.host, tc.path)
		if !ok {
			got.service = ""
		}
		if got.service != tc.want {
			t.Errorf("%s%s → %q, want %q", tc.host, tc.path, got.service, tc.want)
		}
	}
}
