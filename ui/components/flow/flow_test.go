package flow

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// TestExternalKubectlBox: the kubectl box says so when the request in
// flight came from the learner's own kubectl, in both layouts.
func TestExternalKubectlBox(t *testing.T) {
	for h, box := range map[int]string{20: "┃ external kubectl ┃", 6: "[external kubectl]"} { // boxes, then the one-line flow
		m := New(common.New("en", theme.NoColor, true))
		m.SetSize(140, h)
		m.SetNodes([]string{"node-1"})
		m.SetHop(sim.Hop{From: "kubectl", To: "apiserver", Verb: "list", Object: "pods",
			Summary: "external kubectl (kubectl get): GET /api/v1/namespaces/default/pods", Origin: sim.OriginExternal})
		if v := ansi.Strip(m.View()); !strings.Contains(v, box) {
			t.Errorf("height %d: a request from outside does not say so:\n%s", h, v)
		}
		m.SetHop(sim.Hop{From: "kubectl", To: "apiserver", Verb: "list", Object: "pods"})
		if v := ansi.Strip(m.View()); strings.Contains(v, "external") {
			t.Errorf("height %d: the built-in prompt's request says external:\n%s", h, v)
		}
	}
}
