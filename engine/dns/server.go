package dns

import (
	"net/netip"
	"strconv"
	"strings"

	wire "github.com/miekg/dns"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/utils/ptr"
)

// TTL is how long the cluster's answers may be cached: kubeadm's Corefile
// sets the kubernetes plugin's ttl to 30 seconds.
const TTL = 30

// zone is the cluster's domain as a DNS name, and reverse the zone of
// IPv4 reverse lookups, which the kubernetes plugin answers too.
const (
	zone    = Domain + "."
	reverse = "in-addr.arpa."
)

// Objects is what the cluster DNS reads of the cluster, as CoreDNS's
// kubernetes plugin reads it from the apiserver: Services and their
// EndpointSlices (as CoreDNS has since 1.8, with no Endpoints' 1,000
// addresses cap), from the engine's store in process, or a Snapshot of it
// inside a Docker pod.
type Objects interface {
	Service(namespace, name string) *corev1.Service
	// ServiceByIP is the Service whose cluster IP ip is, nil for none.
	ServiceByIP(ip string) *corev1.Service
	// EndpointSlices are a Service's slices (labelled
	// kubernetes.io/service-name with its name).
	EndpointSlices(namespace, service string) []*discoveryv1.EndpointSlice
	Namespace(name string) bool
	// AllEndpointSlices are every namespace's, for reverse lookups.
	AllEndpointSlices() []*discoveryv1.EndpointSlice
}

// Server answers queries as CoreDNS does with kubeadm's Corefile: the
// kubernetes plugin (pods insecure) for the cluster's zone and reverse
// lookups, reading the cluster's Services and Endpoints as they are now;
// what it does not know goes to Upstream (forward . /etc/resolv.conf).
type Server struct {
	objs Objects
	// Upstream answers names outside the cluster; nil answers NXDOMAIN,
	// as for a name nobody has: the simulated cluster has no outside.
	Upstream func(req *wire.Msg) *wire.Msg
}

// New returns a DNS server answering from objs.
func New(objs Objects) *Server { return &Server{objs: objs} }

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

// service answers the names under svc (labels without it, outermost
// last), and says whether the name exists.
func (s *Server) service(m *wire.Msg, q wire.Question, labels []string) bool {
	n := len(labels)
	switch {
	case n == 0:
		return true // svc.<zone>
	case n == 1:
		return s.objs.Namespace(labels[0]) // <ns>.svc.<zone>
	}
	ns, name := labels[n-1], labels[n-2]
	svc := s.objs.Service(ns, name)
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

// address is a ready endpoint of a Service: its IP and its hostname under
// the Service (the pod's, with the Service as its subdomain).
type address struct {
	IP, Hostname string
}

// endpointName is an endpoint's name under its Service: its pod's
// hostname when the pod has one for this Service, else its IP dashed.
func endpointName(a address) string {
	if a.Hostname != "" {
		return a.Hostname
	}
	return strings.ReplaceAll(a.IP, ".", "-")
}

// readyAddresses are a Service's ready IPv4 endpoints, each once, in the
// slices' order.
func (s *Server) readyAddresses(svc *corev1.Service) []address {
	return readyOf(s.objs.EndpointSlices(svc.Namespace, svc.Name)...)
}

// readyOf are the ready IPv4 endpoints of slices, each address once (it
// may be in two slices while they change).
func readyOf(slices ...*discoveryv1.EndpointSlice) []address {
	var out []address
	seen := map[string]bool{}
	for _, es := range slices {
		if es.AddressType != discoveryv1.AddressTypeIPv4 {
			continue
		}
		for _, e := range es.Endpoints {
			if len(e.Addresses) == 0 || !ptr.Deref(e.Conditions.Ready, true) || seen[e.Addresses[0]] {
				continue
			}
			seen[e.Addresses[0]] = true
			out = append(out, address{IP: e.Addresses[0], Hostname: ptr.Deref(e.Hostname, "")})
		}
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
		for _, es := range s.objs.EndpointSlices(svc.Namespace, svc.Name) {
			for _, p := range es.Ports {
				if p.Port == nil || !match(ptr.Deref(p.Name, ""), ptr.Deref(p.Protocol, corev1.ProtocolTCP)) {
					continue
				}
				for _, a := range readyOf(es) {
					targets = append(targets, target{endpointName(a) + "." + fqdn, a.IP, *p.Port})
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
	if len(labels) != 2 || !s.objs.Namespace(labels[1]) {
		return len(labels) == 1 && s.objs.Namespace(labels[0])
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
	if svc := s.objs.ServiceByIP(ip); svc != nil {
		target = svc.Name + "." + svc.Namespace + ".svc." + zone
	}
	if target == "" {
		for _, es := range s.objs.AllEndpointSlices() {
			for _, a := range readyOf(es) {
				if a.IP == ip && target == "" {
					target = endpointName(a) + "." + es.Labels[discoveryv1.LabelServiceName] + "." + es.Namespace + ".svc." + zone
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

// Question is a query's question in a few words, as a DNS hop says it:
// "A web.default.svc.cluster.local".
func Question(q wire.Question) string {
	return wire.TypeToString[q.Qtype] + " " + strings.TrimSuffix(q.Name, ".")
}

// Summary is an answer in a few words, as a DNS hop says it: its
// addresses or names, or its code.
func Summary(r *wire.Msg) string {
	if r.Rcode != wire.RcodeSuccess {
		return wire.RcodeToString[r.Rcode]
	}
	var out []string
	for _, rr := range r.Answer {
		switch rr := rr.(type) {
		case *wire.A:
			out = append(out, rr.A.String())
		case *wire.PTR:
			out = append(out, strings.TrimSuffix(rr.Ptr, "."))
		case *wire.SRV:
			out = append(out, strings.TrimSuffix(rr.Target, ".")+":"+strconv.Itoa(int(rr.Port)))
		case *wire.CNAME:
			out = append(out, strings.TrimSuffix(rr.Target, "."))
		}
	}
	if len(out) == 0 {
		return "no records"
	}
	return strings.Join(out, ", ")
}
