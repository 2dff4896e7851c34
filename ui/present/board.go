package present

import (
	"sort"
	"strconv"
	"time"

	"github.com/kubeplay/kubeplay/engine/addons"
	"github.com/kubeplay/kubeplay/engine/schedmsg"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Board is the cluster as the board pane draws it.
type Board struct {
	Nodes       []NodeColumn
	Unscheduled []Chip
	// Unschedulable are the pods the scheduler found no node for, with
	// its why.
	Unschedulable []Unschedulable
	Deploys       []DeployRow
	Jobs          []JobRow
	CronJobs      []CronJobRow
	StatefulSets  []StatefulSetRow
	DaemonSets    []DaemonSetRow
	Ingresses     []IngressRow
	Services      []ServiceRow
	HPAs          []HPARow
	Pods          int
	// Addons are the cluster's own add-on Deployments (kube-system's
	// coredns, ingress-kubeplay's controller), whose pods the node columns leave out: a learner's
	// pods are what the board is for, and kubectl get pods, in default,
	// does not list them either.
	Addons []AddonRow
}

// Unschedulable is a pod the scheduler found no node for, and why: the
// message of its PodScheduled condition, which is the FailedScheduling
// event's — all a real cluster tells of the scheduler's why, and what the
// embedded scheduler writes alike — read back as reasons counted per node
// where it is a FitError (Parsed), else as it is.
type Unschedulable struct {
	Pod     string
	Message string
	Why     schedmsg.FitError
	Parsed  bool
}

// unschedulable is why the scheduler left p without a node, if it said.
func unschedulable(p *corev1.Pod) (Unschedulable, bool) {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable && c.Message != "" {
			u := Unschedulable{Pod: p.Name, Message: c.Message}
			u.Why, u.Parsed = schedmsg.Parse(c.Message)
			return u, true
		}
	}
	return Unschedulable{}, false
}

// AddonRow is one add-on Deployment or DaemonSet, in a word: its
// namespace, its name and how many of its replicas (a DaemonSet's: of
// the nodes it should run on) are ready.
type AddonRow struct {
	Namespace       string
	Name            string
	Ready, Replicas int32
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
	b := Board{}
	// node-2 before node-10, as the cluster numbers them.
	nodes = append([]*corev1.Node(nil), nodes...)
	sort.SliceStable(nodes, func(i, j int) bool { return nodeLess(nodes[i].Name, nodes[j].Name) })
	col := map[string]int{}
	for _, n := range nodes {
		col[n.Name] = len(b.Nodes)
		b.Nodes = append(b.Nodes, NodeColumn{Name: n.Name, Ready: nodeReady(n)})
	}
	for _, p := range pods {
		if addons.Is(p.Namespace, p.Labels) {
			continue
		}
		b.Pods++
		c := PodChip(p, now)
		if i, ok := col[p.Spec.NodeName]; ok {
			b.Nodes[i].Pods = append(b.Nodes[i].Pods, c)
		} else {
			b.Unscheduled = append(b.Unscheduled, c)
			if u, ok := unschedulable(p); ok && p.DeletionTimestamp == nil {
				b.Unschedulable = append(b.Unschedulable, u)
			}
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
		row := DeployPresent(d, owned[d.Namespace+"/"+d.Name])
		if addons.Is(d.Namespace, d.Labels) {
			b.Addons = append(b.Addons, AddonRow{Namespace: d.Namespace, Name: d.Name, Ready: row.Ready, Replicas: row.Replicas})
			continue
		}
		b.Deploys = append(b.Deploys, row)
	}
	sortAddons(b.Addons)
	return b
}

// sortAddons puts kube-system's add-ons first, then each other add-on
// namespace's: the board says each namespace once.
func sortAddons(rows []AddonRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		ni, nj := rows[i].Namespace, rows[j].Namespace
		if (ni == "kube-system") != (nj == "kube-system") {
			return ni == "kube-system"
		}
		return ni < nj
	})
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
