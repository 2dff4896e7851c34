package ingress

import (
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/kubeplay/kubeplay/engine/proxy"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// target is where a route sends requests: a Service port of the
// Ingress's namespace.
type target struct {
	namespace, ingress string
	service            string
	port               networkingv1.ServiceBackendPort
	// number is the Service port the backend names; 0 when the Service
	// or the port does not exist (the request gets a 503, as from
	// ingress-nginx's upstream without endpoints).
	number int32
	// endpoints are the port's ready endpoints, which the controller
	// reads itself, as ingress-nginx does, rather than waiting for
	// kube-proxy's next sync.
	endpoints []proxy.Endpoint
}

// key names the target's Service port, for its round robin.
func (t target) key() string { return fmt.Sprintf("%s/%s:%d", t.namespace, t.service, t.number) }

// route is one path of a host.
type route struct {
	path string
	kind networkingv1.PathType
	to   target
}

// matches is ingress-nginx's location matching: Exact the whole path,
// Prefix element by element (/foo matches /foo and /foo/bar, never
// /foobar), ImplementationSpecific as nginx's plain prefix location
// (/foo matches /foobar too).
func (r route) matches(path string) bool {
	switch r.kind {
	case networkingv1.PathTypeExact:
		return path == r.path
	case networkingv1.PathTypePrefix:
		p := strings.TrimSuffix(r.path, "/")
		return p == "" || path == p || strings.HasPrefix(path, p+"/")
	default:
		return strings.HasPrefix(path, r.path)
	}
}

// server is one host's routes, as ingress-nginx's server block: Exact
// paths first, then the longest path first.
type server struct {
	routes []route
	// fallback is the defaultBackend of the Ingress that made the host,
	// for a path none of its routes take (nil: 404).
	fallback *target
}

func (s *server) match(path string) (target, bool) {
	for _, r := range s.routes {
		if r.matches(path) {
			return r.to, true
		}
	}
	if s.fallback != nil {
		return *s.fallback, true
	}
	return target{}, false
}

// table is the controller's routes: one server per host, wildcard hosts
// by their suffix, the rules without a host, and the catch-all default
// backend (an Ingress with a defaultBackend and no rules).
type table struct {
	hosts     map[string]*server
	wildcards map[string]*server // "*.example.com" under ".example.com"
	anyHost   *server
	// up is false while the controller's Deployment has no available
	// pod: nothing answers on its address then.
	up bool
}

// lookup finds where a request for host and path goes; ok is false for a
// 404.
func (t *table) lookup(host, path string) (target, bool) {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	s := t.hosts[host]
	if s == nil {
		if i := strings.IndexByte(host, '.'); i > 0 {
			s = t.wildcards[host[i:]]
		}
	}
	if s == nil {
		s = t.anyHost
	}
	if s == nil {
		return target{}, false
	}
	return s.match(path)
}

// build makes the table from the Ingresses the controller serves, oldest
// first (ingress-nginx's order: the first Ingress to claim a host and
// path keeps it), and the Services of their namespaces.
func build(ings []*networkingv1.Ingress, service func(namespace, name string) *corev1.Service,
	endpoints func(namespace, name, port string) []proxy.Endpoint) *table {
	sort.Slice(ings, func(i, j int) bool {
		a, b := ings[i], ings[j]
		if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
			return a.CreationTimestamp.Before(&b.CreationTimestamp)
		}
		return a.Namespace+"/"+a.Name < b.Namespace+"/"+b.Name
	})
	t := &table{hosts: map[string]*server{}, wildcards: map[string]*server{}, anyHost: &server{}}
	resolve := func(ing *networkingv1.Ingress, b *networkingv1.IngressBackend) *target {
		if b == nil || b.Service == nil {
			return nil
		}
		to := &target{namespace: ing.Namespace, ingress: ing.Name, service: b.Service.Name, port: b.Service.Port}
		if svc := service(ing.Namespace, b.Service.Name); svc != nil {
			for _, sp := range svc.Spec.Ports {
				if (b.Service.Port.Number != 0 && sp.Port == b.Service.Port.Number) || (b.Service.Port.Name != "" && sp.Name == b.Service.Port.Name) {
					to.number = sp.Port
					to.endpoints = endpoints(ing.Namespace, b.Service.Name, sp.Name)
				}
			}
		}
		return to
	}
	seen := map[*server]map[string]bool{}
	for _, ing := range ings {
		def := resolve(ing, ing.Spec.DefaultBackend)
		if len(ing.Spec.Rules) == 0 && def != nil && t.anyHost.fallback == nil {
			t.anyHost.fallback = def
		}
		for _, rule := range ing.Spec.Rules {
			s := t.anyHost
			if rule.Host != "" {
				m, key := t.hosts, strings.ToLower(rule.Host)
				if strings.HasPrefix(key, "*.") {
					m, key = t.wildcards, key[1:]
				}
				if s = m[key]; s == nil {
					s = &server{fallback: def}
					m[key] = s
				}
			}
			if seen[s] == nil {
				seen[s] = map[string]bool{}
			}
			if rule.HTTP == nil {
				continue
			}
			for _, p := range rule.HTTP.Paths {
				kind := networkingv1.PathTypeImplementationSpecific
				if p.PathType != nil {
					kind = *p.PathType
				}
				path := p.Path
				if path == "" {
					path = "/"
				}
				key := string(kind) + " " + path
				if seen[s][key] {
					continue
				}
				seen[s][key] = true
				if to := resolve(ing, &p.Backend); to != nil {
					s.routes = append(s.routes, route{path: path, kind: kind, to: *to})
				}
			}
		}
	}
	for _, s := range append(mapValues(t.hosts), append(mapValues(t.wildcards), t.anyHost)...) {
		sort.SliceStable(s.routes, func(i, j int) bool {
			a, b := s.routes[i], s.routes[j]
			if (a.kind == networkingv1.PathTypeExact) != (b.kind == networkingv1.PathTypeExact) {
				return a.kind == networkingv1.PathTypeExact
			}
			return len(a.path) > len(b.path)
		})
	}
	return t
}

func mapValues(m map[string]*server) []*server {
	out := make([]*server, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	return out
}
