package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/components/flow"
)

// TestLessonSmallPicture steps through a pod's creation in lesson 1 on
// terminals where the lesson's text goes above a compacted playground:
// from 80×23 up the flow is its picture without a border — the packet on
// its edge between the components, the nodes below, the why under it —
// while the lesson's keys, the output tab and the command's output stay
// on screen; below that (80×22) it is the one-line strip.
func TestLessonSmallPicture(t *testing.T) {
	sizes := []struct {
		w, h    int
		picture bool
	}{{80, 24, true}, {80, 23, true}, {80, 30, true}, {100, 23, true}, {80, 22, false}}
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%dx%d-%s", sz.w, sz.h, lang), func(t *testing.T) {
				s := lessonAt(t, lang, sz.w, sz.h)
				p := s.app.Lesson()
				s.key("enter") // the step's suggested command: kubectl apply -f web-pod.yaml
				seen := map[string]bool{}
				saved := false
				for i := 0; i < 60 && !strings.Contains(s.screen(), "pod/web created"); i++ {
					s.key("ctrl+n")
				}
				for i := 0; i < 80; i++ {
					h, ok := p.Playground().FlowHop()
					if ok && !h.Internal {
						checkSmallFlow(t, s, h, sz.w, sz.h, sz.picture, lang)
						seen[h.Route()+" "+h.Label()] = true
						if sz.w == 80 && sz.h == 24 && lang == bilingual.English && !saved &&
							h.From.Kind() == sim.KindKubelet && h.To.Kind() == sim.KindRuntime {
							// The first of the kubelet's calls to the runtime.
							s.golden("lesson-80x24-runtime-en")
							saved = true
						}
					}
					s.key("ctrl+n")
				}
				if len(seen) < 6 {
					t.Errorf("%d hops of the pod's creation seen in flight, want 6 or more: %v", len(seen), seen)
				}
			})
		}
	}
}

// lessonAt opens lesson 1 on a w×h terminal in lang.
func lessonAt(t *testing.T, lang bilingual.Lang, w, h int) *story {
	t.Helper()
	s := newLessonStory(t, lang)
	s.send(tea.WindowSizeMsg{Width: w, Height: h})
	s.openLesson(1)
	return s
}

// checkSmallFlow: the screen is w×h, the lesson's keys and the output
// tab with the command show, and the flow below the playground's header
// is the picture with h's packet on it (or, without room, the strip).
func checkSmallFlow(t *testing.T, s *story, h sim.Hop, w, ht int, picture bool, lang bilingual.Lang) {
	t.Helper()
	checkScreen(t, s, w, ht)
	scr := s.screen()
	lines := strings.Split(scr, "\n")
	top := -1
	for i, l := range lines {
		if strings.HasPrefix(l, " kubeplay ·") {
			top = i + 1
			break
		}
	}
	keys := map[bilingual.Lang]string{"en": "PgDn next step", "ko": "PgDn 다음 단계"}[lang]
	tab := map[bilingual.Lang]string{"en": "OUTPUT │", "ko": "출력 │"}[lang]
	if top < 0 || !strings.Contains(scr, keys) || !strings.Contains(scr, tab) || !strings.Contains(scr, "$ kubectl apply -f web-pod.yaml") {
		t.Fatalf("the lesson's keys, the output tab or the command are not on screen:\n%s", scr)
	}
	packet := "●"
	if h.Evidence == sim.Inferred {
		packet = "○"
	}
	if !picture {
		if !strings.Contains(lines[top], packet) || strings.Contains(lines[top+1], "node-1") {
			t.Fatalf("at %d×%d the flow should be one line with the packet on it:\n%s", w, ht, scr)
		}
		return
	}
	pic := strings.Join(lines[top:top+flow.BareRows-1], "\n")
	moving := packet
	if n := h.From.Node(); n != "" && n == h.To.Node() {
		// Inside one node the compact picture has no edge to travel:
		// the node's label names the receiver, marked.
		moving = "<" + n + ":"
	}
	for _, want := range []string{"kube-apiserver", "etcd", "scheduler", "node-1", "node-3", moving} {
		if !strings.Contains(pic, want) {
			t.Fatalf("hop %s: the flow's picture has no %q:\n%s", h.Route(), want, scr)
		}
	}
	if !strings.Contains(lines[top+flow.BareRows-1], "▸") {
		t.Fatalf("hop %s: no why under the picture:\n%s", h.Route(), scr)
	}
}
