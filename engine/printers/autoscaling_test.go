package printers

import (
	"testing"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// TestHPATargets: kubectl's TARGETS column, before and after the first
// measure, for a value target and past two metrics.
func TestHPATargets(t *testing.T) {
	cpu := autoscalingv2.MetricSpec{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
		Name: corev1.ResourceCPU, Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr(int32(50))}}}
	mem := autoscalingv2.MetricSpec{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
		Name: corev1.ResourceMemory, Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: ptr(resource.MustParse("100Mi"))}}}
	h := &autoscalingv2.HorizontalPodAutoscaler{Spec: autoscalingv2.HorizontalPodAutoscalerSpec{Metrics: []autoscalingv2.MetricSpec{cpu}}}
	if got := HPATargets(h); got != "cpu: <unknown>/50%" {
		t.Errorf("before metrics: %q", got)
	}
	h.Status.CurrentMetrics = []autoscalingv2.MetricStatus{{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricStatus{
		Name: corev1.ResourceCPU, Current: autoscalingv2.MetricValueStatus{AverageUtilization: ptr(int32(12)), AverageValue: ptr(resource.MustParse("24m"))}}}}
	if got := HPATargets(h); got != "cpu: 12%/50%" {
		t.Errorf("measured: %q", got)
	}
	h.Spec.Metrics = []autoscalingv2.MetricSpec{cpu, mem, cpu}
	if got := HPATargets(h); got != "cpu: 12%/50%, memory: <unknown>/100Mi + 1 more..." {
		t.Errorf("three metrics: %q", got)
	}
	if got := HPATargets(&autoscalingv2.HorizontalPodAutoscaler{}); got != "<none>" {
		t.Errorf("no metric: %q", got)
	}
}
