package ingress

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
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

func freePort(b *testing.B) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// BenchmarkIngressVsNodePort measures, in one run, GETs to the real demo
// app on loopback (as a Docker pod is reached) through a kube-proxy
// NodePort listener and through the ingress controller's listener,
// alternating: requests/s of both and their ratio (goal ≥ 0.6), p99s.
func BenchmarkIngressVsNodePort(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pod := demoapp.ServeLoopback(ctx, "bench")

	k := sim.NewRealtimeKernel(1, sim.SystemClock{})
	api := apiserver.New(k, store.New(), nil)
	backend := proxy.NewRealBackend(k)
	p := proxy.New(api, proxy.Options{Backend: backend, Listen: true})
	defer p.Close()
	nodePort, ingressPort := int32(freePort(b)), freePort(b)
	c := New(api, Options{Backend: backend, Port: ingressPort, Listen: true, Real: true})
	defer c.Close()
	if err := c.ListenError(); err != nil {
		b.Fatal(err)
	}
	// Straight to the store: the allocator would refuse the machine's
	// free port as a node port, and nothing runs the Deployment.
	class := "kubeplay"
	prefix := networkingv1.PathTypePrefix
	for _, obj := range []runtime.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}},
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
			Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeNodePort, Ports: []corev1.ServicePort{{Port: 80, NodePort: nodePort, Protocol: corev1.ProtocolTCP}}}},
		&discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Name: "web-bench", Namespace: "default", Labels: map[string]string{discoveryv1.LabelServiceName: "web"}},
			AddressType: discoveryv1.AddressTypeIPv4,
			Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{"127.0.0.1"}, TargetRef: &corev1.ObjectReference{Name: "bench"}}},
			Ports:       []discoveryv1.EndpointPort{{Name: ptr.To(""), Port: ptr.To(int32(pod.Port)), Protocol: ptr.To(corev1.ProtocolTCP)}}},
		&appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: Deployment, Namespace: Namespace}, Status: appsv1.DeploymentStatus{AvailableReplicas: 1}},
		&networkingv1.IngressClass{ObjectMeta: metav1.ObjectMeta{Name: class, Annotations: map[string]string{admission.IsDefaultIngressClassAnnotation: "true"}},
			Spec: networkingv1.IngressClassSpec{Controller: ControllerName}},
		&networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"}, Spec: networkingv1.IngressSpec{IngressClassName: &class,
			Rules: []networkingv1.IngressRule{{Host: "shop.example", IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{
				Paths: []networkingv1.HTTPIngressPath{{Path: "/", PathType: &prefix, Backend: networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{
					Name: "web", Port: networkingv1.ServiceBackendPort{Number: 80}}}}}}}}}}},
	} {
		api.Store().Put(apiserver.KeyOf(obj), obj)
	}
	k.RunUntil(3*time.Second, func() bool {
		t := c.snapshot()
		to, ok := t.lookup("shop.example", "/")
		return len(p.Listening()) == 1 && t.up && ok && len(to.endpoints) == 1
	})
	if len(p.Listening()) != 1 || !c.snapshot().up {
		b.Fatal("kube-proxy or the ingress controller is not ready")
	}
	viaNodePort := fmt.Sprintf("http://127.0.0.1:%d/", nodePort)
	viaIngress := fmt.Sprintf("http://127.0.0.1:%d/", ingressPort)
	for _, keepAlive := range []bool{false, true} {
		name := "new-conn"
		if keepAlive {
			name = "keep-alive"
		}
		b.Run(name, func(b *testing.B) {
			tr := func() *http.Transport { return &http.Transport{Proxy: nil, DisableKeepAlives: !keepAlive} }
			toNode := &http.Client{Timeout: 5 * time.Second, Transport: tr()}
			toIngress := &http.Client{Timeout: 5 * time.Second, Transport: tr()}
			get := func(client *http.Client, url, host string) time.Duration {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				req.Host = host
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("GET %s (Host %s): HTTP %d", url, host, resp.StatusCode)
				}
				return time.Since(start)
			}
			var nLat, iLat []time.Duration
			var nSum, iSum time.Duration
			b.ResetTimer()
			for range b.N {
				n, i := get(toNode, viaNodePort, "web"), get(toIngress, viaIngress, "shop.example")
				nLat, iLat = append(nLat, n), append(iLat, i)
				nSum, iSum = nSum+n, iSum+i
			}
			b.StopTimer()
			sort.Slice(nLat, func(i, j int) bool { return nLat[i] < nLat[j] })
			sort.Slice(iLat, func(i, j int) bool { return iLat[i] < iLat[j] })
			b.ReportMetric(float64(b.N)/nSum.Seconds(), "nodeport-req/s")
			b.ReportMetric(float64(b.N)/iSum.Seconds(), "ingress-req/s")
			b.ReportMetric(float64(nSum)/float64(iSum), "req/s-ratio")
			b.ReportMetric(float64(proxy.Quantile(nLat, 0.99).Microseconds()), "nodeport-p99-µs")
			b.ReportMetric(float64(proxy.Quantile(iLat, 0.99).Microseconds()), "ingress-p99-µs")
		})
	}
}
