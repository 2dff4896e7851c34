package flow

import (
	"strings"

	"github.com/kubeplay/kubeplay/ui/components/frame"
)

// BareRows is the fewest rows Bare draws the picture in: compactRows of
// picture, one of why.
const BareRows = compactRows + 1

// Bare draws the pane without its border, in the width×height it was
// given, for a playground compacted under a lesson (the three rows a
// border takes are what the lesson's text needs): the compact picture,
// each component a one-row label in its place and the packet on its
// edge, and under it the hop in flight and why — the hop the next step
// delivers too when there is a row for it. Below BareRows it is the
// one-line strip.
func (m *Model) Bare() string {
	w, h := m.width, m.height
	if h < BareRows || w < 4 {
		return " " + m.Strip(w-1)
	}
	iw := w - 1 // a column of margin, as the strip and the prompt have
	lines := m.diagram(iw, compactRows)
	var about []string
	if m.hasHop {
		about = m.reasoning()
	} else {
		about = []string{m.c.Theme.Dim.Render(m.c.T("flow.idle.short"))}
	}
	next := m.nextLine()
	if m.past != "" {
		next = []string{m.c.Theme.Warning.Bold(true).Render(m.past)}
	}
	room := h - compactRows
	if len(about)+len(next) > room {
		// What is in flight and why first; the next hop if a row is left.
		n := min(len(next), max(room-len(about), 0))
		if n == 0 && room > 1 {
			n = 1
		}
		about = fit(about, room-n, iw)
		next = fit(next, n, iw)
	}
	lines = append(append(lines, about...), next...)
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = " " + frame.Pad(frame.Truncate(l, iw), iw)
	}
	return strings.Join(lines, "\n")
}
