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

// TestExternalKubectlBox: the kubectl box says so when the request in
// flight came from the learner's own kubectl, in both layouts and both
// languages (a Korean screen said "external kubectl").
func TestExternalKubectlBox(t *testing.T) {
	for _, c := range []struct {
		lang bilingual.Lang
		h    int
		box  string
	}{
		{bilingual.English, 20, "┃ external kubectl ┣"}, {bilingual.English, 6, "[external kubectl]"}, // boxes, then the one-line flow
		{bilingual.Korean, 20, "┃ 내 kubectl ┣"}, {bilingual.Korean, 6, "[내 kubectl]"},
	} {
		h, box := c.h, c.box
		m := New(common.New(c.lang, theme.NoColor, true))
		m.SetSize(140, h)
		m.SetNodes([]string{"node-1"})
		m.SetHop(sim.Hop{From: "kubectl", To: "apiserver", Verb: "list", Object: "pods",
			Summary: "external kubectl (kubectl get): GET /api/v1/namespaces/default/pods", Origin: sim.OriginExternal})
		if v := ansi.Strip(m.View()); !strings.Contains(v, box) {
			t.Errorf("height %d: a request from outside does not say so:\n%s", h, v)
		}
		m.SetHop(sim.Hop{From: "kubectl", To: "apiserver", Verb: "list", Object: "pods"})
		if v := ansi.Strip(m.View()); strings.Contains(v, "external") || strings.Contains(v, "내 kubectl") {
			t.Errorf("height %d: the built-in prompt's request says external:\n%s", h, v)
		}
	}
}

// In STEP mode a request from the learner's own kubectl waits for steps:
// the flow says so, and how to move it, in both languages (the trial's
// kubectl timed out under a bare `next ▸ kubectl ⏲`). Paced, or from
// the built-in prompt, it says nothing of it.
func TestExternalKubectlWaitsForSteps(t *testing.T) {
	for lang, want := range map[bilingual.Lang]string{bilingual.English: "your kubectl is waiting", bilingual.Korean: "내 kubectl이 기다려요"} {
		m := New(common.New(lang, theme.NoColor, true))
		m.SetSize(140, 20)
		m.SetNodes([]string{"node-1"})
		ext := sim.Hop{From: "kubectl", To: "kubectl", Verb: sim.VerbSend, Internal: true, Origin: sim.OriginExternal}
		m.SetNext(ext, true, true)
		if v := ansi.Strip(m.View()); !strings.Contains(v, want) || !strings.Contains(v, "^T") {
			t.Errorf("%s: a request from outside waits for a step and the flow does not say so:\n%s", lang, v)
		}
		m.SetNext(ext, true, false)
		if v := ansi.Strip(m.View()); strings.Contains(v, want) {
			t.Errorf("%s: paced, the flow says the request waits for steps:\n%s", lang, v)
		}
		ext.Origin = sim.OriginInside
		m.SetNext(ext, true, true)
		if v := ansi.Strip(m.View()); strings.Contains(v, want) {
			t.Errorf("%s: the built-in prompt's request is said to be the learner's own kubectl:\n%s", lang, v)
		}
	}
}

// The reason under the flow for the learner's own kubectl's request is
// Korean on a Korean screen (it said "external kubectl (kubectl get)").
func TestExternalKubectlReasonKorean(t *testing.T) {
	m := New(common.New(bilingual.Korean, theme.NoColor, true))
	m.SetSize(140, 16)
	m.SetNodes([]string{"node-1"})
	m.SetHop(sim.Hop{From: "apiserver", To: "etcd", Verb: "range", Object: "/registry/pods/default/",
		Summary: "external kubectl (kubectl get): GET /api/v1/namespaces/default/pods", Origin: sim.OriginExternal})
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "kube-apiserver › 내 kubectl (kubectl get): GET /api/v1/namespaces/default/pods") || strings.Contains(v, "external") {
		t.Errorf("the reason is not in Korean:\n%s", v)
	}
}

// TestExternalKubectlArrowAndNext: the arrow of the hop in flight (the
// strip under a lesson too) and the next hop's line name the learner's
// own kubectl as its box does, in both languages; the reason under the
// flow says who sent it once, not "kubectl ›" before it.
func TestExternalKubectlArrowAndNext(t *testing.T) {
	const why = "external kubectl (kubectl get): GET /api/v1/namespaces/default/pods"
	h := sim.Hop{From: "kubectl", To: "apiserver", Verb: "list", Object: "pods", Summary: why, Origin: sim.OriginExternal}
	for _, c := range []struct {
		lang                  bilingual.Lang
		name, reason, foreign string
	}{
		{bilingual.English, "external kubectl", "▸ list pods  external kubectl (kubectl get): GET", ""},
		{bilingual.Korean, "내 kubectl", "▸ list pods  내 kubectl (kubectl get): GET", "external"},
	} {
		m := New(common.New(c.lang, theme.NoColor, true))
		m.SetSize(140, 20)
		m.SetNodes([]string{"node-1"})
		m.SetHop(h)
		if s := ansi.Strip(m.Strip(120)); !strings.HasPrefix(s, c.name+" ●") || !strings.Contains(s, "▶ kube-apiserver") {
			t.Errorf("%s: the arrow does not name the learner's own kubectl: %q", c.lang, s)
		}
		m.SetNext(h, true, false)
		v := ansi.Strip(m.View())
		if !strings.Contains(v, "▸ "+c.name+" → apiserver  list pods") {
			t.Errorf("%s: the next hop does not name the learner's own kubectl:\n%s", c.lang, v)
		}
		if !strings.Contains(v, c.reason) || strings.Contains(v, "kubectl › ") {
			t.Errorf("%s: the reason does not say who sent it once (%q):\n%s", c.lang, c.reason, v)
		}
		if c.foreign != "" && strings.Contains(v, c.foreign) {
			t.Errorf("English on a Korean screen:\n%s", v)
		}
		m.SetHop(sim.Hop{From: "kubectl", To: "apiserver", Verb: "list", Object: "pods"})
		if s := ansi.Strip(m.Strip(120)); !strings.HasPrefix(s, "kubectl ●") {
			t.Errorf("%s: the built-in prompt's arrow: %q", c.lang, s)
		}
	}
}
