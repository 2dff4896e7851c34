package manifest

import (
	stdjson "encoding/json"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
)

// olderVersion converts between an older version the apiserver still
// serves and the one it stores.
type olderVersion struct {
	toStored, fromStored func(obj runtime.Object) runtime.Object
}

// Older versions the apiserver still accepts and stores as the served
// one: an autoscaling/v1 HorizontalPodAutoscaler (what many tutorials
// and `kubectl autoscale` before 1.23 wrote) is the same object in v2,
// its targetCPUUtilizationPercentage a cpu Utilization metric.
var olderVersions = map[schema.GroupVersionKind]olderVersion{
	autoscalingv1.SchemeGroupVersion.WithKind("HorizontalPodAutoscaler"): {
		toStored: func(obj runtime.Object) runtime.Object {
			return HPAFromV1(obj.(*autoscalingv1.HorizontalPodAutoscaler))
		},
		fromStored: func(obj runtime.Object) runtime.Object {
			return HPAToV1(obj.(*autoscalingv2.HorizontalPodAutoscaler))
		},
	},
}

// ViewIn is how a stored object of gvk's kind reads in gvk's version,
// when that is an older version the apiserver serves besides the stored
// one (`kubectl get hpa.v1.autoscaling`).
func ViewIn(gvk schema.GroupVersionKind) (func(stored runtime.Object) runtime.Object, bool) {
	o, ok := olderVersions[gvk]
	return o.fromStored, ok
}

// olderCodec strictly decodes the older versions above.
var olderCodec = func() *json.Serializer {
	s := runtime.NewScheme()
	s.AddKnownTypes(autoscalingv1.SchemeGroupVersion, &autoscalingv1.HorizontalPodAutoscaler{})
	return json.NewSerializerWithOptions(json.DefaultMetaFactory, s, s, json.SerializerOptions{Strict: true})
}()

// HPAFromV1 is upstream's conversion of an autoscaling/v1
// HorizontalPodAutoscaler to autoscaling/v2: what v1 cannot say is read
// back from the annotations HPAToV1 writes, which are dropped.
func HPAFromV1(in *autoscalingv1.HorizontalPodAutoscaler) *autoscalingv2.HorizontalPodAutoscaler {
	out := &autoscalingv2.HorizontalPodAutoscaler{}
	copyCommonHPAFields(in, out, autoscalingv2.SchemeGroupVersion.String())
	if p := in.Spec.TargetCPUUtilizationPercentage; p != nil {
		target := *p
		out.Spec.Metrics = []autoscalingv2.MetricSpec{{Type: autoscalingv2.ResourceMetricSourceType,
			Resource: &autoscalingv2.ResourceMetricSource{Name: corev1.ResourceCPU,
				Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: &target}}}}
	}
	if p := in.Status.CurrentCPUUtilizationPercentage; p != nil {
		current := *p
		out.Status.CurrentMetrics = []autoscalingv2.MetricStatus{{Type: autoscalingv2.ResourceMetricSourceType,
			Resource: &autoscalingv2.ResourceMetricStatus{Name: corev1.ResourceCPU, Current: autoscalingv2.MetricValueStatus{AverageUtilization: &current}}}}
	}
	readV1Annotations(out)
	return out
}

// HPAToV1 is upstream's conversion of an autoscaling/v2
// HorizontalPodAutoscaler to autoscaling/v1, as the apiserver answers
// under /apis/autoscaling/v1: the cpu Utilization target becomes
// targetCPUUtilizationPercentage and the measured cpu utilization
// currentCPUUtilizationPercentage, and what v1 cannot say (the other
// metrics, every measured one, the behavior, the conditions) goes in
// autoscaling.alpha.kubernetes.io/… annotations, as upstream's does.
func HPAToV1(in *autoscalingv2.HorizontalPodAutoscaler) *autoscalingv1.HorizontalPodAutoscaler {
	out := &autoscalingv1.HorizontalPodAutoscaler{}
	copyCommonHPAFields(in, out, autoscalingv1.SchemeGroupVersion.String())
	for _, m := range in.Spec.Metrics {
		if IsCPUUtilization(m) {
			target := *m.Resource.Target.AverageUtilization
			out.Spec.TargetCPUUtilizationPercentage = &target
			break
		}
	}
	for _, m := range in.Status.CurrentMetrics {
		if m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil && m.Resource.Name == corev1.ResourceCPU &&
			m.Resource.Current.AverageUtilization != nil {
			current := *m.Resource.Current.AverageUtilization
			out.Status.CurrentCPUUtilizationPercentage = &current
			break
		}
	}
	annotateV1(in, out)
	return out
}

// IsCPUUtilization reports whether m is the metric autoscaling/v1's
// targetCPUUtilizationPercentage stands for.
func IsCPUUtilization(m autoscalingv2.MetricSpec) bool {
	return m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil && m.Resource.Name == corev1.ResourceCPU &&
		m.Resource.Target.Type == autoscalingv2.UtilizationMetricType && m.Resource.Target.AverageUtilization != nil
}

// copyCommonHPAFields copies what autoscaling/v1 and v2 say alike
// (metadata, scaleTargetRef, min/maxReplicas, the replica counts, the
// last scale time), which both name the same in JSON: a field one
// version lacks is left out.
func copyCommonHPAFields(in, out runtime.Object, apiVersion string) {
	data, err := stdjson.Marshal(in)
	if err == nil {
		err = stdjson.Unmarshal(data, out)
	}
	if err != nil {
		panic(err) // both are API types of k8s.io/api: a bug
	}
	out.GetObjectKind().SetGroupVersionKind(schema.FromAPIVersionAndKind(apiVersion, "HorizontalPodAutoscaler"))
}
