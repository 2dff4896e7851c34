package dns

//lint:file-ignore SA1019 v1 Endpoints is what the endpoints controller writes and kube-proxy reads here.

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/store"

	wire "github.com/miekg/dns"
	corev1 "k8s.io/api/core/v1"
)

// TTL is how long the cluster's answers may be cached: kubeadm's Corefile
// sets the kubernetes plugin's ttl to 30 seconds.
const TTL = 30

var (
	resServices, _   = apiserver.ResourceFor("services")
	resEndpoints, _  = apiserver.ResourceFor("endpoints")
	resNamespaces, _ = apiserver.ResourceFor("namespaces")
	svcPrefix        = apiserver.PrefixOf(resServices)
	epPrefix         = apiserver.PrefixOf(resEndpoints)
	nsPrefix         = apiserver.PrefixOf(resNamespaces)
)

// zone is the cluster's domain as a DNS name, and reverse the zone of
// IPv4 reverse lookups, which the kubernetes plugin answers too.
const (
	zone    = Domain + "."
	reverse = "in-addr.arpa."
)

// Server answers queries as CoreDNS does with kubeadm's Corefile: the
// kubernetes plugin (pods insecure) for the cluster's zone and reverse
// lookups, reading the cluster's Services and Endpoints as they are now;
// what it does not know goes to Upstream (forward . /etc/resolv.conf).
type Server struct {
	st *store.Store
	// Upstream answers names outside the cluster; nil answers NXDOMAIN,
	// as for a name nobody has: the simulated cluster has no outside.
	Upstream func(req *wire.Msg) *wire.Msg
}

// New returns the DNS server of the cluster api serves.
func New(api *apiserver.Server) *Server { return &Server{st: api.Store()} }

// Answer is the reply to a query.
func (s *Server) Answer(req *wire.Msg) *wire.Msg {
	m := new(wire.Msg)
	m.SetReply(req)
	m.RecursionAvailable = true
	if len(req.Question) != 1 {
		m.Rcode = wire.RcodeFormatError
		return m
	}
	q := req.Question[0]
	name := strings.ToLower(wire.Fqdn(q.Name))
	switch {
	case name == zone || strings.HasSuffix(name, "."+zone):
		m.Authoritative = true
		s.cluster(m, q, strings.TrimSuffix(strings.TrimSuffix(name, zone), "."))
	case q.Qtype == wire.TypePTR && strings.HasSuffix(name, "."+reverse) && s.ptr(m, q, name):
		m.Authoritative = true
	case s.Upstream != nil:
		up := s.Upstream(req)
		up.Id = req.Id
		return up
	default:
		m.Rcode = wire.RcodeNameError
	}
	return m
}

// soa is the zone's SOA record, sent with every negative answer.
func soa() wire.RR {
	return &wire.SOA{Hdr: wire.RR_Header{Name: zone, Rrtype: wire.TypeSOA, Class: wire.ClassINET, Ttl: TTL},
		Ns: "ns.dns." + zone, Mbox: "hostmaster." + zone, Serial: 1, Refresh: 7200, Retry: 1800, Expire: 86400, Minttl: TTL}
}

// cluster answers a name of the cluster's zone; rel is the name without
// the zone: <svc>.<ns>.svc, <endpoint>.<svc>.<ns>.svc,
// _<port>._<proto>.<svc>.<ns>.svc, <a-b-c-d>.<ns>.pod.
func (s *Server) cluster(m *wire.Msg, q wire.Question, rel string) {
	var labels []string
	if rel != "" {
		labels = strings.Split(rel, ".")
	}
	n := len(labels)
	found := false // the name exists, whatever its records
	switch {
	case n == 0:
		found = true // the zone's apex
	case labels[n-1] == "svc":
		found = s.service(m, q, labels[:n-1])
	case labels[n-1] == "pod":
		found = s.pod(m, q, labels[:n-1])
	}
	switch {
	case !found:
		m.Rcode = wire.RcodeNameError
		m.Ns = []wire.RR{soa()}
	case len(m.Answer) == 0:
		m.Ns = []wire.RR{soa()} // NODATA
	}
}

func (s *Server) namespace(name string) bool {
	_, ok := s.st.Get(nsPrefix + name)
	return ok
}

func (s *Server) getService(ns, name string) *corev1.Service {
	if obj, ok := s.st.Get(svcPrefix + ns + "/" + name); ok {
		return obj.(*corev1.Service)
	}
	return nil
}

func (s *Server) getEndpoints(ns, name string) *corev1.Endpoints {
	if obj, ok := s.st.Get(epPrefix + ns + "/" + name); ok {
		return obj.(*corev1.Endpoints)
	}
	return nil
}

// service answers the names under svc (labels without it, outermost
// last), and says whether the name exists.
func (s *Server) service(m *wire.Msg, q wire.Question, labels []string) bool {
	n := len(labels)
	switch {
	case n == 0:
		return true // svc.<zone>
	case n == 1:
		return s.namespace(labels[0]) // <ns>.svc.<zone>
	}
	ns, name := labels[n-1], labels[n-2]
	svc := s.getService(ns, name)
	if svc == nil {
		return false
	}
	fqdn := name + "." + ns + ".svc." + zone
	switch rest := labels[:n-2]; {
	case len(rest) == 0:
		return s.serviceRecords(m, q, svc, fqdn)
	case len(rest) == 1:
		return s.endpointRecords(m, q, svc, rest[0], fqdn)
	case len(rest) == 2 && strings.HasPrefix(rest[0], "_") && strings.HasPrefix(rest[1], "_"):
		if q.Qtype != wire.TypeSRV {
			return s.hasPort(svc, rest[0][1:], rest[1][1:])
		}
		s.srv(m, svc, fqdn, rest[0][1:], rest[1][1:])
		return len(m.Answer) > 0
	}
	return false
}

// serviceRecords answers a Service's own name: its cluster IP; a
// headless Service's ready endpoints, one A each; an ExternalName's CNAME.
func (s *Server) serviceRecords(m *wire.Msg, q wire.Question, svc *corev1.Service, fqdn string) bool {
	switch {
	case svc.Spec.Type == corev1.ServiceTypeExternalName:
		if q.Qtype == wire.TypeCNAME || q.Qtype == wire.TypeA {
			m.Answer = append(m.Answer, &wire.CNAME{Hdr: hdr(q.Name, wire.TypeCNAME), Target: wire.Fqdn(svc.Spec.ExternalName)})
		}
		return true
	case svc.Spec.ClusterIP == corev1.ClusterIPNone:
		addrs := s.readyAddresses(svc)
		if len(addrs) == 0 {
			return false // as CoreDNS: a headless Service without endpoints has no name
		}
		switch q.Qtype {
		case wire.TypeA:
			for _, a := range addrs {
				m.Answer = append(m.Answer, aRecord(q.Name, a.IP))
			}
		case wire.TypeSRV:
			s.srv(m, svc, fqdn, "", "")
		}
		return true
	}
	switch q.Qtype {
	case wire.TypeA:
		m.Answer = append(m.Answer, aRecord(q.Name, svc.Spec.ClusterIP))
	case wire.TypeSRV:
		s.srv(m, svc, fqdn, "", "")
	}
	return true
}

// endpointRecords answers <endpoint>.<svc>: the address of the Service's
// endpoint whose hostname (or dashed IP) that is.
func (s *Server) endpointRecords(m *wire.Msg, q wire.Question, svc *corev1.Service, ep, fqdn string) bool {
	for _, a := range s.readyAddresses(svc) {
		if endpointName(a) == ep {
			if q.Qtype == wire.TypeA {
				m.Answer = append(m.Answer, aRecord(q.Name, a.IP))
			}
			return true
		}
	}
	return false
}

// endpointName is an endpoint's name under its Service: its pod's
// hostname when the pod has one for this Service, else its IP dashed.
func endpointName(a corev1.EndpointAddress) string {
	if a.Hostname != "" {
		return a.Hostname
	}
	return strings.ReplaceAll(a.IP, ".", "-")
}

// readyAddresses are a Service's ready endpoint addresses.
func (s *Server) readyAddresses(svc *corev1.Service) []corev1.EndpointAddress {
	ep := s.getEndpoints(svc.Namespace, svc.Name)
	if ep == nil {
		return nil
	}
	var out []corev1.EndpointAddress
	for _, ss := range ep.Subsets {
		out = append(out, ss.Addresses...)
	}
	return out
}

func (s *Server) hasPort(svc *corev1.Service, port, proto string) bool {
	for _, p := range svc.Spec.Ports {
		if strings.EqualFold(p.Name, port) && strings.EqualFold(string(p.Protocol), proto) {
			return true
		}
	}
	return false
}

// srv answers SRV for a Service's named ports (only port and proto, when
// set): the Service's name and port, or for a headless Service each
// ready endpoint's name and port, with their A records as additionals.
func (s *Server) srv(m *wire.Msg, svc *corev1.Service, fqdn, port, proto string) {
	type target struct {
		name string
		ip   string
		port int32
	}
	var targets []target
	match := func(name string, p corev1.Protocol) bool {
		return name != "" && (port == "" || strings.EqualFold(name, port) && strings.EqualFold(string(p), proto))
	}
	if svc.Spec.ClusterIP == corev1.ClusterIPNone {
		if ep := s.getEndpoints(svc.Namespace, svc.Name); ep != nil {
			for _, ss := range ep.Subsets {
				for _, p := range ss.Ports {
					if !match(p.Name, p.Protocol) {
						continue
					}
					for _, a := range ss.Addresses {
						targets = append(targets, target{endpointName(a) + "." + fqdn, a.IP, p.Port})
					}
				}
			}
		}
	} else {
		for _, p := range svc.Spec.Ports {
			if match(p.Name, p.Protocol) {
				targets = append(targets, target{fqdn, svc.Spec.ClusterIP, p.Port})
			}
		}
	}
	if len(targets) == 0 {
		return
	}
	weight := uint16(100 / len(targets))
	for _, t := range targets {
		name := fqdn
		if port != "" {
			name = "_" + port + "._" + proto + "." + fqdn
		}
		m.Answer = append(m.Answer, &wire.SRV{Hdr: hdr(name, wire.TypeSRV), Priority: 0, Weight: weight, Port: uint16(t.port), Target: t.name})
		m.Extra = append(m.Extra, aRecord(t.name, t.ip))
	}
}

// pod answers <a-b-c-d>.<ns>.pod (pods insecure): the address the name
// spells, in a namespace that exists.
func (s *Server) pod(m *wire.Msg, q wire.Question, labels []string) bool {
	if len(labels) == 0 {
		return true
	}
	if len(labels) != 2 || !s.namespace(labels[1]) {
		return len(labels) == 1 && s.namespace(labels[0])
	}
	ip, err := netip.ParseAddr(strings.ReplaceAll(labels[0], "-", "."))
	if err != nil || !ip.Is4() {
		return false
	}
	if q.Qtype == wire.TypeA {
		m.Answer = append(m.Answer, aRecord(q.Name, ip.String()))
	}
	return true
}

// ptr answers a reverse lookup of a Service's cluster IP or a Service's
// endpoint, as the kubernetes plugin does; false leaves the name to the
// next in line.
func (s *Server) ptr(m *wire.Msg, q wire.Question, name string) bool {
	parts := strings.Split(strings.TrimSuffix(name, "."+reverse), ".")
	if len(parts) != 4 {
		return false
	}
	ip := parts[3] + "." + parts[2] + "." + parts[1] + "." + parts[0]
	if _, err := netip.ParseAddr(ip); err != nil {
		return false
	}
	target := ""
	for _, o := range s.st.List(svcPrefix) {
		svc := o.(*corev1.Service)
		if svc.Spec.ClusterIP == ip {
			target = svc.Name + "." + svc.Namespace + ".svc." + zone
			break
		}
	}
	if target == "" {
		for _, o := range s.st.List(epPrefix) {
			ep := o.(*corev1.Endpoints)
			for _, ss := range ep.Subsets {
				for _, a := range ss.Addresses {
					if a.IP == ip && target == "" {
						target = endpointName(a) + "." + ep.Name + "." + ep.Namespace + ".svc." + zone
					}
				}
			}
		}
	}
	if target == "" {
		return false
	}
	m.Answer = append(m.Answer, &wire.PTR{Hdr: hdr(q.Name, wire.TypePTR), Ptr: target})
	return true
}

func hdr(name string, t uint16) wire.RR_Header {
	return wire.RR_Header{Name: wire.Fqdn(name), Rrtype: t, Class: wire.ClassINET, Ttl: TTL}
}

func aRecord(name, ip string) wire.RR {
	a, _ := netip.ParseAddr(ip)
	b := a.As4()
	return &wire.A{Hdr: hdr(name, wire.TypeA), A: b[:]}
}

// ReverseName is the in-addr.arpa name of an IPv4 address, "" for
// something else.
func ReverseName(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		return ""
	}
	b := a.As4()
	return strconv.Itoa(int(b[3])) + "." + strconv.Itoa(int(b[2])) + "." + strconv.Itoa(int(b[1])) + "." + strconv.Itoa(int(b[0])) + "." + reverse
}
