package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file is the one way a hop is written as text: every front end —
// the shell's trace, the TUI's flow pane, hop log and lesson page — writes
// hops with these, so a learner reads a hop the same everywhere.

// Route is who sends the hop to whom: "apiserver → scheduler".
func (h Hop) Route() string { return h.RouteAs(Component.String) }

// RouteAs is Route with each end named by name: a front end names the
// learner's own kubectl so ("external kubectl → apiserver"), in the
// screen's language, where the trace keeps the component's name.
func (h Hop) RouteAs(name func(Component) string) string { return name(h.From) + " → " + name(h.To) }

// Action is the verb and the object, as the shell's trace writes them:
// "create pods/web", "watch pods/web".
func (h Hop) Action() string { return string(h.Verb) + " " + h.Object }

// Label is what a hop carries, as written on its arrow: "create
// deployments/web", "watch: pods/web-1" (what a watch delivers is the
// object, not a request about it).
func (h Hop) Label() string {
	if h.Verb == VerbWatch {
		return strings.TrimSpace("watch: " + h.Object)
	}
	return strings.TrimSpace(h.Action())
}

// Line is one line of a hop log, its time right-aligned in w cells
// (TimeWidth): "  0.118  apiserver → scheduler  watch: pods/hello".
// On a real cluster it ends with how the hop is known: "  [inferred]".
func (h Hop) Line(w int) string { return h.LineAs(w, Component.String) }

// LineAs is Line with the route's ends named by name (RouteAs).
func (h Hop) LineAs(w int, name func(Component) string) string {
	s := h.stamp(w, h.RouteAs(name)) + "  " + h.Label()
	if e := h.Evidence.String(); e != "" {
		s += "  [" + e + "]"
	}
	return s
}

// Trace is one line of the shell's trace: the time, the route, the
// action and why, "  0.118  apiserver → scheduler  watch pods/hello
// (pod added)". Scripts read it, so it keeps the plain verb.
func (h Hop) Trace() string {
	s := h.stamp(7, h.Route()) + "  " + h.Action()
	why := h.Summary
	if e := h.Evidence.String(); e != "" {
		why = strings.TrimSuffix(e+": "+why, ": ")
	}
	if why != "" {
		s += "  (" + why + ")"
	}
	return s
}

func (h Hop) stamp(w int, route string) string {
	return fmt.Sprintf("%*.3f  %s", w, h.At.Seconds(), route)
}

// TimeWidth is the cells a hop time at needs, seven at least ("  0.118"):
// kept up to 999.999 s, it grows a cell at each power of ten past that. A
// log gives every row the width of its latest hop's time, so the rows
// stay in columns once the cluster is 1000 s old and more.
func TimeWidth(at time.Duration) int {
	return max(7, len(strconv.FormatFloat(at.Seconds(), 'f', 3, 64)))
}
