package framework

import (
	"fmt"
	"strconv"
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

	// Appended, not printed: every scheduled pod gets one.
	b := make([]byte, 0, 160)
	if len(r.Scores) == 1 {
		b = append(append(append(b, "only "...), r.Node...), " fits"...)
	} else {
		best := r.Scores[0]
		b = append(append(b, best.Node...), " scores "...)
		b = strconv.AppendInt(b, best.Total, 10)
		b = append(appendScoreParts(append(b, " ("...), best.ByPlugin), ')')
		tied := r.Tied
		switch {
		case tied == 1:
			b = append(append(append(b, ", tied with "...), r.Scores[1].Node...), ": picked at random"...)
		case tied > 1:
			b = strconv.AppendInt(append(b, ", tied with "...), int64(tied), 10)
			b = append(b, " nodes: picked at random"...)
		}
		b = append(b, ';')
		for i, s := range r.Scores[1:] {
			if i == maxListed {
				b = append(b, " …"...)
				break
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = append(append(append(b, ' '), s.Node...), ' ')
			b = strconv.AppendInt(b, s.Total, 10)
		}
	}
	if len(r.Filtered) > 0 {
		b = append(b, "; filtered out: "...)
		b = append(b, strings.Join(reasonHistogram(len(r.Filtered), r.Filtered, ""), ", ")...)
	}
	return string(b)
}

// appendScoreParts lists a node's plugin scores, weighted ones as
// "score×weight", separated by commas.
func appendScoreParts(b []byte, scores PluginScores) []byte {
	for i, ps := range scores {
		if i > 0 {
			b = append(b, ", "...)
		}
		label, ok := scoreLabels[ps.Plugin]
		if !ok {
			label = ps.Plugin
		}
		b = strconv.AppendInt(append(append(b, label...), ' '), ps.Score, 10)
		if ps.Weight != 1 {
			b = strconv.AppendInt(append(b, "×"...), ps.Weight, 10)
		}
	}
	return b
}
