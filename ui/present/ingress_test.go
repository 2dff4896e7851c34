package present

//lint:file-ignore SA1019 the test writes v1 Endpoints as the endpoints controller does.

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Each Ingress's routes show with their Service's ready endpoints; an
// Ingress whose class does not exist says no controller serves it.
func TestIngressRows(t *testing.T) {
	prefix, exact := networkingv1.PathTypePrefix, networkingv1.PathTypeExact
	kubeplay, nginx := "kubeplay", "nginx"
	backend := func(svc string) networkingv1.IngressBackend {
		return networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{Name: svc, Port: networkingv1.ServiceBackendPort{Number: 80}}}
	}
	def := backend("web")
	ings := []*networkingv1.Ingress{
		{ObjectMeta: metav1.ObjectMeta{Name: "shop", Namespace: "default"},
			Spec: networkingv1.IngressSpec{IngressClassName: &kubeplay, DefaultBackend: &def, Rules: []networkingv1.IngressRule{{Host: "shop.example",
				IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{Paths: []networkingv1.HTTPIngressPath{
					{Path: "/cart", PathType: &prefix, Backend: backend("cart")}, {Path: "/pay", PathType: &exact, Backend: backend("pay")}}}}}}},
			Status: networkingv1.IngressStatus{LoadBalancer: networkingv1.IngressLoadBalancerStatus{Ingress: []networkingv1.IngressLoadBalancerIngress{
				{IP: "127.0.0.1", Ports: []networkingv1.IngressPortStatus{{Port: 8080}}}}}}},
		{ObjectMeta: metav1.ObjectMeta{Name: "else", Namespace: "default"}, Spec: networkingv1.IngressSpec{IngressClassName: &nginx, DefaultBackend: &def}},
	}
	classes := []*networkingv1.IngressClass{{ObjectMeta: metav1.ObjectMeta{Name: "kubeplay"}}}
	svcs := []*corev1.Service{{ObjectMeta: metav1.ObjectMeta{Name: "cart", Namespace: "default"}}, {ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"}}}
	eps := []*corev1.Endpoints{{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Subsets: []corev1.EndpointSubset{{Addresses: []corev1.EndpointAddress{{IP: "10.244.1.2"}, {IP: "10.244.2.2"}}}}}}
	want := []IngressRow{
		{Name: "else", Class: "nginx", Routes: []RouteRow{{Default: true, Backend: "web:80", Ready: 2}}},
		{Name: "shop", Class: "kubeplay", Address: "127.0.0.1:8080", Served: true, Routes: []RouteRow{
			{Host: "shop.example", Path: "/cart", Prefix: true, Backend: "cart:80"},
			{Host: "shop.example", Path: "/pay", Backend: "pay:80", Missing: true},
			{Default: true, Backend: "web:80", Ready: 2},
		}},
	}
	if diff := cmp.Diff(want, IngressRows(ings, classes, svcs, eps)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
