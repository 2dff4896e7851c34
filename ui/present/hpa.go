package present

import (
	"sort"
	"strings"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
)

// HPARow is a HorizontalPodAutoscaler as the board draws it: the
// replicas it has and wants, its bounds, its metric now and over time.
type HPARow struct {
	Name, Target      string // target: "Deployment/php-apache"
	Current, Desired  int32
	Min, Max          int32
	Metric            string // kubectl's TARGETS: "cpu: 208%/50%"
	History           []int32
	TargetUtilization int32 // of the first metric; 0 without one
}

// historyLen is how many of an HPA's measures the board keeps: with one
// a sync (15 s), about five minutes, the scale-down window.
const historyLen = 20

// HPAHistory keeps each HPA's utilization as its controller writes it,
// by UID: the board's sparkline.
type HPAHistory struct{ byUID map[string][]int32 }

// Observe records the utilization an HPA's status carries (its first
// metric's), when it has one.
func (h *HPAHistory) Observe(hpa *autoscalingv2.HorizontalPodAutoscaler) {
	if len(hpa.Status.CurrentMetrics) == 0 {
		return
	}
	m := hpa.Status.CurrentMetrics[0]
	var cur *autoscalingv2.MetricValueStatus
	switch {
	case m.Resource != nil:
		cur = &m.Resource.Current
	case m.ContainerResource != nil:
		cur = &m.ContainerResource.Current
	}
	if cur == nil || cur.AverageUtilization == nil {
		return
	}
	if h.byUID == nil {
		h.byUID = map[string][]int32{}
	}
	s := append(h.byUID[string(hpa.UID)], *cur.AverageUtilization)
	if len(s) > historyLen {
		s = s[len(s)-historyLen:]
	}
	h.byUID[string(hpa.UID)] = s
}

// HPARows presents the HPAs by name; targets gives kubectl's TARGETS.
func HPARows(hpas []*autoscalingv2.HorizontalPodAutoscaler, history *HPAHistory, targets func(*autoscalingv2.HorizontalPodAutoscaler) string) []HPARow {
	var out []HPARow
	for _, h := range hpas {
		r := HPARow{Name: h.Name, Target: h.Spec.ScaleTargetRef.Kind + "/" + h.Spec.ScaleTargetRef.Name,
			Current: h.Status.CurrentReplicas, Desired: h.Status.DesiredReplicas, Min: 1, Max: h.Spec.MaxReplicas, Metric: targets(h)}
		if h.Spec.MinReplicas != nil {
			r.Min = *h.Spec.MinReplicas
		}
		if len(h.Spec.Metrics) > 0 && h.Spec.Metrics[0].Resource != nil && h.Spec.Metrics[0].Resource.Target.AverageUtilization != nil {
			r.TargetUtilization = *h.Spec.Metrics[0].Resource.Target.AverageUtilization
		}
		if history != nil {
			r.History = append([]int32(nil), history.byUID[string(h.UID)]...)
		}
		out = append(out, r)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}

var sparks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws values as block heights, scaled to the largest of them
// and twice the target (so that the target sits half-way when the
// values stay near it).
func Sparkline(values []int32, target int32) string {
	top := 2 * target
	for _, v := range values {
		top = max(top, v)
	}
	if top <= 0 {
		top = 1
	}
	var b strings.Builder
	for _, v := range values {
		i := int(int64(max(v, 0)) * int64(len(sparks)-1) / int64(top))
		b.WriteRune(sparks[i])
	}
	return b.String()
}
