package controller

//lint:file-ignore SA1019 v1 Endpoints is what `kubectl get endpoints` and kube-proxy read here.

import (
	"fmt"
	"sort"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

var (
	resServices, _  = apiserver.ResourceFor("services")
	resEndpoints, _ = apiserver.ResourceFor("endpoints")
)

// endpoints is the endpoints controller: a Service's Endpoints follow the
// pods its selector matches.
type endpoints struct {
	*Manager
	q Queue
}

// installEndpoints registers the endpoints controller: a Service's own
// changes and those of the pods it selects concern it.
func installEndpoints(m *Manager) {
	c := &endpoints{Manager: m}
	c.q = m.Register(Controller{Name: "endpoint-controller", Order: 30, Reconciler: c, Watches: []Watch{
		{Object: &corev1.Service{}, Keys: ownKey},
		{Object: &corev1.Pod{}, Filter: podChanged, Keys: func(ev store.Event) []Key {
			var old *corev1.Pod
			if ev.Old != nil {
				old = ev.Old.(*corev1.Pod)
			}
			return c.servicesSelecting(ev.Object.(*corev1.Pod), old)
		}},
	}})
}

// servicesSelecting are the Services of the pod's namespace whose
// selector matches the pod's labels now or before the change.
func (m *endpoints) servicesSelecting(pod, old *corev1.Pod) []Key {
	var keys []Key
	for _, o := range m.api.List(resServices, pod.Namespace) {
		svc := o.(*corev1.Service)
		if svc.Spec.Selector == nil {
			continue
		}
		sel := labels.SelectorFromValidatedSet(svc.Spec.Selector)
		if sel.Matches(labels.Set(pod.Labels)) || (old != nil && sel.Matches(labels.Set(old.Labels))) {
			keys = append(keys, Key{Namespace: svc.Namespace, Name: svc.Name})
		}
	}
	return keys
}

// syncCostPerPod is what syncing a Service costs the endpoints controller
// for each pod it selects (listing, sorting, comparing and writing their
// addresses): a Service over 20,000 pods is busy for 200 ms, and the pod
// changes of that while are synced together after it, as upstream's work
// queue holds a Service re-added while a worker syncs it. (Upstream can
// also delay pod-triggered syncs on purpose, --endpoint-updates-batch-period,
// 0 by default, as here.)
const syncCostPerPod = 10 * time.Microsecond

// Reconcile is the endpoints controller's syncService.
func (m *endpoints) Reconcile(key Key) Result {
	pods := m.syncEndpoints(key.Namespace, key.Name)
	return Result{Busy: time.Duration(pods) * syncCostPerPod}
}

// syncEndpoints is the endpoints controller's reconcile of one Service:
// its Endpoints are the pods its selector matches that have an IP and are
// not terminating, the ready ones as addresses and the others as
// notReadyAddresses. A Terminating pod leaves at once, as upstream's does
// when the Service does not publish not-ready addresses. It returns how
// many pods the Service selects.
func (m *endpoints) syncEndpoints(ns, name string) int {
	cur, _ := m.api.Get(resEndpoints, ns, name)
	obj, err := m.api.Get(resServices, ns, name)
	if err != nil {
		if cur != nil {
			m.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: resEndpoints, Namespace: ns, Name: name,
				Why: "endpoints: service " + name + " is gone"})
		}
		return 0
	}
	svc := obj.(*corev1.Service)
	if svc.Spec.Selector == nil {
		return 0 // Endpoints of a Service without selector are the user's
	}
	var pods []*corev1.Pod
	sel := labels.SelectorFromValidatedSet(svc.Spec.Selector)
	for _, o := range m.api.List(resPods, ns) {
		if p := o.(*corev1.Pod); sel.Matches(labels.Set(p.Labels)) {
			pods = append(pods, p)
		}
	}
	subsets, ready, notReady := endpointSubsets(svc, pods)
	want := &corev1.Endpoints{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: copyMap(svc.Labels)},
		Subsets:    subsets,
	}
	why := fmt.Sprintf("endpoints: %d ready, %d not ready", ready, notReady)
	if cur == nil {
		m.submit(apiserver.Request{Verb: sim.VerbCreate, Object: want, Why: why})
		return len(pods)
	}
	have := cur.(*corev1.Endpoints)
	if apiequality.Semantic.DeepEqual(have.Subsets, want.Subsets) && apiequality.Semantic.DeepEqual(have.Labels, want.Labels) {
		return len(pods)
	}
	update := have.DeepCopy()
	update.Labels, update.Subsets = want.Labels, want.Subsets
	m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: update, Why: why, Done: func(_ runtime.Object, err error) {
		if err != nil { // a conflict: look again with what is stored now
			m.q.AddAfter(Key{Namespace: ns, Name: name}, secondRetry, "endpoints update failed: "+err.Error())
		}
	}})
	return len(pods)
}

// endpointSubsets builds the subsets of svc from the pods its selector
// matches, grouped by resolved ports as upstream's RepackSubsets does, and
// counts the ready and not-ready addresses.
func endpointSubsets(svc *corev1.Service, pods []*corev1.Pod) (subsets []corev1.EndpointSubset, ready, notReady int) {
	type group struct {
		ports          []corev1.EndpointPort
		ready, unready []corev1.EndpointAddress
	}
	var groups []*group
	for _, p := range pods {
		if p.Status.PodIP == "" || p.DeletionTimestamp != nil ||
			p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		var ports []corev1.EndpointPort
		for _, sp := range svc.Spec.Ports {
			if port, ok := targetPort(sp, p); ok {
				ports = append(ports, corev1.EndpointPort{Name: sp.Name, Port: port, Protocol: sp.Protocol})
			}
		}
		if len(ports) == 0 {
			continue
		}
		var g *group
		for _, x := range groups {
			if apiequality.Semantic.DeepEqual(x.ports, ports) {
				g = x
			}
		}
		if g == nil {
			g = &group{ports: ports}
			groups = append(groups, g)
		}
		addr := corev1.EndpointAddress{IP: p.Status.PodIP, NodeName: &p.Spec.NodeName,
			TargetRef: &corev1.ObjectReference{Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: p.UID}}
		if p.Spec.Hostname != "" && p.Spec.Subdomain == svc.Name && p.Namespace == svc.Namespace {
			// The pod's DNS name under the Service, <hostname>.<subdomain>,
			// as upstream's podToEndpointAddressForService gives it.
			addr.Hostname = p.Spec.Hostname
		}
		if podutilReady(p) {
			g.ready = append(g.ready, addr)
			ready++
		} else {
			g.unready = append(g.unready, addr)
			notReady++
		}
	}
	for _, g := range groups {
		byIP := func(a []corev1.EndpointAddress) func(i, j int) bool {
			return func(i, j int) bool { return a[i].IP < a[j].IP }
		}
		sort.Slice(g.ready, byIP(g.ready))
		sort.Slice(g.unready, byIP(g.unready))
		subsets = append(subsets, corev1.EndpointSubset{Addresses: g.ready, NotReadyAddresses: g.unready, Ports: g.ports})
	}
	return subsets, ready, notReady
}

// targetPort resolves a Service port's targetPort on a pod: a number as
// it is, a name through the pod's container ports.
func targetPort(sp corev1.ServicePort, p *corev1.Pod) (int32, bool) {
	if sp.TargetPort.Type == intstr.Int {
		if sp.TargetPort.IntVal == 0 {
			return sp.Port, true
		}
		return sp.TargetPort.IntVal, true
	}
	for _, c := range p.Spec.Containers {
		for _, cp := range c.Ports {
			if cp.Name == sp.TargetPort.StrVal && cp.Protocol == sp.Protocol {
				return cp.ContainerPort, true
			}
		}
	}
	return 0, false
}
