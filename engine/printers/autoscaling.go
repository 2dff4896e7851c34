package printers

import (
	"fmt"
	"strconv"
	"strings"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	"k8s.io/apimachinery/pkg/api/resource"
)

// hpaRow is printHorizontalPodAutoscaler.
func hpaRow(h *autoscalingv2.HorizontalPodAutoscaler, o Options) []string {
	minPods := "<unset>"
	if h.Spec.MinReplicas != nil {
		minPods = strconv.Itoa(int(*h.Spec.MinReplicas))
	}
	return []string{h.Name, h.Spec.ScaleTargetRef.Kind + "/" + h.Spec.ScaleTargetRef.Name, HPATargets(h), minPods,
		strconv.Itoa(int(h.Spec.MaxReplicas)), strconv.Itoa(int(h.Status.CurrentReplicas)), since(o.Now, h.CreationTimestamp)}
}

// HPATargets is the TARGETS column, kubectl's formatHPAMetrics:
// "cpu: 12%/50%", "<unknown>" before the first measure, two metrics at
// most and "+ N more...".
func HPATargets(h *autoscalingv2.HorizontalPodAutoscaler) string {
	specs, statuses := h.Spec.Metrics, h.Status.CurrentMetrics
	if len(specs) == 0 {
		return "<none>"
	}
	var list []string
	for i, spec := range specs {
		var st *autoscalingv2.MetricStatus
		if i < len(statuses) {
			st = &statuses[i]
		}
		list = append(list, formatHPAMetric(spec, st))
	}
	const maximum = 2
	if len(list) > maximum {
		return fmt.Sprintf("%s + %d more...", strings.Join(list[:maximum], ", "), len(list)-maximum)
	}
	return strings.Join(list, ", ")
}

func formatHPAMetric(spec autoscalingv2.MetricSpec, st *autoscalingv2.MetricStatus) string {
	current := "<unknown>"
	switch spec.Type {
	case autoscalingv2.ExternalMetricSourceType:
		if spec.External.Target.AverageValue != nil {
			if st != nil && st.External != nil && st.External.Current.AverageValue != nil {
				current = st.External.Current.AverageValue.String()
			}
			return fmt.Sprintf("%s/%s (avg)", current, spec.External.Target.AverageValue.String())
		}
		if st != nil && st.External != nil && st.External.Current.Value != nil {
			current = st.External.Current.Value.String()
		}
		return fmt.Sprintf("%s/%s", current, quantityString(spec.External.Target.Value))
	case autoscalingv2.PodsMetricSourceType:
		if st != nil && st.Pods != nil && st.Pods.Current.AverageValue != nil {
			current = st.Pods.Current.AverageValue.String()
		}
		return fmt.Sprintf("%s/%s", current, quantityString(spec.Pods.Target.AverageValue))
	case autoscalingv2.ObjectMetricSourceType:
		if spec.Object.Target.AverageValue != nil {
			if st != nil && st.Object != nil && st.Object.Current.AverageValue != nil {
				current = st.Object.Current.AverageValue.String()
			}
			return fmt.Sprintf("%s/%s (avg)", current, spec.Object.Target.AverageValue.String())
		}
		if st != nil && st.Object != nil && st.Object.Current.Value != nil {
			current = st.Object.Current.Value.String()
		}
		return fmt.Sprintf("%s/%s", current, quantityString(spec.Object.Target.Value))
	case autoscalingv2.ResourceMetricSourceType:
		var cur *autoscalingv2.MetricValueStatus
		if st != nil && st.Resource != nil {
			cur = &st.Resource.Current
		}
		return resourceTarget(string(spec.Resource.Name), spec.Resource.Target, cur)
	case autoscalingv2.ContainerResourceMetricSourceType:
		var cur *autoscalingv2.MetricValueStatus
		if st != nil && st.ContainerResource != nil {
			cur = &st.ContainerResource.Current
		}
		return resourceTarget(string(spec.ContainerResource.Name), spec.ContainerResource.Target, cur)
	}
	return "<unknown type>"
}

func resourceTarget(name string, target autoscalingv2.MetricTarget, cur *autoscalingv2.MetricValueStatus) string {
	current := "<unknown>"
	if target.AverageValue != nil {
		if cur != nil && cur.AverageValue != nil {
			current = cur.AverageValue.String()
		}
		return fmt.Sprintf("%s: %s/%s", name, current, target.AverageValue.String())
	}
	if cur != nil && cur.AverageUtilization != nil {
		current = fmt.Sprintf("%d%%", *cur.AverageUtilization)
	}
	t := "<auto>"
	if target.AverageUtilization != nil {
		t = fmt.Sprintf("%d%%", *target.AverageUtilization)
	}
	return fmt.Sprintf("%s: %s/%s", name, current, t)
}

// hpa is kubectl's describeHorizontalPodAutoscalerV2.
func (d *describer) hpa(h *autoscalingv2.HorizontalPodAutoscaler) {
	d.write(level0, "Name:\t%s\n", h.Name)
	d.write(level0, "Namespace:\t%s\n", h.Namespace)
	d.labels("", "Labels", h.Labels)
	d.annotations("Annotations", h.Annotations)
	d.write(level0, "CreationTimestamp:\t%s\n", h.CreationTimestamp.Format(rfc1123z))
	d.write(level0, "Reference:\t%s/%s\n", h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name)
	d.write(level0, "Metrics:\t( current / target )\n")
	for i, m := range h.Spec.Metrics {
		var st *autoscalingv2.MetricStatus
		if i < len(h.Status.CurrentMetrics) {
			st = &h.Status.CurrentMetrics[i]
		}
		switch m.Type {
		case autoscalingv2.ResourceMetricSourceType:
			var cur *autoscalingv2.MetricValueStatus
			if st != nil && st.Resource != nil {
				cur = &st.Resource.Current
			}
			d.write(level1, "resource %s on pods", m.Resource.Name)
			d.resourceMetric(m.Resource.Target, cur)
		case autoscalingv2.ContainerResourceMetricSourceType:
			var cur *autoscalingv2.MetricValueStatus
			if st != nil && st.ContainerResource != nil {
				cur = &st.ContainerResource.Current
			}
			d.write(level1, "resource %s of container \"%s\" on pods", m.ContainerResource.Name, m.ContainerResource.Container)
			d.resourceMetric(m.ContainerResource.Target, cur)
		default:
			d.write(level1, "%s:\t%s\n", strings.ToLower(string(m.Type)), formatHPAMetric(m, st))
		}
	}
	minReplicas := "<unset>"
	if h.Spec.MinReplicas != nil {
		minReplicas = strconv.Itoa(int(*h.Spec.MinReplicas))
	}
	d.write(level0, "Min replicas:\t%s\n", minReplicas)
	d.write(level0, "Max replicas:\t%d\n", h.Spec.MaxReplicas)
	if b := h.Spec.Behavior; b != nil {
		d.write(level0, "Behavior:\n")
		d.scalingRules("Scale Up", b.ScaleUp)
		d.scalingRules("Scale Down", b.ScaleDown)
	}
	d.write(level0, "%s pods:\t", h.Spec.ScaleTargetRef.Kind)
	d.write(level0, "%d current / %d desired\n", h.Status.CurrentReplicas, h.Status.DesiredReplicas)
	if len(h.Status.Conditions) > 0 {
		d.write(level0, "Conditions:\n")
		d.write(level1, "Type\tStatus\tReason\tMessage\n")
		d.write(level1, "----\t------\t------\t-------\n")
		for _, c := range h.Status.Conditions {
			d.write(level1, "%v\t%v\t%v\t%v\n", c.Type, c.Status, c.Reason, c.Message)
		}
	}
	d.events()
}

// resourceMetric ends a resource metric's line: ":\tcurrent / target" for
// a target value, "  (as a percentage of request):\t12% (24m) / 50%"
// for a utilization.
func (d *describer) resourceMetric(target autoscalingv2.MetricTarget, cur *autoscalingv2.MetricValueStatus) {
	current := "<unknown>"
	if target.AverageValue != nil {
		if cur != nil && cur.AverageValue != nil {
			current = cur.AverageValue.String()
		}
		d.write(level0, ":\t%s / %s\n", current, target.AverageValue.String())
		return
	}
	if cur != nil && cur.AverageUtilization != nil {
		current = fmt.Sprintf("%d%% (%s)", *cur.AverageUtilization, quantityString(cur.AverageValue))
	}
	t := "<auto>"
	if target.AverageUtilization != nil {
		t = fmt.Sprintf("%d%%", *target.AverageUtilization)
	}
	d.write(level1, "(as a percentage of request):\t%s / %s\n", current, t)
}

// scalingRules is printDirectionBehavior.
func (d *describer) scalingRules(direction string, r *autoscalingv2.HPAScalingRules) {
	if r == nil {
		return
	}
	d.write(level1, "%s:\n", direction)
	if r.StabilizationWindowSeconds != nil {
		d.write(level2, "Stabilization Window: %d seconds\n", *r.StabilizationWindowSeconds)
	}
	if len(r.Policies) > 0 {
		sel := autoscalingv2.MaxChangePolicySelect
		if r.SelectPolicy != nil {
			sel = *r.SelectPolicy
		}
		d.write(level2, "Select Policy: %s\n", sel)
		d.write(level2, "Policies:\n")
		for _, p := range r.Policies {
			d.write(level3, "- Type: %s\tValue: %d\tPeriod: %d seconds\n", p.Type, p.Value, p.PeriodSeconds)
		}
	}
}

// quantityString is a *Quantity as fmt prints one: "<nil>" for none.
func quantityString(q *resource.Quantity) string {
	if q == nil {
		return "<nil>"
	}
	return q.String()
}
