package present

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"
	corev1 "k8s.io/api/core/v1"
)

// Label is what a hop carries, as written on its arrow:
// "create deployments/web", "watch: pods/web-1 (pod added)".
func Label(h sim.Hop) string {
	s := h.Verb + " " + h.Object
	if h.Verb == "watch" {
		s = "watch: " + h.Object
	}
	return strings.TrimSpace(s)
}

// Component is a hop's endpoint as the flow draws it: the kind of box
// and, for per-node components, the node.
func Component(name string) (box, node string) {
	if kind, n, ok := strings.Cut(name, "/"); ok {
		return kind, n
	}
	return name, ""
}

// DisplayName is a component's name as Kubernetes spells it.
func DisplayName(name string) string {
	box, node := Component(name)
	switch box {
	case "apiserver":
		box = "kube-apiserver"
	case "runtime":
		box = "container runtime"
	}
	if node != "" {
		return box + " (" + node + ")"
	}
	return box
}

// HopLine is one line of the hop log: "  0.118  apiserver → scheduler  watch pods/hello".
func HopLine(h sim.Hop) string { return HopLineIn(h, TimeWidth(h.At)) }

// HopLineIn is HopLine with its time right-aligned in w cells: a log
// gives every row the width of its latest hop's time, so the rows stay in
// columns once the cluster is 1000 s old and more.
func HopLineIn(h sim.Hop, w int) string {
	return fmt.Sprintf("%*.3f  %s → %s  %s", w, h.At.Seconds(), h.From, h.To, Label(h))
}

// TimeWidth is the cells a hop time at needs, seven at least ("  0.118"):
// kept up to 999.999 s, it grows a cell at each power of ten past that.
func TimeWidth(at time.Duration) int {
	return max(7, len(strconv.FormatFloat(at.Seconds(), 'f', 3, 64)))
}

// Reasoning is the line under the flow: who decided what, and why.
func Reasoning(h sim.Hop) string {
	if h.Summary == "" {
		return DisplayName(h.From) + " › " + Label(h)
	}
	return DisplayName(h.From) + " › " + h.Summary
}

// EventRow is one line of the events pane, as `kubectl get events -w`
// prints it: age, type, reason, object, message.
type EventRow struct {
	At      string
	Type    string
	Reason  string
	Object  string
	Message string
}

// Event presents an Event; since is the time since the cluster started.
func Event(ev *corev1.Event, since string) EventRow {
	return EventRow{At: since, Type: ev.Type, Reason: ev.Reason,
		Object: strings.ToLower(ev.InvolvedObject.Kind) + "/" + ev.InvolvedObject.Name, Message: ev.Message}
}

// Text is the row as one line, short enough for a side pane: the type
// only when it is a warning, which is what a learner looks for.
func (r EventRow) Text() string {
	mark := " "
	if r.Type == "Warning" {
		mark = "⚠"
	}
	return fmt.Sprintf("%-5s %s %s %s  %s", r.At, mark, r.Reason, r.Object, r.Message)
}
