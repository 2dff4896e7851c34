package bridge

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/printers"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/present"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

func listOf[T runtime.Object](d *Driver, resource string) []T {
	res, _ := backend.ResourceFor(resource)
	objs := d.C.List(res, "")
	out := make([]T, 0, len(objs))
	for _, o := range objs {
		if t, ok := o.(T); ok {
			out = append(out, t)
		}
	}
	return out
}

// Board presents the cluster as it is now. Call it only while holding.
func (d *Driver) Board() present.Board {
	// Pods and nodes are listed once for every row that needs them: a
	// large cluster has many pods.
	nodes, pods, now := listOf[*corev1.Node](d, "nodes"), listOf[*corev1.Pod](d, "pods"), d.C.Now()
	b := present.BuildBoard(nodes, pods, listOf[*appsv1.Deployment](d, "deployments"), listOf[*appsv1.ReplicaSet](d, "replicasets"), now)
	b.Jobs, b.CronJobs = present.BatchRows(listOf[*batchv1.Job](d, "jobs"), listOf[*batchv1.CronJob](d, "cronjobs"), now)
	b.StatefulSets = present.StatefulSetRows(listOf[*appsv1.StatefulSet](d, "statefulsets"), pods,
		listOf[*corev1.PersistentVolumeClaim](d, "persistentvolumeclaims"), now)
	b.HPAs = present.HPARows(listOf[*autoscalingv2.HorizontalPodAutoscaler](d, "horizontalpodautoscalers"), &d.hpaHistory, printers.HPATargets)
	b.AddDaemonSets(listOf[*appsv1.DaemonSet](d, "daemonsets"), nodes, pods, now)
	svcs := listOf[*corev1.Service](d, "services")
	if ings := listOf[*networkingv1.Ingress](d, "ingresses"); len(ings) > 0 {
		//lint:ignore SA1019 the endpoints controller writes v1 Endpoints
		eps := listOf[*corev1.Endpoints](d, "endpoints")
		b.Ingresses = present.IngressRows(ings, listOf[*networkingv1.IngressClass](d, "ingressclasses"), svcs, eps)
	}
	b.Services = present.ServiceRows(svcs, listOf[*discoveryv1.EndpointSlice](d, "endpointslices"))
	return b
}

// Traffic presents the last load run, running or done, if there was
// one. Call it only while holding.
func (d *Driver) Traffic() (present.Traffic, bool) {
	l := d.C.Network().LastLoad()
	if l == nil {
		return present.Traffic{}, false
	}
	if l != d.load {
		d.load, d.loadRun = l, d.loadRun+1
	}
	return present.TrafficOf(l, d.loadRun, d.C.Capabilities().SimulatedContainers), true
}

// EventRows presents the events that changed since the last call.
func (d *Driver) EventRows() []present.EventRow {
	var rows []present.EventRow
	for _, ev := range d.TakeEvents() {
		e, ok := ev.Object.(*corev1.Event)
		if !ok || ev.Type == "DELETED" {
			continue
		}
		rows = append(rows, present.Event(e, fmt.Sprintf("%.1fs", d.C.Elapsed().Seconds())))
	}
	return rows
}

// List is what a list hop read: no one object, but every object of a
// resource in a namespace.
type List struct {
	Resource, Namespace string
	// Request: the client's list request, whose namespace the hop does
	// not name; else the apiserver's read of etcd ("" every namespace).
	Request bool
	// Count is how many the store holds now, -1 when a command has the
	// cluster and it cannot be read.
	Count int
}

// ListOf reports what list hop h read: kubectl's list request (which
// names the resource) or the apiserver's range read of etcd (whose key
// prefix names the namespace too). ok is false for other hops.
func (d *Driver) ListOf(h sim.Hop) (l List, ok bool) {
	name, ns := h.Object, ""
	switch h.Verb {
	case sim.VerbList:
		l.Request = true
	case sim.VerbRange:
		rest, found := strings.CutPrefix(h.Object, "/registry/")
		if !found {
			return l, false
		}
		name, ns, _ = strings.Cut(strings.TrimSuffix(rest, "/"), "/")
	default:
		return l, false
	}
	res, found := backend.ResourceFor(name)
	if !found {
		// etcd's name for it (minions for nodes): said as it is.
		l.Resource, l.Namespace, l.Count = name, ns, -1
		return l, true
	}
	l.Resource, l.Namespace, l.Count = res.Name, ns, -1
	if d.Holding() {
		l.Count = len(d.C.List(res, ns))
	}
	return l, true
}

// ObjectYAML is the object a hop carried, in YAML: its payload as it was
// then, or, for hops that carry none (kubelet to runtime), the object it
// names as it is in the store now — carried says which. Hops name objects
// as "deployments/web", "pods/web-1/app" or by their etcd key.
func (d *Driver) ObjectYAML(h sim.Hop) (yaml string, carried, ok bool) {
	if obj, isObj := h.Payload.(runtime.Object); isObj {
		var b bytes.Buffer
		if err := printers.PrintObjects(&b, []runtime.Object{obj}, "yaml", false); err != nil {
			return err.Error(), true, true
		}
		return b.String(), true, true
	}
	if !d.Holding() {
		return "", false, false
	}
	var obj runtime.Object
	if strings.HasPrefix(h.Object, "/registry/") {
		obj, _ = d.C.ObjectAt(h.Object)
	} else if resName, rest, ok := strings.Cut(h.Object, "/"); ok {
		name, _, _ := strings.Cut(rest, "/")
		name, _, _ = strings.Cut(name, " ")
		if res, ok := backend.ResourceFor(resName); ok {
			for _, o := range d.C.List(res, "") {
				if m, ok := o.(interface{ GetName() string }); ok && m.GetName() == name {
					obj = o
					break
				}
			}
		}
	}
	if obj == nil {
		return "", false, true
	}
	var b bytes.Buffer
	if err := printers.PrintObjects(&b, []runtime.Object{obj}, "yaml", false); err != nil {
		return err.Error(), false, true
	}
	return b.String(), false, true
}
