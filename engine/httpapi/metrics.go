package httpapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/metrics"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// metrics.k8s.io/v1beta1, what `kubectl top` reads: metrics-server's
// figures (engine/metrics), the same the built-in top and the
// HorizontalPodAutoscaler controller read.

// The metrics kinds, as k8s.io/metrics defines them (not a dependency
// of kubeplay for these few fields).
type (
	containerMetrics struct {
		Name  string              `json:"name"`
		Usage corev1.ResourceList `json:"usage"`
	}
	podMetrics struct {
		metav1.TypeMeta   `json:",inline"`
		metav1.ObjectMeta `json:"metadata"`
		Timestamp         metav1.Time        `json:"timestamp"`
		Window            metav1.Duration    `json:"window"`
		Containers        []containerMetrics `json:"containers"`
	}
	nodeMetrics struct {
		metav1.TypeMeta   `json:",inline"`
		metav1.ObjectMeta `json:"metadata"`
		Timestamp         metav1.Time         `json:"timestamp"`
		Window            metav1.Duration     `json:"window"`
		Usage             corev1.ResourceList `json:"usage"`
	}
	metricsList[T any] struct {
		metav1.TypeMeta `json:",inline"`
		metav1.ListMeta `json:"metadata"`
		Items           []T `json:"items"`
	}
)

func usageList(u metrics.Usage) corev1.ResourceList {
	return corev1.ResourceList{
		corev1.ResourceCPU:    *resource.NewMilliQuantity(u.CPU, resource.DecimalSI),
		corev1.ResourceMemory: *resource.NewQuantity(u.Memory, resource.BinarySI),
	}
}

// metrics serves /apis/metrics.k8s.io/v1beta1/…/pods[/NAME] and
// nodes[/NAME]: a read of pods (or nodes) as a hop, answered with
// metrics-server's figures.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request, t target) {
	if r.Method != http.MethodGet {
		s.writeError(w, apierrors.NewMethodNotSupported(groupResource(metricsGroup, t.resource), r.Method))
		return
	}
	if t.version != "v1beta1" || (t.resource != "pods" && t.resource != "nodes") || t.sub != "" {
		s.writeError(w, apierrors.NewNotFound(groupResource(metricsGroup, t.resource), t.name))
		return
	}
	mr, ok := s.c.(backend.MetricsReader)
	if !ok {
		s.writeError(w, apierrors.NewServiceUnavailable(metrics.ErrUnavailable.Error()))
		return
	}
	var sel selector
	var err error
	if t.resource == "nodes" {
		sel, err = parseSelector(r, &corev1.Node{})
	} else {
		sel, err = parseSelector(r, &corev1.Pod{})
	}
	if err != nil {
		s.writeError(w, err)
		return
	}
	var pods []metrics.PodMetrics
	var nodes []metrics.NodeMetrics
	var now metav1.Time
	var rv string
	res := resPods
	if t.resource == "nodes" {
		res = resNodes
	}
	var readErr error
	_, err = s.call(r, apiserver.Request{Verb: sim.VerbList, Resource: res, Namespace: t.namespace}, func(_ runtime.Object, listErr error) {
		if listErr != nil {
			return
		}
		now, rv = metav1.NewTime(s.c.Now()), strconv.FormatInt(s.c.Revision(), 10)
		if t.resource == "nodes" {
			nodes, readErr = mr.Metrics().Nodes()
		} else {
			pods, readErr = mr.Metrics().Pods(t.namespace)
		}
	})
	if errors.Is(readErr, metrics.ErrUnavailable) {
		readErr = apierrors.NewServiceUnavailable(readErr.Error())
	}
	if err == nil {
		err = readErr
	}
	if err != nil {
		s.writeError(w, err)
		return
	}
	meta := func(name, namespace string, labels map[string]string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: labels, CreationTimestamp: now}
	}
	if t.resource == "pods" {
		var items []podMetrics
		for _, p := range pods {
			if (t.name != "" && p.Name != t.name) || !sel.labels.Matches(labels.Set(p.Labels)) {
				continue
			}
			pm := podMetrics{TypeMeta: metav1.TypeMeta{Kind: "PodMetrics", APIVersion: metricsGroup + "/v1beta1"},
				ObjectMeta: meta(p.Name, p.Namespace, p.Labels), Timestamp: metav1.NewTime(p.Timestamp), Window: metav1.Duration{Duration: p.Window}}
			for _, c := range p.Containers {
				pm.Containers = append(pm.Containers, containerMetrics{Name: c.Name, Usage: usageList(c.Usage)})
			}
			items = append(items, pm)
		}
		writeMetrics(w, s, t, rv, "PodMetrics", items,
			apierrors.NewNotFound(groupResource(metricsGroup, "podmetrics"), t.namespace+"/"+t.name))
		return
	}
	var items []nodeMetrics
	for _, n := range nodes {
		if (t.name != "" && n.Name != t.name) || !sel.labels.Matches(labels.Set(n.Labels)) {
			continue
		}
		items = append(items, nodeMetrics{TypeMeta: metav1.TypeMeta{Kind: "NodeMetrics", APIVersion: metricsGroup + "/v1beta1"},
			ObjectMeta: meta(n.Name, "", n.Labels), Timestamp: metav1.NewTime(n.Timestamp), Window: metav1.Duration{Duration: n.Window}, Usage: usageList(n.Usage)})
	}
	writeMetrics(w, s, t, rv, "NodeMetrics", items, apierrors.NewNotFound(groupResource(metricsGroup, "nodemetrics"), t.name))
}

// writeMetrics answers one item when a name was asked for (notFound
// when there is none: a pod that runs nothing has no metrics), else a
// list.
func writeMetrics[T any](w http.ResponseWriter, s *Server, t target, rv, kind string, items []T, notFound error) {
	switch {
	case t.name == "":
		if items == nil {
			items = []T{}
		}
		writeJSON(w, http.StatusOK, metricsList[T]{TypeMeta: metav1.TypeMeta{Kind: kind + "List", APIVersion: metricsGroup + "/v1beta1"},
			ListMeta: metav1.ListMeta{ResourceVersion: rv}, Items: items})
	case len(items) == 0:
		s.writeError(w, notFound)
	default:
		writeJSON(w, http.StatusOK, items[0])
	}
}

var resNodes, _ = apiserver.ResourceFor("nodes")
