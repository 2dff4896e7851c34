package cluster

import (
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// dnsNode is a node whose pods answer the cluster DNS themselves, as
// Docker's do: it keeps the DNS views it is handed, and reports its
// pods' queries.
type dnsNode struct {
	runtime.Runtime
	views     []string
	report    func(runtime.DNSQuery)
	reporting bool // ReportDNS
	flushes   int  // FlushDNS
	execs     int  // Exec, the probes' and the learner's
}

func (n *dnsNode) FlushDNS() { n.flushes++ }

func (n *dnsNode) Exec(id string, cmd []string, timeout time.Duration) (runtime.ExecResult, error) {
	n.execs++
	return n.Runtime.Exec(id, cmd, timeout)
}

func (n *dnsNode) ExecStdin(id string, cmd []string, stdin []byte, timeout time.Duration) (runtime.ExecResult, error) {
	n.execs++
	return n.Runtime.(runtime.StdinExecer).ExecStdin(id, cmd, stdin, timeout)
}

func (n *dnsNode) SyncServices([]byte) error { return nil }

func (n *dnsNode) SyncDNS(b []byte) error {
	n.views = append(n.views, string(b))
	return nil
}

func (n *dnsNode) OnDNSQuery(fn func(runtime.DNSQuery)) { n.report = fn }

func (n *dnsNode) ReportDNS(on bool) error {
	n.reporting = on
	return nil
}

func dnsCluster(t *testing.T) (*Cluster, *dnsNode) {
	t.Helper()
	node := &dnsNode{}
	c, err := New(Options{Seed: 1, Nodes: 1, wrapRuntime: func(_ string, r runtime.Runtime) runtime.Runtime {
		node.Runtime = r
		return node
	}})
	if err != nil {
		t.Fatal(err)
	}
	return c, node
}

// A new Service reaches the nodes' DNS view at once, as CoreDNS's
// informer hears of it, whenever kube-proxy syncs next, with no step of
// the cluster after it: the learner's next command may be the lookup,
// and a kubectl exec holds the engine while it runs.
func TestDNSViewFollowsServices(t *testing.T) {
	c, node := dnsCluster(t)
	if len(node.views) == 0 || !strings.Contains(node.views[len(node.views)-1], `"kube-dns"`) {
		t.Fatal("the node got no DNS view at boot")
	}
	c.k.RunFor(5 * time.Second)
	svc := func(name string) *corev1.Service {
		return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
			Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP}}}}
	}
	for _, name := range []string{"api", "db"} {
		c.api.Submit("kubectl", apiserver.Request{Verb: sim.VerbCreate, Object: svc(name)})
		stored := false
		for !stored && c.k.Pending() > 0 {
			before := len(node.views)
			c.k.Step()
			if _, stored = c.st.Get(apiserver.PrefixOf(resServices) + "default/" + name); stored {
				if len(node.views) == before || !strings.Contains(node.views[len(node.views)-1], `"name":"`+name+`"`) {
					t.Fatalf("the hop that stored Service %s did not hand the nodes a view with it", name)
				}
			}
		}
		if !stored {
			t.Fatalf("Service %s was not created", name)
		}
	}
}

// A query a node's pod answered is two hops, pod → coredns pod and back,
// the same as the simulated runtime's, while SetDNSHops is on; none while
// it is off.
func TestDNSQueriesFromANodeAreHops(t *testing.T) {
	c, node := dnsCluster(t)
	var got []sim.Hop
	c.Observe(func(h sim.Hop) {
		if h.Verb == sim.VerbDNS {
			got = append(got, h)
		}
	})
	q := runtime.DNSQuery{Pod: "client", CoreDNS: "coredns-abc", Server: "10.96.0.10", Question: "A web.default.svc.cluster.local", Answer: "10.96.0.20"}
	node.report(q)
	c.k.RunFor(time.Millisecond)
	if len(got) != 0 {
		t.Fatalf("hops while off: %v", got)
	}
	c.SetDNSHops(true)
	if !node.reporting {
		t.Error("SetDNSHops did not ask the node for its pods' queries")
	}
	node.report(q)
	c.k.RunFor(time.Millisecond)
	want := []string{"pod/client → pod/coredns-abc dns 10.96.0.10:53 A web.default.svc.cluster.local",
		"pod/coredns-abc → pod/client dns 10.96.0.10:53 A web.default.svc.cluster.local: 10.96.0.20"}
	if len(got) != len(want) {
		t.Fatalf("hops %v, want %q", got, want)
	}
	for i, h := range got {
		if s := h.From.String() + " → " + h.To.String() + " " + h.Verb.String() + " " + h.Object + " " + h.Summary; s != want[i] {
			t.Errorf("hop %d: %q, want %q", i, s, want[i])
		}
	}
}

// A learner's command in a pod (kubectl exec, with stdin or without) has
// the node write the DNS view it holds back first, so that it looks
// names up in the cluster as it is; the kubelet's exec probes, which run
// every period, do not.
func TestOnlyALearnersExecFlushesDNS(t *testing.T) {
	c, node := dnsCluster(t)
	p := pod("client", "busybox:1.28")
	p.Spec.Containers[0].Command = []string{"sleep", "3600"}
	p.Spec.Containers[0].ReadinessProbe = &corev1.Probe{PeriodSeconds: 1,
		ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/etc/hostname"}}}}
	create(t, c, p)
	c.k.RunFor(20 * time.Second)
	if node.execs < 10 {
		t.Fatalf("%d execs in 20 s of a probe every second", node.execs)
	}
	if node.flushes != 0 {
		t.Errorf("the exec probes flushed the DNS view %d times, want none", node.flushes)
	}
	obj, err := c.api.Get(resPods, "default", "client")
	if err != nil {
		t.Fatal(err)
	}
	id := obj.(*corev1.Pod).Status.ContainerStatuses[0].ContainerID
	kl, _ := c.Kubelet("node-1")
	if res, err := kl.Exec(id, []string{"nslookup", "kubernetes"}, time.Minute); err != nil || node.flushes != 1 {
		t.Errorf("kubectl exec: %v (%q), %d flushes, want 1", err, res.Output, node.flushes)
	}
	if _, err := kl.ExecStdin(id, []string{"cat"}, []byte("x"), time.Minute); err != nil || node.flushes != 2 {
		t.Errorf("kubectl exec -i: %v, %d flushes, want 2", err, node.flushes)
	}
}
