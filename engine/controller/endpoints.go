package controller

//lint:file-ignore SA1019 v1 Endpoints is what `kubectl get endpoints` and kube-proxy read here.

import (
	"fmt"
	"maps"
	"math"
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
	c.q = m.Register(Controller{Name: "endpoint-controller", Order: 30, Reconciler: c, Watches: m.serviceWatches()})
}

// serviceWatches are the watches of the controllers that follow a
// Service's pods (Endpoints, EndpointSlices): the Service's own changes
// and those of the pods it selects, now or before the change.
func (m *Manager) serviceWatches() []Watch {
	return []Watch{
		{Object: &corev1.Service{}, Keys: ownKey},
		{Object: &corev1.Pod{}, Filter: podChanged, Keys: func(ev store.Event) []Key {
			var old *corev1.Pod
			if ev.Old != nil {
				old = ev.Old.(*corev1.Pod)
			}
			return m.servicesSelecting(ev.Object.(*corev1.Pod), old)
		}},
	}
}

// servicesSelecting are the Services of the pod's namespace whose
// selector matches the pod's labels now or before the change.
func (m *Manager) servicesSelecting(pod, old *corev1.Pod) []Key {
	var keys []Key
	m.api.Each(resServices, pod.Namespace, func(o runtime.Object) bool {
		svc := o.(*corev1.Service)
		if svc.Spec.Selector == nil {
			return true
		}
		sel := labels.SelectorFromValidatedSet(svc.Spec.Selector)
		if sel.Matches(labels.Set(pod.Labels)) || (old != nil && sel.Matches(labels.Set(old.Labels))) {
			keys = append(keys, Key{Namespace: svc.Namespace, Name: svc.Name})
		}
		return true
	})
	return keys
}

// podsSelectedBy are the pods of the Service's namespace its selector
// matches.
func (m *Manager) podsSelectedBy(svc *corev1.Service) []*corev1.Pod {
	var pods []*corev1.Pod
	sel := labels.SelectorFromValidatedSet(svc.Spec.Selector)
	for _, o := range m.api.List(resPods, svc.Namespace) {
		if p := o.(*corev1.Pod); sel.Matches(labels.Set(p.Labels)) {
			pods = append(pods, p)
		}
	}
	return pods
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
	pods := m.podsSelectedBy(svc)
	subsets, ready, notReady := endpointSubsets(svc, pods)
	want := &corev1.Endpoints{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: copyMap(svc.Labels)},
		Subsets:    subsets,
	}
	why := fmt.Sprintf("endpoints: %d ready, %d not ready", ready, notReady)
	truncated := truncateEndpoints(want.Subsets)
	if truncated {
		want.Annotations = map[string]string{corev1.EndpointsOverCapacity: overCapacityTruncated}
		why += fmt.Sprintf(", truncated to %d addresses", maxEndpointsCapacity)
	}
	if cur == nil {
		m.submit(apiserver.Request{Verb: sim.VerbCreate, Object: want, Why: why})
		return len(pods)
	}
	have := cur.(*corev1.Endpoints)
	_, marked := have.Annotations[corev1.EndpointsOverCapacity]
	if apiequality.Semantic.DeepEqual(have.Subsets, want.Subsets) && apiequality.Semantic.DeepEqual(have.Labels, want.Labels) &&
		marked == truncated && (!marked || have.Annotations[corev1.EndpointsOverCapacity] == overCapacityTruncated) {
		return len(pods)
	}
	update := have.DeepCopy()
	update.Labels, update.Subsets = want.Labels, want.Subsets
	if truncated {
		if update.Annotations == nil {
			update.Annotations = map[string]string{}
		}
		update.Annotations[corev1.EndpointsOverCapacity] = overCapacityTruncated
	} else if marked {
		update.Annotations = maps.Clone(update.Annotations)
		delete(update.Annotations, corev1.EndpointsOverCapacity)
	}
	m.submit(apiserver.Request{Verb: sim.VerbUpdate, Object: update, Why: why, Done: func(_ runtime.Object, err error) {
		if err != nil { // a conflict: look again with what is stored now
			m.q.AddAfter(Key{Namespace: ns, Name: name}, secondRetry, "endpoints update failed: "+err.Error())
		}
	}})
	return len(pods)
}

// maxEndpointsCapacity is how many addresses, ready and not ready, an
// Endpoints object holds at most: upstream's endpoints controller keeps
// that many of a bigger Service's and marks the object with the
// endpoints.kubernetes.io/over-capacity: truncated annotation
// (EndpointSlices, which kube-proxy reads, keep them all).
const (
	maxEndpointsCapacity  = 1000
	overCapacityTruncated = "truncated"
)

// truncateEndpoints cuts subsets down to maxEndpointsCapacity addresses,
// as upstream's truncateEndpoints: ready addresses come first; the ones
// cut (not ready ones first, then ready ones) are shared out among the
// subsets in proportion to what each holds, rounded up, the last subsets
// taking what is left. It says whether it cut anything.
func truncateEndpoints(subsets []corev1.EndpointSubset) bool {
	ready, notReady := 0, 0
	for _, s := range subsets {
		ready += len(s.Addresses)
		notReady += len(s.NotReadyAddresses)
	}
	if ready+notReady <= maxEndpointsCapacity {
		return false
	}
	cutReady := ready > maxEndpointsCapacity
	room, total := maxEndpointsCapacity-ready, notReady
	if cutReady {
		room, total = maxEndpointsCapacity, ready
	}
	left := room
	for i := range subsets {
		s := &subsets[i]
		n := len(s.NotReadyAddresses)
		if cutReady {
			n = len(s.Addresses)
		}
		keep := min(left, int(math.Ceil(float64(n)/float64(total)*float64(room))))
		if cutReady {
			s.Addresses = s.Addresses[:min(keep, len(s.Addresses))]
			s.NotReadyAddresses = nil
			left -= len(s.Addresses)
		} else {
			s.NotReadyAddresses = s.NotReadyAddresses[:min(keep, len(s.NotReadyAddresses))]
			left -= len(s.NotReadyAddresses)
		}
	}
	return true
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
		g := groupWithPorts(&groups, ports, func(g *group) []corev1.EndpointPort { return g.ports }, func() *group { return &group{ports: ports} })
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

// groupWithPorts returns the group of *groups whose ports equal ports, adding
// the one made by add when there is none. Pods whose containers resolve a
// Service's target ports alike share a group: a subset of Endpoints, a set of
// EndpointSlices, as upstream's controllers group them.
func groupWithPorts[G, P any](groups *[]*G, ports P, portsOf func(*G) P, add func() *G) *G {
	for _, g := range *groups {
		if apiequality.Semantic.DeepEqual(portsOf(g), ports) {
			return g
		}
	}
	g := add()
	*groups = append(*groups, g)
	return g
}
