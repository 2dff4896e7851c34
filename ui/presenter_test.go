package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// TestStoryPresenter: F2 turns presenter mode on at each size; a
// command's output shows in the strip under the cluster (it showed
// nowhere), names keep their case, the key-cast shows the command and
// the keys pressed, the theme is named on screen, and the focus keys
// never stop on a pane the layout does not draw.
func TestStoryPresenter(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		for _, sz := range screenSizes {
			t.Run(fmt.Sprintf("%dx%d-%s", sz.w, sz.h, lang), func(t *testing.T) {
				s := &story{t: t, app: testApp(Options{Lang: lang, Nodes: 3, Theme: theme.NoColor})}
				s.send(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
				s.open()
				s.key("f2")
				s.typeLine("create deployment web --image=kubeplay/demo:v1 --replicas=2")
				s.stepUntil("deployment.apps/web created", 200)
				s.contains("⌨ $ kubectl create deployment web", "  ^N ×")
				s.stepUntil("● web-", 3000)
				s.typeLine("get pods")
				s.finish()
				s.contains("$ kubectl get pods", "NAME", "READY", "STATUS", "web-", "⌨ $ kubectl get pods")
				s.contains(map[bilingual.Lang]string{bilingual.English: "theme: no colour (F3)", bilingual.Korean: "테마: 색 없음 (F3)"}[lang])
				scr := s.screen()
				for _, upper := range []string{"WEB-", "/REGISTRY", "PODS/", "KUBELET", "RUNTIME"} {
					if strings.Contains(scr, upper) {
						t.Errorf("%q on a presenter's screen: names keep their case\n%s", upper, scr)
					}
				}
				checkScreen(t, s, sz.w, sz.h)
				if big := bigBoxes(scr); big != (sz.h >= 36) {
					t.Errorf("at %d×%d the flow's boxes are big (five rows high): %v, want %v\n%s", sz.w, sz.h, big, sz.h >= 36, scr)
				}
				p := s.app.Playground()
				seen := map[string]bool{}
				for i := 0; i < 12; i++ {
					s.key("shift+tab")
					seen[p.FocusedPane()] = true
				}
				for f := range seen {
					if f != "pane.prompt" && f != "pane.output" && f != "pane.board" {
						t.Errorf("the focus stopped on %s, which presenter mode does not draw:\n%s", f, s.screen())
					}
				}
				if !seen["pane.output"] {
					t.Errorf("the focus never reached the output strip")
				}
				if seen["pane.board"] && !strings.Contains(s.screen(), c(lang).T("pane.board")) {
					t.Errorf("the focus reached the board, which is not drawn")
				}
				// Out of presenter mode with the focus on a pane that only
				// the normal layout draws, and back: the focus comes home.
				s.key("f2")
				for p.FocusedPane() != "pane.hops" {
					s.key("shift+tab")
				}
				s.key("f2")
				if f := p.FocusedPane(); f != "pane.prompt" {
					t.Errorf("back in presenter mode the focus is on %s, not drawn", f)
				}
			})
		}
	}
}

// bigBoxes reports whether the flow draws a presenter's big boxes: the
// row above the label kube-apiserver is inside its box (blank), not the
// box's top edge.
func bigBoxes(screen string) bool {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		at := strings.Index(l, "kube-apiserver")
		if at < 0 || i == 0 {
			continue
		}
		col := len([]rune(l[:at]))
		above := []rune(lines[i-1])
		if len(above) < col+len("kube-apiserver") {
			return false
		}
		return strings.TrimSpace(string(above[col:col+len("kube-apiserver")])) == ""
	}
	return false
}
