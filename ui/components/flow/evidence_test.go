package flow

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// TestInferredHopsLookDifferent: on a real cluster a hop kubeplay only
// inferred (the apiserver's write to etcd) travels a dashed edge as a
// hollow packet, and one the cluster told of a solid edge with a filled
// one — shapes, so a screen without colour (NO_COLOR) tells them apart
// too — and the line under the flow says which, in the screen's language.
// The embedded engine's hops carry no mark.
func TestInferredHopsLookDifferent(t *testing.T) {
	put := sim.Hop{From: "apiserver", To: "etcd", Verb: sim.VerbPut, Object: "/registry/pods/default/web", Summary: "resourceVersion 812"}
	bind := sim.Hop{From: "scheduler", To: "apiserver", Verb: sim.VerbBind, Object: "pods/web", Summary: "managedFields: kube-scheduler"}
	for _, tc := range []struct {
		lang bilingual.Lang
		mark map[sim.Evidence]string
	}{
		{bilingual.English, map[sim.Evidence]string{sim.Inferred: "[inferred]", sim.Observed: "[observed]"}},
		{bilingual.Korean, map[sim.Evidence]string{sim.Inferred: "[추정]", sim.Observed: "[관찰]"}},
	} {
		for _, h := range []sim.Hop{put, bind} {
			for _, ev := range []sim.Evidence{sim.Enacted, sim.Observed, sim.Inferred} {
				for _, height := range []int{20, 6} { // the picture, then the one-line flow
					m := New(common.New(tc.lang, theme.NoColor, true))
					m.SetSize(140, height)
					m.SetNodes([]string{"node-1"})
					h.Evidence = ev
					m.SetHop(h)
					m.SetPos(0.5)
					v := ansi.Strip(m.View())
					dashed := strings.ContainsAny(v, "╍╏╌")
					hollow := strings.Contains(v, "○")
					filled := strings.Contains(v, "●")
					if dashed != (ev == sim.Inferred) || hollow != (ev == sim.Inferred) || filled == (ev == sim.Inferred) {
						t.Errorf("%s %s %s height %d: dashed %v, hollow %v, filled %v:\n%s", tc.lang, h.Verb, ev, height, dashed, hollow, filled, v)
					}
					for e, mark := range tc.mark {
						if strings.Contains(v, mark) != (e == ev) && height == 20 {
							t.Errorf("%s %s %s: mark %q shown %v:\n%s", tc.lang, h.Verb, ev, mark, !(e == ev), v)
						}
					}
				}
			}
		}
	}
}
