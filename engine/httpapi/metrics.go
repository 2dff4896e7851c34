package httpapi

import (
	"net/http"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/metrics"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// metrics.k8s.io/v1beta1, what `kubectl top` reads. There is no
// metrics-server: the figures are the built-in top's (engine/metrics,
// derived from what the containers run and request). The built-in top
// says on stderr that they are simulated; a real kubectl cannot be told,
// so the objects carry the annotation below instead.

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

// metricsWindow is the span a figure would be measured over.
var metricsWindow = metav1.Duration{Duration: 30 * time.Second}

// simulatedNote marks every metrics object as made up.
var simulatedNote = map[string]string{"kubeplay.io/simulated": "figures derived from the containers' requests; there is no metrics-server"}

func usageList(u metrics.Usage) corev1.ResourceList {
	return corev1.ResourceList{
		corev1.ResourceCPU:    *resource.NewMilliQuantity(u.CPU, resource.DecimalSI),
		corev1.ResourceMemory: *resource.NewQuantity(u.Memory, resource.BinarySI),
	}
}

// metrics serves /apis/metrics.k8s.io/v1beta1/…/pods[/NAME] and
// nodes[/NAME]: reads of pods (and nodes) as hops, then their figures.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request, t target) {
	if r.Method != http.MethodGet {
		s.writeError(w, apierrors.NewMethodNotSupported(groupResource(metricsGroup, t.resource), r.Method))
		return
	}
	if t.version != "v1beta1" || (t.resource != "pods" && t.resource != "nodes") || t.sub != "" {
		s.writeError(w, apierrors.NewNotFound(groupResource(metricsGroup, t.resource), t.name))
		return
	}
	sel, err := parseSelector(r, &corev1.Pod{})
	if t.resource == "nodes" {
		sel, err = parseSelector(r, &corev1.Node{})
	}
	if err != nil {
		s.writeError(w, err)
		return
	}
	pods := target{resource: "pods", namespace: t.namespace, res: resPods}
	if t.resource == "pods" {
		pods.name = t.name
	}
	got, err := s.fetch(r, pods)
	if apierrors.IsNotFound(err) {
		err = apierrors.NewNotFound(groupResource(metricsGroup, "podmetrics"), t.namespace+"/"+t.name)
	}
	if err != nil {
		s.writeError(w, err)
		return
	}
	meta := func(name, namespace string, labels map[string]string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: labels, Annotations: simulatedNote,
			CreationTimestamp: metav1.NewTime(got.now)}
	}
	if t.resource == "pods" {
		var items []podMetrics
		for _, o := range sel.filter(got.objs) {
			p := o.(*corev1.Pod)
			pm := podMetrics{TypeMeta: metav1.TypeMeta{Kind: "PodMetrics", APIVersion: metricsGroup + "/v1beta1"},
				ObjectMeta: meta(p.Name, p.Namespace, p.Labels), Timestamp: metav1.NewTime(got.now), Window: metricsWindow}
			for i := range p.Spec.Containers {
				if u, ok := metrics.ContainerUsage(p, &p.Spec.Containers[i]); ok {
					pm.Containers = append(pm.Containers, containerMetrics{Name: p.Spec.Containers[i].Name, Usage: usageList(u)})
				}
			}
			if len(pm.Containers) > 0 { // a pod that runs nothing has no metrics
				items = append(items, pm)
			}
		}
		writeMetrics(w, s, t, got.rv, "PodMetrics", items,
			apierrors.NewNotFound(groupResource(metricsGroup, "podmetrics"), t.namespace+"/"+t.name))
		return
	}
	nodes, err := s.fetch(r, target{resource: "nodes", name: t.name, res: resNodes})
	if apierrors.IsNotFound(err) {
		err = apierrors.NewNotFound(groupResource(metricsGroup, "nodemetrics"), t.name)
	}
	if err != nil {
		s.writeError(w, err)
		return
	}
	usage := metrics.NodeUsages(nodes.objs, got.objs)
	var items []nodeMetrics
	for _, o := range sel.filter(nodes.objs) {
		n := o.(*corev1.Node)
		items = append(items, nodeMetrics{TypeMeta: metav1.TypeMeta{Kind: "NodeMetrics", APIVersion: metricsGroup + "/v1beta1"},
			ObjectMeta: meta(n.Name, "", n.Labels), Timestamp: metav1.NewTime(got.now), Window: metricsWindow, Usage: usageList(usage[n.Name])})
	}
	writeMetrics(w, s, t, got.rv, "NodeMetrics", items, apierrors.NewNotFound(groupResource(metricsGroup, "nodemetrics"), t.name))
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
