package admission

import (
	"fmt"
	"net"
	"strings"

	networkingv1 "k8s.io/api/networking/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// IngressClassAnnotation is the deprecated annotation that named an
// Ingress's class before spec.ingressClassName; the DefaultIngressClass
// plugin leaves an Ingress carrying it alone, and validation requires it
// to agree with the field.
const IngressClassAnnotation = "kubernetes.io/ingress.class"

// IsDefaultIngressClassAnnotation marks an IngressClass as the cluster's
// default, as ingressclass.kubernetes.io/is-default-class does upstream.
const IsDefaultIngressClassAnnotation = networkingv1.AnnotationIsDefaultIngressClass

// Path rules of upstream's validateHTTPIngressPath: sequences an Exact or
// Prefix path may not contain, and suffixes it may not end with.
var (
	invalidPathSequences = []string{"//", "/./", "/../", "%2f", "%2F"}
	invalidPathSuffixes  = []string{"/..", "/."}
)

// defaultIngressClass is SetDefaults_IngressClass: a parameters reference
// without a scope is cluster-scoped.
func defaultIngressClass(ic *networkingv1.IngressClass) {
	if p := ic.Spec.Parameters; p != nil && p.Scope == nil {
		p.Scope = ptr(networkingv1.IngressClassParametersReferenceScopeCluster)
	}
}

// admitIngress is the DefaultIngressClass admission plugin: a new Ingress
// that names no class, by field or annotation, gets the default one.
func admitIngress(ing *networkingv1.Ingress, classes []runtime.Object) {
	if ing.Spec.IngressClassName != nil {
		return
	}
	if _, ok := ing.Annotations[IngressClassAnnotation]; ok {
		return
	}
	if def := DefaultIngressClass(classes); def != nil {
		ing.Spec.IngressClassName = ptr(def.Name)
	}
}

// DefaultIngressClass is the IngressClass marked default, or nil; of
// several, the newest, as upstream's plugin picks.
func DefaultIngressClass(classes []runtime.Object) *networkingv1.IngressClass {
	var def *networkingv1.IngressClass
	for _, obj := range classes {
		ic := obj.(*networkingv1.IngressClass)
		if ic.Annotations[IsDefaultIngressClassAnnotation] != "true" {
			continue
		}
		if def == nil || def.CreationTimestamp.Before(&ic.CreationTimestamp) {
			def = ic
		}
	}
	return def
}

// validateIngress is ValidateIngressCreate/Update of
// pkg/apis/networking/validation (v1.33: Service names as DNS-1035
// labels, RelaxedServiceNameValidation being off).
func validateIngress(ing *networkingv1.Ingress, old runtime.Object) field.ErrorList {
	errs := validateMeta(&ing.ObjectMeta, old, true, apivalidation.NameIsDNSSubdomain)
	spec := &ing.Spec
	path := field.NewPath("spec")
	if len(spec.Rules) == 0 && spec.DefaultBackend == nil {
		errs = append(errs, field.Invalid(path, spec.Rules, "either `defaultBackend` or `rules` must be specified"))
	}
	if spec.DefaultBackend != nil {
		errs = append(errs, validateIngressBackend(spec.DefaultBackend, path.Child("defaultBackend"))...)
	}
	for i, rule := range spec.Rules {
		errs = append(errs, validateIngressRule(&rule, path.Child("rules").Index(i))...)
	}
	for i, tls := range spec.TLS {
		tpath := path.Child("tls").Index(i)
		for j, host := range tls.Hosts {
			errs = append(errs, hostErrors(host, tpath.Child("hosts").Index(j), false)...)
		}
		if tls.SecretName != "" {
			for _, msg := range apivalidation.NameIsDNSSubdomain(tls.SecretName, false) {
				errs = append(errs, field.Invalid(tpath.Child("secretName"), tls.SecretName, msg))
			}
		}
	}
	if spec.IngressClassName != nil {
		for _, msg := range apivalidation.NameIsDNSSubdomain(*spec.IngressClassName, false) {
			errs = append(errs, field.Invalid(path.Child("ingressClassName"), *spec.IngressClassName, msg))
		}
	}
	if old == nil {
		if v, ok := ing.Annotations[IngressClassAnnotation]; ok && spec.IngressClassName != nil && v != *spec.IngressClassName {
			errs = append(errs, field.Invalid(field.NewPath("annotations").Child(IngressClassAnnotation), v, "must match `ingressClassName` when both are specified"))
		}
	}
	return errs
}

// hostErrors checks a rule's or a TLS entry's host: a DNS name (a
// wildcard first label allowed), never an IP address (rules only).
func hostErrors(host string, path *field.Path, rejectIP bool) field.ErrorList {
	var errs field.ErrorList
	if rejectIP && net.ParseIP(host) != nil {
		errs = append(errs, field.Invalid(path, host, "must be a DNS name, not an IP address"))
	}
	check := validation.IsDNS1123Subdomain
	if strings.Contains(host, "*") {
		check = validation.IsWildcardDNS1123Subdomain
	}
	for _, msg := range check(host) {
		errs = append(errs, field.Invalid(path, host, msg))
	}
	return errs
}

func validateIngressRule(rule *networkingv1.IngressRule, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if rule.Host != "" {
		errs = append(errs, hostErrors(rule.Host, path.Child("host"), true)...)
	}
	if rule.HTTP == nil {
		return errs
	}
	hpath := path.Child("http")
	if len(rule.HTTP.Paths) == 0 {
		errs = append(errs, field.Required(hpath.Child("paths"), ""))
	}
	for i := range rule.HTTP.Paths {
		errs = append(errs, validateIngressPath(&rule.HTTP.Paths[i], hpath.Child("paths").Index(i))...)
	}
	return errs
}

// validateIngressPath is validateHTTPIngressPath: pathType is required,
// Exact and Prefix paths are absolute and clean.
func validateIngressPath(p *networkingv1.HTTPIngressPath, path *field.Path) field.ErrorList {
	if p.PathType == nil {
		return field.ErrorList{field.Required(path.Child("pathType"), "pathType must be specified")}
	}
	var errs field.ErrorList
	switch *p.PathType {
	case networkingv1.PathTypeExact, networkingv1.PathTypePrefix:
		if !strings.HasPrefix(p.Path, "/") {
			errs = append(errs, field.Invalid(path.Child("path"), p.Path, "must be an absolute path"))
		}
		for _, seq := range invalidPathSequences {
			if strings.Contains(p.Path, seq) {
				errs = append(errs, field.Invalid(path.Child("path"), p.Path, fmt.Sprintf("must not contain '%s'", seq)))
			}
		}
		for _, suffix := range invalidPathSuffixes {
			if strings.HasSuffix(p.Path, suffix) {
				errs = append(errs, field.Invalid(path.Child("path"), p.Path, fmt.Sprintf("cannot end with '%s'", suffix)))
			}
		}
	case networkingv1.PathTypeImplementationSpecific:
		if p.Path != "" && !strings.HasPrefix(p.Path, "/") {
			errs = append(errs, field.Invalid(path.Child("path"), p.Path, "must be an absolute path"))
		}
	default:
		errs = append(errs, field.NotSupported(path.Child("pathType"), *p.PathType,
			[]string{string(networkingv1.PathTypeExact), string(networkingv1.PathTypeImplementationSpecific), string(networkingv1.PathTypePrefix)}))
	}
	return append(errs, validateIngressBackend(&p.Backend, path.Child("backend"))...)
}

func validateIngressBackend(b *networkingv1.IngressBackend, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch {
	case b.Resource != nil && b.Service != nil:
		return append(errs, field.Invalid(path, "", "cannot set both resource and service backends"))
	case b.Resource != nil:
		r := b.Resource
		if r.Kind == "" {
			errs = append(errs, field.Required(path.Child("resource", "kind"), ""))
		}
		if r.Name == "" {
			errs = append(errs, field.Required(path.Child("resource", "name"), ""))
		}
	case b.Service != nil:
		svc := b.Service
		if svc.Name == "" {
			errs = append(errs, field.Required(path.Child("service", "name"), ""))
		} else {
			for _, msg := range apivalidation.NameIsDNS1035Label(svc.Name, false) {
				errs = append(errs, field.Invalid(path.Child("service", "name"), svc.Name, msg))
			}
		}
		hasName, hasNumber := svc.Port.Name != "", svc.Port.Number != 0
		switch {
		case hasName && hasNumber:
			errs = append(errs, field.Invalid(path, "", "cannot set both port name & port number"))
		case hasName:
			for _, msg := range validation.IsValidPortName(svc.Port.Name) {
				errs = append(errs, field.Invalid(path.Child("service", "port", "name"), svc.Port.Name, msg))
			}
		case hasNumber:
			for _, msg := range validation.IsValidPortNum(int(svc.Port.Number)) {
				errs = append(errs, field.Invalid(path.Child("service", "port", "number"), svc.Port.Number, msg))
			}
		default:
			errs = append(errs, field.Required(path, "port name or number is required"))
		}
	default:
		errs = append(errs, field.Invalid(path, "", "resource or service backend is required"))
	}
	return errs
}

// validateIngressClass is ValidateIngressClass(Update): a controller
// name that is a domain-prefixed path, immutable.
func validateIngressClass(ic *networkingv1.IngressClass, old runtime.Object) field.ErrorList {
	errs := validateMeta(&ic.ObjectMeta, old, false, apivalidation.NameIsDNSSubdomain)
	cpath := field.NewPath("spec", "controller")
	if c := ic.Spec.Controller; c == "" {
		errs = append(errs, field.Required(cpath, ""))
	} else {
		if len(c) > 250 {
			errs = append(errs, field.TooLong(cpath, "", 250))
		}
		errs = append(errs, validation.IsDomainPrefixedPath(cpath, c)...)
	}
	if p := ic.Spec.Parameters; p != nil {
		ppath := field.NewPath("spec", "parameters")
		if p.Kind == "" {
			errs = append(errs, field.Required(ppath.Child("kind"), ""))
		}
		if p.Name == "" {
			errs = append(errs, field.Required(ppath.Child("name"), ""))
		}
		if p.Scope != nil && *p.Scope == networkingv1.IngressClassParametersReferenceScopeNamespace && p.Namespace == nil {
			errs = append(errs, field.Required(ppath.Child("namespace"), "`parameters.scope` is set to 'Namespace'"))
		}
		if p.Scope != nil && *p.Scope == networkingv1.IngressClassParametersReferenceScopeCluster && p.Namespace != nil {
			errs = append(errs, field.Forbidden(ppath.Child("namespace"), "`parameters.scope` is set to 'Cluster'"))
		}
	}
	if prev, ok := old.(*networkingv1.IngressClass); ok {
		errs = append(errs, apivalidation.ValidateImmutableField(ic.Spec.Controller, prev.Spec.Controller, cpath)...)
	}
	return errs
}
