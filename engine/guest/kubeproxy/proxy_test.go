package kubeproxy

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/dns"

	wire "github.com/miekg/dns"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

func service(ns, name, ip string, affinity corev1.ServiceAffinity, ports ...corev1.ServicePort) *corev1.Service {
	return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: corev1.ServiceSpec{ClusterIP: ip, Ports: ports, SessionAffinity: affinity}}
}

// endpoints is a Service's EndpointSlice with one port and ready
// endpoints at ips.
func endpoints(ns, name string, port discoveryv1.EndpointPort, ips ...string) *discoveryv1.EndpointSlice {
	es := &discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Name: name + "-abcde", Namespace: ns, Labels: map[string]string{discoveryv1.LabelServiceName: name}},
		AddressType: discoveryv1.AddressTypeIPv4, Ports: []discoveryv1.EndpointPort{port}}
	for _, ip := range ips {
		es.Endpoints = append(es.Endpoints, discoveryv1.Endpoint{Addresses: []string{ip}, Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true)}})
	}
	return es
}

func port(name string, n int32, proto corev1.Protocol) discoveryv1.EndpointPort {
	return discoveryv1.EndpointPort{Name: ptr.To(name), Port: ptr.To(n), Protocol: ptr.To(proto)}
}

// snapshot: kube-dns, web (two ready pods), sticky (ClientIP, two pods),
// empty (no endpoints), db (headless), a UDP Service with a pod and an
// SCTP one.
func snapshot(webIPs ...string) *dns.Snapshot {
	http := corev1.ServicePort{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP}
	httpEP := port("http", 8080, corev1.ProtocolTCP)
	return dns.NewSnapshot([]string{"default", "kube-system"}, []*corev1.Service{
		service("kube-system", "kube-dns", "10.96.0.10", "", corev1.ServicePort{Name: "dns", Port: 53, Protocol: corev1.ProtocolUDP},
			corev1.ServicePort{Name: "dns-tcp", Port: 53, Protocol: corev1.ProtocolTCP}),
		service("default", "web", "10.96.5.5", "", http),
		service("default", "sticky", "10.96.6.6", corev1.ServiceAffinityClientIP, http),
		service("default", "empty", "10.96.7.7", "", http),
		service("default", "db", corev1.ClusterIPNone, "", http),
		service("default", "syslog", "10.96.8.8", "", corev1.ServicePort{Name: "syslog", Port: 514, Protocol: corev1.ProtocolUDP}),
		service("default", "sctp", "10.96.9.9", "", corev1.ServicePort{Name: "s", Port: 9, Protocol: corev1.ProtocolSCTP}),
	}, []*discoveryv1.EndpointSlice{
		endpoints("kube-system", "kube-dns", port("dns", 53, corev1.ProtocolUDP), "172.18.0.30"),
		endpoints("default", "syslog", port("syslog", 5514, corev1.ProtocolUDP), "172.18.0.5"),
		endpoints("default", "sctp", port("s", 9, corev1.ProtocolSCTP), "172.18.0.6"),
		endpoints("default", "web", httpEP, webIPs...),
		endpoints("default", "sticky", httpEP, "172.18.0.7", "172.18.0.8"),
		endpoints("default", "db", httpEP, "172.18.0.9"),
	})
}

func TestRoutes(t *testing.T) {
	tbl := NewTable(snapshot("172.18.0.3", "172.18.0.2"))
	if got := tbl.DNS(); got != netip.MustParseAddrPort("10.96.0.10:53") {
		t.Errorf("DNS at %v", got)
	}
	routes := tbl.Routes()
	// kube-dns's UDP port (the proxy's own answer comes first), web's two endpoints in turn (sorted, as kubeplay's kube-proxy sorts
	// them), sticky's two with upstream's default affinity timeout (the
	// kernel keeps each client's), syslog's over UDP; empty, the headless
	// db and SCTP are not routed.
	want := []Route{
		{At: netip.MustParseAddrPort("10.96.0.10:53"), UDP: true, Targets: []Endpoint{{IP: "172.18.0.30", Port: 53}}},
		{At: netip.MustParseAddrPort("10.96.5.5:80"), Targets: []Endpoint{{IP: "172.18.0.2", Port: 8080}, {IP: "172.18.0.3", Port: 8080}}},
		{At: netip.MustParseAddrPort("10.96.6.6:80"), Targets: []Endpoint{{IP: "172.18.0.7", Port: 8080}, {IP: "172.18.0.8", Port: 8080}}, Affinity: 3 * time.Hour},
		{At: netip.MustParseAddrPort("10.96.8.8:514"), UDP: true, Targets: []Endpoint{{IP: "172.18.0.5", Port: 5514}}},
	}
	if !reflect.DeepEqual(routes, want) {
		t.Fatalf("routes\n%+v\nwant\n%+v", routes, want)
	}
	// The set a client's endpoint is kept in is named the same at every
	// rewrite of the rules, so its entries carry over.
	if a, b := affinitySetName(want[2], want[2].Targets[0]), affinitySetName(routes[2], routes[2].Targets[0]); a != b || a == affinitySetName(want[2], want[2].Targets[1]) {
		t.Errorf("affinity sets %s, %s", a, b)
	}
}

// The pod's proxy answers the cluster DNS only while a coredns pod is
// ready behind kube-dns, as a query reaches CoreDNS only through one; until
// then the query is refused as any Service's without endpoints.
func TestDNSNeedsAReadyCoreDNS(t *testing.T) {
	s := snapshot("172.18.0.2")
	for i := range s.SliceList {
		if s.SliceList[i].Labels[discoveryv1.LabelServiceName] == "kube-dns" {
			s.SliceList[i].Endpoints[0].Conditions.Ready = ptr.To(false)
		}
	}
	b, _ := s.Encode()
	back, _ := dns.DecodeSnapshot(b)
	if got := NewTable(back).DNS(); got.IsValid() {
		t.Errorf("no coredns pod is ready, yet the pod's DNS is at %v", got)
	}
	if got := NewTable(snapshot()).DNS(); got != netip.MustParseAddrPort("10.96.0.10:53") {
		t.Errorf("a coredns pod is ready, yet the pod's DNS is at %v", got)
	}
}

// programmed records what a proxy would have written.
type programmed struct {
	mu     sync.Mutex
	routes [][]Route
	fail   int // how many writes to refuse first
}

func (p *programmed) program(routes []Route, _ Local) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail > 0 {
		p.fail--
		return errors.New("netlink receive: device or resource busy")
	}
	p.routes = append(p.routes, routes)
	return nil
}

func (p *programmed) last() []Route {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.routes[len(p.routes)-1]
}

func writeSnapshot(t *testing.T, dir string, s *dns.Snapshot) {
	t.Helper()
	writeFile(t, dir, File, s)
}

// The proxy answers the cluster DNS over UDP and TCP from the snapshot,
// and follows a new snapshot: new rules, new answers.
func TestProxyFollowsAndAnswers(t *testing.T) {
	dir := t.TempDir()
	rec := &programmed{}
	p, err := start(dir, os.Stderr, rec.program)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if got := rec.last(); len(got) != 0 {
		t.Errorf("no snapshot yet, yet routes %+v", got)
	}
	ask := func(network, addr, name string) *wire.Msg {
		t.Helper()
		q := new(wire.Msg)
		q.SetQuestion(name, wire.TypeA)
		r, _, err := (&wire.Client{Net: network, Timeout: 2 * time.Second}).Exchange(q, addr)
		if err != nil {
			t.Fatalf("%s query %s: %v", network, name, err)
		}
		return r
	}
	udp, tcp := p.udp.LocalAddr().String(), p.tcp.Addr().String()
	if r := ask("udp", udp, "web.default.svc.cluster.local."); r.Rcode != wire.RcodeNameError {
		t.Errorf("before the snapshot: %v", r)
	}
	writeSnapshot(t, dir, snapshot("172.18.0.2"))
	deadline := time.Now().Add(5 * time.Second)
	for len(rec.last()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the proxy did not follow the new snapshot")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, network := range []string{"udp", "tcp"} {
		addr := map[string]string{"udp": udp, "tcp": tcp}[network]
		r := ask(network, addr, "web.default.svc.cluster.local.")
		if len(r.Answer) != 1 || r.Answer[0].(*wire.A).A.String() != "10.96.5.5" {
			t.Errorf("%s: web answered %v", network, r)
		}
	}
	if got := rec.last()[1]; got.At != netip.MustParseAddrPort("10.96.5.5:80") || len(got.Targets) != 1 || len(rec.last()) != 4 {
		t.Errorf("routes %+v", rec.last())
	}
}

// An answer larger than a client without EDNS takes is truncated, as a
// resolver then retries over TCP.
func TestProxyTruncatesUDP(t *testing.T) {
	dir := t.TempDir()
	var ips []string
	for i := range 60 {
		ips = append(ips, netip.AddrFrom4([4]byte{172, 18, 1, byte(i + 1)}).String())
	}
	s := snapshot()
	s.ServiceList = append(s.ServiceList, *service("default", "many", corev1.ClusterIPNone, ""))
	s.SliceList = append(s.SliceList, *endpoints("default", "many", port("http", 80, corev1.ProtocolTCP), ips...))
	writeSnapshot(t, dir, s)
	p, err := start(dir, os.Stderr, (&programmed{}).program)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	q := new(wire.Msg)
	q.SetQuestion("many.default.svc.cluster.local.", wire.TypeA)
	c, err := net.Dial("udp", p.udp.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r, _, err := (&wire.Client{Net: "udp"}).ExchangeWithConn(q, &wire.Conn{Conn: c})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Truncated || len(r.Answer) >= 60 {
		t.Errorf("truncated %v with %d answers; want the TC bit and fewer than 60", r.Truncated, len(r.Answer))
	}
}

// Rules that could not be written (netlink refused once) are written
// again at the next tick, though the snapshot did not change, and the
// failure is said once, not at every tick.
func TestProxyRetriesAFailedSync(t *testing.T) {
	dir := t.TempDir()
	rec := &programmed{}
	var log syncBuffer
	p, err := start(dir, &log, rec.program)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	rec.mu.Lock()
	rec.fail = 3
	rec.mu.Unlock()
	writeSnapshot(t, dir, snapshot("172.18.0.2"))
	deadline := time.Now().Add(5 * time.Second)
	for len(rec.last()) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the proxy did not write the rules again after a failure; its log:\n%s", log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := strings.Count(log.String(), "kube-proxy: "); n != 1 {
		t.Errorf("the failure was said %d times:\n%s", n, log.String())
	}
}

// syncBuffer is a log the proxy's goroutine writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// ServingEndpoints: the ready endpoints, or, with none ready, the
// serving terminating ones (upstream's fallback); never a terminating
// one that no longer serves, nor a not-ready one that is not terminating.
func TestServingEndpoints(t *testing.T) {
	ep := func(ip string, ready, serving, terminating bool) discoveryv1.Endpoint {
		return discoveryv1.Endpoint{Addresses: []string{ip}, Conditions: discoveryv1.EndpointConditions{
			Ready: ptr.To(ready), Serving: ptr.To(serving), Terminating: ptr.To(terminating)}}
	}
	slice := func(eps ...discoveryv1.Endpoint) []*discoveryv1.EndpointSlice {
		es := endpoints("default", "web", port("http", 8080, corev1.ProtocolTCP))
		es.Endpoints = eps
		return []*discoveryv1.EndpointSlice{es}
	}
	ips := func(eps []Endpoint) []string {
		var out []string
		for _, e := range eps {
			out = append(out, e.IP)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		in   []*discoveryv1.EndpointSlice
		want []string
	}{
		{"ready ones only while there are", slice(ep("10.0.0.3", false, true, true), ep("10.0.0.2", true, true, false)), []string{"10.0.0.2"}},
		{"none ready: the serving terminating ones", slice(ep("10.0.0.3", false, true, true), ep("10.0.0.4", false, false, true),
			ep("10.0.0.5", false, false, false), ep("10.0.0.1", false, true, true)), []string{"10.0.0.1", "10.0.0.3"}},
		{"none serving", slice(ep("10.0.0.4", false, false, true), ep("10.0.0.5", false, false, false)), nil},
	} {
		if got := ips(ServingEndpoints(tc.in, "http")); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	snap := dns.NewSnapshot([]string{"default"}, []*corev1.Service{service("default", "web", "10.96.5.5", "", corev1.ServicePort{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP})},
		slice(ep("10.0.0.3", false, true, true)))
	b, _ := snap.Encode()
	back, err := dns.DecodeSnapshot(b)
	if err != nil {
		t.Fatal(err)
	}
	if r := NewTable(back).Routes(); len(r) != 1 || len(r[0].Targets) != 1 || r[0].Targets[0].IP != "10.0.0.3" {
		t.Errorf("a pod's rules from the node's snapshot: %v, want web's terminating endpoint", r)
	}
}

// writeFile replaces name in dir with s, as the node does (beside, then
// renamed).
func writeFile(t *testing.T, dir, name string, s *dns.Snapshot) {
	t.Helper()
	b, err := s.Encode()
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, ".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func askUDP(t *testing.T, p *Proxy, name string, qtype uint16) *wire.Msg {
	t.Helper()
	q := new(wire.Msg)
	q.SetQuestion(name, qtype)
	r, _, err := (&wire.Client{Net: "udp", Timeout: 2 * time.Second}).Exchange(q, p.udp.LocalAddr().String())
	if err != nil {
		t.Fatalf("query %s: %v", name, err)
	}
	return r
}

// A new Service's name answers as soon as the DNS view has it, though
// kube-proxy's snapshot (the rules) has not: CoreDNS reads the Services
// itself, not kube-proxy's syncs. Whichever of the two was written last
// answers.
func TestProxyAnswersFromTheDNSView(t *testing.T) {
	dir := t.TempDir()
	writeSnapshot(t, dir, snapshot("172.18.0.2"))
	rec := &programmed{}
	p, err := start(dir, os.Stderr, rec.program)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if r := askUDP(t, p, "api.default.svc.cluster.local.", wire.TypeA); r.Rcode != wire.RcodeNameError {
		t.Fatalf("api before the view has it: %v", r)
	}
	view := snapshot("172.18.0.2")
	view.ServiceList = append(view.ServiceList, *service("default", "api", "10.96.4.4", "", corev1.ServicePort{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP}))
	writeFile(t, dir, DNSFile, view)
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := askUDP(t, p, "api.default.svc.cluster.local.", wire.TypeA)
		if len(r.Answer) == 1 && r.Answer[0].(*wire.A).A.String() == "10.96.4.4" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the proxy did not answer from the new DNS view: %v", r)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, r := range rec.last() {
		if r.At.Addr().String() == "10.96.4.4" {
			t.Errorf("the DNS view changed the rules: %+v", rec.last())
		}
	}
	// A snapshot written after the view knows more: it answers.
	time.Sleep(20 * time.Millisecond) // a file's time moves in ticks of a few milliseconds
	later := snapshot("172.18.0.2")
	later.ServiceList = append(later.ServiceList, *service("default", "late", "10.96.3.3", "", corev1.ServicePort{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP}))
	writeSnapshot(t, dir, later)
	for {
		r := askUDP(t, p, "late.default.svc.cluster.local.", wire.TypeA)
		if len(r.Answer) == 1 && r.Answer[0].(*wire.A).A.String() == "10.96.3.3" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the proxy did not answer from the newer snapshot: %v", r)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The query right after the node wrote a view is answered from it, not
// from the view of up to pollEvery before: kubectl exec writes the
// cluster's latest view before it runs a command (docker.Runtime), and a
// headless Service's name looked up then must answer (lesson 18's
// nslookup right after its check failed so on CI).
func TestProxyAnswersFromTheLatestView(t *testing.T) {
	dir := t.TempDir()
	writeSnapshot(t, dir, snapshot("172.18.0.2"))
	p, err := start(dir, os.Stderr, (&programmed{}).program)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	view := snapshot("172.18.0.2")
	for i := range 5 {
		name := fmt.Sprintf("headless-%d", i)
		ip := fmt.Sprintf("172.18.1.%d", i+1)
		view.ServiceList = append(view.ServiceList, *service("default", name, corev1.ClusterIPNone, "", corev1.ServicePort{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP}))
		view.SliceList = append(view.SliceList, *endpoints("default", name, port("http", 8080, corev1.ProtocolTCP), ip))
		writeFile(t, dir, DNSFile, view)
		r := askUDP(t, p, name+".default.svc.cluster.local.", wire.TypeA)
		if len(r.Answer) != 1 || r.Answer[0].(*wire.A).A.String() != ip {
			t.Fatalf("%s asked right after the node wrote the view with it: %v", name, r)
		}
	}
}

// While the node asks for it (ReportFlag), each query answered is
// reported to the node's socket after its answer: the asking pod, the coredns pod the rules send it to (in turn), the
// server, the question and the answer in a few words.
func TestProxyReportsQueries(t *testing.T) {
	dir := t.TempDir()
	node, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: filepath.Join(dir, ReportSocket), Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close()
	s := snapshot("172.18.0.2")
	for i := range s.SliceList {
		if es := &s.SliceList[i]; es.Labels[discoveryv1.LabelServiceName] == "kube-dns" {
			es.Endpoints = []discoveryv1.Endpoint{
				{Addresses: []string{"172.18.0.30"}, TargetRef: &corev1.ObjectReference{Name: "coredns-a"}},
				{Addresses: []string{"172.18.0.31"}, TargetRef: &corev1.ObjectReference{Name: "coredns-b"}}}
		}
	}
	writeSnapshot(t, dir, s)
	t.Setenv(EnvPod, "client")
	p, err := start(dir, os.Stderr, (&programmed{}).program)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	// Until the node asks for them, no report.
	askUDP(t, p, "web.default.svc.cluster.local.", wire.TypeA)
	_ = node.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if n, err := node.Read(make([]byte, 4096)); err == nil {
		t.Fatalf("a report before the node asked: %d bytes", n)
	}
	if err := os.WriteFile(filepath.Join(dir, ReportFlag), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * pollEvery)
	read := func() Query {
		t.Helper()
		_ = node.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 4096)
		n, err := node.Read(buf)
		if err != nil {
			t.Fatalf("no report: %v", err)
		}
		var q Query
		if err := json.Unmarshal(buf[:n], &q); err != nil {
			t.Fatal(err)
		}
		return q
	}
	askUDP(t, p, "web.default.svc.cluster.local.", wire.TypeA)
	want := Query{Pod: "client", CoreDNS: "coredns-a", Server: "10.96.0.10", Question: "A web.default.svc.cluster.local", Answer: "10.96.5.5"}
	if got := read(); got != want {
		t.Errorf("report %+v, want %+v", got, want)
	}
	askUDP(t, p, "nope.default.svc.cluster.local.", wire.TypeA)
	want = Query{Pod: "client", CoreDNS: "coredns-b", Server: "10.96.0.10", Question: "A nope.default.svc.cluster.local", Answer: "NXDOMAIN"}
	if got := read(); got != want {
		t.Errorf("report %+v, want %+v", got, want)
	}
}

// The kubernetes Service is not routed to its endpoint: its addresses go
// to the proxy's own TLS listener, which answers as the apiserver answers
// system:anonymous.
func TestAPIService(t *testing.T) {
	s := snapshot("172.18.0.2")
	s.ServiceList = append(s.ServiceList, *service("default", "kubernetes", "10.96.0.1", "", corev1.ServicePort{Name: "https", Port: 443, Protocol: corev1.ProtocolTCP}))
	s.SliceList = append(s.SliceList, *endpoints("default", "kubernetes", port("https", 6443, corev1.ProtocolTCP), "172.18.0.1"))
	b, _ := s.Encode()
	back, _ := dns.DecodeSnapshot(b)
	tbl := NewTable(back)
	if got, want := tbl.API(), []netip.AddrPort{netip.MustParseAddrPort("10.96.0.1:443"), netip.MustParseAddrPort("172.18.0.1:6443")}; !reflect.DeepEqual(got, want) {
		t.Errorf("API at %v, want %v", got, want)
	}
	for _, r := range tbl.Routes() {
		if r.At.Addr() == netip.MustParseAddr("10.96.0.1") {
			t.Errorf("the kubernetes Service is DNATed: %+v", r)
		}
	}
	p, err := start(t.TempDir(), os.Stderr, (&programmed{}).program)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	for path, want := range map[string]string{"/version": `"major": "1"`, "/api/v1/pods": `"message":"forbidden: User \"system:anonymous\" cannot get path \"/api/v1/pods\""`} {
		resp, err := client.Get("https://" + p.api.Addr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d %s, want %s", path, resp.StatusCode, body, want)
		}
	}
}
