package cluster

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// A node's pod CIDR holds 253 pods' addresses: with 255 pods running on
// one node, the ones past it stay ContainerCreating and the kubelet
// reports host-local's exhaustion, as on a real node.
func TestPodIPsExhaustedOnANode(t *testing.T) {
	c, err := New(Options{Seed: 1, Nodes: 1, NodePods: 300})
	if err != nil {
		t.Fatal(err)
	}
	create(t, c, deployment("many", 255, "nginx:1.14.2"))
	const want = "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox " +
		`"%s": plugin type="ptp" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.254`
	var event *corev1.Event
	ips := map[string]int{} // pods by IP
	c.k.RunUntil(5*time.Minute, func() bool {
		for _, o := range c.api.List(resEvents, "default") {
			if e := o.(*corev1.Event); e.Reason == "FailedCreatePodSandBox" {
				event = e
			}
		}
		clear(ips)
		for _, o := range c.api.List(resPods, "") {
			if ip := o.(*corev1.Pod).Status.PodIP; strings.HasPrefix(ip, "10.244.1.") {
				ips[ip]++
			}
		}
		return event != nil && len(ips) == 253
	})
	if event == nil {
		t.Fatal("no FailedCreatePodSandBox event with 255 pods on one node")
	}
	if event.Type != corev1.EventTypeWarning || !strings.HasPrefix(event.Message, want[:strings.Index(want, "%s")]) ||
		!strings.HasSuffix(event.Message, want[strings.Index(want, "%s")+2:]) {
		t.Fatalf("event %s %s: %s", event.Type, event.Reason, event.Message)
	}
	for ip, n := range ips {
		if n > 1 {
			t.Fatalf("%d pods have %s", n, ip)
		}
	}
	if len(ips) != 253 {
		t.Fatalf("%d pods have an address of the node's range, want all 253", len(ips))
	}
}
