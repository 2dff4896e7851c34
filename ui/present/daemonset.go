package present

import (
	"sort"
	"time"

	"github.com/kubeplay/kubeplay/engine/addons"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// DaemonSetRow is a DaemonSet as the board draws it: one cell per node,
// so that "one pod on every node" is what the learner sees, and a node
// without its pod (not eligible, or not placed yet) shows as empty.
type DaemonSetRow struct {
	Namespace, Name string
	// Desired and Ready are the status's counts, in nodes.
	Desired, Ready int32
	Nodes          []DaemonNodeCell
}

// DaemonNodeCell is one node and the DaemonSet's pods on it: usually one,
// two while a surge or a deletion overlaps, none on a node it skips. Node
// "" holds the pods not bound to a node yet.
type DaemonNodeCell struct {
	Node string
	Pods []DaemonPod
}

// DaemonPod is a daemon pod's chip, and whether it still runs an older
// template than the DaemonSet's (a rolling update has not reached it).
type DaemonPod struct {
	Chip
	Outdated bool
}

// AddDaemonSets puts the DaemonSets on the board at instant now: a
// learner's as rows (DaemonSetRows), an add-on's (kube-proxy) in a word
// among the add-ons, as their pods are left out of the nodes' columns.
func (b *Board) AddDaemonSets(sets []*appsv1.DaemonSet, nodes []*corev1.Node, pods []*corev1.Pod, now time.Time) {
	var own []*appsv1.DaemonSet
	for _, ds := range sets {
		if addons.Is(ds.Namespace, ds.Spec.Template.Labels) {
			b.Addons = append(b.Addons, AddonRow{Namespace: ds.Namespace, Name: ds.Name, Ready: ds.Status.NumberReady, Replicas: ds.Status.DesiredNumberScheduled})
			continue
		}
		own = append(own, ds)
	}
	b.DaemonSets = DaemonSetRows(own, nodes, pods, now)
	sortAddons(b.Addons)
}

// DaemonSetRows presents the DaemonSets at instant now, by namespace and
// name, their cells in the order of nodes (the board's node order).
func DaemonSetRows(sets []*appsv1.DaemonSet, nodes []*corev1.Node, pods []*corev1.Pod, now time.Time) []DaemonSetRow {
	names := make([]string, 0, len(nodes))
	for _, n := range nodes {
		names = append(names, n.Name)
	}
	sort.SliceStable(names, func(i, j int) bool { return nodeLess(names[i], names[j]) })
	owned := map[string][]*corev1.Pod{} // by namespace/DaemonSet uid
	for _, p := range pods {
		if ref := metav1.GetControllerOf(p); ref != nil && ref.Kind == "DaemonSet" {
			owned[p.Namespace+"/"+string(ref.UID)] = append(owned[p.Namespace+"/"+string(ref.UID)], p)
		}
	}
	var rows []DaemonSetRow
	for _, ds := range sets {
		r := DaemonSetRow{Namespace: ds.Namespace, Name: ds.Name, Desired: ds.Status.DesiredNumberScheduled, Ready: ds.Status.NumberReady}
		// kubeplay's apiserver keeps the annotation on every DaemonSet,
		// as upstream's does; the controller labels pods with it.
		gen := ds.Annotations[appsv1.DeprecatedTemplateGeneration]
		byNode := map[string][]DaemonPod{}
		for _, p := range owned[ds.Namespace+"/"+string(ds.UID)] {
			dp := DaemonPod{Chip: PodChip(p, now), Outdated: gen != "" && p.Labels["pod-template-generation"] != gen}
			byNode[p.Spec.NodeName] = append(byNode[p.Spec.NodeName], dp)
		}
		// A pod the scheduler has not bound yet has a cell of its own, at
		// the end, named "" (the board says pending): the node it is for
		// is in its affinity until then.
		if len(byNode[""]) > 0 {
			names = append(names, "")
		}
		for _, n := range names {
			ps := byNode[n]
			sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
			r.Nodes = append(r.Nodes, DaemonNodeCell{Node: n, Pods: ps})
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(a, b int) bool {
		return nsNameLess(rows[a].Namespace, rows[a].Name, rows[b].Namespace, rows[b].Name)
	})
	return rows
}

// nodeLess orders node-2 before node-10, as the cluster numbers them.
func nodeLess(a, c string) bool { return len(a) < len(c) || len(a) == len(c) && a < c }
