package present

import (
	"fmt"
	"strings"

	"github.com/kubeplay/kubeplay/engine/sim"
	corev1 "k8s.io/api/core/v1"
)

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

// Reasoning is the line under the flow: who decided what, and why.
func Reasoning(h sim.Hop) string {
	if h.Summary == "" {
		return DisplayName(h.From) + " › " + h.Label()
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
