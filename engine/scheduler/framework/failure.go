package framework

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Messages of kube-scheduler's FailedScheduling events.
const (
	msgNoNodes            = "no nodes available to schedule pods"
	msgNoVictims          = "No preemption victims found for incoming pod"
	msgPreemptionNoHelp   = "Preemption is not helpful for scheduling"
	msgPreemptNeverPolicy = "not eligible due to preemptionPolicy=Never."
)

// failure writes the FailedScheduling message for a pod no node accepts,
// and runs DefaultPreemption's dry run, which upstream appends to the same
// message after "preemption: ". When evicting lower-priority pods would make
// room, upstream nominates a node instead of explaining further; the
// proposal is returned for the engine to act on.
func (s *Scheduler) failure(pod *corev1.Pod, nodes []*NodeInfo, filtered map[string]*Status) (string, *Preemption) {
	if len(nodes) == 0 {
		return msgNoNodes, nil
	}
	msg := FitErrorMessage(len(nodes), filtered, "")
	if p := pod.Spec.PreemptionPolicy; p != nil && *p == corev1.PreemptNever {
		return msg + " preemption: " + msgPreemptNeverPolicy, nil
	}

	// Only nodes that failed for a reason eviction can fix are tried; the
	// rest count as "Preemption is not helpful for scheduling".
	tried := map[string]*Status{}
	var best *Preemption
	for _, n := range nodes {
		if st := filtered[n.Name()]; st == nil || st.Unresolvable {
			continue
		}
		victims, st := s.selectVictims(pod, n)
		if st != nil {
			tried[n.Name()] = st
			continue
		}
		if c := (&Preemption{Node: n.Name(), Victims: victims}); best == nil || betterCandidate(c, best) {
			best = c
		}
	}
	if best != nil {
		return msg, best
	}
	return msg + " preemption: " + FitErrorMessage(len(nodes), tried, msgPreemptionNoHelp), nil
}

// selectVictims is upstream's SelectVictimsOnNode: take every pod of lower
// priority off the node; if the pod then fits, put back as many as
// possible, most important first, and evict the rest.
func (s *Scheduler) selectVictims(pod *corev1.Pod, node *NodeInfo) ([]*corev1.Pod, *Status) {
	prio := podPriority(pod)
	sim := node.Clone()
	var potential []*corev1.Pod
	for _, p := range node.Pods {
		if podPriority(p) < prio {
			potential = append(potential, p)
			sim.RemovePod(p)
		}
	}
	if len(potential) == 0 {
		return nil, unresolvable("DefaultPreemption", msgNoVictims)
	}
	if st := s.filter(pod, sim); st != nil {
		return nil, st
	}
	slices.SortStableFunc(potential, moreImportant)
	var victims []*corev1.Pod
	for _, p := range potential {
		sim.AddPod(p)
		if s.filter(pod, sim) != nil {
			sim.RemovePod(p)
			victims = append(victims, p)
		}
	}
	return victims, nil
}

// moreImportant orders pods as upstream's util.MoreImportantPod: higher
// priority first, then the one that started earlier.
func moreImportant(a, b *corev1.Pod) int {
	if c := cmp.Compare(podPriority(b), podPriority(a)); c != 0 {
		return c
	}
	at, bt := a.Status.StartTime, b.Status.StartTime
	switch {
	case at == nil && bt == nil:
		return 0
	case at == nil:
		return 1
	case bt == nil:
		return -1
	}
	return at.Time.Compare(bt.Time)
}

// betterCandidate follows upstream's pickOneNodeForPreemption, minus
// PodDisruptionBudgets: the lowest top victim priority, then the smallest
// sum of victim priorities, then the fewest victims; nodes come in name
// order, so a full tie keeps the first.
func betterCandidate(a, b *Preemption) bool {
	top := func(p *Preemption) int32 { return podPriority(p.Victims[0]) }
	sum := func(p *Preemption) int64 {
		var s int64
		for _, v := range p.Victims {
			s += int64(podPriority(v))
		}
		return s
	}
	if len(a.Victims) == 0 || len(b.Victims) == 0 {
		return len(a.Victims) < len(b.Victims)
	}
	if top(a) != top(b) {
		return top(a) < top(b)
	}
	if sum(a) != sum(b) {
		return sum(a) < sum(b)
	}
	return len(a.Victims) < len(b.Victims)
}

func podPriority(p *corev1.Pod) int32 {
	if p.Spec.Priority != nil {
		return *p.Spec.Priority
	}
	return 0
}

// FitErrorMessage formats upstream's FitError: "0/N nodes are available:"
// then each reason with the number of nodes that gave it, as "count reason"
// strings sorted as strings (so "10 X" sorts before "2 Y", as upstream),
// joined by ", " and closed with ".". Nodes without a status in statuses
// count under absentReason, as upstream's NodeToStatus does.
func FitErrorMessage(numAllNodes int, statuses map[string]*Status, absentReason string) string {
	hist := reasonHistogram(numAllNodes, statuses, absentReason)
	msg := fmt.Sprintf("0/%d nodes are available:", numAllNodes)
	if len(hist) > 0 {
		msg += " " + strings.Join(hist, ", ") + "."
	}
	return msg
}

func reasonHistogram(numAllNodes int, statuses map[string]*Status, absentReason string) []string {
	counts := map[string]int{}
	for _, st := range statuses {
		for _, r := range st.Reasons {
			counts[r]++
		}
	}
	if absent := numAllNodes - len(statuses); absent > 0 && absentReason != "" {
		counts[absentReason] += absent
	}
	out := make([]string, 0, len(counts))
	for r, n := range counts {
		out = append(out, fmt.Sprintf("%d %s", n, r))
	}
	sort.Strings(out)
	return out
}
