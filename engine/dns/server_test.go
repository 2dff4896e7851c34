package dns_test

import (
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/dns"

	wire "github.com/miekg/dns"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// cluster is a namespace, a ClusterIP Service web with a named port,
// and a headless Service db with a ready pod db-0 (hostname db-0,
// subdomain db) and one without a hostname: a snapshot as a Docker pod's
// proxy reads it, after a trip through its JSON.
func cluster(t testing.TB) *dns.Server {
	t.Helper()
	snap := dns.NewSnapshot([]string{"default"}, []*corev1.Service{
		{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", Labels: map[string]string{"app": "web"}},
			Spec: corev1.ServiceSpec{ClusterIP: "10.96.7.8", Ports: []corev1.ServicePort{{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP}}}},
		{ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "default"},
			Spec: corev1.ServiceSpec{ClusterIP: corev1.ClusterIPNone, Ports: []corev1.ServicePort{{Name: "sql", Port: 5432, Protocol: corev1.ProtocolTCP}}}},
	}, []*discoveryv1.EndpointSlice{{ObjectMeta: metav1.ObjectMeta{Name: "db-x7k2p", Namespace: "default", Labels: map[string]string{discoveryv1.LabelServiceName: "db"}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints: []discoveryv1.Endpoint{{Addresses: []string{"10.244.1.5"}, Hostname: ptr.To("db-0"), NodeName: ptr.To("node-1"), Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true)}},
			{Addresses: []string{"10.244.2.6"}, Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true)}},
			{Addresses: []string{"10.244.3.7"}, Hostname: ptr.To("db-2"), Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(false)}}},
		Ports: []discoveryv1.EndpointPort{{Name: ptr.To("sql"), Port: ptr.To[int32](5432), Protocol: ptr.To(corev1.ProtocolTCP)}},
	}})
	b, err := snap.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := dns.DecodeSnapshot(b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"app"`) {
		t.Errorf("the snapshot keeps labels nobody reads: %s", b)
	}
	if strings.Contains(string(b), "nodeName") {
		t.Errorf("the snapshot keeps fields nobody reads: %s", b)
	}
	return dns.New(back)
}

func ask(s *dns.Server, name string, qtype uint16) *wire.Msg {
	q := new(wire.Msg)
	q.SetQuestion(name, qtype)
	return s.Answer(q)
}

// answers is a reply's code and records, one per line, in the wire's
// presentation format without TTL and class.
func answers(r *wire.Msg) string {
	out := []string{wire.RcodeToString[r.Rcode]}
	for _, rr := range r.Answer {
		f := strings.Fields(rr.String())
		out = append(out, strings.Join(append([]string{f[0]}, f[3:]...), " "))
	}
	return strings.Join(out, "\n")
}

func TestAnswers(t *testing.T) {
	s := cluster(t)
	for _, tc := range []struct {
		name  string
		qtype uint16
		want  string
	}{
		{"web.default.svc.cluster.local.", wire.TypeA, "NOERROR\nweb.default.svc.cluster.local. A 10.96.7.8"},
		{"WEB.Default.svc.cluster.local.", wire.TypeA, "NOERROR\nWEB.Default.svc.cluster.local. A 10.96.7.8"},
		{"web.default.svc.cluster.local.", wire.TypeAAAA, "NOERROR"},
		{"web.svc.cluster.local.", wire.TypeA, "NXDOMAIN"},
		{"web.cluster.local.", wire.TypeA, "NXDOMAIN"},
		{"nope.default.svc.cluster.local.", wire.TypeA, "NXDOMAIN"},
		{"default.svc.cluster.local.", wire.TypeA, "NOERROR"},
		{"db.default.svc.cluster.local.", wire.TypeA, "NOERROR\ndb.default.svc.cluster.local. A 10.244.1.5\ndb.default.svc.cluster.local. A 10.244.2.6"},
		{"db-0.db.default.svc.cluster.local.", wire.TypeA, "NOERROR\ndb-0.db.default.svc.cluster.local. A 10.244.1.5"},
		{"10-244-2-6.db.default.svc.cluster.local.", wire.TypeA, "NOERROR\n10-244-2-6.db.default.svc.cluster.local. A 10.244.2.6"},
		{"db-9.db.default.svc.cluster.local.", wire.TypeA, "NXDOMAIN"},
		{"db-2.db.default.svc.cluster.local.", wire.TypeA, "NXDOMAIN"}, // not ready
		{"_http._tcp.web.default.svc.cluster.local.", wire.TypeSRV, "NOERROR\n_http._tcp.web.default.svc.cluster.local. SRV 0 100 80 web.default.svc.cluster.local."},
		{"_sql._tcp.db.default.svc.cluster.local.", wire.TypeSRV,
			"NOERROR\n_sql._tcp.db.default.svc.cluster.local. SRV 0 50 5432 db-0.db.default.svc.cluster.local.\n_sql._tcp.db.default.svc.cluster.local. SRV 0 50 5432 10-244-2-6.db.default.svc.cluster.local."},
		{"_nope._tcp.web.default.svc.cluster.local.", wire.TypeSRV, "NXDOMAIN"},
		{"10-244-1-5.default.pod.cluster.local.", wire.TypeA, "NOERROR\n10-244-1-5.default.pod.cluster.local. A 10.244.1.5"},
		{"8.7.96.10.in-addr.arpa.", wire.TypePTR, "NOERROR\n8.7.96.10.in-addr.arpa. PTR web.default.svc.cluster.local."},
		{"5.1.244.10.in-addr.arpa.", wire.TypePTR, "NOERROR\n5.1.244.10.in-addr.arpa. PTR db-0.db.default.svc.cluster.local."},
		{"9.9.9.10.in-addr.arpa.", wire.TypePTR, "NXDOMAIN"},
		{"example.com.", wire.TypeA, "NXDOMAIN"},
	} {
		r := ask(s, tc.name, tc.qtype)
		if got := answers(r); got != tc.want {
			t.Errorf("%s %s:\n%s\nwant\n%s", wire.TypeToString[tc.qtype], tc.name, got, tc.want)
		}
		// The cluster's zone, and the reverse names it knows, are its own.
		inZone := strings.HasSuffix(strings.ToLower(tc.name), "cluster.local.") || tc.qtype == wire.TypePTR && r.Rcode == wire.RcodeSuccess
		if r.Authoritative != inZone {
			t.Errorf("%s: authoritative %v, want %v", tc.name, r.Authoritative, inZone)
		}
		if r.Rcode == wire.RcodeNameError && r.Authoritative && len(r.Ns) != 1 {
			t.Errorf("%s: NXDOMAIN without the zone's SOA", tc.name)
		}
	}
}

// The reply packs: the wire format is right for a real resolver.
func TestAnswerPacks(t *testing.T) {
	r := ask(cluster(t), "_sql._tcp.db.default.svc.cluster.local.", wire.TypeSRV)
	b, err := r.Pack()
	if err != nil {
		t.Fatal(err)
	}
	var back wire.Msg
	if err := back.Unpack(b); err != nil || len(back.Answer) != 2 || len(back.Extra) != 2 {
		t.Fatalf("unpacked %v, %v; want 2 answers and 2 additionals", &back, err)
	}
}

// BenchmarkLookup is one A query for a Service, as a pod's lookup of
// web makes on the simulated runtime: the CPU it costs the engine.
func BenchmarkLookup(b *testing.B) {
	s := cluster(b)
	q := new(wire.Msg)
	q.SetQuestion("web.default.svc.cluster.local.", wire.TypeA)
	b.ReportAllocs()
	for b.Loop() {
		if r := s.Answer(q); len(r.Answer) != 1 {
			b.Fatal("no answer")
		}
	}
}

// BenchmarkSearchLookup is a libc lookup of "web" from a pod in another
// namespace: three queries down the search path, two NXDOMAIN first.
func BenchmarkSearchLookup(b *testing.B) {
	s := cluster(b)
	names := []string{"web.other.svc.cluster.local.", "web.svc.cluster.local.", "web.cluster.local."}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			q := new(wire.Msg)
			q.SetQuestion(n, wire.TypeA)
			s.Answer(q)
		}
	}
}
