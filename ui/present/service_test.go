package present

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Each Service shows its type, cluster IP and ports, and its
// EndpointSlices' addresses with their pods, ready first; the cluster's
// own Services (the add-ons', default/kubernetes) are left out.
func TestServiceRows(t *testing.T) {
	yes, no := true, false
	svc := func(ns, name, ip string, labels map[string]string, ports ...corev1.ServicePort) *corev1.Service {
		return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels},
			Spec: corev1.ServiceSpec{ClusterIP: ip, Ports: ports, Selector: map[string]string{"app": name}}}
	}
	nodePort := svc("default", "web", "10.96.4.7", nil, corev1.ServicePort{Port: 80, NodePort: 30080, TargetPort: intstr.FromInt32(8080), Protocol: corev1.ProtocolTCP})
	nodePort.Spec.Type = corev1.ServiceTypeNodePort
	headless := svc("default", "db", "None", nil, corev1.ServicePort{Port: 5432, TargetPort: intstr.FromString("pg"), Protocol: corev1.ProtocolTCP})
	byHand := svc("shop", "legacy", "10.96.9.9", nil, corev1.ServicePort{Port: 53, Protocol: corev1.ProtocolUDP})
	byHand.Spec.Selector = nil
	external := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "search"},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: "example.com"}}
	svcs := []*corev1.Service{nodePort, headless, byHand, external,
		svc("default", "kubernetes", "10.96.0.1", nil, corev1.ServicePort{Port: 443}),
		svc("kube-system", "kube-dns", "10.96.0.10", map[string]string{"k8s-app": "kube-dns"}, corev1.ServicePort{Port: 53})}
	pod := func(name string) *corev1.ObjectReference { return &corev1.ObjectReference{Kind: "Pod", Name: name} }
	slice := func(ns, svc string, eps ...discoveryv1.Endpoint) *discoveryv1.EndpointSlice {
		return &discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: svc + "-x7k2p",
			Labels: map[string]string{discoveryv1.LabelServiceName: svc}}, AddressType: discoveryv1.AddressTypeIPv4, Endpoints: eps}
	}
	slices := []*discoveryv1.EndpointSlice{
		slice("default", "web",
			discoveryv1.Endpoint{Addresses: []string{"10.244.1.10"}, Conditions: discoveryv1.EndpointConditions{Ready: &no}, TargetRef: pod("web-b")},
			discoveryv1.Endpoint{Addresses: []string{"10.244.1.9"}, Conditions: discoveryv1.EndpointConditions{Ready: &yes}, TargetRef: pod("web-c")},
			discoveryv1.Endpoint{Addresses: []string{"10.244.2.3"}, TargetRef: pod("web-a")}, // nil: ready
			discoveryv1.Endpoint{Addresses: []string{"10.244.3.3"}, Conditions: discoveryv1.EndpointConditions{Ready: &no, Terminating: &yes}, TargetRef: pod("web-d")}),
		// A second slice repeating an address (a slice being replaced).
		slice("default", "web", discoveryv1.Endpoint{Addresses: []string{"10.244.2.3"}, TargetRef: pod("web-a")}),
		slice("shop", "legacy", discoveryv1.Endpoint{Addresses: []string{"192.168.1.5"}}),
		slice("default", "kubernetes", discoveryv1.Endpoint{Addresses: []string{"192.168.49.2"}}),
	}
	got := ServiceRows(svcs, slices)
	want := []ServiceRow{
		{Namespace: "default", Name: "db", Type: "ClusterIP", ClusterIP: "None", Ports: []string{"5432→pg/TCP"}, Selector: true},
		{Namespace: "default", Name: "search", Type: "ExternalName", ExternalName: "example.com"},
		{Namespace: "default", Name: "web", Type: "NodePort", ClusterIP: "10.96.4.7", Ports: []string{"80:30080→8080/TCP"}, Selector: true,
			Endpoints: []EndpointCell{{IP: "10.244.2.3", Pod: "web-a", State: Ready}, {IP: "10.244.1.9", Pod: "web-c", State: Ready},
				{IP: "10.244.1.10", Pod: "web-b", State: NotReady}, {IP: "10.244.3.3", Pod: "web-d", State: Terminating}}},
		{Namespace: "shop", Name: "legacy", Type: "ClusterIP", ClusterIP: "10.96.9.9", Ports: []string{"53→53/UDP"},
			Endpoints: []EndpointCell{{IP: "192.168.1.5", State: Ready}}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if !got[0].Headless() || got[2].Headless() || got[2].Ready() != 2 {
		t.Errorf("db headless %v, web headless %v, web ready %d", got[0].Headless(), got[2].Headless(), got[2].Ready())
	}
}

// A Service with more endpoints than the board draws counts the rest.
func TestServiceRowsCountTheRest(t *testing.T) {
	var eps []discoveryv1.Endpoint
	for i := 0; i < 12; i++ {
		eps = append(eps, discoveryv1.Endpoint{Addresses: []string{fmt.Sprintf("10.244.1.%d", i+2)}})
	}
	s := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "web"}}
	sl := &discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Labels: map[string]string{discoveryv1.LabelServiceName: "web"}}, Endpoints: eps}
	r := ServiceRows([]*corev1.Service{s}, []*discoveryv1.EndpointSlice{sl})[0]
	if len(r.Endpoints) != maxEndpoints || r.More != 12-maxEndpoints {
		t.Errorf("%d endpoints drawn, %d more; want %d and %d", len(r.Endpoints), r.More, maxEndpoints, 12-maxEndpoints)
	}
}
