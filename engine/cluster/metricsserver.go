package cluster

import (
	"sort"

	"github.com/kubeplay/kubeplay/engine/addons"
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/metrics"
	"github.com/kubeplay/kubeplay/engine/runtime/simrt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// What a node's system daemons (the kubelet, the runtime, the OS) use
// besides its pods, in the node figures.
const (
	nodeCPUOverhead = 60        // millicores
	nodeMemOverhead = 600 << 20 // bytes
)

var resNodeObjects, _ = apiserver.ResourceFor("nodes")

// metricsServer is metrics-server: it collects the kubelets' resource
// figures (each runtime's measurements of the running containers) and
// serves them as the metrics API, which kubectl top, metrics.k8s.io and
// the HorizontalPodAutoscaler controller read. It reads on the cluster's
// goroutine.
type metricsServer struct{ c *Cluster }

// Metrics implements backend.MetricsReader.
func (c *Cluster) Metrics() metrics.Reader { return metricsServer{c} }

// serving reports whether a metrics-server pod (the add-on's) is ready:
// the aggregated metrics API reaches metrics-server only through a ready
// endpoint of its Service, and without one the apiserver answers
// ServiceUnavailable.
func (m metricsServer) serving() bool {
	sel := labels.SelectorFromSet(addons.MetricsServerLabels)
	for _, o := range m.c.api.List(resPods, metav1.NamespaceSystem) {
		p := o.(*corev1.Pod)
		if p.DeletionTimestamp != nil || !sel.Matches(labels.Set(p.Labels)) {
			continue
		}
		for _, cond := range p.Status.Conditions {
			if cond.Type == corev1.PodReady && cond.Status == corev1.ConditionTrue {
				return true
			}
		}
	}
	return false
}

// Pods implements metrics.Reader.
func (m metricsServer) Pods(namespace string) ([]metrics.PodMetrics, error) {
	if !m.serving() {
		return nil, metrics.ErrUnavailable
	}
	var out []metrics.PodMetrics
	for _, node := range m.c.nodes {
		for _, ps := range m.c.kubelets[node].Stats() {
			if namespace != "" && ps.Namespace != namespace {
				continue
			}
			pm := metrics.PodMetrics{Namespace: ps.Namespace, Name: ps.Name}
			if o, err := m.c.api.Get(resPods, ps.Namespace, ps.Name); err == nil {
				pm.Labels = o.(*corev1.Pod).Labels
			}
			for _, cs := range ps.Containers {
				pm.Timestamp, pm.Window = cs.Timestamp, cs.Window
				pm.Containers = append(pm.Containers, metrics.ContainerMetrics{Name: cs.Name, Usage: metrics.Usage{CPU: cs.CPU, Memory: cs.Memory}})
			}
			out = append(out, pm)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// Nodes implements metrics.Reader: each node whose kubelet answers, its
// daemons' use and its pods'.
func (m metricsServer) Nodes() ([]metrics.NodeMetrics, error) {
	if !m.serving() {
		return nil, metrics.ErrUnavailable
	}
	var out []metrics.NodeMetrics
	now := m.c.k.Now()
	end := now.Add(-(m.c.k.Elapsed() % simrt.StatsWindow))
	for _, node := range m.c.nodes {
		kl := m.c.kubelets[node]
		stats := kl.Stats()
		if kl.Stopped() {
			continue
		}
		nm := metrics.NodeMetrics{Name: node, Timestamp: end, Window: simrt.StatsWindow,
			Usage: metrics.Usage{CPU: nodeCPUOverhead, Memory: nodeMemOverhead}}
		if o, err := m.c.api.Get(resNodeObjects, "", node); err == nil {
			nm.Labels = o.(*corev1.Node).Labels
		}
		for _, ps := range stats {
			for _, cs := range ps.Containers {
				nm.Usage.CPU += cs.CPU
				nm.Usage.Memory += cs.Memory
				nm.Timestamp, nm.Window = cs.Timestamp, cs.Window
			}
		}
		out = append(out, nm)
	}
	return out, nil
}
