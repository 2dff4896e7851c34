package cluster

//lint:file-ignore SA1019 the apiserver's endpoint reconciler writes the kubernetes Service's v1 Endpoints.

import (
	"github.com/kubeplay/kubeplay/engine/controller"
	"github.com/kubeplay/kubeplay/engine/guest/kubeproxy"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// The kubernetes Service's endpoints: the apiserver, as its endpoint
// reconciler keeps them (apiService is the Service).

// APIServerIP is where the pods find the apiserver behind the kubernetes
// Service: the control plane's address on the nodes' network, whose
// nodes are 172.18.0.2 and on (kubeplay runs the control plane itself, on the
// host, at the network's first address, as kind's control-plane node is
// the first container on its network).
const APIServerIP = "172.18.0.1"

// apiServerPort is the apiserver's secure port, the kubernetes Service's
// targetPort.
const apiServerPort = 6443

// apiEndpoints is the kubernetes Service's Endpoints, as the apiserver's
// endpoint reconciler writes it: its own address and port, labelled so
// that the mirroring controller leaves it (it writes the slice itself).
func apiEndpoints() *corev1.Endpoints {
	return &corev1.Endpoints{
		ObjectMeta: metav1.ObjectMeta{Name: "kubernetes", Namespace: "default", Labels: map[string]string{controller.LabelSkipMirror: "true"}},
		Subsets: []corev1.EndpointSubset{{Addresses: []corev1.EndpointAddress{{IP: APIServerIP}},
			Ports: []corev1.EndpointPort{{Name: "https", Port: apiServerPort, Protocol: corev1.ProtocolTCP}}}},
	}
}

// apiEndpointSlice is the kubernetes Service's EndpointSlice, named as
// the Service, as the endpoint reconciler writes it beside the Endpoints.
func apiEndpointSlice() *discoveryv1.EndpointSlice {
	return &discoveryv1.EndpointSlice{
		ObjectMeta:  metav1.ObjectMeta{Name: "kubernetes", Namespace: "default", Labels: map[string]string{discoveryv1.LabelServiceName: "kubernetes"}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{APIServerIP}, Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true)}}},
		Ports:       []discoveryv1.EndpointPort{{Name: ptr.To("https"), Port: ptr.To[int32](apiServerPort), Protocol: ptr.To(corev1.ProtocolTCP)}},
	}
}

// apiServerAnswer is what the apiserver answers a pod that reaches it on
// the simulated runtime, through the kubernetes Service, without
// credentials: kubeproxy.AnonymousAnswer, which a Docker pod's proxy
// answers too.
func apiServerAnswer(method string, port int, path string) (status int, contentType, body string, ok bool) {
	if port != apiServerPort {
		return 0, "", "", false
	}
	status, contentType, body = kubeproxy.AnonymousAnswer(method, path)
	return status, contentType, body, true
}
