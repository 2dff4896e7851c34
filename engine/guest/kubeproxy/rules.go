// Package kubeproxy is kube-proxy's rules: how the engine's kube-proxy
// (engine/proxy) reads a Service port's ready endpoints, and, on the Docker
// runtime, the proxy inside every pod's network namespace. There kubeplay's
// pause container, given CAP_NET_ADMIN over its own namespace only, writes
// the namespace's nftables rules from its node's snapshot of Services and
// EndpointSlices (rewritten at every kube-proxy sync), as upstream kube-proxy's
// nftables mode writes a node's: each cluster IP and port is DNATed to its
// ready endpoints in turn, the rest of the Service range is refused; and it
// answers the cluster DNS, to which the rules send the pod's queries, from
// the same snapshot with the cluster DNS's own code (engine/dns).
package kubeproxy

import (
	"fmt"
	"hash/fnv"
	"net/netip"
	"sort"
	"strconv"
	"time"

	"github.com/kubeplay/kubeplay/engine/dns"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/utils/ptr"
)

// Endpoint is one ready backend of a Service port.
type Endpoint struct {
	IP   string
	Port int32
	Pod  string // the pod's name, from the address's targetRef
}

// Addr is the endpoint's host:port.
func (e Endpoint) Addr() string { return e.IP + ":" + strconv.Itoa(int(e.Port)) }

// ReadyEndpoints lists the ready endpoints of one port of a Service, from
// its EndpointSlices, as upstream kube-proxy reads them since 1.21 (an
// Endpoints object holds at most 1,000 addresses, and etcd refuses one
// of some 4,500): IPv4 endpoints whose ready condition is true (or
// unset, which means ready), each address once though it is in two
// slices while they change, in a stable order.
func ReadyEndpoints(slices []*discoveryv1.EndpointSlice, portName string) []Endpoint {
	return endpointsWhere(slices, portName, func(c discoveryv1.EndpointConditions) bool { return ptr.Deref(c.Ready, true) })
}

// ServingEndpoints are the endpoints kube-proxy sends a Service port's
// connections to: its ready ones or, when none is, those that are still
// serving while they terminate (a pod being deleted that has not yet
// stopped answering), as upstream's CategorizeEndpoints falls back to them
// since 1.26 (ProxyTerminatingEndpoints) rather than drop the traffic.
// An unset serving condition means serving, as upstream reads it.
func ServingEndpoints(slices []*discoveryv1.EndpointSlice, portName string) []Endpoint {
	if eps := ReadyEndpoints(slices, portName); len(eps) > 0 {
		return eps
	}
	return endpointsWhere(slices, portName, func(c discoveryv1.EndpointConditions) bool {
		return ptr.Deref(c.Serving, true) && ptr.Deref(c.Terminating, false)
	})
}

func endpointsWhere(slices []*discoveryv1.EndpointSlice, portName string, keep func(discoveryv1.EndpointConditions) bool) []Endpoint {
	var out []Endpoint
	seen := map[Endpoint]bool{}
	for _, s := range slices {
		if s.AddressType != discoveryv1.AddressTypeIPv4 {
			continue
		}
		for _, port := range s.Ports {
			if ptr.Deref(port.Name, "") != portName || port.Port == nil {
				continue
			}
			for _, e := range s.Endpoints {
				if len(e.Addresses) == 0 || !keep(e.Conditions) {
					continue
				}
				ep := Endpoint{IP: e.Addresses[0], Port: *port.Port}
				if e.TargetRef != nil {
					ep.Pod = e.TargetRef.Name
				}
				if !seen[ep] {
					seen[ep] = true
					out = append(out, ep)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].IP < out[j].IP })
	return out
}

// ServiceCIDR is the cluster's Service range (kubeadm's default): no
// packet to it leaves a pod's namespace.
var ServiceCIDR = netip.MustParsePrefix("10.96.0.0/12")

// Port is one Service port in a pod's rules: the connections to it (TCP
// or UDP) and the endpoints they go to.
type Port struct {
	At        netip.AddrPort
	UDP       bool
	Service   string // namespace/name
	Endpoints []Endpoint
	// Affinity is sessionAffinity ClientIP's timeout: a client's
	// connections go to one endpoint until that long passes without one.
	Affinity time.Duration
}

// Table is a pod's rules for one snapshot: each cluster IP and port with
// its ready endpoints, and where the cluster DNS is.
type Table struct {
	ports []Port // by address
	// dns is the kube-dns Service's address (port 53), answered by the
	// pod's proxy itself; invalid when the Service is gone.
	dns netip.AddrPort
	// dnsPods are the ready coredns pods behind it, which kube-proxy's
	// rules would send a query to.
	dnsPods []Endpoint
	// answers is the cluster DNS of this snapshot.
	answers *dns.Server
	// api are the kubernetes Service's addresses (its cluster IP and
	// port, its endpoints), answered by the pod's proxy itself.
	api []netip.AddrPort
	// ingress are the ingress controller's Service's addresses, passed
	// on to kubeplay's controller by the pod's proxy (ingress.go).
	ingress []netip.AddrPort
}

// kubeDNS is the cluster DNS's Service, whose cluster IP the pods'
// resolv.conf names.
const kubeDNSNamespace, kubeDNSName = "kube-system", "kube-dns"

// NewTable builds the rules of a snapshot: the TCP and UDP ports of
// Services with a cluster IP (SCTP is refused).
func NewTable(snap *dns.Snapshot) *Table {
	t := &Table{answers: dns.New(snap)}
	for _, svc := range snap.AllServices() {
		ip, err := netip.ParseAddr(svc.Spec.ClusterIP)
		if err != nil || !ServiceCIDR.Contains(ip) {
			continue // headless, ExternalName, or not yet allocated
		}
		es := snap.EndpointSlices(svc.Namespace, svc.Name)
		if svc.Namespace == kubeDNSNamespace && svc.Name == kubeDNSName {
			if t.dnsPods = dnsPods(svc, es); len(t.dnsPods) > 0 {
				t.dns = netip.AddrPortFrom(ip, 53)
			}
		}
		if svc.Namespace == APIServiceNamespace && svc.Name == APIServiceName {
			t.api = apiAddrs(ip, svc, es)
			continue
		}
		if svc.Namespace == IngressServiceNamespace && svc.Name == IngressServiceName {
			t.ingress = apiAddrs(ip, svc, es)
			continue
		}
		for _, p := range svc.Spec.Ports {
			if p.Protocol == corev1.ProtocolSCTP {
				continue
			}
			t.ports = append(t.ports, Port{At: netip.AddrPortFrom(ip, uint16(p.Port)), UDP: p.Protocol == corev1.ProtocolUDP, Service: svc.Namespace + "/" + svc.Name,
				Endpoints: ServingEndpoints(es, p.Name), Affinity: AffinityTimeout(svc)})
		}
	}
	sort.SliceStable(t.ports, func(i, j int) bool { return t.ports[i].At.Compare(t.ports[j].At) < 0 })
	return t
}

// apiAddrs are the kubernetes Service's TCP addresses: its cluster IP's
// ports and its endpoints.
func apiAddrs(ip netip.Addr, svc *corev1.Service, es []*discoveryv1.EndpointSlice) []netip.AddrPort {
	var out []netip.AddrPort
	for _, p := range svc.Spec.Ports {
		if p.Protocol != corev1.ProtocolTCP {
			continue
		}
		out = append(out, netip.AddrPortFrom(ip, uint16(p.Port)))
		for _, ep := range ReadyEndpoints(es, p.Name) {
			if a, err := netip.ParseAddr(ep.IP); err == nil {
				out = append(out, netip.AddrPortFrom(a, uint16(ep.Port)))
			}
		}
	}
	return out
}

// API are the kubernetes Service's addresses, which the pod's proxy
// answers itself (apiserver.go); none without the Service.
func (t *Table) API() []netip.AddrPort { return t.api }

// Ingress are the ingress controller's Service's addresses, which the
// pod's proxy passes on to kubeplay's controller (ingress.go).
func (t *Table) Ingress() []netip.AddrPort { return t.ingress }

// Local is where the pod's rules send what its proxy answers itself: the
// cluster DNS (at DNS, to its TCP and UDP ports on 127.0.0.1) and the
// kubernetes Service (at API, to APIPort).
type Local struct {
	DNS            netip.AddrPort
	DNSTCP, DNSUDP uint16
	API            []netip.AddrPort
	APIPort        uint16
	Ingress        []netip.AddrPort
	IngressPort    uint16
}

// dnsPods are the ready coredns pods behind the kube-dns Service's UDP
// port 53: the pod's proxy answers the cluster DNS only while there is
// one, as a query reaches CoreDNS only through a ready pod (the
// simulated runtime answers the same way); until then the Service range's
// reject rule refuses the query, as upstream's does for a Service without
// endpoints.
func dnsPods(svc *corev1.Service, es []*discoveryv1.EndpointSlice) []Endpoint {
	for _, p := range svc.Spec.Ports {
		if p.Port == 53 && p.Protocol == corev1.ProtocolUDP {
			if eps := ReadyEndpoints(es, p.Name); len(eps) > 0 {
				return eps
			}
		}
	}
	return nil
}

// Routed are the Service ports whose connections go to an endpoint:
// those with a ready one (the others are refused, as upstream's REJECT
// rule refuses them), in a stable order.
func (t *Table) Routed() []Port {
	var out []Port
	for _, p := range t.ports {
		if len(p.Endpoints) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// DNS is the cluster DNS's address, 10.96.0.10:53; invalid without the
// kube-dns Service.
func (t *Table) DNS() netip.AddrPort { return t.dns }

// defaultAffinityTimeout is sessionAffinityConfig.clientIP.timeoutSeconds'
// default: three hours.
const defaultAffinityTimeout = 10800 * time.Second

// AffinityTimeout is how long a client keeps its endpoint under the
// Service's sessionAffinity: ClientIP; zero without it.
func AffinityTimeout(svc *corev1.Service) time.Duration {
	if svc.Spec.SessionAffinity != corev1.ServiceAffinityClientIP {
		return 0
	}
	if c := svc.Spec.SessionAffinityConfig; c != nil && c.ClientIP != nil && c.ClientIP.TimeoutSeconds != nil {
		return time.Duration(*c.ClientIP.TimeoutSeconds) * time.Second
	}
	return defaultAffinityTimeout
}

// Route is one Service port's rule in a pod: the endpoints its
// connections are sent to in turn, and, under sessionAffinity ClientIP,
// how long a client keeps the endpoint its last connection went to
// (zero: no affinity).
type Route struct {
	At       netip.AddrPort
	UDP      bool
	Targets  []Endpoint
	Affinity time.Duration
}

// Routes are the table's rules, in a stable order. Under ClientIP
// affinity the kernel keeps each client's endpoint itself (program: a
// set per endpoint whose entries expire after the timeout without a new
// connection), as upstream's nftables mode does, so a rule lists every
// endpoint either way.
func (t *Table) Routes() []Route {
	var out []Route
	for _, p := range t.Routed() {
		out = append(out, Route{At: p.At, UDP: p.UDP, Targets: p.Endpoints, Affinity: p.Affinity})
	}
	return out
}

// affinitySetName names the set of the clients whose connections to r
// stick to ep: the same at every rewrite of the rules, so that the
// entries are carried over (affinityEntries) while the endpoint stays.
func affinitySetName(r Route, ep Endpoint) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%v %v %s", r.At, r.UDP, ep.Addr())
	return fmt.Sprintf("affinity-%016x", h.Sum64())
}
