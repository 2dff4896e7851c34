package framework

import (
	"cmp"
	"math/rand/v2"
	"slices"

	corev1 "k8s.io/api/core/v1"
)

// Scheduler runs kube-scheduler's default profile over a set of nodes.
type Scheduler struct {
	rand    *rand.Rand
	filters []FilterPlugin
	scorers []weighted
	pod     *podCache // shared by the plugins that read the pod's requests
	// class numbers the pods' equivalence classes (see memo): it moves on
	// when a pod asks nodes something else than the last one did.
	class uint64
	last  class

	// nextStart is the node, in name order, the next cycle's search for
	// feasible nodes starts from (upstream's nextStartNodeIndex).
	nextStart int

	// Reused between cycles so that scheduling allocates little.
	feasible []*NodeInfo
	active   []weighted
	raw      []int64 // by plugin, then by node
	totals   []int64 // weighted sums, by node
	order    []int32 // nodes by total, best first
	counts   []int32 // orderByTotal's buckets
	// Buffers for Result.Scores, reused by every cycle: a 100-node cycle
	// would otherwise allocate 20 KB per pod.
	out  []NodeScore
	flat PluginScores
	// filtered is Result.Filtered, emptied by each cycle: a DaemonSet's
	// pod is filtered out of every node but its own, and a fresh map
	// grown to a thousand nodes for each was most of scheduling it.
	filtered map[string]*Status
}

// defaultWeights are kube-scheduler's default score weights
// (pkg/scheduler/apis/config/v1/default_plugins.go): taints count triple so
// that a PreferNoSchedule taint outweighs a fuller node.
var defaultWeights = map[string]int64{
	TaintTolerationName:    3,
	NodeAffinityName:       2,
	NodeResourcesFitName:   1,
	BalancedAllocationName: 1,
}

type weighted struct {
	ScorePlugin
	name   string // the plugin's Name, asked once
	weight int64
}

// New returns a Scheduler with kube-scheduler's default plugins, in the
// order upstream runs them (cheap, decisive filters first), and upstream's
// default score weights. rand breaks ties between equally good nodes, as
// upstream does, so the engine's seed decides where tied pods land; with a
// nil rand ties go to the first node by name.
func New(rand *rand.Rand) *Scheduler {
	pc := &podCache{}
	fit := &NodeResourcesFit{cached{pc}}
	s := &Scheduler{
		rand: rand,
		pod:  pc,
		filters: []FilterPlugin{
			NodeUnschedulable{},
			NodeName{},
			TaintToleration{},
			NodeAffinity{},
			&NodePorts{cached{pc}},
			fit,
		},
	}
	for _, p := range []ScorePlugin{fit, &BalancedAllocation{cached{pc}}, TaintToleration{}, NodeAffinity{}} {
		s.scorers = append(s.scorers, weighted{p, p.Name(), defaultWeights[p.Name()]})
	}
	return s
}

// Schedule picks a node for pod. It reads nodes and changes nothing: the
// engine binds the pod and then calls AddPod on the chosen NodeInfo.
func (s *Scheduler) Schedule(pod *corev1.Pod, nodes []*NodeInfo) Result {
	if !slices.IsSortedFunc(nodes, byName) {
		nodes = slices.Clone(nodes)
		slices.SortFunc(nodes, byName)
	}
	return s.ScheduleSorted(pod, nodes)
}

// ScheduleSorted is Schedule for nodes already in name order, as the
// engine keeps them: checking the order of a thousand nodes for every pod
// costs more than scoring a few of them.
func (s *Scheduler) ScheduleSorted(pod *corev1.Pod, nodes []*NodeInfo) Result {
	s.pod.refresh(pod)
	s.setClass(pod)
	var r Result
	s.feasible = s.feasible[:0]
	// Start where the last cycle stopped, so that every node gets its turn
	// when only some are looked at.
	start := 0
	if len(nodes) > 0 {
		start = s.nextStart % len(nodes)
	}
	want, processed := numFeasibleNodesToFind(len(nodes)), 0
	for i := range nodes {
		if len(s.feasible) == want {
			break
		}
		n := nodes[(start+i)%len(nodes)]
		processed++
		if st := s.filterCached(pod, n); st != nil {
			if r.Filtered == nil {
				if s.filtered == nil {
					s.filtered = make(map[string]*Status)
				}
				clear(s.filtered)
				r.Filtered = s.filtered
			}
			r.Filtered[n.Name()] = st
			continue
		}
		s.feasible = append(s.feasible, n)
	}
	if len(nodes) > 0 {
		s.nextStart = (start + processed) % len(nodes)
	}

	switch len(s.feasible) {
	case 0:
		r.Message, r.Preemption = s.failure(pod, nodes, r.Filtered)
	case 1:
		// Upstream binds a lone feasible node without scoring it.
		r.Feasible = 1
		r.Node = s.feasible[0].Name()
		r.Scores = []NodeScore{{Node: r.Node}}
	default:
		r.Scores, r.Tied = s.score(pod, s.feasible)
		r.Feasible = len(s.feasible)
		r.Node = r.Scores[0].Node
	}
	r.Why = FormatWhy(r)
	clear(s.feasible) // drop references to the caller's nodes
	return r
}

// Upstream's bounds on how many feasible nodes a cycle looks for
// (pkg/scheduler/schedule_one.go).
const (
	minFeasibleNodesToFind           = 100
	minFeasibleNodesPercentageToFind = 5
)

// numFeasibleNodesToFind is how many feasible nodes a cycle looks for before
// it stops filtering, with upstream's default adaptive
// percentageOfNodesToScore: every node in a cluster of up to 100, and in a
// bigger one 50% less a point per 125 nodes (at least 5%, at least 100
// nodes), so that a pod in a 1,000-node cluster is scored on 420 of them.
func numFeasibleNodesToFind(all int) int {
	if all < minFeasibleNodesToFind {
		return all
	}
	percentage := max(50-all/125, minFeasibleNodesPercentageToFind)
	return max(all*percentage/100, minFeasibleNodesToFind)
}

func byName(a, b *NodeInfo) int { return cmp.Compare(a.Name(), b.Name()) }

// filter runs the filters in order and stops at the first that says no, as
// upstream does; so a node reports one plugin's reasons, not all of them.
func (s *Scheduler) filter(pod *corev1.Pod, n *NodeInfo) *Status {
	for _, f := range s.filters {
		if st := f.Filter(pod, n); st != nil {
			return st
		}
	}
	return nil
}

// score scores every feasible node, sorts them best first and moves the
// tie-break's pick to the front.
func (s *Scheduler) score(pod *corev1.Pod, nodes []*NodeInfo) (top []NodeScore, tiedWithPick int) {
	active := s.active[:0]
	for _, p := range s.scorers {
		if sk, ok := p.ScorePlugin.(ScoreSkipper); !ok || !sk.SkipScore(pod) {
			active = append(active, p)
		}
	}
	s.active = active
	n, na := len(nodes), len(active)
	s.raw = slices.Grow(s.raw[:0], n*na)[:n*na]
	s.totals = slices.Grow(s.totals[:0], n)[:n]
	clear(s.totals)
	for i, node := range nodes {
		for j, v := range s.rawScores(pod, node, active) {
			s.raw[j*n+i] = v
		}
	}
	for j, p := range active {
		raw := s.raw[j*n : (j+1)*n]
		if nz, ok := p.ScorePlugin.(ScoreNormalizer); ok {
			nz.NormalizeScores(raw)
		}
		for i, v := range raw {
			s.totals[i] += v * p.weight
		}
	}
	// Best first; equal totals stay in the order the nodes were searched
	// (name order when every node is), for the tie-break.
	s.order = orderByTotal(s.totals, slices.Grow(s.order[:0], n)[:n], &s.counts)
	tied := 1
	for tied < n && s.totals[s.order[tied]] == s.totals[s.order[0]] {
		tied++
	}
	// The tie-break's pick trades places with the best, as if the list
	// were written out and swapped; only the top is written out (see
	// Result.Scores), not the hundreds of nodes an even cluster ties.
	pick := s.pickAmongBest(tied)
	keep := min(n, maxListed+2)
	s.out = slices.Grow(s.out[:0], keep)[:keep]
	s.flat = slices.Grow(s.flat[:0], keep*na)[:keep*na]
	out, flat := s.out, s.flat
	for k := range keep {
		i := s.order[k]
		switch k {
		case 0:
			i = s.order[pick]
		case pick:
			i = s.order[0]
		}
		by := flat[k*na : (k+1)*na : (k+1)*na]
		for j, p := range active {
			by[j] = PluginScore{Plugin: p.name, Score: s.raw[j*n+int(i)], Weight: p.weight}
		}
		out[k] = NodeScore{Node: nodes[i].Name(), Total: s.totals[i], ByPlugin: by}
	}
	return out, tied - 1
}

// orderByTotal fills order with the indexes of totals, highest total
// first and equal totals in index order: a stable sort, done by counting
// when the totals span a small range, as weighted plugin scores (0 to a
// few hundred) do, so that ranking a thousand nodes costs linear time.
func orderByTotal(totals []int64, order []int32, counts *[]int32) []int32 {
	if len(totals) == 0 {
		return order
	}
	lo, hi := slices.Min(totals), slices.Max(totals)
	if span := hi - lo; span < 0 || span > int64(4*len(totals)+1024) {
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(totals[b], totals[a]) })
		return order
	}
	c := slices.Grow((*counts)[:0], int(hi-lo)+1)[:hi-lo+1]
	clear(c)
	for _, t := range totals {
		c[hi-t]++
	}
	pos := int32(0)
	for b, k := range c {
		c[b] = pos
		pos += k
	}
	for i, t := range totals {
		order[c[hi-t]] = int32(i)
		c[hi-t]++
	}
	*counts = c
	return order
}

// pickAmongBest chooses uniformly among the nodes sharing the top total by
// reservoir sampling, as upstream's selectHost does: the k-th tied node
// replaces the pick with probability 1/k.
func (s *Scheduler) pickAmongBest(tied int) int {
	pick := 0
	for k := 1; k < tied; k++ {
		if s.rand != nil && s.rand.IntN(k+1) == 0 {
			pick = k
		}
	}
	return pick
}
