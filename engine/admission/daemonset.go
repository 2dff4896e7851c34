package admission

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// validateDaemonSet is apps/validation's ValidateDaemonSetSpec, and on
// update the apps/v1 strategy's rule that the selector never changes.
func validateDaemonSet(ds *appsv1.DaemonSet, old *appsv1.DaemonSet) field.ErrorList {
	spec := field.NewPath("spec")
	s := &ds.Spec
	var errs field.ErrorList
	if s.Selector == nil {
		errs = append(errs, field.Required(spec.Child("selector"), ""))
	}
	errs = append(errs, metav1validation.ValidateLabelSelector(s.Selector, metav1validation.LabelSelectorValidationOptions{}, spec.Child("selector"))...)
	tpath := spec.Child("template")
	if selector, err := metav1.LabelSelectorAsSelector(s.Selector); err == nil && !selector.Matches(labels.Set(s.Template.Labels)) {
		errs = append(errs, field.Invalid(tpath.Child("metadata", "labels"), s.Template.Labels, "`selector` does not match template `labels`"))
	}
	if s.Selector != nil && len(s.Selector.MatchLabels)+len(s.Selector.MatchExpressions) == 0 {
		errs = append(errs, field.Invalid(spec.Child("selector"), s.Selector, "empty selector is invalid for daemonset"))
	}
	errs = append(errs, metav1validation.ValidateLabels(s.Template.Labels, tpath.Child("metadata", "labels"))...)
	errs = append(errs, validatePodSpec(&s.Template.Spec, tpath.Child("spec"))...)
	if s.Template.Spec.RestartPolicy != corev1.RestartPolicyAlways {
		errs = append(errs, field.NotSupported(tpath.Child("spec", "restartPolicy"), s.Template.Spec.RestartPolicy,
			[]corev1.RestartPolicy{corev1.RestartPolicyAlways}))
	}
	if s.Template.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, field.Forbidden(tpath.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in DaemonSet is not Supported"))
	}
	errs = append(errs, apivalidation.ValidateNonnegativeField(int64(s.MinReadySeconds), spec.Child("minReadySeconds"))...)
	errs = append(errs, validateDaemonSetUpdateStrategy(&s.UpdateStrategy, spec.Child("updateStrategy"))...)
	if s.RevisionHistoryLimit != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*s.RevisionHistoryLimit), spec.Child("revisionHistoryLimit"))...)
	}
	if old != nil {
		errs = append(errs, apivalidation.ValidateImmutableField(s.Selector, old.Spec.Selector, spec.Child("selector"))...)
	}
	return errs
}

// validateDaemonSetUpdateStrategy is ValidateDaemonSetUpdateStrategy with
// ValidateRollingUpdateDaemonSet: exactly one of maxUnavailable and
// maxSurge is non-zero, neither above 100%.
func validateDaemonSetUpdateStrategy(s *appsv1.DaemonSetUpdateStrategy, path *field.Path) field.ErrorList {
	switch s.Type {
	case appsv1.OnDeleteDaemonSetStrategyType:
		return nil
	case appsv1.RollingUpdateDaemonSetStrategyType:
	default:
		return field.ErrorList{field.NotSupported(path, s,
			[]appsv1.DaemonSetUpdateStrategyType{appsv1.RollingUpdateDaemonSetStrategyType, appsv1.OnDeleteDaemonSetStrategyType})}
	}
	ru := path.Child("rollingUpdate")
	if s.RollingUpdate == nil {
		return field.ErrorList{field.Required(ru, "")}
	}
	var errs field.ErrorList
	unavailable, surge := orZero(s.RollingUpdate.MaxUnavailable), orZero(s.RollingUpdate.MaxSurge)
	errs = append(errs, validatePositiveIntOrPercent(unavailable, ru.Child("maxUnavailable"))...)
	errs = append(errs, validatePositiveIntOrPercent(surge, ru.Child("maxSurge"))...)
	errs = append(errs, notMoreThan100Percent(unavailable, ru.Child("maxUnavailable"))...)
	errs = append(errs, notMoreThan100Percent(surge, ru.Child("maxSurge"))...)
	// A malformed percentage counts as 0 here, as upstream's
	// getIntOrPercentValue reads it.
	nonZero := func(v intstr.IntOrString) bool {
		n := intOrPercent(v)
		return n != 0 && (n != -1 || v.Type == intstr.Int)
	}
	hasUnavailable, hasSurge := nonZero(unavailable), nonZero(surge)
	switch {
	case hasUnavailable && hasSurge:
		errs = append(errs, field.Invalid(ru.Child("maxSurge"), surge, "may not be set when maxUnavailable is non-zero"))
	case !hasUnavailable && !hasSurge:
		errs = append(errs, field.Required(ru.Child("maxUnavailable"), "cannot be 0 when maxSurge is 0"))
	}
	return errs
}
