package controller

import (
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// webSlices are the slices stored for Service default/web.
func webSlices(st *store.Store) []*discoveryv1.EndpointSlice {
	var out []*discoveryv1.EndpointSlice
	for _, o := range st.List(apiserver.PrefixOf(resEndpointSlices)) {
		if es := o.(*discoveryv1.EndpointSlice); es.Labels[LabelServiceName] == "web" {
			out = append(out, es)
		}
	}
	return out
}

// TestEndpointSliceFollowsPods: a Service's one IPv4 slice, named
// web-<5 characters> and labelled as upstream's, follows its pod from not
// ready to ready to terminating to gone, and goes with the Service.
func TestEndpointSliceFollowsPods(t *testing.T) {
	k, st, pods, _ := endpointsCluster(1)
	one := func(what string) *discoveryv1.EndpointSlice {
		t.Helper()
		s := webSlices(st)
		if len(s) != 1 {
			t.Fatalf("%s: %d slices, want 1", what, len(s))
		}
		return s[0]
	}
	conds := func(es *discoveryv1.EndpointSlice) (ready, serving, terminating bool) {
		t.Helper()
		if len(es.Endpoints) != 1 {
			t.Fatalf("%d endpoints, want 1: %+v", len(es.Endpoints), es.Endpoints)
		}
		c := es.Endpoints[0].Conditions
		return *c.Ready, *c.Serving, *c.Terminating
	}
	es := one("not ready")
	if len(es.Name) != len("web-")+5 || es.Name[:4] != "web-" || es.GenerateName != "web-" {
		t.Errorf("name %q (generateName %q), want web-<5 characters>", es.Name, es.GenerateName)
	}
	if es.AddressType != discoveryv1.AddressTypeIPv4 || es.Labels[LabelManagedBy] != "endpointslice-controller.k8s.io" {
		t.Errorf("addressType %q, labels %v", es.AddressType, es.Labels)
	}
	if len(es.Ports) != 1 || *es.Ports[0].Port != 80 || len(es.OwnerReferences) != 1 || es.OwnerReferences[0].Kind != "Service" {
		t.Errorf("ports %+v, owners %+v", es.Ports, es.OwnerReferences)
	}
	ep := es.Endpoints[0]
	if ep.Addresses[0] != pods[0].Status.PodIP || *ep.NodeName != "node-1" || ep.TargetRef.Name != pods[0].Name {
		t.Errorf("endpoint %+v", ep)
	}
	if r, s, term := conds(es); r || s || term {
		t.Errorf("not ready pod: ready=%v serving=%v terminating=%v, want all false", r, s, term)
	}
	name := es.Name

	setReady(st, pods[0])
	k.RunFor(time.Second)
	if r, s, term := conds(one("ready")); !r || !s || term {
		t.Errorf("ready pod: ready=%v serving=%v terminating=%v, want true true false", r, s, term)
	}

	p, _ := st.Get(apiserver.KeyOf(pods[0]))
	p = p.DeepCopyObject()
	now := metav1.Now()
	p.(*corev1.Pod).DeletionTimestamp = &now
	st.Put(apiserver.KeyOf(p), p)
	k.RunFor(time.Second)
	if r, s, term := conds(one("terminating")); r || !s || !term {
		t.Errorf("terminating ready pod: ready=%v serving=%v terminating=%v, want false true true", r, s, term)
	}

	st.Delete(apiserver.KeyOf(p))
	k.RunFor(time.Second)
	es = one("deleted")
	if es.Name != name || len(es.Endpoints) != 0 || len(es.Ports) != 0 {
		t.Errorf("after the pod is gone: %s with %d endpoints, %d ports; want %s, the placeholder", es.Name, len(es.Endpoints), len(es.Ports), name)
	}

	st.Delete(apiserver.KeyOf(&corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "web"}}))
	k.RunFor(time.Second)
	if s := webSlices(st); len(s) != 0 {
		t.Errorf("the Service is gone, %d slices left", len(s))
	}
}

// TestEndpointSlicesHoldAHundred: 250 pods make three slices of 100, 100
// and 50 endpoints, and scaling to 40 leaves one.
func TestEndpointSlicesHoldAHundred(t *testing.T) {
	k, st, pods, _ := endpointsCluster(250)
	count := func() []int {
		var n []int
		for _, es := range webSlices(st) {
			n = append(n, len(es.Endpoints))
		}
		return n
	}
	if got := count(); len(got) != 3 || got[0]+got[1]+got[2] != 250 || max(got[0], got[1], got[2]) != 100 {
		t.Fatalf("250 pods: slices of %v, want 100, 100, 50", got)
	}
	for _, p := range pods[40:] {
		st.Delete(apiserver.KeyOf(p))
	}
	k.RunFor(time.Second)
	if got := count(); len(got) != 1 || got[0] != 40 {
		t.Fatalf("40 pods: slices of %v, want one of 40", got)
	}
}
