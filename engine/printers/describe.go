package printers

//lint:file-ignore SA1019 kubectl still prints v1 Endpoints (`get endpoints`, service describe), so must we.

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// DescribeContext is what `kubectl describe` fetches besides the object.
type DescribeContext struct {
	Now         time.Time
	Events      []corev1.Event      // events whose involvedObject is this object, any order
	Pods        []corev1.Pod        // rs/deploy/sts: pods owned; node: non-terminated pods bound to the node
	ReplicaSets []appsv1.ReplicaSet // deploy: all its ReplicaSets
	// Lease is the node's lease in kube-node-lease (node only). When nil,
	// describe prints kubectl's "Failed to get lease" line.
	Lease *coordinationv1.Lease
	// Endpoints of a Service (service only); nil prints "<none>" as for a
	// service without endpoint slices.
	Endpoints *corev1.Endpoints
	// Backends are the Services an Ingress names (ingress only), by name;
	// one missing prints kubectl's "services "x" not found" error.
	Backends map[string]ServiceBackend
}

// Describe prints `kubectl describe` for one object.
func Describe(w io.Writer, obj runtime.Object, ctx DescribeContext) error {
	var body func(*describer)
	switch o := obj.(type) {
	case *corev1.Pod:
		body = func(d *describer) { d.pod(o) }
	case *appsv1.ReplicaSet:
		body = func(d *describer) { d.replicaSet(o) }
	case *appsv1.Deployment:
		body = func(d *describer) { d.deployment(o) }
	case *appsv1.DaemonSet:
		body = func(d *describer) { d.daemonSet(o) }
	case *batchv1.Job:
		body = func(d *describer) { d.job(o) }
	case *batchv1.CronJob:
		body = func(d *describer) { d.cronJob(o) }
	case *autoscalingv2.HorizontalPodAutoscaler:
		body = func(d *describer) { d.hpa(o) }
	case *appsv1.StatefulSet:
		body = func(d *describer) { d.statefulSet(o) }
	case *corev1.Node:
		body = func(d *describer) { d.node(o) }
	case *corev1.Service:
		body = func(d *describer) { d.service(o) }
	case *corev1.ConfigMap:
		body = func(d *describer) { d.configMap(o) }
	case *corev1.Secret:
		body = func(d *describer) { d.secret(o) }
	case *corev1.PersistentVolume:
		body = func(d *describer) { d.persistentVolume(o) }
	case *corev1.PersistentVolumeClaim:
		body = func(d *describer) { d.persistentVolumeClaim(o) }
	case *networkingv1.Ingress:
		body = func(d *describer) { d.ingress(o) }
	case *networkingv1.IngressClass:
		body = func(d *describer) { d.ingressClass(o) }
	case *corev1.Endpoints:
		body = func(d *describer) { d.endpoints(o) }
	case *discoveryv1.EndpointSlice:
		body = func(d *describer) { d.endpointSlice(o) }
	case *corev1.Namespace:
		body = func(d *describer) { d.namespace(o) }
	case *storagev1.StorageClass:
		body = func(d *describer) { d.storageClass(o) }
	case *appsv1.ControllerRevision, *corev1.Event:
		content, err := unstructuredContent(obj)
		if err != nil {
			return err
		}
		body = func(d *describer) { d.generic(content) }
	default:
		return fmt.Errorf("no describer for %T", obj)
	}
	return render(w, ctx, body)
}

// DescribeTemplate prints a pod template for `kubectl rollout history
// --revision=N`. kubectl writes it through a bare PrefixWriter, without
// the tabwriter, so its tabs reach the terminal unaligned; so do these.
func DescribeTemplate(w io.Writer, t *corev1.PodTemplateSpec) error {
	var buf bytes.Buffer
	(&describer{tw: &buf}).podTemplate(t)
	_, err := w.Write(buf.Bytes())
	return err
}

// render runs a describe body through kubectl's tabbedString: one
// tabwriter (minwidth 0, tabwidth 8, padding 2), flushed before the events
// table so that it aligns alone.
func render(w io.Writer, ctx DescribeContext, body func(*describer)) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 8, 2, ' ', 0)
	body(&describer{tw: tw, ctx: ctx})
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// describer is kubectl's PrefixWriter plus the describe context; tw is
// the tabwriter of tabbedString, or a plain buffer where kubectl uses none.
type describer struct {
	tw  io.Writer
	ctx DescribeContext
}

// Indentation levels of kubectl's PrefixWriter: two spaces each.
const (
	level0 = iota
	level1
	level2
	level3
)

func (d *describer) write(level int, format string, a ...any) {
	fmt.Fprintf(d.tw, strings.Repeat("  ", level)+format, a...)
}

func (d *describer) since(t metav1.Time) string { return since(d.ctx.Now, t) }

// printLabels is printLabelsMultilineWithIndent: one key=value per line.
func (d *describer) labels(initialIndent, title string, m map[string]string) {
	d.write(level0, "%s%s:\t", initialIndent, title)
	if len(m) == 0 {
		d.write(level0, "<none>\n")
		return
	}
	for i, k := range sortedKeys(m) {
		if i != 0 {
			d.write(level0, "%s\t", initialIndent)
		}
		d.write(level0, "%s=%s\n", k, m[k])
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// maxAnnotationLen is where kubectl folds an annotation onto its own lines.
const maxAnnotationLen = 140

func (d *describer) annotations(title string, m map[string]string) {
	d.write(level0, "%s:\t", title)
	var keys []string
	for _, k := range sortedKeys(m) {
		if k != corev1.LastAppliedConfigAnnotation {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		d.write(level0, "<none>\n")
		return
	}
	for i, k := range keys {
		if i != 0 {
			d.write(level0, "\t")
		}
		v := strings.TrimSuffix(m[k], "\n")
		if len(v)+len(k)+2 <= maxAnnotationLen && !strings.Contains(v, "\n") {
			d.write(level0, "%s: %s\n", k, v)
			continue
		}
		d.write(level0, "%s:\n", k)
		for _, line := range strings.Split(v, "\n") {
			if len(line) > maxAnnotationLen-2 {
				line = line[:maxAnnotationLen-2] + "..."
			}
			d.write(level0, "\t  %s\n", line)
		}
	}
}

func (d *describer) tolerations(title string, ts []corev1.Toleration) {
	d.write(level0, "%s:\t", title)
	if len(ts) == 0 {
		d.write(level0, "<none>\n")
		return
	}
	sorted := append([]corev1.Toleration(nil), ts...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Key < sorted[j].Key })
	for i, t := range sorted {
		if i != 0 {
			d.write(level0, "\t")
		}
		s := t.Key
		if t.Value != "" {
			s += "=" + t.Value
		}
		if t.Effect != "" {
			s += ":" + string(t.Effect)
		}
		if t.Operator == corev1.TolerationOpExists && t.Value == "" {
			if t.Key != "" || t.Effect != "" {
				s += " op=Exists"
			} else {
				s += "op=Exists"
			}
		}
		if t.TolerationSeconds != nil {
			s += fmt.Sprintf(" for %ds", *t.TolerationSeconds)
		}
		d.write(level0, "%s\n", s)
	}
}

func (d *describer) taints(title string, ts []corev1.Taint) {
	d.write(level0, "%s:\t", title)
	if len(ts) == 0 {
		d.write(level0, "<none>\n")
		return
	}
	sorted := append([]corev1.Taint(nil), ts...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return string(sorted[i].Effect)+","+sorted[i].Key < string(sorted[j].Effect)+","+sorted[j].Key
	})
	for i, t := range sorted {
		if i != 0 {
			d.write(level0, "\t")
		}
		d.write(level0, "%s\n", t.ToString())
	}
}

// controlledBy is "ReplicaSet/web-6d4b9c", or "" without a controller.
func controlledBy(obj metav1.Object) string {
	if ref := metav1.GetControllerOf(obj); ref != nil {
		return ref.Kind + "/" + ref.Name
	}
	return ""
}

// events is DescribeEvents. Events sort by lastTimestamp; ties keep the
// caller's order (the API's, by name), which is what kubectl's small-list
// sort does too.
func (d *describer) events() {
	if len(d.ctx.Events) == 0 {
		d.write(level0, "Events:\t<none>\n")
		return
	}
	if f, ok := d.tw.(interface{ Flush() error }); ok {
		f.Flush()
	}
	evs := append([]corev1.Event(nil), d.ctx.Events...)
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].LastTimestamp.Before(&evs[j].LastTimestamp) })
	d.write(level0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
	d.write(level1, "----\t------\t----\t----\t-------\n")
	now := d.ctx.Now
	for _, e := range evs {
		first := sinceMicro(now, e.EventTime)
		if e.EventTime.IsZero() {
			first = since(now, e.FirstTimestamp)
		}
		interval := first
		switch {
		case e.Series != nil:
			interval = fmt.Sprintf("%s (x%d over %s)", sinceMicro(now, e.Series.LastObservedTime), e.Series.Count, first)
		case e.Count > 1:
			interval = fmt.Sprintf("%s (x%d over %s)", since(now, e.LastTimestamp), e.Count, first)
		}
		d.write(level1, "%v\t%v\t%s\t%v\t%v\n", e.Type, e.Reason, interval,
			firstNonEmpty(e.Source.Component, e.ReportingController), strings.TrimSpace(e.Message))
	}
}

// conditionsTable prints the Type/Status/Reason table of workloads.
func (d *describer) conditionsTable(rows [][3]string) {
	if len(rows) == 0 {
		return
	}
	d.write(level0, "Conditions:\n  Type\tStatus\tReason\n")
	d.write(level1, "----\t------\t------\n")
	for _, r := range rows {
		d.write(level1, "%v \t%v\t%v\n", r[0], r[1], r[2])
	}
}

func (d *describer) configMap(cm *corev1.ConfigMap) {
	d.write(level0, "Name:\t%s\n", cm.Name)
	d.write(level0, "Namespace:\t%s\n", cm.Namespace)
	d.labels("", "Labels", cm.Labels)
	d.annotations("Annotations", cm.Annotations)
	d.write(level0, "\nData\n====\n")
	for _, k := range sortedKeys(cm.Data) {
		d.write(level0, "%s:\n----\n", k)
		d.write(level0, "%s\n", cm.Data[k])
		d.write(level0, "\n")
	}
	d.write(level0, "\nBinaryData\n====\n")
	for _, k := range sortedKeys(cm.BinaryData) {
		d.write(level0, "%s: %d bytes\n", k, len(cm.BinaryData[k]))
	}
	d.write(level0, "\n")
	d.events()
}

func (d *describer) secret(s *corev1.Secret) {
	d.write(level0, "Name:\t%s\n", s.Name)
	d.write(level0, "Namespace:\t%s\n", s.Namespace)
	d.labels("", "Labels", s.Labels)
	d.annotations("Annotations", s.Annotations)
	d.write(level0, "\nType:\t%s\n", s.Type)
	d.write(level0, "\nData\n====\n")
	for _, k := range sortedKeys(s.Data) {
		if k == corev1.ServiceAccountTokenKey && s.Type == corev1.SecretTypeServiceAccountToken {
			d.write(level0, "%s:\t%s\n", k, s.Data[k])
		} else {
			d.write(level0, "%s:\t%d bytes\n", k, len(s.Data[k]))
		}
	}
}
