package controller

//lint:file-ignore SA1019 v1 Endpoints is what the controller writes.

import (
	"fmt"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func webEndpoints(t *testing.T, st *store.Store) *corev1.Endpoints {
	t.Helper()
	obj, ok := st.Get(apiserver.KeyOf(&corev1.Endpoints{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "web"}}))
	if !ok {
		t.Fatal("no Endpoints web")
	}
	return obj.(*corev1.Endpoints)
}

func sliceEndpoints(st *store.Store) int {
	n := 0
	for _, o := range st.List(apiserver.PrefixOf(resEndpointSlices)) {
		n += len(o.(*discoveryv1.EndpointSlice).Endpoints)
	}
	return n
}

// A Service over 1,000 pods: its Endpoints keep 1,000 addresses, the
// ready ones first, and say so (endpoints.kubernetes.io/over-capacity:
// truncated), as upstream's endpoints controller; its EndpointSlices
// hold every pod. Back under 1,000, the annotation goes.
func TestEndpointsTruncatedOverCapacity(t *testing.T) {
	k, st, pods, _ := endpointsCluster(1200)
	check := func(when string, ready, notReady int, annotated bool) {
		t.Helper()
		ep := webEndpoints(t, st)
		r, nr := 0, 0
		for _, s := range ep.Subsets {
			r += len(s.Addresses)
			nr += len(s.NotReadyAddresses)
		}
		got, ok := ep.Annotations[corev1.EndpointsOverCapacity]
		if r != ready || nr != notReady || ok != annotated || ok && got != "truncated" {
			t.Errorf("%s: %d ready, %d not ready, over-capacity %q (%v); want %d, %d, annotated %v",
				when, r, nr, got, ok, ready, notReady, annotated)
		}
	}
	check("1,200 pods, none ready", 0, 1000, true)
	if n := sliceEndpoints(st); n != 1200 {
		t.Errorf("EndpointSlices hold %d endpoints, want all 1,200", n)
	}
	for _, p := range pods[:1100] {
		setReady(st, p)
	}
	k.RunFor(time.Minute)
	check("1,100 of 1,200 ready", 1000, 0, true)
	for _, p := range pods[:300] {
		st.Delete(apiserver.KeyOf(p))
	}
	k.RunFor(time.Minute)
	check("900 pods left, 800 ready", 800, 100, false)
	if n := sliceEndpoints(st); n != 900 {
		t.Errorf("EndpointSlices hold %d endpoints, want 900", n)
	}
}

// truncateEndpoints shares the room out among the subsets in proportion,
// rounded up, as upstream's: not-ready addresses go first.
func TestTruncateEndpoints(t *testing.T) {
	addrs := func(n int) []corev1.EndpointAddress {
		a := make([]corev1.EndpointAddress, n)
		for i := range a {
			a[i].IP = fmt.Sprintf("10.0.%d.%d", i>>8, i&255)
		}
		return a
	}
	count := func(s []corev1.EndpointSubset) string {
		out := ""
		for _, x := range s {
			out += fmt.Sprintf("%d/%d ", len(x.Addresses), len(x.NotReadyAddresses))
		}
		return out
	}
	tests := []struct {
		name string
		in   []corev1.EndpointSubset
		cut  bool
		want string // ready/notReady per subset
	}{
		{"at capacity", []corev1.EndpointSubset{{Addresses: addrs(600), NotReadyAddresses: addrs(400)}}, false, "600/400 "},
		{"not ready cut in proportion", []corev1.EndpointSubset{{Addresses: addrs(400), NotReadyAddresses: addrs(300)},
			{Addresses: addrs(200), NotReadyAddresses: addrs(500)}}, true, "400/150 200/250 "},
		{"ready over capacity: not ready all cut", []corev1.EndpointSubset{{Addresses: addrs(1001), NotReadyAddresses: addrs(5)},
			{Addresses: addrs(1000)}}, true, "501/0 499/0 "},
	}
	for _, tt := range tests {
		if cut := truncateEndpoints(tt.in); cut != tt.cut || count(tt.in) != tt.want {
			t.Errorf("%s: cut %v, %s; want %v, %s", tt.name, cut, count(tt.in), tt.cut, tt.want)
		}
	}
}
