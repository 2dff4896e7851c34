// Package ingress is kubeplay's ingress controller. It watches the
// Ingresses of its IngressClass (kubeplay, the cluster's default), keeps
// a routing table by host and path as ingress-nginx builds its servers
// and locations, writes each Ingress's address into its status, and
// answers HTTP requests on 127.0.0.1:PORT: each goes to one ready
// endpoint of the backend Service, round robin as kube-proxy picks
// them (from the Endpoints the controller reads itself, as
// ingress-nginx does), or gets ingress-nginx's 404 (no rule, no default backend) or 503 (the
// Service has no ready endpoint) page.
//
// In a real cluster the controller is a pod (ingress-nginx's) that does
// this itself. Here the Deployment in ingress-kubeplay stands for it: the
// routing runs in kubeplay's process, and answers only while that
// Deployment has an available pod. It reaches the simulated pods over
// the simulated network, and Docker's containers at their IPs, as
// NodePorts do. Ingresses of another class are left alone, as every
// controller leaves the classes it does not own.
package ingress

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/addons"
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/guest/kubeproxy"
	"github.com/kubeplay/kubeplay/engine/proxy"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
)

// Name is the ingress controller's component name in hops.
const Name = sim.Component(sim.KindIngress)

// The controller's class, namespace and Deployment, and the address it
// writes into the Ingresses it serves.
const (
	ClassName      = "kubeplay"
	ControllerName = "kubeplay.io/ingress-controller"
	Namespace      = addons.IngressNamespace
	Deployment     = "ingress-kubeplay-controller"
	Address        = "127.0.0.1"
	// DefaultPort is where the controller listens on the host.
	DefaultPort = 8080
	// ClassAnnotation is the deprecated class annotation, which
	// controllers still honour before the field.
	ClassAnnotation = "kubernetes.io/ingress.class"
	// EventSource is the controller's name in its events.
	EventSource = "kubeplay-ingress-controller"
	// syncDelay gathers a burst of changes into one sync.
	syncDelay = 100 * time.Millisecond
)

var (
	resIngresses, _   = apiserver.ResourceFor("ingresses")
	resClasses, _     = apiserver.ResourceFor("ingressclasses")
	resServices, _    = apiserver.ResourceFor("services")
	resDeployments, _ = apiserver.ResourceFor("deployments")
	resSlices, _      = apiserver.ResourceFor("endpointslices")
)

// Options configure the controller.
type Options struct {
	// Backend carries each request to its endpoint: the simulated pod
	// network or real sockets.
	Backend proxy.Backend
	// Port is the host port of the controller's address (0: DefaultPort);
	// Listen opens it on 127.0.0.1. Off in tests.
	Port   int
	Listen bool
	// Real says the endpoints are real sockets (Docker): the listener
	// proxies on its own goroutines instead of through the kernel.
	Real bool
}

// Controller is the ingress controller. Its table is written on the
// kernel's goroutine and read by the listener's: a mutex guards it.
type Controller struct {
	api     *apiserver.Server
	k       *sim.Kernel
	backend proxy.Backend
	port    int
	real    bool
	armed   bool
	// referenced are the Services the served Ingresses name, by
	// "ns/name": only their changes wake the controller.
	referenced map[string]bool
	// warned are the missing-Service events already recorded, by
	// Ingress UID, generation and Service.
	warned map[string]bool

	// listenErr is why the listener is not open; tr carries requests to
	// real pods. Both are set before the listener serves.
	listenErr error
	tr        *http.Transport

	mu    sync.Mutex
	table *table
	http  *listener
	// next is each Service port's round robin, by target key.
	next map[string]int
}

// New starts the controller on api.
func New(api *apiserver.Server, opts Options) *Controller {
	c := &Controller{api: api, k: api.Kernel(), backend: opts.Backend, port: opts.Port, real: opts.Real,
		referenced: map[string]bool{}, warned: map[string]bool{}, table: &table{}, next: map[string]int{}}
	if c.port == 0 {
		c.port = DefaultPort
	}
	api.Watch(apiserver.Watcher{Component: Name, Filter: c.filter, Handle: func(store.Event) { c.arm() }})
	c.arm()
	if opts.Listen {
		c.http = c.listen()
	}
	return c
}

// Port is the host port of the controller's address.
func (c *Controller) Port() int { return c.port }

func (c *Controller) filter(ev store.Event) (string, bool) {
	switch o := ev.Object.(type) {
	case *networkingv1.Ingress:
		return "ingress " + ev.Verb(), true
	case *networkingv1.IngressClass:
		return "ingressclass " + ev.Verb(), true
	case *corev1.Service:
		if c.referenced[o.Namespace+"/"+o.Name] {
			return "backend service " + ev.Verb(), true
		}
	case *discoveryv1.EndpointSlice:
		if c.referenced[o.Namespace+"/"+o.Labels[discoveryv1.LabelServiceName]] {
			return "backend endpointslice " + ev.Verb(), true
		}
	case *appsv1.Deployment:
		if o.Namespace == Namespace && o.Name == Deployment {
			return "controller deployment " + ev.Verb(), true
		}
	}
	return "", false
}

func (c *Controller) arm() {
	if c.armed {
		return
	}
	c.armed = true
	c.k.After(syncDelay, Name, "sync ingress rules", c.sync)
}

// serves reports whether an Ingress is the controller's: its class, by
// field or annotation, is an IngressClass whose controller is this one.
func serves(ing *networkingv1.Ingress, ours map[string]bool) bool {
	if class, ok := ing.Annotations[ClassAnnotation]; ok {
		return ours[class]
	}
	return ing.Spec.IngressClassName != nil && ours[*ing.Spec.IngressClassName]
}

// sync rebuilds the table from what the apiserver has now (level-based),
// writes the address of each served Ingress, and records a warning for
// each backend Service that does not exist.
func (c *Controller) sync() {
	c.armed = false
	ours := map[string]bool{}
	for _, o := range c.api.List(resClasses, "") {
		if ic := o.(*networkingv1.IngressClass); ic.Spec.Controller == ControllerName {
			ours[ic.Name] = true
		}
	}
	up := false
	if obj, err := c.api.Get(resDeployments, Namespace, Deployment); err == nil {
		up = obj.(*appsv1.Deployment).Status.AvailableReplicas > 0
	}
	var served []*networkingv1.Ingress
	for _, o := range c.api.List(resIngresses, "") {
		if ing := o.(*networkingv1.Ingress); serves(ing, ours) {
			served = append(served, ing)
		}
	}
	referenced := map[string]bool{}
	service := func(ns, name string) *corev1.Service {
		referenced[ns+"/"+name] = true
		if obj, err := c.api.Get(resServices, ns, name); err == nil {
			return obj.(*corev1.Service)
		}
		return nil
	}
	endpoints := func(ns, name, port string) []proxy.Endpoint {
		var of []*discoveryv1.EndpointSlice
		for _, o := range c.api.List(resSlices, ns) {
			if es := o.(*discoveryv1.EndpointSlice); es.Labels[discoveryv1.LabelServiceName] == name {
				of = append(of, es)
			}
		}
		return kubeproxy.ReadyEndpoints(of, port)
	}
	t := build(slices.Clone(served), service, endpoints)
	t.up = up
	c.referenced = referenced
	c.mu.Lock()
	c.table = t
	c.mu.Unlock()
	if !up {
		return
	}
	for _, ing := range served {
		c.writeAddress(ing)
		c.warnMissing(ing, service)
	}
}

// writeAddress puts the controller's address into an Ingress's status,
// as ingress-nginx publishes its own.
func (c *Controller) writeAddress(ing *networkingv1.Ingress) {
	want := networkingv1.IngressLoadBalancerStatus{Ingress: []networkingv1.IngressLoadBalancerIngress{{IP: Address,
		Ports: []networkingv1.IngressPortStatus{{Port: int32(c.port), Protocol: corev1.ProtocolTCP}}}}}
	if apiequality.Semantic.DeepEqual(ing.Status.LoadBalancer, want) {
		return
	}
	upd := ing.DeepCopy()
	upd.Status.LoadBalancer = want
	c.api.Submit(Name, apiserver.Request{Verb: sim.VerbUpdateStatus, Object: upd, Why: "publish address " + Address})
	c.api.Record(ing, corev1.EventTypeNormal, "Sync", EventSource, "Scheduled for sync")
}

// warnMissing records, once per Ingress generation, each backend Service
// the Ingress names that does not exist or lacks the port.
func (c *Controller) warnMissing(ing *networkingv1.Ingress, service func(ns, name string) *corev1.Service) {
	var missing []string
	check := func(b *networkingv1.IngressBackend) {
		if b == nil || b.Service == nil {
			return
		}
		key := fmt.Sprintf("%s/%d/%s", ing.UID, ing.Generation, b.Service.Name)
		if c.warned[key] {
			return
		}
		svc := service(ing.Namespace, b.Service.Name)
		switch {
		case svc == nil:
			missing = append(missing, fmt.Sprintf("service %q not found", ing.Namespace+"/"+b.Service.Name))
		case !hasPort(svc, b.Service.Port):
			missing = append(missing, fmt.Sprintf("service %q has no port %s", ing.Namespace+"/"+b.Service.Name, portString(b.Service.Port)))
		default:
			return
		}
		c.warned[key] = true
	}
	check(ing.Spec.DefaultBackend)
	for _, r := range ing.Spec.Rules {
		if r.HTTP != nil {
			for i := range r.HTTP.Paths {
				check(&r.HTTP.Paths[i].Backend)
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		c.api.Record(ing, corev1.EventTypeWarning, "ServiceNotFound", EventSource, "Error obtaining Service endpoints: "+m+"; its paths answer 503")
	}
}

func hasPort(svc *corev1.Service, port networkingv1.ServiceBackendPort) bool {
	for _, sp := range svc.Spec.Ports {
		if (port.Number != 0 && sp.Port == port.Number) || (port.Name != "" && sp.Name == port.Name) {
			return true
		}
	}
	return false
}

func portString(p networkingv1.ServiceBackendPort) string {
	if p.Name != "" {
		return p.Name
	}
	return fmt.Sprint(p.Number)
}

// snapshot is the table now, for the listener's goroutines.
func (c *Controller) snapshot() *table {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.table
}

// Refused is the answer while the controller has no available pod:
// nothing listens behind its address.
type Refused struct{}

func (Refused) Error() string {
	return "connection refused: the ingress controller has no available pod (kubectl get deploy -n " + Namespace + ")"
}

// Do answers one GET for host and path on the kernel's goroutine, as
// the controller's pod would: done hears the backend pod's answer, or a
// 404, 502, 503 or 504 page, or Refused while no controller pod is
// available.
func (c *Controller) Do(host, uri string, done func(proxy.Answer)) {
	to, a, ok := c.target(host, uri)
	if !ok {
		done(a)
		return
	}
	c.nextUpstream(to, http.MethodGet, host, uri, true, func(ep proxy.Endpoint, hop sim.Hop, took func(error)) {
		c.k.Send(0, hop, func() {
			c.backend.Get(ep, uri, func(a proxy.Answer) {
				if a.Err == nil {
					a.Endpoint = ep
					done(a)
				}
				took(a.Err)
			})
		})
	}, done)
}

// Route is Do for a request that reaches the controller's pod from a pod
// (by its Service or its IP), answered at once by the simulated pod
// network: forward carries the request on to the endpoint picked, after
// the hops from the client pod to the controller and on to that pod, and
// says whether the endpoint took it. As Do, the controller tries the next
// endpoint while one does not; the simulated network's tries fail only
// by a refused connection, before the request is sent, which nginx
// passes on whatever the method. forwarded reports that an endpoint took
// it (the answer is forward's); else a is the controller's own: a 404,
// 502 or 503 page, or Refused.
func (c *Controller) Route(client, host, uri string, forward func(proxy.Endpoint) error) (a proxy.Answer, forwarded bool) {
	path, _, _ := strings.Cut(uri, "?")
	from := sim.Component(sim.KindClient)
	if client != "" {
		from = sim.KindPod.On(client)
	}
	c.k.Send(0, sim.Hop{From: from, To: Name, Verb: sim.VerbConnect, Object: Deployment + "." + Namespace, Summary: http.MethodGet + " " + host + path}, nil)
	to, a, ok := c.target(host, uri)
	if !ok {
		return a, false
	}
	c.nextUpstream(to, http.MethodGet, host, uri, true, func(ep proxy.Endpoint, hop sim.Hop, took func(error)) {
		c.k.Send(0, hop, nil)
		err := forward(ep)
		forwarded = err == nil
		took(err)
	}, func(own proxy.Answer) { a = own })
	return a, forwarded
}

// target is the Service port that host and uri route to, or the
// controller's own answer: Refused, or the 404 page.
func (c *Controller) target(host, uri string) (target, proxy.Answer, bool) {
	t := c.snapshot()
	if !t.up {
		return target{}, proxy.Answer{Err: Refused{}}, false
	}
	path, _, _ := strings.Cut(uri, "?")
	to, ok := t.lookup(host, path)
	if !ok {
		return target{}, page(404), false
	}
	return to, proxy.Answer{}, true
}

// pickHop is the endpoint of to picked next and the hop of method's
// request to it, or the 503 page when to has none.
func (c *Controller) pickHop(to target, method, host, uri string) (proxy.Endpoint, sim.Hop, proxy.Answer, bool) {
	ep, err := c.pick(to)
	if err != nil {
		return proxy.Endpoint{}, sim.Hop{}, page(503), false
	}
	path, _, _ := strings.Cut(uri, "?")
	hop := sim.Hop{From: Name, To: sim.KindPod.On(ep.Pod), Verb: sim.VerbConnect, Object: ep.Addr(),
		Summary: fmt.Sprintf("%s %s%s → %s/%s:%s", method, host, path, to.namespace, to.service, portString(to.port))}
	return ep, hop, proxy.Answer{}, true
}

// pick is kube-proxy's choice, round robin over the ready endpoints,
// made on the Endpoints the controller read itself.
func (c *Controller) pick(to target) (proxy.Endpoint, error) {
	if to.number == 0 || len(to.endpoints) == 0 {
		return proxy.Endpoint{}, proxy.NoEndpointsError{Service: to.service}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := to.key()
	ep := to.endpoints[c.next[k]%len(to.endpoints)]
	c.next[k]++
	return ep, nil
}

// Page is ingress-nginx's error page for status, as the controller
// answers it.
func Page(status int) proxy.Answer { return page(status) }

// page is ingress-nginx's error page for status, signed by kubeplay.
func page(status int) proxy.Answer {
	title := map[int]string{404: "404 Not Found", 503: "503 Service Temporarily Unavailable", 502: "502 Bad Gateway", 504: "504 Gateway Time-out"}[status]
	return proxy.Answer{Status: status, Body: "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
		"</h1></center>\r\n<hr><center>kubeplay ingress</center>\r\n</body>\r\n</html>\r\n"}
}

// Close stops listening.
func (c *Controller) Close() {
	c.mu.Lock()
	l := c.http
	c.http = nil
	c.mu.Unlock()
	if l != nil {
		l.close()
	}
}
