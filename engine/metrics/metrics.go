// Package metrics holds what metrics-server serves as metrics.k8s.io:
// each running pod's use by container, and each node's, measured by the
// container runtimes (on Docker from the containers' cgroups through the
// stats API; on the simulated runtime from a model in which the idle app
// uses a little CPU and each request it answers costs some), collected
// through the kubelets. The built-in `kubectl top`, a real kubectl's top
// through the HTTP API and the HorizontalPodAutoscaler controller all
// read the same figures.
package metrics

import (
	"errors"
	"time"
)

// Usage is CPU in millicores and memory in bytes.
type Usage struct{ CPU, Memory int64 }

// ContainerMetrics is one container's use.
type ContainerMetrics struct {
	Name  string
	Usage Usage
}

// PodMetrics is a pod's use over the window that ended at Timestamp, as
// metrics.k8s.io's PodMetrics.
type PodMetrics struct {
	Namespace, Name string
	Labels          map[string]string
	Timestamp       time.Time
	Window          time.Duration
	Containers      []ContainerMetrics
}

// Total is the sum of the pod's containers' use.
func (p PodMetrics) Total() Usage {
	var u Usage
	for _, c := range p.Containers {
		u.CPU += c.Usage.CPU
		u.Memory += c.Usage.Memory
	}
	return u
}

// NodeMetrics is a node's use, its system daemons' with its pods'.
type NodeMetrics struct {
	Name      string
	Labels    map[string]string
	Timestamp time.Time
	Window    time.Duration
	Usage     Usage
}

// Reader is the metrics API: what metrics-server answers.
type Reader interface {
	// Pods are the metrics of the pods of a namespace ("": all), by
	// namespace and name; a pod that has none yet is left out.
	Pods(namespace string) ([]PodMetrics, error)
	// Nodes are the metrics of the nodes, by name.
	Nodes() ([]NodeMetrics, error)
}

// ErrUnavailable is the metrics API's answer when no metrics-server
// serves it: the apiserver's ServiceUnavailable for the aggregated API.
var ErrUnavailable = errors.New("the server is currently unable to handle the request")
