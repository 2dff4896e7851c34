package printers

//lint:file-ignore SA1019 kubectl describe ingress lists a backend's endpoints, which kubeplay keeps as v1 Endpoints.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// ingressRow is kubectl's printIngress: CLASS, HOSTS (three, then "+ N
// more..."), ADDRESS, PORTS ("80", or "80, 443" with TLS).
func ingressRow(ing *networkingv1.Ingress, o Options) []string {
	class := "<none>"
	if ing.Spec.IngressClassName != nil {
		class = *ing.Spec.IngressClassName
	}
	ports := "80"
	if len(ing.Spec.TLS) > 0 {
		ports = "80, 443"
	}
	return []string{ing.Name, class, ingressHosts(ing.Spec.Rules), IngressAddress(ing.Status.LoadBalancer, o.Wide), ports, since(o.Now, ing.CreationTimestamp)}
}

// ingressHosts is kubectl's formatHosts.
func ingressHosts(rules []networkingv1.IngressRule) string {
	const max = 3
	var list []string
	more := false
	for _, r := range rules {
		if len(list) == max {
			more = true
		}
		if !more && r.Host != "" {
			list = append(list, r.Host)
		}
	}
	if len(list) == 0 {
		return "*"
	}
	s := strings.Join(list, ",")
	if more {
		return fmt.Sprintf("%s + %d more...", s, len(rules)-max)
	}
	return s
}

// IngressAddress is kubectl's ingressLoadBalancerStatusStringer: the
// addresses sorted and deduplicated, clipped outside -o wide.
func IngressAddress(s networkingv1.IngressLoadBalancerStatus, wide bool) string {
	seen := map[string]bool{}
	var result []string
	for _, in := range s.Ingress {
		a := in.IP
		if a == "" {
			a = in.Hostname
		}
		if a != "" && !seen[a] {
			seen[a] = true
			result = append(result, a)
		}
	}
	sort.Strings(result)
	r := strings.Join(result, ",")
	if !wide && len(r) > loadBalancerWidth {
		r = r[:loadBalancerWidth-3] + "..."
	}
	return r
}

// ingressClassRow is kubectl's printIngressClass.
func ingressClassRow(ic *networkingv1.IngressClass, o Options) []string {
	params := "<none>"
	if p := ic.Spec.Parameters; p != nil {
		params = p.Kind
		if p.APIGroup != nil {
			params += "." + *p.APIGroup
		}
		params += "/" + p.Name
	}
	return []string{ic.Name, ic.Spec.Controller, params, since(o.Now, ic.CreationTimestamp)}
}

// ServiceBackend is what describe ingress reads about one backend
// Service: the Service and its Endpoints (nil when there are none).
type ServiceBackend struct {
	Service   *corev1.Service
	Endpoints *corev1.Endpoints
}

// ingress is kubectl 1.33's describeIngressV1.
func (d *describer) ingress(ing *networkingv1.Ingress) {
	d.write(level0, "Name:\t%v\n", ing.Name)
	d.labels("", "Labels", ing.Labels)
	d.write(level0, "Namespace:\t%v\n", ing.Namespace)
	d.write(level0, "Address:\t%v\n", IngressAddress(ing.Status.LoadBalancer, true))
	class := "<none>"
	if ing.Spec.IngressClassName != nil {
		class = *ing.Spec.IngressClassName
	}
	d.write(level0, "Ingress Class:\t%v\n", class)
	def := "<default>"
	if ing.Spec.DefaultBackend != nil {
		def = d.ingressBackend(ing.Spec.DefaultBackend)
	}
	d.write(level0, "Default backend:\t%s\n", def)
	if len(ing.Spec.TLS) > 0 {
		d.write(level0, "TLS:\n")
		for _, t := range ing.Spec.TLS {
			if t.SecretName == "" {
				d.write(level1, "SNI routes %v\n", strings.Join(t.Hosts, ","))
			} else {
				d.write(level1, "%v terminates %v\n", t.SecretName, strings.Join(t.Hosts, ","))
			}
		}
	}
	d.write(level0, "Rules:\n  Host\tPath\tBackends\n")
	d.write(level1, "----\t----\t--------\n")
	count := 0
	for _, r := range ing.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		count++
		host := r.Host
		if host == "" {
			host = "*"
		}
		d.write(level1, "%s\t\n", host)
		for _, p := range r.HTTP.Paths {
			d.write(level2, "\t%s \t%s\n", p.Path, d.ingressBackend(&p.Backend))
		}
	}
	if count == 0 {
		d.write(level1, "%s\t%s\t%s\n", "*", "*", def)
	}
	d.annotations("Annotations", ing.Annotations)
	d.events()
}

// ingressBackend is describeBackendV1: "svc:port (endpoints)", or the
// error reading the Service.
func (d *describer) ingressBackend(b *networkingv1.IngressBackend) string {
	if b.Resource != nil {
		group := "<none>"
		if b.Resource.APIGroup != nil {
			group = *b.Resource.APIGroup
		}
		return fmt.Sprintf("APIGroup: %v, Kind: %v, Name: %v", group, b.Resource.Kind, b.Resource.Name)
	}
	if b.Service == nil {
		return ""
	}
	sb := IngressServiceBackend(b.Service)
	be, ok := d.ctx.Backends[b.Service.Name]
	if !ok || be.Service == nil {
		return fmt.Sprintf("%v (<error: services %q not found>)", sb, b.Service.Name)
	}
	portName := ""
	for _, sp := range be.Service.Spec.Ports {
		if (b.Service.Port.Number != 0 && b.Service.Port.Number == sp.Port) || (b.Service.Port.Name != "" && b.Service.Port.Name == sp.Name) {
			portName = sp.Name
		}
	}
	return fmt.Sprintf("%s (%s)", sb, serviceEndpoints(be.Endpoints, portName))
}

// IngressServiceBackend is kubectl's serviceBackendStringer: "web:80",
// "web:http".
func IngressServiceBackend(b *networkingv1.IngressServiceBackend) string {
	port := b.Port.Name
	if b.Port.Number != 0 {
		port = strconv.Itoa(int(b.Port.Number))
	}
	return b.Name + ":" + port
}

// ingressClass is describeIngressClassV1.
func (d *describer) ingressClass(ic *networkingv1.IngressClass) {
	d.write(level0, "Name:\t%s\n", ic.Name)
	d.labels("", "Labels", ic.Labels)
	d.annotations("Annotations", ic.Annotations)
	d.write(level0, "Controller:\t%v\n", ic.Spec.Controller)
	if p := ic.Spec.Parameters; p != nil {
		d.write(level0, "Parameters:\n")
		if p.APIGroup != nil {
			d.write(level1, "APIGroup:\t%v\n", *p.APIGroup)
		}
		d.write(level1, "Kind:\t%v\n", p.Kind)
		d.write(level1, "Name:\t%v\n", p.Name)
	}
	d.events()
}
