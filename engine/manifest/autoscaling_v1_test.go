package manifest

import (
	"reflect"
	"testing"
	"time"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The measured cpu utilization is v1's currentCPUUtilizationPercentage.
func TestHPAToV1Status(t *testing.T) {
	in := &autoscalingv2.HorizontalPodAutoscaler{}
	cpu := int32(208)
	in.Status.CurrentMetrics = []autoscalingv2.MetricStatus{{Type: autoscalingv2.ResourceMetricSourceType,
		Resource: &autoscalingv2.ResourceMetricStatus{Name: corev1.ResourceCPU, Current: autoscalingv2.MetricValueStatus{AverageUtilization: &cpu}}}}
	in.Status.CurrentReplicas, in.Status.DesiredReplicas = 1, 4
	out := HPAToV1(in)
	if p := out.Status.CurrentCPUUtilizationPercentage; p == nil || *p != 208 || out.Status.DesiredReplicas != 4 {
		t.Fatalf("v1 status %+v", out.Status)
	}
}

// What autoscaling/v1 cannot say travels in upstream's annotations, in
// upstream's spellings (the behavior as the internal type's JSON), and
// comes back from them, the annotations dropped: a v1 read-modify-write
// keeps a v2 HPA whole (the cpu target goes last, as upstream puts it).
func TestHPAV1Annotations(t *testing.T) {
	fifty, util := int32(50), int32(208)
	window, zero := int32(30), int32(0)
	maxPolicy := autoscalingv2.MaxChangePolicySelect
	hundredMi, raw := resource.MustParse("100Mi"), resource.MustParse("208m")
	at := metav1.NewTime(time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC))
	in := &autoscalingv2.HorizontalPodAutoscaler{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default",
		Annotations: map[string]string{"team": "a", MetricSpecsAnnotation: "stale"}}}
	in.Spec.ScaleTargetRef = autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"}
	in.Spec.MaxReplicas = 10
	in.Spec.Metrics = []autoscalingv2.MetricSpec{
		{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{Name: corev1.ResourceCPU,
			Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: &fifty}}},
		{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{Name: corev1.ResourceMemory,
			Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: &hundredMi}}},
	}
	in.Spec.Behavior = &autoscalingv2.HorizontalPodAutoscalerBehavior{
		ScaleUp: &autoscalingv2.HPAScalingRules{StabilizationWindowSeconds: &zero, SelectPolicy: &maxPolicy, Policies: []autoscalingv2.HPAScalingPolicy{
			{Type: autoscalingv2.PodsScalingPolicy, Value: 4, PeriodSeconds: 15}, {Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15}}},
		ScaleDown: &autoscalingv2.HPAScalingRules{StabilizationWindowSeconds: &window, SelectPolicy: &maxPolicy, Policies: []autoscalingv2.HPAScalingPolicy{
			{Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15}}},
	}
	in.Status.CurrentMetrics = []autoscalingv2.MetricStatus{{Type: autoscalingv2.ResourceMetricSourceType,
		Resource: &autoscalingv2.ResourceMetricStatus{Name: corev1.ResourceCPU, Current: autoscalingv2.MetricValueStatus{AverageUtilization: &util, AverageValue: &raw}}}}
	in.Status.Conditions = []autoscalingv2.HorizontalPodAutoscalerCondition{{Type: autoscalingv2.AbleToScale, Status: corev1.ConditionTrue,
		LastTransitionTime: at, Reason: "ReadyForNewScale", Message: "recommended size matches current size"}}

	out := HPAToV1(in)
	want := map[string]string{
		"team":                   "a",
		MetricSpecsAnnotation:    `[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]`,
		MetricStatusesAnnotation: `[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":208,"currentAverageValue":"208m"}}]`,
		BehaviorSpecsAnnotation: `{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},` +
			`{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null},"ScaleDown":{"StabilizationWindowSeconds":30,"SelectPolicy":"Max",` +
			`"Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null}}`,
		HorizontalPodAutoscalerConditionsAnnotation: `[{"type":"AbleToScale","status":"True","lastTransitionTime":"2026-12-07T12:00:00Z",` +
			`"reason":"ReadyForNewScale","message":"recommended size matches current size"}]`,
	}
	if !reflect.DeepEqual(out.Annotations, want) {
		t.Errorf("v1 annotations:\n%v\nwant\n%v", out.Annotations, want)
	}
	if in.Annotations[MetricSpecsAnnotation] != "stale" {
		t.Error("HPAToV1 changed its input's annotations")
	}
	if p := out.Spec.TargetCPUUtilizationPercentage; p == nil || *p != 50 {
		t.Errorf("targetCPUUtilizationPercentage %v", p)
	}

	back := HPAFromV1(out)
	if !reflect.DeepEqual(back.Annotations, map[string]string{"team": "a"}) {
		t.Errorf("annotations after v1 → v2: %v", back.Annotations)
	}
	wantMetrics := []autoscalingv2.MetricSpec{in.Spec.Metrics[1], in.Spec.Metrics[0]}
	if !apiequality.Semantic.DeepEqual(back.Spec.Metrics, wantMetrics) {
		t.Errorf("metrics after v1 → v2: %+v", back.Spec.Metrics)
	}
	if !apiequality.Semantic.DeepEqual(back.Spec.Behavior, in.Spec.Behavior) {
		t.Errorf("behavior after v1 → v2: %+v", back.Spec.Behavior)
	}
	if !apiequality.Semantic.DeepEqual(back.Status.CurrentMetrics, in.Status.CurrentMetrics) ||
		!apiequality.Semantic.DeepEqual(back.Status.Conditions, in.Status.Conditions) {
		t.Errorf("status after v1 → v2: %+v", back.Status)
	}

	// A v1 object written afresh says only what v1 says; a garbled
	// annotation is ignored, as upstream ignores it.
	fresh := HPAToV1(in)
	fresh.Annotations = map[string]string{BehaviorSpecsAnnotation: "{not json"}
	if got := HPAFromV1(fresh); got.Spec.Behavior != nil || len(got.Spec.Metrics) != 1 || len(got.Annotations) != 0 {
		t.Errorf("v1 without the annotations: %+v", got)
	}
}
