package manifest

import (
	stdjson "encoding/json"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	"k8s.io/apimachinery/pkg/api/resource"
)

// What autoscaling/v1 cannot say travels through it in annotations, as
// kube-apiserver's conversion does (k8s.io/kubernetes
// pkg/apis/autoscaling/v1/conversion.go): on the way out the v2-only
// parts are written as JSON in these annotations, and on the way in they
// are read back and the annotations dropped, so that a v1 client that
// reads, edits and writes back an HPA keeps its other metrics and its
// behavior. Each annotation carries the v1 spelling of its parts (the
// behavior is the internal type's, with Go's field names).
const (
	MetricSpecsAnnotation                       = "autoscaling.alpha.kubernetes.io/metrics"
	MetricStatusesAnnotation                    = "autoscaling.alpha.kubernetes.io/current-metrics"
	HorizontalPodAutoscalerConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions"
	BehaviorSpecsAnnotation                     = "autoscaling.alpha.kubernetes.io/behavior"
	toleranceScaleDownAnnotation                = "autoscaling.alpha.kubernetes.io/scale-down-tolerance"
	toleranceScaleUpAnnotation                  = "autoscaling.alpha.kubernetes.io/scale-up-tolerance"
)

// roundTripAnnotations are the annotations the conversion owns: whatever
// a client set in them is dropped, on the way out and in.
var roundTripAnnotations = []string{MetricSpecsAnnotation, BehaviorSpecsAnnotation, toleranceScaleDownAnnotation,
	toleranceScaleUpAnnotation, MetricStatusesAnnotation, HorizontalPodAutoscalerConditionsAnnotation}

// withoutRoundTrip is annotations less the conversion's own (a copy when
// any is there; nil when nothing is left of them).
func withoutRoundTrip(annotations map[string]string) map[string]string {
	found := false
	for _, k := range roundTripAnnotations {
		_, ok := annotations[k]
		found = found || ok
	}
	if !found {
		return annotations
	}
	out := make(map[string]string, len(annotations))
	for k, v := range annotations {
		out[k] = v
	}
	for _, k := range roundTripAnnotations {
		delete(out, k)
	}
	return out
}

// The internal HorizontalPodAutoscalerBehavior of kube-apiserver 1.33,
// whose JSON (Go's field names, a nil pointer as null) is what the
// behavior annotation holds.
type (
	internalBehavior struct {
		ScaleUp, ScaleDown *internalScalingRules
	}
	internalScalingRules struct {
		StabilizationWindowSeconds *int32
		SelectPolicy               *autoscalingv2.ScalingPolicySelect
		Policies                   []internalScalingPolicy
		Tolerance                  *resource.Quantity
	}
	internalScalingPolicy struct {
		Type          autoscalingv2.HPAScalingPolicyType
		Value         int32
		PeriodSeconds int32
	}
)

func toInternalRules(r *autoscalingv2.HPAScalingRules) *internalScalingRules {
	if r == nil {
		return nil
	}
	out := &internalScalingRules{StabilizationWindowSeconds: r.StabilizationWindowSeconds, SelectPolicy: r.SelectPolicy, Tolerance: r.Tolerance}
	if r.Policies != nil {
		out.Policies = make([]internalScalingPolicy, len(r.Policies))
		for i, p := range r.Policies {
			out.Policies[i] = internalScalingPolicy(p)
		}
	}
	return out
}

func fromInternalRules(r *internalScalingRules) *autoscalingv2.HPAScalingRules {
	if r == nil {
		return nil
	}
	out := &autoscalingv2.HPAScalingRules{StabilizationWindowSeconds: r.StabilizationWindowSeconds, SelectPolicy: r.SelectPolicy, Tolerance: r.Tolerance}
	for _, p := range r.Policies {
		out.Policies = append(out.Policies, autoscalingv2.HPAScalingPolicy(p))
	}
	return out
}

// annotateV1 writes into out's annotations what in says that v1 cannot:
// the metrics besides the cpu utilization target, every measured metric
// (the cpu's raw value too), the behavior and the conditions. out's
// annotations are its own (a copy of in's).
func annotateV1(in *autoscalingv2.HorizontalPodAutoscaler, out *autoscalingv1.HorizontalPodAutoscaler) {
	out.Annotations = withoutRoundTrip(out.Annotations)
	set := func(key string, v any) {
		data, err := stdjson.Marshal(v)
		if err != nil {
			panic(err) // API types and plain structs: a bug
		}
		if out.Annotations == nil {
			out.Annotations = map[string]string{}
		}
		out.Annotations[key] = string(data)
	}
	var other []autoscalingv1.MetricSpec
	for _, m := range in.Spec.Metrics {
		if !IsCPUUtilization(m) {
			other = append(other, metricSpecToV1(m))
		}
	}
	if len(other) > 0 {
		set(MetricSpecsAnnotation, other)
	}
	if len(in.Status.CurrentMetrics) > 0 {
		current := make([]autoscalingv1.MetricStatus, len(in.Status.CurrentMetrics))
		for i, m := range in.Status.CurrentMetrics {
			current[i] = metricStatusToV1(m)
		}
		set(MetricStatusesAnnotation, current)
	}
	if b := in.Spec.Behavior; b != nil {
		set(BehaviorSpecsAnnotation, internalBehavior{ScaleUp: toInternalRules(b.ScaleUp), ScaleDown: toInternalRules(b.ScaleDown)})
	}
	if len(in.Status.Conditions) > 0 {
		conditions := make([]autoscalingv1.HorizontalPodAutoscalerCondition, len(in.Status.Conditions))
		for i, c := range in.Status.Conditions {
			conditions[i] = autoscalingv1.HorizontalPodAutoscalerCondition{Type: autoscalingv1.HorizontalPodAutoscalerConditionType(c.Type),
				Status: c.Status, LastTransitionTime: c.LastTransitionTime, Reason: c.Reason, Message: c.Message}
		}
		set(HorizontalPodAutoscalerConditionsAnnotation, conditions)
	}
}

// readV1Annotations reads back what annotateV1 wrote, into out (the v2
// object converted from a v1 one), and drops the annotations. A value
// that is not valid JSON is ignored, as upstream ignores it.
func readV1Annotations(out *autoscalingv2.HorizontalPodAutoscaler) {
	a := out.Annotations
	if enc, ok := a[MetricSpecsAnnotation]; ok {
		var other []autoscalingv1.MetricSpec
		if stdjson.Unmarshal([]byte(enc), &other) == nil {
			metrics := make([]autoscalingv2.MetricSpec, 0, len(other)+len(out.Spec.Metrics))
			for _, m := range other {
				metrics = append(metrics, metricSpecFromV1(m))
			}
			out.Spec.Metrics = append(metrics, out.Spec.Metrics...) // the cpu target, if any, goes last
		}
	}
	if enc, ok := a[BehaviorSpecsAnnotation]; ok {
		var b internalBehavior
		if stdjson.Unmarshal([]byte(enc), &b) == nil && (b.ScaleUp != nil || b.ScaleDown != nil) {
			out.Spec.Behavior = &autoscalingv2.HorizontalPodAutoscalerBehavior{ScaleUp: fromInternalRules(b.ScaleUp), ScaleDown: fromInternalRules(b.ScaleDown)}
		}
	}
	if enc, ok := a[MetricStatusesAnnotation]; ok {
		var current []autoscalingv1.MetricStatus
		if stdjson.Unmarshal([]byte(enc), &current) == nil {
			out.Status.CurrentMetrics = make([]autoscalingv2.MetricStatus, len(current))
			for i, m := range current {
				out.Status.CurrentMetrics[i] = metricStatusFromV1(m)
			}
		}
	}
	if enc, ok := a[HorizontalPodAutoscalerConditionsAnnotation]; ok {
		var conditions []autoscalingv1.HorizontalPodAutoscalerCondition
		if stdjson.Unmarshal([]byte(enc), &conditions) == nil {
			out.Status.Conditions = make([]autoscalingv2.HorizontalPodAutoscalerCondition, len(conditions))
			for i, c := range conditions {
				out.Status.Conditions[i] = autoscalingv2.HorizontalPodAutoscalerCondition{Type: autoscalingv2.HorizontalPodAutoscalerConditionType(c.Type),
					Status: c.Status, LastTransitionTime: c.LastTransitionTime, Reason: c.Reason, Message: c.Message}
			}
		}
	}
	out.Annotations = withoutRoundTrip(a)
}

func ref1(r autoscalingv2.CrossVersionObjectReference) autoscalingv1.CrossVersionObjectReference {
	return autoscalingv1.CrossVersionObjectReference{Kind: r.Kind, Name: r.Name, APIVersion: r.APIVersion}
}

func ref2(r autoscalingv1.CrossVersionObjectReference) autoscalingv2.CrossVersionObjectReference {
	return autoscalingv2.CrossVersionObjectReference{Kind: r.Kind, Name: r.Name, APIVersion: r.APIVersion}
}

// quantity is *q, or zero for nil: a v1 field that is no pointer.
func quantity(q *resource.Quantity) resource.Quantity {
	if q == nil {
		return resource.Quantity{}
	}
	return q.DeepCopy()
}

// metricSpecToV1 is upstream's Convert_autoscaling_MetricSpec_To_v1_MetricSpec.
func metricSpecToV1(in autoscalingv2.MetricSpec) autoscalingv1.MetricSpec {
	out := autoscalingv1.MetricSpec{Type: autoscalingv1.MetricSourceType(in.Type)}
	if o := in.Object; o != nil {
		out.Object = &autoscalingv1.ObjectMetricSource{Target: ref1(o.DescribedObject), MetricName: o.Metric.Name,
			TargetValue: quantity(o.Target.Value), Selector: o.Metric.Selector, AverageValue: o.Target.AverageValue}
	}
	if p := in.Pods; p != nil {
		out.Pods = &autoscalingv1.PodsMetricSource{MetricName: p.Metric.Name, TargetAverageValue: quantity(p.Target.AverageValue), Selector: p.Metric.Selector}
	}
	if r := in.Resource; r != nil {
		out.Resource = &autoscalingv1.ResourceMetricSource{Name: r.Name, TargetAverageUtilization: r.Target.AverageUtilization, TargetAverageValue: r.Target.AverageValue}
	}
	if c := in.ContainerResource; c != nil {
		out.ContainerResource = &autoscalingv1.ContainerResourceMetricSource{Name: c.Name, Container: c.Container,
			TargetAverageUtilization: c.Target.AverageUtilization, TargetAverageValue: c.Target.AverageValue}
	}
	if e := in.External; e != nil {
		out.External = &autoscalingv1.ExternalMetricSource{MetricName: e.Metric.Name, MetricSelector: e.Metric.Selector,
			TargetValue: e.Target.Value, TargetAverageValue: e.Target.AverageValue}
	}
	return out
}

// metricSpecFromV1 is upstream's Convert_v1_MetricSpec_To_autoscaling_MetricSpec.
func metricSpecFromV1(in autoscalingv1.MetricSpec) autoscalingv2.MetricSpec {
	out := autoscalingv2.MetricSpec{Type: autoscalingv2.MetricSourceType(in.Type)}
	// utilizationOr is a Utilization target when there is a utilization,
	// else an AverageValue one.
	utilizationOr := func(u *int32) autoscalingv2.MetricTargetType {
		if u != nil {
			return autoscalingv2.UtilizationMetricType
		}
		return autoscalingv2.AverageValueMetricType
	}
	if o := in.Object; o != nil {
		t := autoscalingv2.ValueMetricType
		if o.AverageValue != nil {
			t = autoscalingv2.AverageValueMetricType
		}
		value := o.TargetValue
		out.Object = &autoscalingv2.ObjectMetricSource{DescribedObject: ref2(o.Target),
			Metric: autoscalingv2.MetricIdentifier{Name: o.MetricName, Selector: o.Selector},
			Target: autoscalingv2.MetricTarget{Type: t, Value: &value, AverageValue: o.AverageValue}}
	}
	if p := in.Pods; p != nil {
		avg := p.TargetAverageValue
		out.Pods = &autoscalingv2.PodsMetricSource{Metric: autoscalingv2.MetricIdentifier{Name: p.MetricName, Selector: p.Selector},
			Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: &avg}}
	}
	if r := in.Resource; r != nil {
		out.Resource = &autoscalingv2.ResourceMetricSource{Name: r.Name, Target: autoscalingv2.MetricTarget{
			Type: utilizationOr(r.TargetAverageUtilization), AverageUtilization: r.TargetAverageUtilization, AverageValue: r.TargetAverageValue}}
	}
	if c := in.ContainerResource; c != nil {
		out.ContainerResource = &autoscalingv2.ContainerResourceMetricSource{Name: c.Name, Container: c.Container, Target: autoscalingv2.MetricTarget{
			Type: utilizationOr(c.TargetAverageUtilization), AverageUtilization: c.TargetAverageUtilization, AverageValue: c.TargetAverageValue}}
	}
	if e := in.External; e != nil {
		t := autoscalingv2.ValueMetricType
		if e.TargetValue == nil {
			t = autoscalingv2.AverageValueMetricType
		}
		out.External = &autoscalingv2.ExternalMetricSource{Metric: autoscalingv2.MetricIdentifier{Name: e.MetricName, Selector: e.MetricSelector},
			Target: autoscalingv2.MetricTarget{Type: t, Value: e.TargetValue, AverageValue: e.TargetAverageValue}}
	}
	return out
}

// metricStatusToV1 is upstream's Convert_autoscaling_MetricStatus_To_v1_MetricStatus.
func metricStatusToV1(in autoscalingv2.MetricStatus) autoscalingv1.MetricStatus {
	out := autoscalingv1.MetricStatus{Type: autoscalingv1.MetricSourceType(in.Type)}
	if o := in.Object; o != nil {
		out.Object = &autoscalingv1.ObjectMetricStatus{Target: ref1(o.DescribedObject), MetricName: o.Metric.Name,
			CurrentValue: quantity(o.Current.Value), Selector: o.Metric.Selector}
		if o.Current.AverageValue != nil {
			avg := o.Current.AverageValue.DeepCopy()
			out.Object.AverageValue = &avg
		}
	}
	if p := in.Pods; p != nil {
		out.Pods = &autoscalingv1.PodsMetricStatus{MetricName: p.Metric.Name, CurrentAverageValue: quantity(p.Current.AverageValue), Selector: p.Metric.Selector}
	}
	if r := in.Resource; r != nil {
		out.Resource = &autoscalingv1.ResourceMetricStatus{Name: r.Name, CurrentAverageUtilization: r.Current.AverageUtilization,
			CurrentAverageValue: quantity(r.Current.AverageValue)}
	}
	if c := in.ContainerResource; c != nil {
		out.ContainerResource = &autoscalingv1.ContainerResourceMetricStatus{Name: c.Name, Container: c.Container,
			CurrentAverageUtilization: c.Current.AverageUtilization, CurrentAverageValue: quantity(c.Current.AverageValue)}
	}
	if e := in.External; e != nil {
		out.External = &autoscalingv1.ExternalMetricStatus{MetricName: e.Metric.Name, MetricSelector: e.Metric.Selector,
			CurrentValue: quantity(e.Current.Value), CurrentAverageValue: e.Current.AverageValue}
	}
	return out
}

// metricStatusFromV1 is upstream's Convert_v1_MetricStatus_To_autoscaling_MetricStatus.
func metricStatusFromV1(in autoscalingv1.MetricStatus) autoscalingv2.MetricStatus {
	out := autoscalingv2.MetricStatus{Type: autoscalingv2.MetricSourceType(in.Type)}
	if o := in.Object; o != nil {
		value := o.CurrentValue
		out.Object = &autoscalingv2.ObjectMetricStatus{DescribedObject: ref2(o.Target),
			Metric:  autoscalingv2.MetricIdentifier{Name: o.MetricName, Selector: o.Selector},
			Current: autoscalingv2.MetricValueStatus{Value: &value, AverageValue: o.AverageValue}}
	}
	if p := in.Pods; p != nil {
		avg := p.CurrentAverageValue
		out.Pods = &autoscalingv2.PodsMetricStatus{Metric: autoscalingv2.MetricIdentifier{Name: p.MetricName, Selector: p.Selector},
			Current: autoscalingv2.MetricValueStatus{AverageValue: &avg}}
	}
	if r := in.Resource; r != nil {
		avg := r.CurrentAverageValue
		out.Resource = &autoscalingv2.ResourceMetricStatus{Name: r.Name,
			Current: autoscalingv2.MetricValueStatus{AverageValue: &avg, AverageUtilization: r.CurrentAverageUtilization}}
	}
	if c := in.ContainerResource; c != nil {
		avg := c.CurrentAverageValue
		out.ContainerResource = &autoscalingv2.ContainerResourceMetricStatus{Name: c.Name, Container: c.Container,
			Current: autoscalingv2.MetricValueStatus{AverageValue: &avg, AverageUtilization: c.CurrentAverageUtilization}}
	}
	if e := in.External; e != nil {
		value := e.CurrentValue
		out.External = &autoscalingv2.ExternalMetricStatus{Metric: autoscalingv2.MetricIdentifier{Name: e.MetricName, Selector: e.MetricSelector},
			Current: autoscalingv2.MetricValueStatus{Value: &value, AverageValue: e.CurrentAverageValue}}
	}
	return out
}
