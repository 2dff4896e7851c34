package present

import (
	"fmt"
	"strings"

	"github.com/kubeplay/kubeplay/engine/sim"
	corev1 "k8s.io/api/core/v1"
)

// DisplayName is a component's name as Kubernetes spells it:
// "kube-apiserver", "container runtime (node-2)".
func DisplayName(c sim.Component) string {
	name := c.Kind().String()
	switch c.Kind() {
	case sim.KindAPIServer:
		name = "kube-apiserver"
	case sim.KindRuntime:
		name = "container runtime"
	}
	if n := c.Node(); n != "" {
		return name + " (" + n + ")"
	}
	return name
}

// Reasoning is the line under the flow: who decided what, and why. A
// watch hop's why is its receiver's (the watcher's filter says what the
// event means to it: "pod added (no node) → schedule it" is the
// scheduler's thought, not the apiserver's); the apiserver's write to
// etcd carries out another component's request, and its why is that
// requester's ("want 3, have 2 → create 1" is the controller-manager's,
// "Running, 1/1 ready" a kubelet's status), so the line names who asked;
// every other hop's why is its sender's. say puts the why in the
// reader's language.
func Reasoning(h sim.Hop, say func(string) string) string {
	who := h.From
	switch {
	case h.Verb == sim.VerbWatch:
		who = h.To
	case h.To.Kind() == sim.KindEtcd && h.Requester != "" && h.Summary != "":
		who = h.Requester
	}
	switch {
	case h.Summary == "":
		return DisplayName(who) + " › " + h.Label()
	case OwnKubectl(h, who):
		// A request from outside is summed up with who sent it
		// ("external kubectl (kubectl get): GET …"): a bare "kubectl ›"
		// before it would say the built-in prompt's kubectl sent it.
		return say(h.Summary)
	}
	return DisplayName(who) + " › " + say(h.Summary)
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

// OwnKubectl reports whether end, the sender or the receiver of h, is the
// learner's own kubectl: a request over the HTTP API comes in at the
// kubectl component, as the built-in prompt's does, and only its origin
// tells them apart.
func OwnKubectl(h sim.Hop, end sim.Component) bool {
	return h.Origin == sim.OriginExternal && end.Kind() == sim.KindKubectl
}
