package kubectl

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// ingressRule is kubectl's rule syntax: host/path=service:port, then
// optionally ",tls" or ",tls=secret".
var ingressRule = regexp.MustCompile(`^(?P<host>[\w\*\-\.]*)(?P<path>/.*)=(?P<svcname>[\w\-]+):(?P<svcport>[\w\-]+)(,(?P<istls>tls)=?(?P<secretname>[\w\-]+)?)?`)

// createIngressCmd is `kubectl create ingress NAME --rule=host/path=svc:port
// [--class=C] [--default-backend=svc:port] [--annotation=k=v]`: a path
// ending in * is a Prefix path, any other Exact, as kubectl builds them.
func (s *Session) createIngressCmd() *cobra.Command {
	var class, defaultBackend string
	var rules, annotations []string
	cmd := &cobra.Command{
		Use:     "ingress NAME --rule=host/path=service:port[,tls[=secret]] ",
		Aliases: []string{"ing"},
		Short:   "Create an ingress with the specified name",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if defaultBackend == "" && len(rules) == 0 {
				return fmt.Errorf("not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)")
			}
			for _, r := range rules {
				if !ingressRule.MatchString(r) {
					return fmt.Errorf("rule %s is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]", r)
				}
			}
			ann := map[string]string{}
			for _, a := range annotations {
				k, v, ok := strings.Cut(a, "=")
				if !ok {
					return fmt.Errorf("annotation %s is invalid and should be in format key=[value]", a)
				}
				ann[k] = v
			}
			if defaultBackend != "" && strings.Count(defaultBackend, ":") != 1 {
				return fmt.Errorf("default-backend should be in format servicename:serviceport")
			}
			ing := &networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Name: args[0], Annotations: ann}}
			if class != "" {
				ing.Spec.IngressClassName = &class
			}
			if defaultBackend != "" {
				b := ingressBackend(defaultBackend)
				ing.Spec.DefaultBackend = &b
			}
			ing.Spec.TLS = ingressTLS(rules)
			ing.Spec.Rules = ingressRules(rules)
			return failedTo("create ingress: ", s.createObject(ing))
		},
	}
	cmd.Flags().StringVar(&class, "class", "", "Ingress Class to be used")
	cmd.Flags().StringArrayVar(&rules, "rule", nil, "Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character '*' are considered pathType=Prefix. tls argument is optional.")
	cmd.Flags().StringVar(&defaultBackend, "default-backend", "", "Default service for backend, in format of svcname:port")
	cmd.Flags().StringArrayVar(&annotations, "annotation", nil, "Annotation to insert in the ingress object, in the format annotation=value")
	return cmd
}

// ingressTLS is kubectl's buildTLSRules: one entry per secret, each host
// once.
func ingressTLS(rules []string) []networkingv1.IngressTLS {
	var out []networkingv1.IngressTLS
	seen := map[string]bool{}
	for _, r := range rules {
		parts := strings.Split(r, ",")
		if len(parts) != 2 {
			continue
		}
		host := strings.SplitN(r, "/", 2)[0]
		if seen[host] {
			continue
		}
		seen[host] = true
		secret := ""
		if _, v, ok := strings.Cut(parts[1], "="); ok {
			secret = v
		}
		found := false
		for i := range out {
			if out[i].SecretName == secret {
				out[i].Hosts = append(out[i].Hosts, host)
				found = true
				break
			}
		}
		if found {
			continue
		}
		t := networkingv1.IngressTLS{SecretName: secret}
		if host != "" {
			t.Hosts = []string{host}
		}
		if t.SecretName != "" || len(t.Hosts) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// ingressRules is kubectl's buildIngressRules: the paths of one host
// gathered in one rule.
func ingressRules(rules []string) []networkingv1.IngressRule {
	var out []networkingv1.IngressRule
	for _, r := range rules {
		hostPath := strings.Split(r, ",")[0]
		host, rest, _ := strings.Cut(hostPath, "/")
		pathSvc := strings.Split(rest, "=")
		path, pathType := "/"+pathSvc[0], networkingv1.PathTypeExact
		if strings.HasSuffix(path, "*") {
			path, pathType = strings.TrimSuffix(path, "*"), networkingv1.PathTypePrefix
		}
		p := networkingv1.HTTPIngressPath{Path: path, PathType: &pathType, Backend: ingressBackend(pathSvc[1])}
		found := false
		for i := range out {
			if out[i].Host == host {
				out[i].HTTP.Paths = append(out[i].HTTP.Paths, p)
				found = true
				break
			}
		}
		if !found {
			out = append(out, networkingv1.IngressRule{Host: host, IngressRuleValue: networkingv1.IngressRuleValue{
				HTTP: &networkingv1.HTTPIngressRuleValue{Paths: []networkingv1.HTTPIngressPath{p}}}})
		}
	}
	return out
}

// ingressBackend reads "service:port"; a port that is not a number is a
// port name.
func ingressBackend(s string) networkingv1.IngressBackend {
	name, port, _ := strings.Cut(s, ":")
	b := networkingv1.IngressServiceBackend{Name: name}
	if p := intstr.Parse(port); p.Type == intstr.Int {
		b.Port.Number = p.IntVal
	} else {
		b.Port.Name = p.StrVal
	}
	return networkingv1.IngressBackend{Service: &b}
}
