// Package frame draws the titled, rounded box every pane sits in, so that
// panes look alike and none draws its own border.
package frame

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/kubeplay/kubeplay/ui/common"
)

// Render draws body in a w×h box (border included) titled title; the
// border is lit when focused. Lines longer than the box are cut.
func Render(c *common.Common, title string, focused bool, w, h int, body string) string {
	if w < 4 || h < 2 {
		return ""
	}
	st, tst := c.Theme.Pane, c.Theme.PaneTitle
	if focused {
		st, tst = c.Theme.PaneFocused, c.Theme.PaneTitleFocused
	}
	inner := Fit(body, w-2, h-2)
	box := st.Width(w).Height(h).Render(inner)
	// The title is written over the top border, as in the sketch.
	lines := strings.SplitN(box, "\n", 2)
	if len(lines) == 2 && title != "" {
		b := st.GetBorderStyle()
		top := lipgloss.NewStyle().Foreground(st.GetBorderTopForeground()).Render(b.TopLeft+b.Top) + tst.Render(" "+title+" ")
		fill := w - lipgloss.Width(top) - 1
		if fill >= 0 {
			lines[0] = top + lipgloss.NewStyle().Foreground(st.GetBorderTopForeground()).Render(strings.Repeat(b.Top, fill)+b.TopRight)
		}
		box = lines[0] + "\n" + lines[1]
	}
	return box
}

// Fit cuts s to at most h lines of at most w cells, padding nothing.
func Fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			lines[i] = Truncate(l, w)
		}
	}
	return strings.Join(lines, "\n")
}

// Truncate cuts a styled line to w cells, ending in … when cut.
func Truncate(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	if w <= 1 {
		return strings.Repeat("…", max(w, 0))
	}
	return ansiTruncate(s, w-1) + "…"
}
