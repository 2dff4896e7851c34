package controller

//lint:file-ignore SA1019 v1 Endpoints is what the controller writes.

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func epPod(name, ip string, ready, terminating bool, phase corev1.PodPhase) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Labels: map[string]string{"app": "web"}},
		Spec: corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: "web",
			Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: corev1.ProtocolTCP}}}}},
		Status: corev1.PodStatus{Phase: phase, PodIP: ip},
	}
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: status}}
	if terminating {
		now := metav1.Now()
		p.DeletionTimestamp = &now
	}
	return p
}

func TestEndpointSubsets(t *testing.T) {
	running := corev1.PodRunning
	svc := func(target intstr.IntOrString) *corev1.Service {
		return &corev1.Service{Spec: corev1.ServiceSpec{Selector: map[string]string{"app": "web"},
			Ports: []corev1.ServicePort{{Port: 80, TargetPort: target, Protocol: corev1.ProtocolTCP}}}}
	}
	tests := []struct {
		name            string
		svc             *corev1.Service
		pods            []*corev1.Pod
		ready, notReady []string // IPs, in order
		port            int32
	}{
		{"ready pods are addresses, sorted by IP", svc(intstr.FromInt32(8080)),
			[]*corev1.Pod{epPod("b", "10.244.1.3", true, false, running), epPod("a", "10.244.1.2", true, false, running)},
			[]string{"10.244.1.2", "10.244.1.3"}, nil, 8080},
		{"not ready pods are notReadyAddresses", svc(intstr.FromInt32(8080)),
			[]*corev1.Pod{epPod("a", "10.244.1.2", true, false, running), epPod("b", "10.244.1.3", false, false, running)},
			[]string{"10.244.1.2"}, []string{"10.244.1.3"}, 8080},
		{"a terminating pod leaves at once, even ready", svc(intstr.FromInt32(8080)),
			[]*corev1.Pod{epPod("a", "10.244.1.2", true, true, running), epPod("b", "10.244.1.3", true, false, running)},
			[]string{"10.244.1.3"}, nil, 8080},
		{"pods without IP and finished pods are left out", svc(intstr.FromInt32(8080)),
			[]*corev1.Pod{epPod("a", "", false, false, corev1.PodPending), epPod("b", "10.244.1.3", false, false, corev1.PodSucceeded)},
			nil, nil, 0},
		{"a named target port resolves through the container's ports", svc(intstr.FromString("http")),
			[]*corev1.Pod{epPod("a", "10.244.1.2", true, false, running)},
			[]string{"10.244.1.2"}, nil, 8080},
		{"an unknown named port selects nothing", svc(intstr.FromString("grpc")),
			[]*corev1.Pod{epPod("a", "10.244.1.2", true, false, running)},
			nil, nil, 0},
	}
	ips := func(a []corev1.EndpointAddress) []string {
		var out []string
		for _, x := range a {
			out = append(out, x.IP)
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subsets, ready, notReady := endpointSubsets(tt.svc, tt.pods)
			if ready != len(tt.ready) || notReady != len(tt.notReady) {
				t.Errorf("counted %d ready, %d not ready; want %d, %d", ready, notReady, len(tt.ready), len(tt.notReady))
			}
			if len(tt.ready)+len(tt.notReady) == 0 {
				if len(subsets) != 0 {
					t.Errorf("subsets %v, want none", subsets)
				}
				return
			}
			if len(subsets) != 1 {
				t.Fatalf("%d subsets, want 1", len(subsets))
			}
			s := subsets[0]
			if got := ips(s.Addresses); !equal(got, tt.ready) {
				t.Errorf("addresses %v, want %v", got, tt.ready)
			}
			if got := ips(s.NotReadyAddresses); !equal(got, tt.notReady) {
				t.Errorf("notReadyAddresses %v, want %v", got, tt.notReady)
			}
			if s.Ports[0].Port != tt.port {
				t.Errorf("port %d, want %d", s.Ports[0].Port, tt.port)
			}
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A pod with a hostname whose subdomain is the Service is named by it
// under the Service; another Service's pod, or one of another subdomain,
// is not.
func TestEndpointHostname(t *testing.T) {
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "default"}, Spec: corev1.ServiceSpec{ClusterIP: corev1.ClusterIPNone,
		Selector: map[string]string{"app": "web"}, Ports: []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(8080), Protocol: corev1.ProtocolTCP}}}}
	named := epPod("db-0", "10.244.1.2", true, false, corev1.PodRunning)
	named.Spec.Hostname, named.Spec.Subdomain = "db-0", "db"
	other := epPod("x", "10.244.1.3", true, false, corev1.PodRunning)
	other.Spec.Hostname, other.Spec.Subdomain = "x", "elsewhere"
	subsets, _, _ := endpointSubsets(svc, []*corev1.Pod{named, other})
	if len(subsets) != 1 || len(subsets[0].Addresses) != 2 {
		t.Fatalf("subsets = %+v, want one with two addresses", subsets)
	}
	if h := subsets[0].Addresses[0].Hostname; h != "db-0" {
		t.Errorf("hostname of the pod of subdomain db = %q, want db-0", h)
	}
	if h := subsets[0].Addresses[1].Hostname; h != "" {
		t.Errorf("hostname of the pod of another subdomain = %q, want none", h)
	}
}
