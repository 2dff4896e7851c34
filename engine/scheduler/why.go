package scheduler

import (
	"fmt"
	"strings"
)

// scoreLabels name the score plugins in traces.
var scoreLabels = map[string]string{
	NodeResourcesFitName:   "least allocated",
	BalancedAllocationName: "balanced",
	TaintTolerationName:    "taints",
	NodeAffinityName:       "node affinity",
}

// maxListed keeps the trace line short in big clusters.
const maxListed = 3

// FormatWhy says in one line why a Result came out as it did, e.g.
// "node-2 scores 474 (least allocated 81, balanced 93, taints 100×3); node-1 424"
// or "0/3 nodes fit: 3 Insufficient cpu".
func FormatWhy(r Result) string {
	total := len(r.Scores) + len(r.Filtered)
	if r.Node == "" {
		if total == 0 {
			return "no nodes in the cluster"
		}
		why := fmt.Sprintf("0/%d nodes fit: %s", total, strings.Join(reasonHistogram(total, r.Filtered, ""), ", "))
		if p := r.Preemption; p != nil {
			why += fmt.Sprintf("; evicting %d lower-priority pod(s) on %s would make room", len(p.Victims), p.Node)
		}
		return why
	}

	var b strings.Builder
	if len(r.Scores) == 1 {
		fmt.Fprintf(&b, "only %s fits", r.Node)
	} else {
		best := r.Scores[0]
		fmt.Fprintf(&b, "%s scores %d (%s)", best.Node, best.Total, scoreParts(best.ByPlugin))
		tied := 0
		for tied+1 < len(r.Scores) && r.Scores[tied+1].Total == best.Total {
			tied++
		}
		switch {
		case tied == 1:
			fmt.Fprintf(&b, ", tied with %s: picked at random", r.Scores[1].Node)
		case tied > 1:
			fmt.Fprintf(&b, ", tied with %d nodes: picked at random", tied)
		}
		b.WriteString(";")
		for i, s := range r.Scores[1:] {
			if i == maxListed {
				b.WriteString(" …")
				break
			}
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, " %s %d", s.Node, s.Total)
		}
	}
	if len(r.Filtered) > 0 {
		fmt.Fprintf(&b, "; filtered out: %s", strings.Join(reasonHistogram(len(r.Filtered), r.Filtered, ""), ", "))
	}
	return b.String()
}

// scoreParts lists a node's plugin scores, weighted ones as "score×weight".
func scoreParts(scores PluginScores) string {
	parts := make([]string, len(scores))
	for i, ps := range scores {
		label, ok := scoreLabels[ps.Plugin]
		if !ok {
			label = ps.Plugin
		}
		parts[i] = fmt.Sprintf("%s %d", label, ps.Score)
		if ps.Weight != 1 {
			parts[i] += fmt.Sprintf("×%d", ps.Weight)
		}
	}
	return strings.Join(parts, ", ")
}
