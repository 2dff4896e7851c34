package manifest

import (
	"strings"
	"testing"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
)

// TestHPAv1IsStoredAsV2: an autoscaling/v1 HorizontalPodAutoscaler, as
// older tutorials write it, is accepted and becomes the v2 object with a
// cpu Utilization metric, as the apiserver converts it.
func TestHPAv1IsStoredAsV2(t *testing.T) {
	docs, err := Decode("hpa.yaml", []byte(`apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: php-apache
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: php-apache
  minReplicas: 1
  maxReplicas: 10
  targetCPUUtilizationPercentage: 50
`))
	if err != nil {
		t.Fatal(err)
	}
	h, ok := docs[0].Object.(*autoscalingv2.HorizontalPodAutoscaler)
	if !ok {
		t.Fatalf("decoded %T", docs[0].Object)
	}
	if h.APIVersion != "autoscaling/v2" || h.Spec.MaxReplicas != 10 || h.Spec.ScaleTargetRef.Name != "php-apache" ||
		len(h.Spec.Metrics) != 1 || h.Spec.Metrics[0].Resource.Name != "cpu" || *h.Spec.Metrics[0].Resource.Target.AverageUtilization != 50 {
		t.Errorf("converted: %+v", h)
	}
	_, err = Decode("hpa.yaml", []byte("apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: x\nspec:\n  targetCPU: 50\n"))
	if err == nil || !strings.Contains(err.Error(), `unknown field "spec.targetCPU"`) {
		t.Errorf("a v1 typo: %v", err)
	}
}
