// Package proxy is kube-proxy: it watches Services and EndpointSlices (as
// upstream's has since 1.21: an Endpoints holds at most 1,000 addresses), keeps a
// table of each Service port's ready endpoints, and sends each connection
// or request to one of them, round robin. Every NodePort Service gets a
// real TCP listener on 127.0.0.1 (never another interface), so a learner's
// curl from another terminal reaches a real container (Docker) or the
// simulated demo app.
//
// Like upstream's iptables mode, kube-proxy applies changes at most once
// per MinSyncPeriod: an endpoint that leaves the EndpointSlices is
// still sent traffic until the next sync. That window is why a pod must
// keep serving for a moment after SIGTERM (graceful shutdown) for a
// rolling update to lose no requests.
package proxy

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/guest/kubeproxy"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/utils/ptr"
)

// Name is kube-proxy's component name in hops.
const Name = sim.Component(sim.KindKubeProxy)

// MinSyncPeriod is upstream's iptables.minSyncPeriod default, and
// burstSyncs its runner's burst: two syncs may follow each other at once,
// then they come at most once per MinSyncPeriod, so a change that arrives
// during a busy time (a rolling update) waits for the next one.
const (
	MinSyncPeriod = time.Second
	burstSyncs    = 2
)

var (
	resServices, _ = apiserver.ResourceFor("services")
	resSlices, _   = apiserver.ResourceFor("endpointslices")
)

// Endpoint is one ready backend of a Service port: the same kube-proxy
// rule runs inside Docker pods (engine/guest/kubeproxy).
type Endpoint = kubeproxy.Endpoint

// servicePort is one rule: a Service port and where it sends traffic.
type servicePort struct {
	namespace, service string
	name               string
	port, nodePort     int32
	endpoints          []Endpoint
	next               int // round robin
	// affinity is sessionAffinity ClientIP's timeout (zero: none), and
	// sticky each client's endpoint and when it was last sent there.
	affinity time.Duration
	sticky   map[string]stickyChoice
}

type stickyChoice struct {
	ep   Endpoint
	last time.Duration // on the kernel's clock
}

// Options configure kube-proxy.
type Options struct {
	// Backend carries requests to endpoints: the simulated pod network or
	// real sockets.
	Backend Backend
	// Listen opens a TCP listener on 127.0.0.1 for each NodePort. Off in
	// tests that must not depend on free ports.
	Listen bool
	// Synced, when set, is called on the kernel's goroutine after each
	// sync of the rules: the Docker nodes hand the Services and Endpoints
	// to the proxies inside their pods then.
	Synced func()
}

// Proxy is kube-proxy. Its table is read by listener goroutines and
// written by the kernel's: a mutex guards it.
type Proxy struct {
	api     *apiserver.Server
	k       *sim.Kernel
	backend Backend
	listen  bool
	synced  func()

	armed bool
	// credit is the sync budget, as upstream's token bucket: one sync
	// costs MinSyncPeriod; it refills with time up to burstSyncs syncs.
	credit   time.Duration
	lastSync time.Duration

	mu        sync.Mutex
	rules     map[string][]*servicePort // by "ns/svc", in the Service's port order
	byNode    map[int32]*servicePort
	listeners map[int32]*listener
	forwards  []*Forward
	closed    bool

	// lastLoad is the load run started last; the kernel's goroutine owns it.
	lastLoad *Load
}

// New starts kube-proxy on api.
func New(api *apiserver.Server, opts Options) *Proxy {
	p := &Proxy{api: api, k: api.Kernel(), backend: opts.Backend, listen: opts.Listen, synced: opts.Synced, credit: burstSyncs * MinSyncPeriod,
		rules: map[string][]*servicePort{}, byNode: map[int32]*servicePort{}, listeners: map[int32]*listener{}}
	api.Watch(apiserver.Watcher{Component: Name, Filter: p.filter, Handle: p.handle})
	return p
}

func (p *Proxy) filter(ev store.Event) (string, bool) {
	switch o := ev.Object.(type) {
	case *corev1.Service:
		return "service " + ev.Verb(), true
	case *discoveryv1.EndpointSlice:
		if ev.Type == watch.Deleted {
			return "endpointslice deleted", true
		}
		ready, notReady := 0, 0
		for _, e := range o.Endpoints {
			if ptr.Deref(e.Conditions.Ready, true) {
				ready++
			} else {
				notReady++
			}
		}
		return fmt.Sprintf("%d ready, %d not ready", ready, notReady), true
	}
	return "", false
}

// handle arms one sync of the rules, as soon as the budget allows, as
// upstream's bounded-frequency runner does.
func (p *Proxy) handle(store.Event) {
	if p.armed {
		return
	}
	p.armed = true
	wait := max(0, MinSyncPeriod-p.budget())
	p.k.After(wait, Name, "sync proxy rules", p.sync)
}

// budget is the sync credit now.
func (p *Proxy) budget() time.Duration {
	return min(burstSyncs*MinSyncPeriod, p.credit+p.k.Elapsed()-p.lastSync)
}

// sync rebuilds the rules from the Services and EndpointSlices the apiserver
// has now (level-based), keeping each rule's round-robin position, and
// opens or closes NodePort listeners to match.
func (p *Proxy) sync() {
	p.credit = p.budget() - MinSyncPeriod
	p.armed, p.lastSync = false, p.k.Elapsed()
	rules := map[string][]*servicePort{}
	byNode := map[int32]*servicePort{}
	p.mu.Lock()
	prev := p.rules
	p.mu.Unlock()
	byService := map[string][]*discoveryv1.EndpointSlice{} // by "ns/svc"
	for _, o := range p.api.List(resSlices, "") {
		es := o.(*discoveryv1.EndpointSlice)
		if name := es.Labels[discoveryv1.LabelServiceName]; name != "" {
			byService[es.Namespace+"/"+name] = append(byService[es.Namespace+"/"+name], es)
		}
	}
	for _, o := range p.api.List(resServices, "") {
		svc := o.(*corev1.Service)
		key := svc.Namespace + "/" + svc.Name
		for i, sp := range svc.Spec.Ports {
			r := &servicePort{namespace: svc.Namespace, service: svc.Name, name: sp.Name, port: sp.Port, nodePort: sp.NodePort,
				endpoints: kubeproxy.ServingEndpoints(byService[key], sp.Name), affinity: kubeproxy.AffinityTimeout(svc)}
			if old := prev[key]; i < len(old) && len(r.endpoints) > 0 {
				p.mu.Lock()
				r.next = old[i].next % len(r.endpoints)
				for client, ch := range old[i].sticky {
					if r.affinity > 0 && slices.Contains(r.endpoints, ch.ep) {
						if r.sticky == nil {
							r.sticky = map[string]stickyChoice{}
						}
						r.sticky[client] = ch
					}
				}
				p.mu.Unlock()
			}
			rules[key] = append(rules[key], r)
			if sp.NodePort != 0 {
				byNode[sp.NodePort] = r
			}
		}
	}
	p.mu.Lock()
	p.rules, p.byNode = rules, byNode
	p.mu.Unlock()
	if p.listen {
		p.syncListeners()
	}
	if p.synced != nil {
		p.synced()
	}
}

// NoEndpointsError is a Service with no ready endpoint: upstream rejects
// the connection, so the client sees "connection refused".
type NoEndpointsError struct{ Service string }

func (e NoEndpointsError) Error() string {
	return fmt.Sprintf("service %s has no ready endpoints: connection refused", e.Service)
}

// Pick chooses the endpoint the next request to a Service port goes to,
// round robin over its ready endpoints. port 0 is the Service's first
// port. Safe from any goroutine: listeners call it.
func (p *Proxy) Pick(namespace, service string, port int32) (Endpoint, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, err := p.rule(namespace, service, port)
	if err != nil {
		return Endpoint{}, err
	}
	return r.pick()
}

// PickFrom is Pick for a connection from the pod whose IP is client, as
// the simulated pod network asks on the kernel's goroutine: with the
// Service's sessionAffinity ClientIP, the endpoint the client had, while
// it is ready and was used within the affinity's timeout.
func (p *Proxy) PickFrom(client, namespace, service string, port int32) (Endpoint, error) {
	now := p.k.Elapsed()
	p.mu.Lock()
	defer p.mu.Unlock()
	r, err := p.rule(namespace, service, port)
	if err != nil {
		return Endpoint{}, err
	}
	if r.affinity == 0 || client == "" {
		return r.pick()
	}
	if ch, ok := r.sticky[client]; ok && now-ch.last < r.affinity && slices.Contains(r.endpoints, ch.ep) {
		r.sticky[client] = stickyChoice{ch.ep, now}
		return ch.ep, nil
	}
	ep, err := r.pick()
	if err == nil {
		if r.sticky == nil {
			r.sticky = map[string]stickyChoice{}
		}
		r.sticky[client] = stickyChoice{ep, now}
	}
	return ep, err
}

// Endpoints is how many endpoints kube-proxy sends a Service port's
// requests to now (port 0: the first port): 0 until it has synced the
// Service's EndpointSlices, which it does at most once per MinSyncPeriod.
func (p *Proxy) Endpoints(namespace, service string, port int32) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, err := p.rule(namespace, service, port)
	if err != nil {
		return 0
	}
	return len(r.endpoints)
}

func (p *Proxy) rule(namespace, service string, port int32) (*servicePort, error) {
	rules, ok := p.rules[namespace+"/"+service]
	if !ok {
		return nil, fmt.Errorf("services %q not found", service)
	}
	for _, r := range rules {
		if port == 0 || r.port == port {
			return r, nil
		}
	}
	return nil, fmt.Errorf("service %s has no port %d", service, port)
}

// pickNode is Pick for a NodePort.
func (p *Proxy) pickNode(nodePort int32) (Endpoint, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.byNode[nodePort]
	if r == nil {
		return Endpoint{}, fmt.Errorf("no service has node port %d", nodePort)
	}
	return r.pick()
}

func (r *servicePort) pick() (Endpoint, error) {
	if len(r.endpoints) == 0 {
		return Endpoint{}, NoEndpointsError{Service: r.service}
	}
	e := r.endpoints[r.next%len(r.endpoints)]
	r.next = (r.next + 1) % len(r.endpoints)
	return e, nil
}

// ServiceOfNodePort names the Service behind a node port, for a curl to
// 127.0.0.1:PORT run inside the shell.
func (p *Proxy) ServiceOfNodePort(nodePort int32) (namespace, service string, port int32, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r := p.byNode[nodePort]; r != nil {
		return r.namespace, r.service, r.port, true
	}
	return "", "", 0, false
}

// Close closes every listener, port-forwards' included: on exit.
func (p *Proxy) Close() {
	p.mu.Lock()
	p.closed = true
	ls := p.listeners
	p.listeners = map[int32]*listener{}
	p.mu.Unlock()
	for _, l := range ls {
		l.close()
	}
	p.StopForward(0)
}
