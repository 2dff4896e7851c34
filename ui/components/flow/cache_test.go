package flow

import (
	"testing"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// TestFramesDrawAsAFreshPane: a pane redrawn frame after frame as its
// packet moves (the kept picture and frame, the packet's row drawn over
// them) is, at every step, what a pane drawn afresh with the same hop,
// board and place of the packet draws — through a pod's creation, a
// hop drawn backwards along its edge and an inferred one (dashed,
// hollow), focused or not, in both languages, at the three sizes and
// the presenter's, and when the theme changes under it.
func TestFramesDrawAsAFreshPane(t *testing.T) {
	hops := creation()
	inferred := hops[1]
	inferred.hop.Evidence = sim.Inferred
	hops = append(hops, inferred)
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		for _, presenter := range []bool{false, true} {
			sizes := append(paneSizes, struct{ w, h int }{120, BigPaneRows})
			for _, sz := range sizes {
				c := common.New(lang, theme.Auto, true)
				c.Presenter = presenter
				kept := New(c)
				kept.SetSize(sz.w, sz.h)
				for i, h := range hops {
					kept.SetBoard(h.board)
					kept.SetHop(h.hop)
					kept.SetFocused(i%2 == 0)
					if i == 3 {
						c.Theme = theme.New(theme.HighContrast, true) // F3, between frames
					}
					for step := 0; step <= 30; step++ {
						pos := float64(step) / 30
						kept.SetPos(pos)
						got := kept.View()
						fresh := New(c)
						fresh.SetSize(sz.w, sz.h)
						fresh.SetBoard(h.board)
						fresh.SetHop(h.hop)
						fresh.SetFocused(i%2 == 0)
						fresh.SetPos(pos)
						if want := fresh.View(); got != want {
							t.Fatalf("%s %dx%d presenter=%v hop %d at %.2f: the kept pane drew\n%s\nafresh:\n%s", lang, sz.w, sz.h, presenter, i, pos, got, want)
						}
					}
				}
			}
		}
	}
}
