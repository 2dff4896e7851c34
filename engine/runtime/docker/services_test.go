package docker_test

//lint:file-ignore SA1019 v1 Endpoints is what kube-proxy reads here.

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/dns"
	"github.com/kubeplay/kubeplay/engine/runtime"

	"github.com/moby/moby/client"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// servicesTo is a snapshot with kube-dns and a Service web at 10.96.5.5:80
// whose endpoint is ip:8080.
func servicesTo(t *testing.T, ip string) []byte {
	t.Helper()
	b, err := dns.NewSnapshot([]string{"default", "kube-system"}, []*corev1.Service{
		{ObjectMeta: metav1.ObjectMeta{Name: "kube-dns", Namespace: "kube-system"}, Spec: corev1.ServiceSpec{ClusterIP: dns.ServiceIP,
			Ports: []corev1.ServicePort{{Name: "dns", Port: 53, Protocol: corev1.ProtocolUDP}}}},
		{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"}, Spec: corev1.ServiceSpec{ClusterIP: "10.96.5.5",
			Ports: []corev1.ServicePort{{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP}}}},
	}, []*discoveryv1.EndpointSlice{{ObjectMeta: metav1.ObjectMeta{Name: "web-abcde", Namespace: "default", Labels: map[string]string{discoveryv1.LabelServiceName: "web"}},
		AddressType: discoveryv1.AddressTypeIPv4, Endpoints: []discoveryv1.Endpoint{{Addresses: []string{ip}}},
		Ports: []discoveryv1.EndpointPort{{Name: ptr.To("http"), Port: ptr.To[int32](8080), Protocol: ptr.To(corev1.ProtocolTCP)}},
	}, { // a ready coredns pod, without which the pods' proxies answer no DNS
		ObjectMeta:  metav1.ObjectMeta{Name: "kube-dns-fghij", Namespace: "kube-system", Labels: map[string]string{discoveryv1.LabelServiceName: "kube-dns"}},
		AddressType: discoveryv1.AddressTypeIPv4, Endpoints: []discoveryv1.Endpoint{{Addresses: []string{"10.0.0.53"}}},
		Ports: []discoveryv1.EndpointPort{{Name: ptr.To("dns"), Port: ptr.To[int32](53), Protocol: ptr.To(corev1.ProtocolUDP)}},
	}}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSandboxRoutesServices: a sandbox's proxy follows the node's
// snapshot — a cluster IP reaches its endpoint, the cluster DNS answers,
// the rest of the Service range is refused — and a sandbox whose proxy
// cannot write its rules says so in its notice.
func TestSandboxRoutesServices(t *testing.T) {
	rt := newRuntime(t)
	srv, _ := pod(t, rt, "srv", runtime.ContainerConfig{Name: "app", Image: testImage, Env: []runtime.EnvVar{{Name: "VERSION", Value: "srv"}}})
	if err := rt.SyncServices(servicesTo(t, srv.IP)); err != nil {
		t.Fatal(err)
	}
	cli, id := pod(t, rt, "cli", runtime.ContainerConfig{Name: "app", Image: testImage})
	if cli.Notice != "" {
		t.Errorf("a sandbox with its rules written has a notice: %s", cli.Notice)
	}
	// The sandbox alone has NET_ADMIN, over the pod's namespace; nothing is
	// privileged and the snapshot is read-only to it.
	for which, want := range map[string][]string{cli.ID: {"NET_ADMIN"}, id: nil} {
		ins, err := rt.Client().ContainerInspect(context.Background(), which, client.ContainerInspectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		hc := ins.Container.HostConfig
		var added []string // the daemon (20.10) spells them CAP_…
		for _, c := range hc.CapAdd {
			added = append(added, strings.TrimPrefix(c, "CAP_"))
		}
		if hc.Privileged || hc.NetworkMode.IsHost() || !slices.Equal(added, want) || !slices.Contains(hc.SecurityOpt, "no-new-privileges") {
			t.Errorf("%s: privileged %v, network %s, capabilities added %v, security %v; want %v added, no-new-privileges",
				ins.Container.Name, hc.Privileged, hc.NetworkMode, hc.CapAdd, hc.SecurityOpt, want)
		}
		for _, m := range ins.Container.Mounts {
			if m.Destination == "/run/kubeplay/kube-proxy" && (which != cli.ID || m.RW) {
				t.Errorf("%s mounts the snapshot folder (read-write %v)", ins.Container.Name, m.RW)
			}
		}
	}
	exec := func(cmd ...string) string {
		t.Helper()
		res, err := rt.Exec(id, cmd, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return string(res.Output)
	}
	if out := exec("wget", "-qO-", "http://10.96.5.5/"); !strings.Contains(out, "demo srv from pod srv") {
		t.Errorf("wget the cluster IP: %q", out)
	}
	if out := exec("nslookup", "web.default.svc.cluster.local", dns.ServiceIP); !strings.Contains(out, "Address: 10.96.5.5") {
		t.Errorf("nslookup at the cluster DNS: %q", out)
	}
	if out := exec("wget", "-qO-", "http://10.96.5.6/"); !strings.Contains(out, "Connection refused") {
		t.Errorf("wget an address no Service has: %q", out)
	}

	// The endpoint moves: the rules follow the next snapshot.
	if err := rt.SyncServices(servicesTo(t, cli.IP)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for out := ""; !strings.Contains(out, "from pod cli"); out = exec("wget", "-qO-", "http://10.96.5.5/") {
		if time.Now().After(deadline) {
			t.Fatalf("the rules did not follow the new snapshot: %q", out)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// A snapshot the proxy cannot read: the next sandbox's notice says the
	// pod has no cluster IPs and why.
	if err := rt.SyncServices([]byte("{not json")); err != nil {
		t.Fatal(err)
	}
	bad, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-bad", PodName: "bad", Namespace: "default", Hostname: "bad"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(bad.Notice, "kube-proxy: services.json") || !strings.Contains(bad.Notice, "cluster IPs and the cluster DNS do not answer in this pod") {
		t.Errorf("notice %q; want the proxy's failure", bad.Notice)
	}
}
