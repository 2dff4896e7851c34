package present

//lint:file-ignore SA1019 a route's ready count is read from v1 Endpoints, which the endpoints controller writes.

import (
	"sort"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// IngressRow is an Ingress as the board draws it: its address and each
// route to a Service with the Service's ready endpoints.
type IngressRow struct {
	Name, Class string
	// Address is where its controller answers ("" while none has taken
	// it); Served is false when no IngressClass of that name exists.
	Address string
	Served  bool
	Routes  []RouteRow
}

// RouteRow is one host and path of an Ingress, or its default backend
// (Default set, Host and Path empty).
type RouteRow struct {
	Host, Path string
	Prefix     bool // a Prefix path: it takes what is under it too
	Default    bool
	Backend    string // "svc:port"
	// Ready is the Service's ready endpoints; Missing is a Service that
	// does not exist.
	Ready   int
	Missing bool
}

// IngressRows presents the Ingresses by namespace and name, with the
// Services and Endpoints their backends name.
func IngressRows(ings []*networkingv1.Ingress, classes []*networkingv1.IngressClass, svcs []*corev1.Service, eps []*corev1.Endpoints) []IngressRow {
	known := map[string]bool{}
	for _, c := range classes {
		known[c.Name] = true
	}
	exists := map[string]bool{}
	for _, s := range svcs {
		exists[s.Namespace+"/"+s.Name] = true
	}
	ready := map[string]int{}
	for _, e := range eps {
		for _, s := range e.Subsets {
			ready[e.Namespace+"/"+e.Name] += len(s.Addresses)
		}
	}
	route := func(ns string, b *networkingv1.IngressBackend) RouteRow {
		if b.Service == nil {
			return RouteRow{Backend: b.Resource.Kind + "/" + b.Resource.Name}
		}
		port := b.Service.Port.Name
		if b.Service.Port.Number != 0 {
			port = strconv.Itoa(int(b.Service.Port.Number))
		}
		key := ns + "/" + b.Service.Name
		return RouteRow{Backend: b.Service.Name + ":" + port, Ready: ready[key], Missing: !exists[key]}
	}
	var out []IngressRow
	for _, ing := range ings {
		r := IngressRow{Name: ing.Name}
		if ing.Spec.IngressClassName != nil {
			r.Class = *ing.Spec.IngressClassName
		}
		if v, ok := ing.Annotations["kubernetes.io/ingress.class"]; ok {
			r.Class = v
		}
		r.Served = known[r.Class]
		for _, lb := range ing.Status.LoadBalancer.Ingress {
			if lb.IP != "" && r.Address == "" {
				r.Address = lb.IP
				if len(lb.Ports) > 0 {
					r.Address += ":" + strconv.Itoa(int(lb.Ports[0].Port))
				}
			}
		}
		for _, rule := range ing.Spec.Rules {
			if rule.HTTP == nil {
				continue
			}
			for _, p := range rule.HTTP.Paths {
				rr := route(ing.Namespace, &p.Backend)
				rr.Host, rr.Path = rule.Host, p.Path
				rr.Prefix = p.PathType == nil || *p.PathType != networkingv1.PathTypeExact
				r.Routes = append(r.Routes, rr)
			}
		}
		if ing.Spec.DefaultBackend != nil {
			rr := route(ing.Namespace, ing.Spec.DefaultBackend)
			rr.Default = true
			r.Routes = append(r.Routes, rr)
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}
