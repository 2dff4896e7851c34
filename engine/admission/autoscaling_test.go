package admission

import (
	"testing"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// phpApacheHPA is what `kubectl autoscale deployment php-apache
// --cpu-percent=50 --min=1 --max=10` sends.
func phpApacheHPA(mut ...func(*autoscalingv2.HorizontalPodAutoscaler)) *autoscalingv2.HorizontalPodAutoscaler {
	h := &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Name: "php-apache", Namespace: "default"},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{MinReplicas: ptr[int32](1), MaxReplicas: 10,
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "php-apache"},
			Metrics: []autoscalingv2.MetricSpec{{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
				Name: corev1.ResourceCPU, Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptr[int32](50)}}}}},
	}
	for _, m := range mut {
		m(h)
	}
	return h
}

// TestHPADefaults: minReplicas 1 and the 80 % cpu target when none is
// given; a behavior's missing rules filled in, the scale-down window left
// to the controller (300 s).
func TestHPADefaults(t *testing.T) {
	h := phpApacheHPA(func(h *autoscalingv2.HorizontalPodAutoscaler) {
		h.Spec.MinReplicas, h.Spec.Metrics = nil, nil
		h.Spec.Behavior = &autoscalingv2.HorizontalPodAutoscalerBehavior{}
	})
	if err := create(h); err != nil {
		t.Fatal(err)
	}
	if *h.Spec.MinReplicas != 1 || len(h.Spec.Metrics) != 1 || *h.Spec.Metrics[0].Resource.Target.AverageUtilization != 80 {
		t.Errorf("spec: %+v", h.Spec)
	}
	up, down := h.Spec.Behavior.ScaleUp, h.Spec.Behavior.ScaleDown
	if *up.StabilizationWindowSeconds != 0 || len(up.Policies) != 2 || *up.SelectPolicy != autoscalingv2.MaxChangePolicySelect {
		t.Errorf("scaleUp: %+v", up)
	}
	if down.StabilizationWindowSeconds != nil || len(down.Policies) != 1 || down.Policies[0].Value != 100 {
		t.Errorf("scaleDown: %+v", down)
	}
	if h := phpApacheHPA(); create(h) != nil || h.Spec.Behavior != nil {
		t.Errorf("no behavior: %+v", h.Spec.Behavior)
	}
}

// TestHPAValidation: the apiserver's messages, and the learner's hint.
func TestHPAValidation(t *testing.T) {
	for _, tc := range []struct {
		mut  func(*autoscalingv2.HorizontalPodAutoscaler)
		want string
		hint bool
	}{
		{func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.MinReplicas = ptr[int32](5)
			h.Spec.MaxReplicas = 3
		},
			"The HorizontalPodAutoscaler \"php-apache\" is invalid: spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`", true},
		{func(h *autoscalingv2.HorizontalPodAutoscaler) { h.Spec.MinReplicas = ptr[int32](0) },
			`The HorizontalPodAutoscaler "php-apache" is invalid: spec.minReplicas: Invalid value: 0: must be greater than or equal to 1`, true},
		{func(h *autoscalingv2.HorizontalPodAutoscaler) { h.Spec.ScaleTargetRef.Name = "" },
			`The HorizontalPodAutoscaler "php-apache" is invalid: spec.scaleTargetRef.name: Required value`, true},
		{func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.Metrics[0].Resource.Target.AverageUtilization = ptr[int32](0)
		},
			`The HorizontalPodAutoscaler "php-apache" is invalid: spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0`, false},
	} {
		err := create(phpApacheHPA(tc.mut))
		if err == nil {
			t.Errorf("%s: accepted", tc.want)
			continue
		}
		if got := KubectlMessage(err); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
		if _, ok := HintFor(err); ok != tc.hint {
			t.Errorf("%s: hint %v, want %v", tc.want, ok, tc.hint)
		}
	}
}
