package proxy

//lint:file-ignore SA1019 the benchmark writes v1 Endpoints as the endpoints controller does.

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/guest/demoapp"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// BenchmarkNodePortForward measures, in one run, requests to the real demo
// app on loopback sent directly and through a kube-proxy NodePort
// listener, alternating, one new connection each (kube-proxy picks per
// connection): requests/s and p99 of both, and their ratios.
func BenchmarkNodePortForward(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	backend := demoapp.ServeLoopback(ctx, "bench")

	k := sim.NewRealtimeKernel(1, sim.SystemClock{})
	api := apiserver.New(k, store.New(), nil)
	p := New(api, Options{Backend: NewRealBackend(k), Listen: true})
	defer p.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	nodePort := int32(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	create := func(obj runtime.Object) {
		done := false
		api.Submit("bench", apiserver.Request{Verb: sim.VerbCreate, Object: obj, Done: func(_ runtime.Object, err error) {
			if err != nil {
				b.Fatal(err)
			}
			done = true
		}})
		k.RunUntil(time.Second, func() bool { return done })
	}
	create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}})
	// The allocator checks the range; the benchmark's port is whatever
	// the machine had free, so the Service goes straight to the store.
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeNodePort, Ports: []corev1.ServicePort{{Port: 80, NodePort: nodePort, Protocol: corev1.ProtocolTCP}}}}
	api.Store().Put(apiserver.KeyOf(svc), svc)
	create(&corev1.Endpoints{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Subsets: []corev1.EndpointSubset{{Addresses: []corev1.EndpointAddress{{IP: "127.0.0.1", TargetRef: &corev1.ObjectReference{Name: "bench"}}},
			Ports: []corev1.EndpointPort{{Port: int32(backend.Port), Protocol: corev1.ProtocolTCP}}}}})
	k.RunUntil(3*time.Second, func() bool {
		_, err := p.pickNode(nodePort)
		return len(p.Listening()) == 1 && err == nil
	})
	if len(p.Listening()) != 1 {
		b.Fatal("kube-proxy did not listen")
	}

	direct := fmt.Sprintf("http://127.0.0.1:%d/", backend.Port)
	viaProxy := fmt.Sprintf("http://127.0.0.1:%d/", nodePort)
	// A new connection per request is the proxy's worst case (it dials the
	// endpoint for each); a client that keeps its connection (browsers,
	// load generators) pays only the copies.
	for _, keepAlive := range []bool{false, true} {
		name := "new-conn"
		if keepAlive {
			name = "keep-alive"
		}
		b.Run(name, func(b *testing.B) {
			tr := func() *http.Transport { return &http.Transport{Proxy: nil, DisableKeepAlives: !keepAlive} }
			toPod := &http.Client{Timeout: 5 * time.Second, Transport: tr()}
			toProxy := &http.Client{Timeout: 5 * time.Second, Transport: tr()}
			get := func(client *http.Client, url string) time.Duration {
				start := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return time.Since(start)
			}
			var dLat, pLat []time.Duration
			var dSum, pSum time.Duration
			b.ResetTimer()
			for range b.N {
				d, q := get(toPod, direct), get(toProxy, viaProxy)
				dLat, pLat = append(dLat, d), append(pLat, q)
				dSum, pSum = dSum+d, pSum+q
			}
			b.StopTimer()
			sort.Slice(dLat, func(i, j int) bool { return dLat[i] < dLat[j] })
			sort.Slice(pLat, func(i, j int) bool { return pLat[i] < pLat[j] })
			dp99, pp99 := Quantile(dLat, 0.99), Quantile(pLat, 0.99)
			b.ReportMetric(float64(b.N)/dSum.Seconds(), "direct-req/s")
			b.ReportMetric(float64(b.N)/pSum.Seconds(), "proxy-req/s")
			b.ReportMetric(float64(pSum)/float64(dSum), "req/s-ratio")
			b.ReportMetric(float64(dp99.Microseconds()), "direct-p99-µs")
			b.ReportMetric(float64(pp99.Microseconds()), "proxy-p99-µs")
			b.ReportMetric(float64(pp99)/float64(dp99), "p99-ratio")
		})
	}
}
