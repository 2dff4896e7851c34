package ingress

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/admission"
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/guest/demoapp"
	"github.com/kubeplay/kubeplay/engine/proxy"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

// slice is an EndpointSlice of Service web with one ready endpoint, pod
// at 127.0.0.1:port.
func slice(pod string, port int) *discoveryv1.EndpointSlice {
	return &discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Name: "web-" + pod, Namespace: "default", Labels: map[string]string{discoveryv1.LabelServiceName: "web"}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{"127.0.0.1"}, TargetRef: &corev1.ObjectReference{Name: pod}}},
		Ports:       []discoveryv1.EndpointPort{{Name: ptr.To(""), Port: ptr.To(int32(port)), Protocol: ptr.To(corev1.ProtocolTCP)}}}
}

// A request from the host that an endpoint refuses goes to the next one,
// as ingress-nginx's proxy_next_upstream sends it (three tries); once
// none takes it the controller answers 502 itself.
func TestHostRequestTriesTheNextEndpoint(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	up := demoapp.ServeLoopback(ctx, "up")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there: refused

	k := sim.NewRealtimeKernel(1, sim.SystemClock{})
	api := apiserver.New(k, store.New(), nil)
	ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	c := New(api, Options{Backend: proxy.NewRealBackend(k), Port: port, Listen: true, Real: true})
	defer c.Close()
	if err := c.ListenError(); err != nil {
		t.Fatal(err)
	}
	class := "kubeplay"
	for _, obj := range []runtime.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}},
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
			Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 80, Protocol: corev1.ProtocolTCP}}}},
		slice("down", down), slice("up", up.Port),
		&appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: Deployment, Namespace: Namespace}, Status: appsv1.DeploymentStatus{AvailableReplicas: 1}},
		&networkingv1.IngressClass{ObjectMeta: metav1.ObjectMeta{Name: class, Annotations: map[string]string{admission.IsDefaultIngressClassAnnotation: "true"}},
			Spec: networkingv1.IngressClassSpec{Controller: ControllerName}},
		&networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"}, Spec: networkingv1.IngressSpec{IngressClassName: &class,
			DefaultBackend: &networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{Name: "web", Port: networkingv1.ServiceBackendPort{Number: 80}}}}},
	} {
		api.Store().Put(apiserver.KeyOf(obj), obj)
	}
	endpoints := func(n int) func() bool {
		return func() bool {
			to, ok := c.snapshot().lookup("shop.example", "/")
			return ok && len(to.endpoints) == n
		}
	}
	if !k.RunUntil(3*time.Second, endpoints(2)) {
		t.Fatal("the controller has not routed web's two endpoints")
	}
	get := func() (int, string) {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d/", port), nil)
		req.Host = "shop.example"
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for i := range 4 {
		if status, body := get(); status != http.StatusOK || !strings.Contains(body, "from pod up") {
			t.Errorf("request %d: HTTP %d %q, want pod up's answer", i+1, status, body)
		}
	}
	api.Store().Delete(apiserver.KeyOf(slice("up", up.Port)))
	if !k.RunUntil(3*time.Second, endpoints(1)) {
		t.Fatal("the controller still routes to pod up")
	}
	if status, body := get(); status != http.StatusBadGateway || !strings.Contains(body, "502 Bad Gateway") {
		t.Errorf("with only a refusing endpoint: HTTP %d %q, want the 502 page", status, body)
	}
}
