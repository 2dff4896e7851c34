package admission

import (
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// validatePodSpec follows pkg/apis/core/validation ValidatePodSpec for the
// fields kubeplay's learners meet.
func validatePodSpec(s *corev1.PodSpec, path *field.Path) field.ErrorList {
	// Paths are made when an error needs one: a valid pod (a hundred
	// thousand of a big Deployment's) makes none.
	var errs field.ErrorList
	if len(s.Containers) == 0 {
		errs = append(errs, field.Required(path.Child("containers"), ""))
	}
	// Names are unique across init and regular containers: both are
	// addressed by name in logs, exec and status.
	seen := map[string]bool{}
	for i := range s.InitContainers {
		errs = append(errs, validateContainer(&s.InitContainers[i], elementPath{path, "initContainers", i}, seen, false)...)
	}
	for i := range s.Containers {
		errs = append(errs, validateContainer(&s.Containers[i], elementPath{path, "containers", i}, seen, true)...)
	}
	errs = append(errs, requiredOneOf(path, "restartPolicy", s.RestartPolicy,
		corev1.RestartPolicyAlways, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever)...)
	errs = append(errs, requiredOneOf(path, "dnsPolicy", s.DNSPolicy,
		corev1.DNSClusterFirstWithHostNet, corev1.DNSClusterFirst, corev1.DNSDefault, corev1.DNSNone)...)
	if s.TerminationGracePeriodSeconds != nil && *s.TerminationGracePeriodSeconds < 0 {
		errs = append(errs, apivalidation.ValidateNonnegativeField(*s.TerminationGracePeriodSeconds, path.Child("terminationGracePeriodSeconds"))...)
	}
	if s.ActiveDeadlineSeconds != nil && *s.ActiveDeadlineSeconds <= 0 {
		errs = append(errs, field.Invalid(path.Child("activeDeadlineSeconds"), *s.ActiveDeadlineSeconds, "must be between 1 and 2147483647, inclusive"))
	}
	return errs
}

// elementPath is the path of element index of the list name under
// parent, made only when asked for.
type elementPath struct {
	parent *field.Path
	name   string
	index  int
}

func (e elementPath) path() *field.Path { return e.parent.Child(e.name).Index(e.index) }

func validateContainer(c *corev1.Container, at elementPath, seen map[string]bool, regular bool) field.ErrorList {
	var errs field.ErrorList
	switch {
	case c.Name == "":
		errs = append(errs, field.Required(at.path().Child("name"), ""))
	case seen[c.Name]:
		errs = append(errs, field.Duplicate(at.path().Child("name"), c.Name))
	default:
		for _, msg := range validation.IsDNS1123Label(c.Name) {
			errs = append(errs, field.Invalid(at.path().Child("name"), c.Name, msg))
		}
	}
	seen[c.Name] = true
	if c.Image == "" {
		errs = append(errs, field.Required(at.path().Child("image"), ""))
	}
	if c.ImagePullPolicy == "" || !slices.Contains(pullPolicies, c.ImagePullPolicy) {
		errs = append(errs, requiredOneOf(at.path(), "imagePullPolicy", c.ImagePullPolicy, pullPolicies...)...)
	}
	if len(c.Ports) > 0 {
		errs = append(errs, validateContainerPorts(c.Ports, at.path().Child("ports"))...)
	}
	errs = append(errs, validateResources(&c.Resources, func() *field.Path { return at.path().Child("resources") })...)
	if regular {
		// A liveness or startup probe that needed two successes in a row
		// would only delay a restart decision; upstream forbids it.
		for _, p := range []struct {
			name  string
			probe *corev1.Probe
		}{{"livenessProbe", c.LivenessProbe}, {"readinessProbe", c.ReadinessProbe}, {"startupProbe", c.StartupProbe}} {
			if p.probe == nil {
				continue
			}
			pp := at.path().Child(p.name)
			errs = append(errs, validateProbe(p.probe, pp)...)
			if p.name != "readinessProbe" && p.probe.SuccessThreshold != 1 {
				errs = append(errs, field.Invalid(pp.Child("successThreshold"), p.probe.SuccessThreshold, "must be 1"))
			}
		}
	}
	return errs
}

var pullPolicies = []corev1.PullPolicy{corev1.PullAlways, corev1.PullIfNotPresent, corev1.PullNever}

func validateContainerPorts(ports []corev1.ContainerPort, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	names := map[string]bool{}
	for i, p := range ports {
		pp := path.Index(i)
		if p.Name != "" {
			for _, msg := range validation.IsValidPortName(p.Name) {
				errs = append(errs, field.Invalid(pp.Child("name"), p.Name, msg))
			}
			if names[p.Name] {
				errs = append(errs, field.Duplicate(pp.Child("name"), p.Name))
			}
			names[p.Name] = true
		}
		if p.ContainerPort == 0 {
			errs = append(errs, field.Required(pp.Child("containerPort"), ""))
		} else {
			for _, msg := range validation.IsValidPortNum(int(p.ContainerPort)) {
				errs = append(errs, field.Invalid(pp.Child("containerPort"), p.ContainerPort, msg))
			}
		}
		if p.HostPort != 0 {
			for _, msg := range validation.IsValidPortNum(int(p.HostPort)) {
				errs = append(errs, field.Invalid(pp.Child("hostPort"), p.HostPort, msg))
			}
		}
		errs = append(errs, validateProtocol(p.Protocol, pp.Child("protocol"))...)
	}
	return errs
}

func validateProbe(p *corev1.Probe, path *field.Path) field.ErrorList {
	errs := validateHandler(p, path)
	for _, f := range []struct {
		name string
		v    int32
	}{
		{"initialDelaySeconds", p.InitialDelaySeconds},
		{"timeoutSeconds", p.TimeoutSeconds},
		{"periodSeconds", p.PeriodSeconds},
		{"successThreshold", p.SuccessThreshold},
		{"failureThreshold", p.FailureThreshold},
	} {
		errs = append(errs, apivalidation.ValidateNonnegativeField(int64(f.v), path.Child(f.name))...)
	}
	return errs
}

// validateHandler requires exactly one way to probe; the kubelet would not
// know which one to run.
func validateHandler(p *corev1.Probe, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	n := 0
	one := func(name string, set bool, check func() field.ErrorList) {
		if !set {
			return
		}
		if n > 0 {
			errs = append(errs, field.Forbidden(path.Child(name), "may not specify more than 1 handler type"))
			return
		}
		n++
		errs = append(errs, check()...)
	}
	one("exec", p.Exec != nil, func() field.ErrorList {
		if len(p.Exec.Command) == 0 {
			return field.ErrorList{field.Required(path.Child("exec", "command"), "")}
		}
		return nil
	})
	one("httpGet", p.HTTPGet != nil, func() field.ErrorList {
		hp := path.Child("httpGet")
		var errs field.ErrorList
		if p.HTTPGet.Path == "" {
			errs = append(errs, field.Required(hp.Child("path"), ""))
		}
		errs = append(errs, validatePortNumOrName(p.HTTPGet.Port, hp.Child("port"))...)
		if s := p.HTTPGet.Scheme; s != corev1.URISchemeHTTP && s != corev1.URISchemeHTTPS {
			errs = append(errs, field.NotSupported(hp.Child("scheme"), s, []corev1.URIScheme{corev1.URISchemeHTTP, corev1.URISchemeHTTPS}))
		}
		return errs
	})
	one("tcpSocket", p.TCPSocket != nil, func() field.ErrorList {
		return validatePortNumOrName(p.TCPSocket.Port, path.Child("tcpSocket", "port"))
	})
	one("grpc", p.GRPC != nil, func() field.ErrorList {
		var errs field.ErrorList
		for _, msg := range validation.IsValidPortNum(int(p.GRPC.Port)) {
			errs = append(errs, field.Invalid(path.Child("grpc", "port"), p.GRPC.Port, msg))
		}
		return errs
	})
	if n == 0 {
		errs = append(errs, field.Required(path, "must specify a handler type"))
	}
	return errs
}

// validateResources checks quantities and that a request never exceeds
// its limit: the scheduler places by requests, the kubelet enforces limits.
func validateResources(r *corev1.ResourceRequirements, at func() *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, name := range sortedKeys(r.Limits) {
		q := r.Limits[corev1.ResourceName(name)]
		if q.Sign() < 0 {
			errs = append(errs, field.Invalid(at().Child("limits").Key(name), q.String(), apivalidation.IsNegativeErrorMsg))
		}
	}
	for _, name := range sortedKeys(r.Requests) {
		q := r.Requests[corev1.ResourceName(name)]
		if q.Sign() < 0 {
			errs = append(errs, field.Invalid(at().Child("requests").Key(name), q.String(), apivalidation.IsNegativeErrorMsg))
		}
		if limit, ok := r.Limits[corev1.ResourceName(name)]; ok && q.Cmp(limit) > 0 {
			errs = append(errs, field.Invalid(at().Child("requests"), q.String(),
				fmt.Sprintf("must be less than or equal to %s limit of %s", name, limit.String())))
		}
	}
	return errs
}

// requiredOneOf is the apiserver's check of an enumerated field: Required
// when empty, NotSupported (listing the values) when not one of them.
func requiredOneOf[T ~string](parent *field.Path, name string, value T, allowed ...T) field.ErrorList {
	switch {
	case value == "":
		return field.ErrorList{field.Required(parent.Child(name), "")}
	case !slices.Contains(allowed, value):
		return field.ErrorList{field.NotSupported(parent.Child(name), value, allowed)}
	}
	return nil
}
