package kubelet

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kubeplay/kubeplay/engine/dns"
	"github.com/kubeplay/kubeplay/engine/runtime"

	corev1 "k8s.io/api/core/v1"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
)

// What the kubelet writes into every container of a pod, as upstream's
// does: /etc/hosts (kubelet_pods.go), the resolver configuration the
// runtime writes as /etc/resolv.conf (network/dns), the host name, and
// the Service environment variables (envvars).

// Limits on a pod's resolver configuration (apis/core/validation).
const (
	maxNameservers     = 3
	maxSearchPaths     = 32
	maxSearchLineChars = 2048
)

// podHostname is the pod's host name and domain, as the kubelet's
// GeneratePodHostNameAndDomain makes them: spec.hostname or the pod's
// name, cut to 63 characters; with spec.subdomain, the domain
// <subdomain>.<namespace>.svc.<cluster domain>.
func podHostname(pod *corev1.Pod) (hostname, domain string) {
	hostname = pod.Name
	if pod.Spec.Hostname != "" {
		hostname = pod.Spec.Hostname
	}
	if len(hostname) > validation.DNS1123LabelMaxLength {
		hostname = strings.TrimRight(hostname[:validation.DNS1123LabelMaxLength], "-.")
	}
	if pod.Spec.Subdomain != "" {
		domain = pod.Spec.Subdomain + "." + pod.Namespace + ".svc." + dns.Domain
	}
	return hostname, domain
}

// managedHosts is the hosts file the kubelet writes for a pod on the pod
// network (managedHostsFileContent): localhost, the pod's IP with its
// host name (and its fully qualified name when it has a domain), and
// spec.hostAliases.
func managedHosts(ip, hostname, domain string, aliases []corev1.HostAlias) []byte {
	// Sized for the usual file, without host aliases: one allocation.
	b := make([]byte, 0, len(managedHostsHeader)+len(ip)+2*len(hostname)+len(domain)+4)
	b = append(b, managedHostsHeader...)
	b = append(b, ip...)
	b = append(b, '\t')
	b = append(b, hostname...)
	if domain != "" {
		b = append(b, '.')
		b = append(b, domain...)
		b = append(b, '\t')
		b = append(b, hostname...)
	}
	b = append(b, '\n')
	if len(aliases) > 0 {
		b = append(b, "\n# Entries added by HostAliases.\n"...)
		for _, a := range aliases {
			b = fmt.Appendf(b, "%s\t%s\n", a.IP, strings.Join(a.Hostnames, "\t"))
		}
	}
	return b
}

const managedHostsHeader = "# Kubernetes-managed hosts file.\n" +
	"127.0.0.1\tlocalhost\n" +
	"::1\tlocalhost ip6-localhost ip6-loopback\n" +
	"fe00::0\tip6-localnet\n" +
	"fe00::0\tip6-mcastprefix\n" +
	"fe00::1\tip6-allnodes\n" +
	"fe00::2\tip6-allrouters\n"

// mountsHosts says whether a container mounts a volume of its own at
// /etc/hosts, which the kubelet then leaves alone.
func mountsHosts(spec *corev1.Container) bool {
	for _, m := range spec.VolumeMounts {
		if m.MountPath == "/etc/hosts" {
			return true
		}
	}
	return false
}

// podDNS is the pod's resolver configuration, as the kubelet's GetPodDNS
// makes it from dnsPolicy and dnsConfig: ClusterFirst (the default) asks
// the cluster's DNS with the cluster's search path and ndots:5; Default
// gets the node's own; None starts empty. dnsConfig is added on top, and
// what is past the limits is left out, with an event that says so.
func (kl *Kubelet) podDNS(w *podWorker) *runtime.DNSConfig {
	pod := w.pod
	// Most pods take their namespace's ClusterFirst configuration as it
	// is: one, shared (the runtime only reads it), instead of six
	// objects in every sandbox of a big Deployment.
	plain := pod.Spec.DNSConfig == nil && !pod.Spec.HostNetwork &&
		(pod.Spec.DNSPolicy == "" || pod.Spec.DNSPolicy == corev1.DNSClusterFirst || pod.Spec.DNSPolicy == corev1.DNSClusterFirstWithHostNet)
	if cfg := kl.nsDNS[pod.Namespace]; plain && cfg != nil {
		return cfg
	}
	cfg, cut := kl.formPodDNS(w)
	if plain && !cut {
		if kl.nsDNS == nil || len(kl.nsDNS) >= maxCachedNamespaces {
			kl.nsDNS = map[string]*runtime.DNSConfig{}
		}
		kl.nsDNS[pod.Namespace] = cfg
	}
	return cfg
}

// maxCachedNamespaces bounds the kubelet's cache of namespaces' resolver
// configurations.
const maxCachedNamespaces = 256

// formPodDNS is podDNS made afresh; cut says a limit cut it (and an event
// said so).
func (kl *Kubelet) formPodDNS(w *podWorker) (_ *runtime.DNSConfig, cut bool) {
	pod := w.pod
	node := kl.rt.Info().NodeDNS
	cfg := runtime.DNSConfig{Servers: node.Servers, Searches: node.Searches, Options: node.Options}
	switch policy := pod.Spec.DNSPolicy; {
	case policy == corev1.DNSNone:
		cfg = runtime.DNSConfig{}
	case policy == corev1.DNSDefault, policy != corev1.DNSClusterFirstWithHostNet && pod.Spec.HostNetwork:
	default: // ClusterFirst, ClusterFirstWithHostNet
		cfg.Servers = []string{dns.ServiceIP}
		ns := pod.Namespace + ".svc." + dns.Domain
		cfg.Searches = omitDuplicates(append([]string{ns, "svc." + dns.Domain, dns.Domain}, node.Searches...))
		cfg.Options = []string{"ndots:5"}
	}
	if dc := pod.Spec.DNSConfig; dc != nil {
		cfg.Servers = omitDuplicates(append(append([]string{}, cfg.Servers...), dc.Nameservers...))
		cfg.Searches = omitDuplicates(append(append([]string{}, cfg.Searches...), dc.Searches...))
		cfg.Options = mergeDNSOptions(cfg.Options, dc.Options)
	}
	if len(cfg.Servers) > maxNameservers {
		cut = true
		cfg.Servers = cfg.Servers[:maxNameservers]
		kl.event(w, corev1.EventTypeWarning, "DNSConfigForming",
			"Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: "+strings.Join(cfg.Servers, " "))
	}
	if searches, cutSearches := fitSearches(cfg.Searches); cutSearches {
		cut = true
		cfg.Searches = searches
		kl.event(w, corev1.EventTypeWarning, "DNSConfigForming",
			"Search Line limits were exceeded, some search paths have been omitted, the applied search line is: "+strings.Join(searches, " "))
	}
	return &cfg, cut
}

// fitSearches cuts a search path to the limits (formDNSSearchFitsLimits):
// 32 domains, none longer than 253 characters, 2048 characters in all.
func fitSearches(searches []string) (out []string, cut bool) {
	if len(searches) > maxSearchPaths {
		searches, cut = searches[:maxSearchPaths], true
	}
	for _, s := range searches {
		if len(s) > validation.DNS1123SubdomainMaxLength {
			cut = true
			continue
		}
		out = append(out, s)
	}
	for len(out) > 0 && len(strings.Join(out, " ")) > maxSearchLineChars {
		out, cut = out[:len(out)-1], true
	}
	return out, cut
}

func omitDuplicates(list []string) []string {
	seen := map[string]bool{}
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// mergeDNSOptions adds dnsConfig's options to the base ones; an option
// given again takes the new value (mergeDNSOptions). Upstream's order is a
// map's; here the base options come first, then the new ones, in order.
func mergeDNSOptions(base []string, extra []corev1.PodDNSConfigOption) []string {
	var names []string
	values := map[string]string{}
	add := func(name, value string) {
		if _, ok := values[name]; !ok {
			names = append(names, name)
		}
		values[name] = value
	}
	for _, o := range base {
		name, value, _ := strings.Cut(o, ":")
		add(name, value)
	}
	for _, o := range extra {
		value := ""
		if o.Value != nil {
			value = *o.Value
		}
		add(o.Name, value)
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		if v := values[n]; v != "" {
			out = append(out, n+":"+v)
		} else {
			out = append(out, n)
		}
	}
	return out
}

// serviceEnv are the Service environment variables a container of pod
// gets (getServiceEnvVarMap): for every Service of its namespace with a
// cluster IP, unless enableServiceLinks is false, and for the kubernetes
// Service of default always. They are the Services that exist when the
// container is made: one made later shows only in containers made after
// it, as upstream. Upstream's order is a map's; here it is by Service
// name, each Service's variables in envvars' order.
func (kl *Kubelet) serviceEnv(pod *corev1.Pod) []runtime.EnvVar {
	links := pod.Spec.EnableServiceLinks == nil || *pod.Spec.EnableServiceLinks
	var kube kruntime.Object
	if obj, err := kl.api.Get(resServices, "default", "kubernetes"); err == nil {
		kube = obj
	}
	var listed []kruntime.Object
	if links {
		listed = kl.api.List(resServices, pod.Namespace)
	}
	// The same Service versions as the last pod's: the same variables,
	// shared (a stored object is never changed, so its pointer names it).
	last := &kl.lastSvcEnv
	if last.valid && last.kube == kube && slices.Equal(last.listed, listed) {
		return last.vars
	}
	vars := kl.serviceEnvOf(kube, listed, pod.Namespace)
	*last = svcEnv{valid: true, kube: kube, listed: listed, vars: slices.Clip(vars)}
	return last.vars
}

// svcEnv is the Service variables made last, and the Services they were
// made of.
type svcEnv struct {
	valid  bool
	kube   kruntime.Object // the kubernetes Service
	listed []kruntime.Object
	vars   []runtime.EnvVar
}

// serviceEnvOf makes serviceEnv's variables of the kubernetes Service
// and those listed in namespace.
func (kl *Kubelet) serviceEnvOf(kube kruntime.Object, listed []kruntime.Object, namespace string) []runtime.EnvVar {
	byName := map[string]*corev1.Service{}
	if kube != nil {
		byName["kubernetes"] = kube.(*corev1.Service)
	}
	for _, o := range listed {
		svc := o.(*corev1.Service)
		if namespace == "default" && svc.Name == "kubernetes" {
			continue
		}
		byName[svc.Name] = svc
	}
	names := make([]string, 0, len(byName))
	for n, svc := range byName {
		if ip := svc.Spec.ClusterIP; ip != "" && ip != corev1.ClusterIPNone && len(svc.Spec.Ports) > 0 {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var out []runtime.EnvVar
	for _, n := range names {
		out = append(out, kl.serviceVars(byName[n])...)
	}
	return out
}

// serviceVars are appendServiceVars' variables of one version of a
// Service, made once and shared by every container made while it stands
// (stored objects are never changed, so the pointer names the version):
// a hundred thousand containers each spelt the kubernetes Service's nine
// variables anew.
func (kl *Kubelet) serviceVars(svc *corev1.Service) []runtime.EnvVar {
	if vars, ok := kl.svcVars[svc]; ok {
		return vars
	}
	if kl.svcVars == nil || len(kl.svcVars) >= maxServiceVars {
		kl.svcVars = map[*corev1.Service][]runtime.EnvVar{} // old versions go
	}
	vars := appendServiceVars(nil, svc)
	kl.svcVars[svc] = vars
	return vars
}

// maxServiceVars bounds serviceVars' memory of Service versions.
const maxServiceVars = 256

// appendServiceVars adds one Service's variables, as envvars.FromServices
// makes them: NAME_SERVICE_HOST, NAME_SERVICE_PORT (the first port),
// NAME_SERVICE_PORT_<PORT NAME> for each named port, and Docker's link
// variables NAME_PORT, NAME_PORT_<port>_<PROTO>{,_PROTO,_PORT,_ADDR}.
func appendServiceVars(out []runtime.EnvVar, svc *corev1.Service) []runtime.EnvVar {
	prefix := envVarName(svc.Name)
	ip := svc.Spec.ClusterIP
	out = append(out, runtime.EnvVar{Name: prefix + "_SERVICE_HOST", Value: ip},
		runtime.EnvVar{Name: prefix + "_SERVICE_PORT", Value: strconv.Itoa(int(svc.Spec.Ports[0].Port))})
	for _, p := range svc.Spec.Ports {
		if p.Name != "" {
			out = append(out, runtime.EnvVar{Name: prefix + "_SERVICE_PORT_" + envVarName(p.Name), Value: strconv.Itoa(int(p.Port))})
		}
	}
	for i, p := range svc.Spec.Ports {
		proto := string(p.Protocol)
		if proto == "" {
			proto = string(corev1.ProtocolTCP)
		}
		lower := strings.ToLower(proto)
		url := fmt.Sprintf("%s://%s:%d", lower, ip, p.Port)
		if i == 0 {
			out = append(out, runtime.EnvVar{Name: prefix + "_PORT", Value: url})
		}
		pp := fmt.Sprintf("%s_PORT_%d_%s", prefix, p.Port, strings.ToUpper(proto))
		out = append(out, runtime.EnvVar{Name: pp, Value: url},
			runtime.EnvVar{Name: pp + "_PROTO", Value: lower},
			runtime.EnvVar{Name: pp + "_PORT", Value: strconv.Itoa(int(p.Port))},
			runtime.EnvVar{Name: pp + "_ADDR", Value: ip})
	}
	return out
}

var envVarReplacer = strings.NewReplacer(".", "_", "-", "_")

// envVarName is a name as a variable name: upper case, dots and dashes
// as underscores, and an underscore before a leading digit.
func envVarName(s string) string {
	n := strings.ToUpper(envVarReplacer.Replace(s))
	if n != "" && n[0] >= '0' && n[0] <= '9' {
		n = "_" + n
	}
	return n
}
