package controller

//lint:file-ignore SA1019 v1 Endpoints is what this controller mirrors.

import (
	"time"

	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// The EndpointSlice mirroring controller: the Endpoints a user writes for
// a Service without a selector are mirrored into EndpointSlices, which is
// what kube-proxy and the cluster DNS read, as upstream's
// endpointslicemirroring-controller does. Endpoints labelled
// endpointslice.kubernetes.io/skip-mirror=true (the apiserver's own for
// the kubernetes Service, which writes its slice itself) are left alone.
const (
	managedByMirroring = "endpointslicemirroring-controller.k8s.io"
	// LabelSkipMirror is discoveryv1's label.
	LabelSkipMirror = discoveryv1.LabelSkipMirror
	// mirroringMaxPerSlice is --mirroring-max-endpoints-per-subset's default.
	mirroringMaxPerSlice = 1000
)

type endpointSliceMirroring struct{ sliceWriter }

func installEndpointSliceMirroring(m *Manager) {
	c := &endpointSliceMirroring{sliceWriter{Manager: m, managedBy: managedByMirroring, creating: map[Key]int{}}}
	c.q = m.Register(Controller{Name: "endpointslicemirroring-controller", Order: 32, Reconciler: c, Watches: []Watch{
		{Object: &corev1.Service{}, Filter: c.selectorless, Keys: ownKey},
		{Object: &corev1.Endpoints{}, Filter: c.mirrored, Keys: ownKey},
	}})
}

// selectorless takes the changes of Services without a selector (and of
// one that had none), whose Endpoints are the user's.
func (c *endpointSliceMirroring) selectorless(ev store.Event) (string, bool) {
	had := ev.Old != nil && ev.Old.(*corev1.Service).Spec.Selector == nil
	return "service " + ev.Verb(), had || ev.Object.(*corev1.Service).Spec.Selector == nil
}

// mirrored takes the changes of Endpoints this controller mirrors, or
// mirrored before the change: those of a Service without a selector.
func (c *endpointSliceMirroring) mirrored(ev store.Event) (string, bool) {
	ep := ev.Object.(*corev1.Endpoints)
	obj, err := c.api.Get(resServices, ep.Namespace, ep.Name)
	if err != nil || obj.(*corev1.Service).Spec.Selector != nil {
		return "", false
	}
	return "endpoints " + ev.Verb(), true
}

// Reconcile mirrors the Service's Endpoints, or deletes the mirrored
// slices when the Service has a selector, is gone, or its Endpoints are.
func (c *endpointSliceMirroring) Reconcile(key Key) Result {
	if c.creating[key] > 0 {
		return Result{}
	}
	var want []*discoveryv1.EndpointSlice
	svcObj, err := c.api.Get(resServices, key.Namespace, key.Name)
	epObj, epErr := c.api.Get(resEndpoints, key.Namespace, key.Name)
	if err == nil && epErr == nil && svcObj.(*corev1.Service).Spec.Selector == nil && epObj.(*corev1.Endpoints).Labels[LabelSkipMirror] != "true" {
		want = mirrorSlices(epObj.(*corev1.Endpoints))
	}
	have := c.slicesOf(key.Namespace, key.Name)
	if len(want) == 0 && len(have) == 0 {
		return Result{}
	}
	c.write(key, have, want)
	return Result{Busy: time.Duration(len(want)) * syncCostPerPod}
}

// mirrorSlices are an Endpoints' slices as upstream's mirroring
// controller makes them: one a subset (at most 1,000 addresses each),
// ready addresses ready and not-ready ones not, the Endpoints' labels
// with the slice's own, owned by the Endpoints.
func mirrorSlices(ep *corev1.Endpoints) []*discoveryv1.EndpointSlice {
	var out []*discoveryv1.EndpointSlice
	for _, ss := range ep.Subsets {
		var ports []discoveryv1.EndpointPort
		for _, p := range ss.Ports {
			ports = append(ports, discoveryv1.EndpointPort{Name: ptr.To(p.Name), Port: ptr.To(p.Port), Protocol: ptr.To(p.Protocol), AppProtocol: p.AppProtocol})
		}
		var eps []discoveryv1.Endpoint
		add := func(addrs []corev1.EndpointAddress, ready bool) {
			for _, a := range addrs {
				if len(eps) >= mirroringMaxPerSlice {
					return
				}
				e := discoveryv1.Endpoint{Addresses: []string{a.IP}, Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(ready)},
					TargetRef: a.TargetRef, NodeName: a.NodeName}
				if a.Hostname != "" {
					e.Hostname = ptr.To(a.Hostname)
				}
				eps = append(eps, e)
			}
		}
		add(ss.Addresses, true)
		add(ss.NotReadyAddresses, false)
		labels := copyMap(ep.Labels)
		if labels == nil {
			labels = map[string]string{}
		}
		labels[LabelServiceName], labels[LabelManagedBy] = ep.Name, managedByMirroring
		out = append(out, &discoveryv1.EndpointSlice{
			ObjectMeta: metav1.ObjectMeta{GenerateName: ep.Name + "-", Namespace: ep.Namespace, Labels: labels,
				OwnerReferences: []metav1.OwnerReference{{APIVersion: "v1", Kind: "Endpoints", Name: ep.Name, UID: ep.UID,
					Controller: ptr.To(true), BlockOwnerDeletion: ptr.To(true)}}},
			AddressType: discoveryv1.AddressTypeIPv4, Endpoints: eps, Ports: ports,
		})
	}
	return out
}
