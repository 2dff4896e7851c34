package cluster

import (
	"maps"

	"github.com/kubeplay/kubeplay/engine/dns"
	"github.com/kubeplay/kubeplay/engine/runtime/simrt"

	wire "github.com/miekg/dns"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

//lint:file-ignore SA1019 v1 Endpoints is what the endpoints controller writes here.

// The cluster DNS add-on, as kubeadm installs it: the kube-dns Service at
// 10.96.0.10 in kube-system, labelled k8s-app=kube-dns. The answers come
// from package dns.

var dnsLabels = map[string]string{"k8s-app": "kube-dns"}

// kubeDNSService is the cluster DNS's Service, the nameserver of every
// pod with dnsPolicy ClusterFirst.
func kubeDNSService() *corev1.Service {
	single := corev1.IPFamilyPolicySingleStack
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "kube-dns", Namespace: "kube-system",
			Labels:      map[string]string{"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
			Annotations: map[string]string{"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}},
		Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeClusterIP, ClusterIP: dns.ServiceIP, ClusterIPs: []string{dns.ServiceIP},
			IPFamilyPolicy: &single, IPFamilies: []corev1.IPFamily{corev1.IPv4Protocol},
			Selector: dnsLabels,
			Ports: []corev1.ServicePort{
				{Name: "dns", Port: 53, Protocol: corev1.ProtocolUDP, TargetPort: intstr.FromInt32(53)},
				{Name: "dns-tcp", Port: 53, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(53)},
				{Name: "metrics", Port: 9153, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(9153)},
			},
		},
	}
}

// addClusterDNS installs the cluster DNS's Service, as kubeadm does
// before anyone types: preloaded, so that no random draw is spent on it.
// Its answers are package dns's; the coredns Deployment comes later.
func (c *Cluster) addClusterDNS() {
	svc := kubeDNSService()
	c.preload(svc)
	// Its Endpoints as the endpoints controller makes them while no pod
	// is behind it, so that the controller, which finds them so, draws
	// no UID from the seeded source for them.
	c.preload(&corev1.Endpoints{ObjectMeta: metav1.ObjectMeta{Name: svc.Name, Namespace: svc.Namespace, Labels: maps.Clone(svc.Labels)}})
}

// wireDNS gives the simulated pods the cluster's DNS at the kube-dns
// Service's IP, their nodes' resolver (which knows no cluster name and,
// in a cluster with no outside, no other either), and kube-proxy's
// routes to cluster IPs.
func (c *Cluster) wireDNS() {
	server := dns.New(c.api)
	c.net.SetDNS(map[string]func(*wire.Msg) *wire.Msg{
		dns.ServiceIP:      server.Answer,
		simrt.NodeResolver: nxdomain,
	})
	c.net.SetServices(c.routeClusterIP)
}

// nxdomain is the answer of a resolver that has no such name.
func nxdomain(q *wire.Msg) *wire.Msg {
	m := new(wire.Msg)
	m.SetRcode(q, wire.RcodeNameError)
	m.RecursionAvailable = true
	return m
}

// routeClusterIP is kube-proxy's rule for a connection to ip:port: one of
// the Service's ready endpoints, round robin; ok is false for an address
// that is no Service's cluster IP.
func (c *Cluster) routeClusterIP(ip string, port int) (string, int, bool) {
	for _, o := range c.api.List(resServices, "") {
		svc := o.(*corev1.Service)
		if svc.Spec.ClusterIP != ip {
			continue
		}
		for _, p := range svc.Spec.Ports {
			if int(p.Port) == port && p.Protocol != corev1.ProtocolUDP {
				ep, err := c.proxy.Pick(svc.Namespace, svc.Name, p.Port)
				if err != nil {
					return "", 0, true
				}
				return ep.IP, int(ep.Port), true
			}
		}
		return "", 0, true
	}
	return "", 0, false
}

// SetDNSHops says whether the pods' DNS queries show as hops (pod →
// kube-dns): the shell's trace turns them on.
func (c *Cluster) SetDNSHops(on bool) { c.net.SetDNSHops(on) }
