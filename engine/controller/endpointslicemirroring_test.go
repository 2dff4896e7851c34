package controller

//lint:file-ignore SA1019 the test writes v1 Endpoints as a user does.

import (
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestEndpointSliceMirroring: the Endpoints a user writes for a Service
// without a selector are mirrored into a slice (ready and not-ready
// addresses, ports, labels as upstream's), which follows them and goes
// with them; Endpoints labelled skip-mirror are not mirrored.
func TestEndpointSliceMirroring(t *testing.T) {
	k := sim.NewKernel(1)
	st := store.New()
	New(apiserver.New(k, st, nil))
	for _, ns := range []string{"default"} {
		st.Put(apiserver.KeyOf(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
	}
	for _, name := range []string{"db", "apiserver"} {
		svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: name},
			Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Name: "sql", Port: 5432, Protocol: corev1.ProtocolTCP}}}}
		st.Put(apiserver.KeyOf(svc), svc)
	}
	ep := &corev1.Endpoints{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "db", UID: "uid-db", Labels: map[string]string{"tier": "data"}},
		Subsets: []corev1.EndpointSubset{{
			Addresses:         []corev1.EndpointAddress{{IP: "192.168.1.10", Hostname: "primary"}},
			NotReadyAddresses: []corev1.EndpointAddress{{IP: "192.168.1.11"}},
			Ports:             []corev1.EndpointPort{{Name: "sql", Port: 5432, Protocol: corev1.ProtocolTCP}},
		}}}
	st.Put(apiserver.KeyOf(ep), ep)
	skip := &corev1.Endpoints{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "apiserver", Labels: map[string]string{LabelSkipMirror: "true"}},
		Subsets: ep.Subsets}
	st.Put(apiserver.KeyOf(skip), skip)
	k.RunFor(time.Second)

	slices := func(svc string) []*discoveryv1.EndpointSlice {
		var out []*discoveryv1.EndpointSlice
		for _, o := range st.List(apiserver.PrefixOf(resEndpointSlices)) {
			if es := o.(*discoveryv1.EndpointSlice); es.Labels[LabelServiceName] == svc {
				out = append(out, es)
			}
		}
		return out
	}
	got := slices("db")
	if len(got) != 1 {
		t.Fatalf("%d slices for db, want 1", len(got))
	}
	es := got[0]
	if es.GenerateName != "db-" || es.Labels[LabelManagedBy] != "endpointslicemirroring-controller.k8s.io" || es.Labels["tier"] != "data" ||
		len(es.OwnerReferences) != 1 || es.OwnerReferences[0].Kind != "Endpoints" {
		t.Errorf("slice %s: labels %v, owners %+v", es.Name, es.Labels, es.OwnerReferences)
	}
	if len(es.Endpoints) != 2 || !*es.Endpoints[0].Conditions.Ready || *es.Endpoints[0].Hostname != "primary" || *es.Endpoints[1].Conditions.Ready ||
		len(es.Ports) != 1 || *es.Ports[0].Port != 5432 {
		t.Errorf("endpoints %+v, ports %+v", es.Endpoints, es.Ports)
	}
	if n := len(slices("apiserver")); n != 0 {
		t.Errorf("skip-mirror Endpoints mirrored into %d slices", n)
	}

	// The Endpoints change: the slice follows; they go: so does it.
	ep = ep.DeepCopy()
	ep.Subsets[0].NotReadyAddresses = nil
	st.Put(apiserver.KeyOf(ep), ep)
	k.RunFor(time.Second)
	if got := slices("db"); len(got) != 1 || len(got[0].Endpoints) != 1 {
		t.Errorf("after the update: %+v", got)
	}
	st.Delete(apiserver.KeyOf(ep))
	k.RunFor(time.Second)
	if got := slices("db"); len(got) != 0 {
		t.Errorf("after the Endpoints went: %d slices", len(got))
	}
}
