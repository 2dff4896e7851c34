// Package schedmsg reads back what kube-scheduler says when no node fits
// a pod: the FailedScheduling event's message, which it also writes in
// the pod's PodScheduled condition. On a real cluster that message is all
// there is of the scheduler's why; the embedded scheduler writes the same
// words (engine/scheduler/framework), so the front ends read both alike.
// A leaf: the TUI may import it, never the scheduler.
package schedmsg

import (
	"fmt"
	"strconv"
	"strings"
)

// FitError is a FailedScheduling message read back: what kube-scheduler's
// FitError.Error() (pkg/scheduler/framework/types.go) wrote, and what the
// embedded scheduler's FitErrorMessage and PreFilterMessage write the
// same way. A real
// cluster tells the scheduler's why only so (the event, and the pod's
// PodScheduled condition): counts per reason, never which node said
// what, so that is all this holds.
//
// Upstream's format is "0/X nodes are available: <PreFilterMsg>.
// <FilterMsg>. <PostFilterMsg>", where the filter part is a histogram
// ("1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu", each
// "count reason", sorted as strings) written only when no PreFilter
// plugin turned the pod away, and the post-filter part is
// DefaultPreemption's ("preemption: 0/3 nodes are available: 3 No
// preemption victims found for incoming pod.", "preemption: not eligible
// due to preemptionPolicy=Never.").
type FitError struct {
	// Nodes is X, every node the scheduler had; 0 with NoNodes.
	Nodes int
	// NoNodes: the cluster had no node at all ("no nodes available to
	// schedule pods").
	NoNodes bool
	// PreFilter is the reason a PreFilter plugin gave for the whole pod
	// ("pod has unbound immediate PersistentVolumeClaims"), when one did;
	// Reasons is then empty.
	PreFilter string
	// Reasons are the filters' reasons, each with how many nodes gave it,
	// in the message's order. A node may give several reasons
	// (Insufficient cpu and memory), so the counts may add up to more
	// than Nodes.
	Reasons []ReasonCount
	// Preemption is what DefaultPreemption's dry run said, after
	// "preemption: ", if it ran: a FitError of its own, or a sentence.
	Preemption *FitError
	// PreemptionText is that sentence when it is not a FitError
	// ("not eligible due to preemptionPolicy=Never.").
	PreemptionText string
}

// ReasonCount is one reason of a FitError and how many nodes gave it.
type ReasonCount struct {
	Count  int
	Reason string
}

// NoNodesMessage is what the scheduler says in a cluster without nodes.
const NoNodesMessage = "no nodes available to schedule pods"

const (
	fitLead        = " nodes are available:"
	preemptionLead = " preemption: "
)

// Parse reads a FailedScheduling message; ok is false for one
// that is no FitError (a bind that failed, an extender's error).
func Parse(msg string) (f FitError, ok bool) {
	msg = strings.TrimSpace(msg)
	if msg == NoNodesMessage {
		return FitError{NoNodes: true}, true
	}
	main, post, hasPost := strings.Cut(msg, preemptionLead)
	f, ok = parseFitPart(main)
	if !ok {
		return FitError{}, false
	}
	if hasPost {
		if p, ok := parseFitPart(post); ok {
			f.Preemption = &p
		} else {
			f.PreemptionText = strings.TrimSpace(post)
		}
	}
	return f, true
}

// parseFitPart reads "0/X nodes are available: …." without a
// post-filter part.
func parseFitPart(s string) (FitError, bool) {
	rest, ok := strings.CutPrefix(s, "0/")
	if !ok {
		return FitError{}, false
	}
	num, rest, ok := strings.Cut(rest, fitLead)
	if !ok {
		return FitError{}, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return FitError{}, false
	}
	f := FitError{Nodes: n}
	body := strings.TrimSpace(rest)
	body = strings.TrimSuffix(body, ".")
	if body == "" {
		return f, true
	}
	if reasons, ok := histogram(body); ok {
		f.Reasons = reasons
		return f, true
	}
	f.PreFilter = body
	return f, true
}

// histogram reads "1 node(s) had untolerated taint {k: v}, 2 Insufficient
// cpu": items split at ", " only where a count follows, since a reason
// may hold a comma itself.
func histogram(s string) ([]ReasonCount, bool) {
	var out []ReasonCount
	for s != "" {
		num, rest, ok := strings.Cut(s, " ")
		count, err := strconv.Atoi(num)
		if !ok || err != nil || count <= 0 {
			return nil, false
		}
		end := nextItem(rest)
		reason := rest[:end]
		if reason == "" {
			return nil, false
		}
		out = append(out, ReasonCount{Count: count, Reason: reason})
		s = strings.TrimPrefix(rest[end:], ", ")
	}
	return out, len(out) > 0
}

// nextItem is where the reason at the start of s ends: at the first
// ", " followed by a count and a space, or at the end.
func nextItem(s string) int {
	for i := 0; ; {
		j := strings.Index(s[i:], ", ")
		if j < 0 {
			return len(s)
		}
		at := i + j
		k := at + 2
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > at+2 && k < len(s) && s[k] == ' ' {
			return at
		}
		i = at + 2
	}
}

// Why says a FitError as the embedded scheduler's FormatWhy says a
// failed cycle: "0/3 nodes fit: 1 node(s) had untolerated taint {k: v},
// 2 Insufficient cpu", then "; preemption: …" when the dry run said
// something.
func (f FitError) Why() string {
	if f.NoNodes {
		return "no nodes in the cluster"
	}
	why := fmt.Sprintf("0/%d nodes fit: %s", f.Nodes, f.reasonText())
	switch {
	case f.Preemption != nil:
		why += "; preemption: " + f.Preemption.reasonText()
	case f.PreemptionText != "":
		why += "; preemption: " + strings.TrimSuffix(f.PreemptionText, ".")
	}
	return why
}

// reasonText is the reasons, counted, or the PreFilter's one.
func (f FitError) reasonText() string {
	if f.PreFilter != "" {
		return f.PreFilter
	}
	parts := make([]string, len(f.Reasons))
	for i, r := range f.Reasons {
		parts[i] = strconv.Itoa(r.Count) + " " + r.Reason
	}
	return strings.Join(parts, ", ")
}
