package controller

import (
	"fmt"
	"sort"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

var resEndpointSlices, _ = apiserver.ResourceFor("endpointslices")

// The labels upstream's EndpointSlice controller puts on its slices:
// kubectl describe service/ingress and kube-proxy find a Service's
// slices by the first; the second says which controller owns them.
const (
	LabelServiceName = discoveryv1.LabelServiceName
	LabelManagedBy   = discoveryv1.LabelManagedBy
	managedBy        = "endpointslice-controller.k8s.io"
	// maxEndpointsPerSlice is kube-controller-manager's
	// --max-endpoints-per-slice default.
	maxEndpointsPerSlice = 100
)

// endpointSlices is the EndpointSlice controller: a Service's IPv4
// EndpointSlices follow the pods its selector matches, as its Endpoints
// do (the same watches and pod selection).
type endpointSlices struct{ sliceWriter }

// sliceWriter keeps the EndpointSlices one controller manages (its
// managed-by label) for each Service: the EndpointSlice controller's for
// a Service with a selector, the mirroring controller's for one without.
type sliceWriter struct {
	*Manager
	q         Queue
	managedBy string
	// creating counts each Service's slice creations not yet answered: a
	// sync before they land would not see them and create them again
	// (upstream's endpointSliceTracker).
	creating map[Key]int
}

func installEndpointSlices(m *Manager) {
	c := &endpointSlices{sliceWriter{Manager: m, managedBy: managedBy, creating: map[Key]int{}}}
	c.q = m.Register(Controller{Name: "endpointslice-controller", Order: 31, Reconciler: c, Watches: m.serviceWatches()})
}

// Reconcile is the EndpointSlice controller's syncService.
func (m *endpointSlices) Reconcile(key Key) Result {
	if m.creating[key] > 0 {
		return Result{} // the answer to the last creation adds the key again
	}
	pods := m.syncSlices(key)
	return Result{Busy: time.Duration(pods) * syncCostPerPod}
}

// slicesOf are the slices this controller manages for the Service, by name.
func (m *sliceWriter) slicesOf(ns, name string) []*discoveryv1.EndpointSlice {
	var out []*discoveryv1.EndpointSlice
	for _, o := range m.api.List(resEndpointSlices, ns) {
		es := o.(*discoveryv1.EndpointSlice)
		if es.Labels[LabelServiceName] == name && es.Labels[LabelManagedBy] == m.managedBy {
			out = append(out, es)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// syncSlices brings a Service's slices to its pods: the endpoints of
// each set of resolved ports, sorted by address, in slices of at most
// 100; a Service without any gets one placeholder slice with neither
// ports nor endpoints, as upstream's does. Slices are reused in name
// order and the surplus deleted. It returns how many pods it selects.
func (m *endpointSlices) syncSlices(key Key) int {
	have := m.slicesOf(key.Namespace, key.Name)
	obj, err := m.api.Get(resServices, key.Namespace, key.Name)
	if err != nil {
		for _, es := range have { // upstream leaves this to the garbage collector
			m.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: resEndpointSlices, Namespace: es.Namespace, Name: es.Name,
				Why: "endpointslice: service " + key.Name + " is gone"})
		}
		return 0
	}
	svc := obj.(*corev1.Service)
	if svc.Spec.Selector == nil {
		return 0 // slices of a Service without selector are the user's
	}
	pods := m.podsSelectedBy(svc)
	m.write(key, have, m.desiredSlices(svc, pods))
	return len(pods)
}

// write brings the Service's slices (have, by name) to want: slices are
// reused in name order, created for the rest, and the surplus deleted.
func (m *sliceWriter) write(key Key, have, want []*discoveryv1.EndpointSlice) {
	for i, w := range want {
		why := fmt.Sprintf("endpointslice: %d endpoints", len(w.Endpoints))
		if i >= len(have) {
			m.createSlice(key, w, why)
			continue
		}
		cur := have[i]
		if cur.AddressType == w.AddressType && apiequality.Semantic.DeepEqual(cur.Endpoints, w.Endpoints) &&
			apiequality.Semantic.DeepEqual(cur.Ports, w.Ports) && apiequality.Semantic.DeepEqual(cur.Labels, w.Labels) {
			continue
		}
		update := cur.DeepCopy()
		update.Labels, update.Endpoints, update.Ports = w.Labels, w.Endpoints, w.Ports
		m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: update, Why: why, Done: func(_ runtime.Object, err error) {
			if err != nil { // a conflict: look again with what is stored now
				m.q.AddAfter(key, secondRetry, "endpointslice update failed: "+err.Error())
			}
		}})
	}
	for _, es := range have[min(len(want), len(have)):] {
		m.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: resEndpointSlices, Namespace: es.Namespace, Name: es.Name,
			Why: "endpointslice: not needed"})
	}
}

// createSlice creates a slice the apiserver names <service>-<5
// characters> from its generateName.
func (m *sliceWriter) createSlice(key Key, es *discoveryv1.EndpointSlice, why string) {
	m.creating[key]++
	m.submit(apiserver.Request{Verb: sim.VerbCreate, Object: es, Why: why, Done: func(_ runtime.Object, err error) {
		if m.creating[key]--; m.creating[key] == 0 {
			delete(m.creating, key)
		}
		if err != nil {
			m.q.AddAfter(key, secondRetry, "endpointslice create failed: "+err.Error())
			return
		}
		m.q.Add(key)
	}})
}

// desiredSlices are the slices the Service's pods make, as upstream's
// reconciler packs them: the endpoints of each set of ports together,
// at most maxEndpointsPerSlice a slice. A pod is an endpoint while it has
// an IP and has not finished, terminating ones included: ready is
// Ready and not terminating, serving is Ready.
func (m *endpointSlices) desiredSlices(svc *corev1.Service, pods []*corev1.Pod) []*discoveryv1.EndpointSlice {
	type group struct {
		ports     []discoveryv1.EndpointPort
		endpoints []discoveryv1.Endpoint
	}
	var groups []*group
	for _, p := range pods {
		if p.Status.PodIP == "" || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		var ports []discoveryv1.EndpointPort
		for _, sp := range svc.Spec.Ports {
			if port, ok := targetPort(sp, p); ok {
				ports = append(ports, discoveryv1.EndpointPort{Name: ptr.To(sp.Name), Port: ptr.To(port), Protocol: ptr.To(sp.Protocol)})
			}
		}
		g := groupWithPorts(&groups, ports, func(g *group) []discoveryv1.EndpointPort { return g.ports }, func() *group { return &group{ports: ports} })
		g.endpoints = append(g.endpoints, podEndpoint(svc, p))
	}
	slice := func(ports []discoveryv1.EndpointPort, eps []discoveryv1.Endpoint) *discoveryv1.EndpointSlice {
		labels := copyMap(svc.Labels)
		if labels == nil {
			labels = map[string]string{}
		}
		labels[LabelServiceName], labels[LabelManagedBy] = svc.Name, managedBy
		return &discoveryv1.EndpointSlice{
			ObjectMeta: metav1.ObjectMeta{GenerateName: svc.Name + "-", Namespace: svc.Namespace, Labels: labels,
				OwnerReferences: []metav1.OwnerReference{{APIVersion: "v1", Kind: "Service", Name: svc.Name, UID: svc.UID,
					Controller: ptr.To(true), BlockOwnerDeletion: ptr.To(true)}}},
			AddressType: discoveryv1.AddressTypeIPv4, Endpoints: eps, Ports: ports,
		}
	}
	var out []*discoveryv1.EndpointSlice
	for _, g := range groups {
		sort.Slice(g.endpoints, func(i, j int) bool { return g.endpoints[i].Addresses[0] < g.endpoints[j].Addresses[0] })
		for len(g.endpoints) > 0 {
			n := min(len(g.endpoints), maxEndpointsPerSlice)
			out = append(out, slice(g.ports, g.endpoints[:n]))
			g.endpoints = g.endpoints[n:]
		}
	}
	if len(out) == 0 {
		out = append(out, slice(nil, nil)) // upstream's placeholder slice
	}
	return out
}

// podEndpoint is upstream's podToEndpoint.
func podEndpoint(svc *corev1.Service, p *corev1.Pod) discoveryv1.Endpoint {
	terminating := p.DeletionTimestamp != nil
	serving := podutilReady(p)
	ready := svc.Spec.PublishNotReadyAddresses || (serving && !terminating)
	ep := discoveryv1.Endpoint{
		Addresses:  []string{p.Status.PodIP},
		Conditions: discoveryv1.EndpointConditions{Ready: &ready, Serving: &serving, Terminating: &terminating},
		TargetRef:  &corev1.ObjectReference{Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: p.UID},
	}
	if p.Spec.NodeName != "" {
		ep.NodeName = ptr.To(p.Spec.NodeName)
	}
	if p.Spec.Hostname != "" && p.Spec.Subdomain == svc.Name && p.Namespace == svc.Namespace {
		ep.Hostname = ptr.To(p.Spec.Hostname)
	}
	return ep
}
