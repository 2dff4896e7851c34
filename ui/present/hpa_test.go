package present

import (
	"testing"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
)

func hpaAt(utilization int32) *autoscalingv2.HorizontalPodAutoscaler {
	h := &autoscalingv2.HorizontalPodAutoscaler{}
	h.Name, h.UID = "web", "u1"
	h.Spec.MaxReplicas = 10
	h.Status.CurrentMetrics = []autoscalingv2.MetricStatus{{Type: autoscalingv2.ResourceMetricSourceType,
		Resource: &autoscalingv2.ResourceMetricStatus{Name: "cpu", Current: autoscalingv2.MetricValueStatus{AverageUtilization: &utilization}}}}
	return h
}

// TestHPAHistory: the board keeps the last measures of each HPA and
// draws them as a sparkline, the target half-way up.
func TestHPAHistory(t *testing.T) {
	var hist HPAHistory
	for _, u := range []int32{1, 50, 100, 200, 40, 1} {
		hist.Observe(hpaAt(u))
	}
	hist.Observe(&autoscalingv2.HorizontalPodAutoscaler{}) // no metric yet: nothing
	rows := HPARows([]*autoscalingv2.HorizontalPodAutoscaler{hpaAt(1)}, &hist, func(*autoscalingv2.HorizontalPodAutoscaler) string { return "cpu: 1%/50%" })
	if len(rows) != 1 || len(rows[0].History) != 6 || rows[0].Min != 1 || rows[0].Max != 10 {
		t.Fatalf("rows: %+v", rows)
	}
	if got := Sparkline(rows[0].History, 50); got != "▁▂▄█▂▁" {
		t.Errorf("sparkline %q", got)
	}
	for range 30 {
		hist.Observe(hpaAt(7))
	}
	if got := len(HPARows([]*autoscalingv2.HorizontalPodAutoscaler{hpaAt(1)}, &hist, noTargets)[0].History); got != historyLen {
		t.Errorf("history of %d measures", got)
	}
}

func noTargets(*autoscalingv2.HorizontalPodAutoscaler) string { return "" }
