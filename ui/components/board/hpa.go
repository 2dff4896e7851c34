package board

import (
	"fmt"

	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/present"
)

// hpaLines are one line per HorizontalPodAutoscaler: what it scales, the
// replicas it has and wants within its bounds, and its metric now and
// over its last measures (a sparkline, the target half-way up), drawn
// hot while above the target.
func (m *Model) hpaLines(w int) []string {
	t := m.c.Theme
	var out []string
	for _, h := range m.b.HPAs {
		line := t.Title.Render("hpa/"+h.Name) + " " + t.Dim.Render("→ "+h.Target) + "  " +
			fmt.Sprintf("%s %d/%d", m.c.T("board.replicas"), h.Current, h.Desired) + "  " +
			t.Dim.Render(fmt.Sprintf("(%s %d · %s %d)", m.c.T("board.min"), h.Min, m.c.T("board.maxs"), h.Max)) + "  " + h.Metric
		if len(h.History) > 0 {
			st := t.Ready
			if last := h.History[len(h.History)-1]; h.TargetUtilization > 0 && last*10 > h.TargetUtilization*11 {
				st = t.NotReady // above the target by more than the tolerance
			}
			line += " " + st.Render(present.Sparkline(h.History, h.TargetUtilization))
		}
		out = append(out, common.Wrap(line, w)...)
	}
	return out
}
