package scheduler

import (
	"fmt"
	"sort"
	"strings"
)

// scoreLabels name the score plugins in traces, in the order they print.
var scoreLabels = []struct{ plugin, label string }{
	{NodeResourcesFitName, "least allocated"},
	{BalancedAllocationName, "balanced"},
	{TaintTolerationName, "taints"},
	{NodeAffinityName, "node affinity"},
}

// defaultWeights are kube-scheduler's default score weights
// (pkg/scheduler/apis/config/v1/default_plugins.go).
var defaultWeights = map[string]int64{
	TaintTolerationName:    3,
	NodeAffinityName:       2,
	NodeResourcesFitName:   1,
	BalancedAllocationName: 1,
}

// maxListed keeps the trace line short in big clusters.
const maxListed = 3

// FormatWhy says in one line why a Result came out as it did, e.g.
// "node-2 scores 283 (least allocated 83, balanced 100, taints 100×3); node-1 261"
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
		var tied []string
		for _, s := range r.Scores[1:] {
			if s.Total == best.Total {
				tied = append(tied, s.Node)
			}
		}
		if len(tied) > 0 {
			fmt.Fprintf(&b, ", tied with %s: picked at random", strings.Join(tied, ", "))
		}
		b.WriteString(";")
		for i, s := range r.Scores[1:] {
			if i == maxListed {
				fmt.Fprintf(&b, " …")
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
func scoreParts(byPlugin map[string]int64) string {
	var parts []string
	seen := 0
	for _, l := range scoreLabels {
		s, ok := byPlugin[l.plugin]
		if !ok {
			continue
		}
		seen++
		if w := defaultWeights[l.plugin]; w != 1 {
			parts = append(parts, fmt.Sprintf("%s %d×%d", l.label, s, w))
		} else {
			parts = append(parts, fmt.Sprintf("%s %d", l.label, s))
		}
	}
	if seen < len(byPlugin) { // plugins kubeplay has no label for
		var rest []string
		for p, s := range byPlugin {
			if !hasLabel(p) {
				rest = append(rest, fmt.Sprintf("%s %d", p, s))
			}
		}
		sort.Strings(rest)
		parts = append(parts, rest...)
	}
	return strings.Join(parts, ", ")
}

func hasLabel(plugin string) bool {
	for _, l := range scoreLabels {
		if l.plugin == plugin {
			return true
		}
	}
	return false
}
