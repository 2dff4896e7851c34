package admission

import (
	"fmt"
	"strings"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/validate/content"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// DefaultCPUUtilization is the target of an HPA that names no metric:
// 80 % of the pods' cpu requests (autoscaling.DefaultCPUUtilization).
const DefaultCPUUtilization = 80

// defaultHPA is upstream's SetDefaults_HorizontalPodAutoscaler (v2):
// minReplicas 1, the cpu target above when there is no metric, and the
// behavior's missing rules filled in when a behavior is given (a nil
// behavior stays nil: the controller then applies its own fixed rules).
func defaultHPA(h *autoscalingv2.HorizontalPodAutoscaler) {
	setIfNil(&h.Spec.MinReplicas, 1)
	if len(h.Spec.Metrics) == 0 {
		h.Spec.Metrics = []autoscalingv2.MetricSpec{{Type: autoscalingv2.ResourceMetricSourceType,
			Resource: &autoscalingv2.ResourceMetricSource{Name: corev1.ResourceCPU,
				Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr(int32(DefaultCPUUtilization))}}}}
	}
	if b := h.Spec.Behavior; b != nil {
		b.ScaleUp = defaultScalingRules(b.ScaleUp, ptr(int32(0)), []autoscalingv2.HPAScalingPolicy{
			{Type: autoscalingv2.PodsScalingPolicy, Value: 4, PeriodSeconds: 15},
			{Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15}})
		b.ScaleDown = defaultScalingRules(b.ScaleDown, nil, []autoscalingv2.HPAScalingPolicy{
			{Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15}})
	}
}

// defaultScalingRules is GenerateHPAScaleUpRules/GenerateHPAScaleDownRules:
// what the rules leave out is taken from the defaults.
func defaultScalingRules(r *autoscalingv2.HPAScalingRules, window *int32, policies []autoscalingv2.HPAScalingPolicy) *autoscalingv2.HPAScalingRules {
	if r == nil {
		r = &autoscalingv2.HPAScalingRules{}
	}
	if r.StabilizationWindowSeconds == nil {
		r.StabilizationWindowSeconds = window
	}
	if r.SelectPolicy == nil {
		r.SelectPolicy = ptr(autoscalingv2.MaxChangePolicySelect)
	}
	if len(r.Policies) == 0 {
		r.Policies = policies
	}
	return r
}

// validateHPA is upstream's ValidateHorizontalPodAutoscaler, for the
// fields kubeplay's controller reads.
func validateHPA(h *autoscalingv2.HorizontalPodAutoscaler, old *autoscalingv2.HorizontalPodAutoscaler) field.ErrorList {
	var errs field.ErrorList
	if old == nil {
		errs = validateMeta(&h.ObjectMeta, nil, true, apivalidation.NameIsDNSSubdomain)
	} else {
		errs = validateMeta(&h.ObjectMeta, old, true, apivalidation.NameIsDNSSubdomain)
	}
	spec := field.NewPath("spec")
	if m := h.Spec.MinReplicas; m != nil && *m < 1 {
		errs = append(errs, field.Invalid(spec.Child("minReplicas"), *m, "must be greater than or equal to 1"))
	}
	if h.Spec.MaxReplicas < 1 {
		errs = append(errs, field.Invalid(spec.Child("maxReplicas"), h.Spec.MaxReplicas, "must be greater than 0"))
	}
	if m := h.Spec.MinReplicas; m != nil && h.Spec.MaxReplicas < *m {
		errs = append(errs, field.Invalid(spec.Child("maxReplicas"), h.Spec.MaxReplicas, "must be greater than or equal to `minReplicas`"))
	}
	ref, refPath := h.Spec.ScaleTargetRef, spec.Child("scaleTargetRef")
	for _, f := range []struct{ name, value string }{{"kind", ref.Kind}, {"name", ref.Name}} {
		if f.value == "" {
			errs = append(errs, field.Required(refPath.Child(f.name), ""))
			continue
		}
		for _, msg := range content.IsPathSegmentName(f.value) {
			errs = append(errs, field.Invalid(refPath.Child(f.name), f.value, msg))
		}
	}
	for i, m := range h.Spec.Metrics {
		errs = append(errs, validateMetricSpec(m, spec.Child("metrics").Index(i))...)
	}
	if b := h.Spec.Behavior; b != nil {
		errs = append(errs, validateScalingRules(b.ScaleUp, spec.Child("behavior", "scaleUp"))...)
		errs = append(errs, validateScalingRules(b.ScaleDown, spec.Child("behavior", "scaleDown"))...)
	}
	return errs
}

var metricSourceTypes = []string{string(autoscalingv2.ContainerResourceMetricSourceType), string(autoscalingv2.ExternalMetricSourceType),
	string(autoscalingv2.ObjectMetricSourceType), string(autoscalingv2.PodsMetricSourceType), string(autoscalingv2.ResourceMetricSourceType)}

// validateMetricSpec is upstream's validateMetricSpec and, for the
// Resource type kubeplay measures, validateResourceSource.
func validateMetricSpec(m autoscalingv2.MetricSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if m.Type == "" {
		return append(errs, field.Required(p.Child("type"), "must specify a metric source type"))
	}
	known := false
	for _, t := range metricSourceTypes {
		known = known || string(m.Type) == t
	}
	if !known {
		return append(errs, field.NotSupported(p.Child("type"), m.Type, metricSourceTypes))
	}
	if m.Type != autoscalingv2.ResourceMetricSourceType {
		return errs
	}
	if m.Resource == nil {
		return append(errs, field.Required(p.Child("resource"), "must populate information for the given metric source"))
	}
	rp := p.Child("resource")
	if m.Resource.Name == "" {
		errs = append(errs, field.Required(rp.Child("name"), "must specify a resource name"))
	}
	t, tp := m.Resource.Target, rp.Child("target")
	switch t.Type {
	case "":
		errs = append(errs, field.Required(tp.Child("type"), "must specify a metric target type"))
	case autoscalingv2.UtilizationMetricType, autoscalingv2.ValueMetricType, autoscalingv2.AverageValueMetricType:
	default:
		errs = append(errs, field.NotSupported(tp.Child("type"), t.Type, []string{string(autoscalingv2.AverageValueMetricType),
			string(autoscalingv2.UtilizationMetricType), string(autoscalingv2.ValueMetricType)}))
	}
	if t.AverageUtilization == nil && t.AverageValue == nil {
		errs = append(errs, field.Required(tp.Child("averageUtilization"), "must set either a target raw value or a target utilization"))
	}
	if t.AverageUtilization != nil && t.AverageValue != nil {
		errs = append(errs, field.Forbidden(tp.Child("averageValue"), "may not set both a target raw value and a target utilization"))
	}
	if u := t.AverageUtilization; u != nil && *u < 1 {
		errs = append(errs, field.Invalid(tp.Child("averageUtilization"), *u, "must be greater than 0"))
	}
	return errs
}

// validateScalingRules is upstream's validateScalingRules.
func validateScalingRules(r *autoscalingv2.HPAScalingRules, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if r == nil {
		return errs
	}
	if w := r.StabilizationWindowSeconds; w != nil && (*w < 0 || *w > 3600) {
		msg := "must be greater than or equal to zero"
		if *w > 3600 {
			msg = "must be less than or equal to 3600"
		}
		errs = append(errs, field.Invalid(p.Child("stabilizationWindowSeconds"), *w, msg))
	}
	if len(r.Policies) == 0 {
		errs = append(errs, field.Required(p.Child("policies"), "must specify at least one Policy"))
	}
	for i, pol := range r.Policies {
		pp := p.Child("policies").Index(i)
		if pol.Type != autoscalingv2.PodsScalingPolicy && pol.Type != autoscalingv2.PercentScalingPolicy {
			errs = append(errs, field.Invalid(pp.Child("type"), pol.Type, fmt.Sprintf("must be %s or %s",
				strings.ToLower(string(autoscalingv2.PodsScalingPolicy)), strings.ToLower(string(autoscalingv2.PercentScalingPolicy)))))
		}
		if pol.Value <= 0 {
			errs = append(errs, field.Invalid(pp.Child("value"), pol.Value, "must be greater than zero"))
		}
		if pol.PeriodSeconds <= 0 {
			errs = append(errs, field.Invalid(pp.Child("periodSeconds"), pol.PeriodSeconds, "must be greater than zero"))
		} else if pol.PeriodSeconds > 1800 {
			errs = append(errs, field.Invalid(pp.Child("periodSeconds"), pol.PeriodSeconds, "must be less than or equal to 1800"))
		}
	}
	return errs
}
