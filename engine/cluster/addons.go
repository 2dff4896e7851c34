package cluster

import (
	"fmt"
	"maps"
	"time"

	"github.com/kubeplay/kubeplay/engine/addons"
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/controller"
	"github.com/kubeplay/kubeplay/engine/dns"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/runtime/simrt"
	"github.com/kubeplay/kubeplay/engine/store"

	wire "github.com/miekg/dns"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

//lint:file-ignore SA1019 v1 Endpoints is what the endpoints controller writes here.

// The add-ons (package addons) are preloaded — no hop, no draw from the
// seeded source — and a Deployment's ReplicaSet and pods with it, bound
// to the nodes in turn, for the nodes' kubelets to start at boot.

// addonsReady reports whether every add-on Deployment has all its
// replicas ready, and every add-on DaemonSet (kube-proxy) a ready pod on
// each of its nodes: boot waits for it, as a learner's first command
// should find the cluster's DNS answering.
func (c *Cluster) addonsReady() bool {
	for _, o := range c.api.List(resDeployments, metav1.NamespaceSystem) {
		d := o.(*appsv1.Deployment)
		if d.Status.ObservedGeneration < d.Generation || d.Status.ReadyReplicas < ptr.Deref(d.Spec.Replicas, 1) {
			return false
		}
	}
	for _, o := range c.api.List(resDaemonSets, metav1.NamespaceSystem) {
		ds := o.(*appsv1.DaemonSet)
		if !addons.Is(ds.Namespace, ds.Spec.Template.Labels) {
			continue
		}
		if ds.Status.ObservedGeneration < ds.Generation || ds.Status.DesiredNumberScheduled == 0 || ds.Status.NumberReady < ds.Status.DesiredNumberScheduled {
			return false
		}
	}
	// And the Services in front of them list the ready pods.
	for _, o := range c.api.List(resServices, metav1.NamespaceSystem) {
		svc := o.(*corev1.Service)
		if len(svc.Spec.Selector) == 0 {
			continue
		}
		ep, err := c.api.Get(resEndpoints, svc.Namespace, svc.Name)
		if err != nil || len(ep.(*corev1.Endpoints).Subsets) == 0 {
			return false
		}
	}
	return true
}

// dnsWait bounds how long a cluster on real containers waits at boot for
// its DNS, and dnsProgressEvery how often it says how far it got.
const (
	dnsWait          = 2 * time.Minute
	dnsProgressEvery = 500 * time.Millisecond
)

// dnsReady reports whether the cluster's DNS answers the pods: every
// coredns replica ready, and kube-proxy sending the kube-dns Service's
// queries to one (which is when the pods' rules on Docker answer them).
func (c *Cluster) dnsReady() (ready, want int32, ok bool) {
	obj, err := c.api.Get(resDeployments, metav1.NamespaceSystem, "coredns")
	if err != nil {
		return 0, 0, true // no cluster DNS to wait for
	}
	d := obj.(*appsv1.Deployment)
	want = ptr.Deref(d.Spec.Replicas, 1)
	ready = d.Status.ReadyReplicas
	return ready, want, ready >= want && c.proxy.Endpoints(metav1.NamespaceSystem, "kube-dns", 53) > 0
}

// waitForDNS runs a cluster on real containers until its DNS answers, so
// that the first prompt's (or lesson step's) lookups do not fail while
// the coredns pods start, saying through Notice how many are ready as
// that changes; after dnsWait it goes on, and says why lookups may fail.
func (c *Cluster) waitForDNS() {
	notice := c.opts.Notice
	if notice == nil {
		notice = func(string) {}
	}
	shown := int32(-1)
	deadline := c.k.Elapsed() + dnsWait
	for {
		ready, want, ok := c.dnsReady()
		if ok {
			if shown >= 0 {
				notice(c.opts.Lang.Pick("the cluster DNS is ready (coredns "+fmt.Sprint(ready, "/", want)+")",
					"클러스터 DNS가 준비됐어요 (coredns "+fmt.Sprint(ready, "/", want)+")"))
			}
			return
		}
		if c.k.Elapsed() >= deadline {
			notice(c.opts.Lang.Pick("the cluster DNS is not ready yet (coredns "+fmt.Sprint(ready, "/", want)+"): names may not resolve inside pods for now; kubectl get pods -n kube-system shows why",
				"클러스터 DNS가 아직 준비되지 않았어요 (coredns "+fmt.Sprint(ready, "/", want)+"). 당분간 파드 안에서 이름이 안 풀릴 수 있어요. kubectl get pods -n kube-system으로 이유를 볼 수 있어요"))
			return
		}
		if ready != shown {
			shown = ready
			notice(c.opts.Lang.Pick("waiting for the cluster DNS: coredns "+fmt.Sprint(ready, "/", want)+" ready…",
				"클러스터 DNS를 기다리는 중: coredns "+fmt.Sprint(ready, "/", want)+" 준비됨…"))
		}
		c.k.RunUntil(dnsProgressEvery, func() bool { _, _, ok := c.dnsReady(); return ok })
	}
}

// preloadDeployment ships an add-on Deployment as an installer's
// manifest does, with what its controllers would make of it already
// there: its ReplicaSet (revision 1) and its pods, named from the
// ReplicaSet as generateName would but without a random draw, each bound
// to the next node from the node numbered next (as the add-ons'
// anti-affinity and the scheduler's spreading place them). It returns
// the node to place the next add-on's first pod on.
func (c *Cluster) preloadDeployment(d *appsv1.Deployment, next int) int {
	c.preload(d)
	rs := controller.NewReplicaSet(d, 1)
	rs.Spec.Replicas = d.Spec.Replicas
	c.preload(rs)
	for i := range int(ptr.Deref(d.Spec.Replicas, 1)) {
		pod := controller.PodOf(rs, rs.Name+"-"+apiserver.StableSuffix(fmt.Sprintf("%s/%s/%d", rs.Namespace, rs.Name, i)))
		pod.Spec.NodeName = c.nodes[next%len(c.nodes)]
		next++
		pod.Status = corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{
			{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(c.k.Now().Truncate(time.Second))}}}
		c.preload(pod)
	}
	return next
}

// installAddons installs every add-on, in order, as a cluster's
// installer ships them: each object preloaded, a Deployment with its
// ReplicaSet and pods (preloadDeployment), a Service with the Endpoints
// the endpoints controller keeps for it. A DaemonSet (kube-proxy) comes
// alone: its pods are the DaemonSet controller's to make, one per node,
// as it makes them for a node added later — hops at boot.
func (c *Cluster) installAddons() {
	next := 0
	for _, a := range addons.All {
		for _, obj := range a.Objects() {
			switch o := obj.(type) {
			case *appsv1.Deployment:
				next = c.preloadDeployment(o, next)
			case *corev1.Service:
				c.preload(o)
				if len(o.Spec.Selector) > 0 {
					// Its Endpoints as the endpoints controller makes them
					// while no pod is ready behind it, so that the
					// controller, which then only updates them, draws no
					// UID from the seeded source for them.
					c.preload(&corev1.Endpoints{ObjectMeta: metav1.ObjectMeta{Name: o.Name, Namespace: o.Namespace, Labels: maps.Clone(o.Labels)}})
				}
			default:
				c.preload(obj)
			}
		}
	}
}

// wireDNS gives the simulated pods the cluster's DNS at the kube-dns
// Service's IP, their nodes' resolver (which knows no cluster name and,
// in a cluster with no outside, no other either), and kube-proxy's
// routes to cluster IPs.
func (c *Cluster) wireDNS() {
	server := dns.New(storeObjects{c.st})
	c.net.SetDNS(map[string]func(*wire.Msg) *wire.Msg{simrt.NodeResolver: nxdomain})
	c.net.SetClusterDNS(server.Answer)
	c.net.SetServices(c.routeClusterIP)
	c.net.SetHost(APIServerIP, apiServerAnswer)
}

// nxdomain is the answer of a resolver that has no such name.
func nxdomain(q *wire.Msg) *wire.Msg {
	m := new(wire.Msg)
	m.SetRcode(q, wire.RcodeNameError)
	m.RecursionAvailable = true
	return m
}

// routeClusterIP is kube-proxy's rule for a connection (a datagram when
// udp) from the pod at client to ip:port: one of the Service's ready
// endpoints, round robin, or the client's own under sessionAffinity
// ClientIP; ok is false for an address that is no Service's cluster IP.
func (c *Cluster) routeClusterIP(client, ip string, port int, udp bool) (string, int, bool) {
	if svc := (storeObjects{c.st}).ServiceByIP(ip); svc != nil {
		for _, p := range svc.Spec.Ports {
			if int(p.Port) == port && (p.Protocol == corev1.ProtocolUDP) == udp {
				ep, err := c.proxy.PickFrom(client, svc.Namespace, svc.Name, p.Port)
				if err != nil {
					return "", 0, true
				}
				return ep.IP, int(ep.Port), true
			}
		}
		return "", 0, true
	}
	return "", 0, false
}

// SetDNSHops says whether the pods' DNS queries show as hops (pod →
// kube-dns): the shell's trace turns them on.
func (c *Cluster) SetDNSHops(on bool) {
	c.net.SetDNSHops(on)
	c.dnsHops.Store(on)
	for _, rt := range c.runtimes {
		if d, ok := rt.(runtime.DNSReporter); ok {
			_ = d.ReportDNS(on) // a node that cannot say so shows no queries
		}
	}
}

var (
	resDaemonSets, _     = apiserver.ResourceFor("daemonsets")
	resEndpoints, _      = apiserver.ResourceFor("endpoints")
	resEndpointSlices, _ = apiserver.ResourceFor("endpointslices")
	resNamespaces, _     = apiserver.ResourceFor("namespaces")
)

// The store's indexes the cluster DNS and kube-proxy's routing read, so
// that a lookup or a connection costs the same in a cluster of a
// thousand Services as of one: Services by cluster IP, EndpointSlices by
// their Service ("namespace/name").
const (
	indexClusterIP = "clusterIP"
	indexService   = "service"
)

// servicesIndexed is where the store files Services for its indexes:
// under their etcd key's first segment, /registry/services/, which holds
// Endpoints (services/endpoints) beside them (services/specs).
var servicesIndexed = store.Prefix("services", "")

func addServiceIndexes(st *store.Store) {
	st.AddIndex(servicesIndexed, indexClusterIP, func(o kruntime.Object, dst []string) []string {
		if svc, ok := o.(*corev1.Service); ok && svc.Spec.ClusterIP != "" && svc.Spec.ClusterIP != corev1.ClusterIPNone {
			dst = append(dst, svc.Spec.ClusterIP)
		}
		return dst
	})
	st.AddIndex(apiserver.PrefixOf(resEndpointSlices), indexService, func(o kruntime.Object, dst []string) []string {
		es := o.(*discoveryv1.EndpointSlice)
		if name := es.Labels[discoveryv1.LabelServiceName]; name != "" {
			dst = append(dst, es.Namespace+"/"+name)
		}
		return dst
	})
}

// storeObjects is what the cluster DNS reads, straight from etcd's
// stand-in, as CoreDNS reads the apiserver's watch cache.
type storeObjects struct{ st *store.Store }

func (o storeObjects) Service(namespace, name string) *corev1.Service {
	if obj, ok := o.st.Get(apiserver.PrefixOf(resServices) + namespace + "/" + name); ok {
		return obj.(*corev1.Service)
	}
	return nil
}

func (o storeObjects) ServiceByIP(ip string) *corev1.Service {
	if objs := o.st.ByIndexAnyOrder(servicesIndexed, indexClusterIP, ip); len(objs) > 0 {
		return objs[0].(*corev1.Service) // the allocator gives an IP to one Service
	}
	return nil
}

func (o storeObjects) EndpointSlices(namespace, service string) []*discoveryv1.EndpointSlice {
	return as[*discoveryv1.EndpointSlice](o.st.ByIndex(apiserver.PrefixOf(resEndpointSlices), indexService, namespace+"/"+service))
}

func (o storeObjects) Namespace(name string) bool {
	_, ok := o.st.Get(apiserver.PrefixOf(resNamespaces) + name)
	return ok
}

func (o storeObjects) AllServices() []*corev1.Service {
	return listOf[*corev1.Service](o.st, resServices)
}

func (o storeObjects) AllEndpointSlices() []*discoveryv1.EndpointSlice {
	return listOf[*discoveryv1.EndpointSlice](o.st, resEndpointSlices)
}

func listOf[T kruntime.Object](st *store.Store, res *apiserver.Resource) []T {
	return as[T](st.List(apiserver.PrefixOf(res)))
}

// as are objs as their type.
func as[T kruntime.Object](objs []kruntime.Object) []T {
	out := make([]T, len(objs))
	for i, o := range objs {
		out[i] = o.(T)
	}
	return out
}

// publishServices hands the cluster's Services and Endpoints, as
// kube-proxy has just synced them, to the nodes whose pods route cluster
// IPs and answer the cluster DNS themselves (Docker).
func (c *Cluster) publishServices() {
	var syncers []runtime.ServiceSyncer
	for _, rt := range c.runtimes {
		if s, ok := rt.(runtime.ServiceSyncer); ok {
			syncers = append(syncers, s)
		}
	}
	if len(syncers) == 0 {
		return
	}
	b := c.servicesSnapshot()
	for _, s := range syncers {
		_ = s.SyncServices(b) // a node that cannot write keeps its pods' last rules
	}
}

// syncServicesTo hands one node the cluster's Services and Endpoints.
func (c *Cluster) syncServicesTo(s runtime.ServiceSyncer) {
	b := c.servicesSnapshot()
	_ = s.SyncServices(b)
	_ = s.SyncDNS(b)
}

// servicesSnapshot is the cluster's namespaces, Services and Endpoints,
// as the in-pod proxies read them.
func (c *Cluster) servicesSnapshot() []byte {
	objs := storeObjects{c.st}
	var namespaces []string
	for _, o := range c.st.List(apiserver.PrefixOf(resNamespaces)) {
		namespaces = append(namespaces, o.(*corev1.Namespace).Name)
	}
	b, err := dns.NewSnapshot(namespaces, objs.AllServices(), objs.AllEndpointSlices()).Encode()
	if err != nil {
		panic(fmt.Sprintf("encoding the Services snapshot: %v", err)) // API types always encode
	}
	return b
}
