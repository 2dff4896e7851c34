package scheduler

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

	// Reused between cycles so that scheduling allocates little.
	feasible []*NodeInfo
	active   []weighted
	raw      []int64
	// Buffers for Result.Scores, reused by every cycle: a 100-node cycle
	// would otherwise allocate 20 KB per pod.
	out  []NodeScore
	flat PluginScores
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
		s.scorers = append(s.scorers, weighted{p, defaultWeights[p.Name()]})
	}
	return s
}

// Schedule picks a node for pod. It reads nodes and changes nothing: the
// engine binds the pod and then calls AddPod on the chosen NodeInfo.
func (s *Scheduler) Schedule(pod *corev1.Pod, nodes []*NodeInfo) Result {
	s.pod.refresh(pod)
	if !slices.IsSortedFunc(nodes, byName) {
		nodes = slices.Clone(nodes)
		slices.SortFunc(nodes, byName)
	}

	var r Result
	s.feasible = s.feasible[:0]
	for _, n := range nodes {
		if st := s.filter(pod, n); st != nil {
			if r.Filtered == nil {
				r.Filtered = make(map[string]*Status)
			}
			r.Filtered[n.Name()] = st
			continue
		}
		s.feasible = append(s.feasible, n)
	}

	switch len(s.feasible) {
	case 0:
		r.Message, r.Preemption = s.failure(pod, nodes, r.Filtered)
	case 1:
		// Upstream binds a lone feasible node without scoring it.
		r.Node = s.feasible[0].Name()
		r.Scores = []NodeScore{{Node: r.Node}}
	default:
		r.Scores = s.score(pod, s.feasible)
		r.Node = r.Scores[0].Node
	}
	r.Why = FormatWhy(r)
	clear(s.feasible) // drop references to the caller's nodes
	return r
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
func (s *Scheduler) score(pod *corev1.Pod, nodes []*NodeInfo) []NodeScore {
	active := s.active[:0]
	for _, p := range s.scorers {
		if sk, ok := p.ScorePlugin.(ScoreSkipper); !ok || !sk.SkipScore(pod) {
			active = append(active, p)
		}
	}
	s.active = active
	s.out = slices.Grow(s.out[:0], len(nodes))[:len(nodes)]
	s.flat = slices.Grow(s.flat[:0], len(nodes)*len(active))[:len(nodes)*len(active)]
	out, flat := s.out, s.flat
	clear(out)
	for i, n := range nodes {
		out[i] = NodeScore{Node: n.Name(), ByPlugin: flat[i*len(active) : (i+1)*len(active) : (i+1)*len(active)]}
	}
	s.raw = slices.Grow(s.raw[:0], len(nodes))[:len(nodes)]
	for j, p := range active {
		for i, n := range nodes {
			s.raw[i] = p.Score(pod, n)
		}
		if nz, ok := p.ScorePlugin.(ScoreNormalizer); ok {
			nz.NormalizeScores(s.raw)
		}
		for i := range out {
			out[i].ByPlugin[j] = PluginScore{Plugin: p.Name(), Score: s.raw[i], Weight: p.weight}
			out[i].Total += s.raw[i] * p.weight
		}
	}
	// Stable, so equal totals stay in name order for the tie-break.
	slices.SortStableFunc(out, func(a, b NodeScore) int { return cmp.Compare(b.Total, a.Total) })
	if pick := s.pickAmongBest(out); pick != 0 {
		out[0], out[pick] = out[pick], out[0]
	}
	return out
}

// pickAmongBest chooses uniformly among the nodes sharing the top total by
// reservoir sampling, as upstream's selectHost does: the k-th tied node
// replaces the pick with probability 1/k.
func (s *Scheduler) pickAmongBest(sorted []NodeScore) int {
	pick := 0
	for k := 1; k < len(sorted) && sorted[k].Total == sorted[0].Total; k++ {
		if s.rand != nil && s.rand.IntN(k+1) == 0 {
			pick = k
		}
	}
	return pick
}
