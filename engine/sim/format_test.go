package sim

import (
	"strings"
	"testing"
	"time"
)

// TestHopText: each way a hop is written, as the shell's trace, the hop
// log, the flow's arrow and the lesson page show it.
func TestHopText(t *testing.T) {
	upper := func(c Component) string { return strings.ToUpper(string(c)) }
	create := Hop{At: 1500 * time.Millisecond, From: "kubectl", To: "apiserver", Verb: "create", Object: "pods/web"}
	bind := Hop{At: 123456 * time.Millisecond, From: "scheduler", To: "apiserver", Verb: "bind", Object: "pods/web → node-2", Summary: "node-2 has the most room"}
	watch := Hop{At: 118 * time.Millisecond, From: "apiserver", To: "kubelet/node-1", Verb: "watch", Object: "pods/web", Summary: "pod bound"}
	late := Hop{At: 1234567 * time.Millisecond, From: "kubelet/node-1", To: "runtime/node-1", Verb: "stop", Object: "pods/web"}
	for _, tc := range []struct {
		what, got, want string
	}{
		{"trace", create.Trace(), "  1.500  kubectl → apiserver  create pods/web"},
		{"trace", bind.Trace(), "123.456  scheduler → apiserver  bind pods/web → node-2  (node-2 has the most room)"},
		{"trace", watch.Trace(), "  0.118  apiserver → kubelet/node-1  watch pods/web  (pod bound)"},
		{"line", watch.Line(TimeWidth(watch.At)), "  0.118  apiserver → kubelet/node-1  watch: pods/web"},
		{"line", bind.Line(TimeWidth(late.At)), " 123.456  scheduler → apiserver  bind pods/web → node-2"},
		{"line", late.Line(TimeWidth(late.At)), "1234.567  kubelet/node-1 → runtime/node-1  stop pods/web"},
		{"label", Hop{Verb: "watch"}.Label(), "watch:"},
		{"label", Hop{Verb: "list", Object: "pods"}.Label(), "list pods"},
		{"action", Hop{Verb: "pull"}.Action(), "pull "},
		{"route", late.Route(), "kubelet/node-1 → runtime/node-1"},
		// A front end names the ends in its own words; the rest stays.
		{"route as", create.RouteAs(upper), "KUBECTL → APISERVER"},
		{"line as", create.LineAs(8, upper), "   1.500  KUBECTL → APISERVER  create pods/web"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %q, want %q", tc.what, tc.got, tc.want)
		}
	}
}

// TestEvidenceShowsOnlyOnARealClustersHops: the embedded engine's hops
// read as before; a real cluster's say how they are known.
func TestEvidenceShowsOnlyOnARealClustersHops(t *testing.T) {
	h := Hop{From: "apiserver", To: "etcd", Verb: VerbPut, Object: "/registry/pods/default/web-1", Summary: "resourceVersion 42"}
	if h.Trace() != "  0.000  apiserver → etcd  put /registry/pods/default/web-1  (resourceVersion 42)" || strings.Contains(h.Line(7), "[") {
		t.Errorf("embedded: %q / %q", h.Trace(), h.Line(7))
	}
	h.Evidence = Inferred
	if h.Trace() != "  0.000  apiserver → etcd  put /registry/pods/default/web-1  (inferred: resourceVersion 42)" ||
		!strings.HasSuffix(h.Line(7), "put /registry/pods/default/web-1  [inferred]") {
		t.Errorf("inferred: %q / %q", h.Trace(), h.Line(7))
	}
	h.Evidence, h.Summary = Observed, ""
	if h.Trace() != "  0.000  apiserver → etcd  put /registry/pods/default/web-1  (observed)" {
		t.Errorf("observed: %q", h.Trace())
	}
}
