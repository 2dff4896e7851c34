package present

import (
	"sort"
	"strconv"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Board is the cluster as the board pane draws it.
type Board struct {
	Nodes        []NodeColumn
	Unscheduled  []Chip
	Deploys      []DeployRow
	Jobs         []JobRow
	CronJobs     []CronJobRow
	StatefulSets []StatefulSetRow
	Pods         int
}

// NodeColumn is one node and the pods bound to it.
type NodeColumn struct {
	Name  string
	Ready bool
	Pods  []Chip
}

// DeployRow is a Deployment with its ReplicaSets, newest revision first.
type DeployRow struct {
	Name                                string
	Replicas, Ready, Updated, Available int32
	RSs                                 []RSRow
	Rolling                             bool
	Budget                              Budget
}

// RSRow is one ReplicaSet of a Deployment.
type RSRow struct {
	Name           string
	Revision       int
	Desired, Ready int32
}

// Budget is a rolling update's room to move: available pods against the
// minimum the strategy allows (replicas − maxUnavailable), and all pods
// against the most it allows (replicas + maxSurge).
type Budget struct {
	Available, MinAvailable int32
	Total, MaxTotal         int32
}

// BuildBoard presents the cluster at instant now. Its inputs are the
// store's objects; it keeps none of them.
func BuildBoard(nodes []*corev1.Node, pods []*corev1.Pod, deps []*appsv1.Deployment, rss []*appsv1.ReplicaSet, now time.Time) Board {
	b := Board{Pods: len(pods)}
	// node-2 before node-10, as the cluster numbers them.
	nodes = append([]*corev1.Node(nil), nodes...)
	sort.SliceStable(nodes, func(i, j int) bool {
		a, c := nodes[i].Name, nodes[j].Name
		return len(a) < len(c) || len(a) == len(c) && a < c
	})
	col := map[string]int{}
	for _, n := range nodes {
		col[n.Name] = len(b.Nodes)
		b.Nodes = append(b.Nodes, NodeColumn{Name: n.Name, Ready: nodeReady(n)})
	}
	for _, p := range pods {
		c := PodChip(p, now)
		if i, ok := col[p.Spec.NodeName]; ok {
			b.Nodes[i].Pods = append(b.Nodes[i].Pods, c)
		} else {
			b.Unscheduled = append(b.Unscheduled, c)
		}
	}
	owned := map[string][]*appsv1.ReplicaSet{}
	for _, rs := range rss {
		for _, ref := range rs.OwnerReferences {
			if ref.Kind == "Deployment" {
				owned[rs.Namespace+"/"+ref.Name] = append(owned[rs.Namespace+"/"+ref.Name], rs)
			}
		}
	}
	for _, d := range deps {
		b.Deploys = append(b.Deploys, DeployPresent(d, owned[d.Namespace+"/"+d.Name]))
	}
	return b
}

func nodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// DeployPresent presents a Deployment and the ReplicaSets it owns.
func DeployPresent(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) DeployRow {
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	row := DeployRow{Name: d.Name, Replicas: want, Ready: d.Status.ReadyReplicas, Updated: d.Status.UpdatedReplicas, Available: d.Status.AvailableReplicas}
	for _, rs := range rss {
		rev, _ := strconv.Atoi(rs.Annotations["deployment.kubernetes.io/revision"])
		desired := int32(0)
		if rs.Spec.Replicas != nil {
			desired = *rs.Spec.Replicas
		}
		row.RSs = append(row.RSs, RSRow{Name: rs.Name, Revision: rev, Desired: desired, Ready: rs.Status.ReadyReplicas})
	}
	sort.Slice(row.RSs, func(i, j int) bool { return row.RSs[i].Revision > row.RSs[j].Revision })
	active := 0
	for _, rs := range row.RSs {
		if rs.Desired > 0 {
			active++
		}
	}
	// A rollout is under way while more than one ReplicaSet has pods, or
	// the new one has not caught up yet.
	row.Rolling = active > 1 || (len(row.RSs) > 1 && (d.Status.UpdatedReplicas < want || d.Status.Replicas > want))
	row.Budget = budget(d, want)
	return row
}

func budget(d *appsv1.Deployment, want int32) Budget {
	surge, unavail := intstr.FromString("25%"), intstr.FromString("25%")
	if ru := d.Spec.Strategy.RollingUpdate; ru != nil {
		if ru.MaxSurge != nil {
			surge = *ru.MaxSurge
		}
		if ru.MaxUnavailable != nil {
			unavail = *ru.MaxUnavailable
		}
	}
	// As the deployment controller does: surge rounds up, unavailable down.
	s, _ := intstr.GetScaledValueFromIntOrPercent(&surge, int(want), true)
	u, _ := intstr.GetScaledValueFromIntOrPercent(&unavail, int(want), false)
	if s == 0 && u == 0 {
		u = 1
	}
	return Budget{Available: d.Status.AvailableReplicas, MinAvailable: want - int32(u), Total: d.Status.Replicas, MaxTotal: want + int32(s)}
}
