// Package frame draws the titled, rounded box every pane sits in, so that
// panes look alike and none draws its own border.
package frame

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/kubeplay/kubeplay/ui/common"
)

// Render draws body in a w×h box (border included) titled title; the
// border is lit when focused. Lines longer than the box are cut. The box
// is drawn by hand, line by line: lipgloss' bordered, sized styles wrap
// and measure every line several times, and the board redraws often.
func Render(c *common.Common, title string, focused bool, w, h int, body string) string {
	return RenderStatus(c, title, "", focused, w, h, body)
}

// RenderStatus is Render with status written into the bottom border, at
// its right: what a scrolled pane hides below, and the key that shows it.
func RenderStatus(c *common.Common, title, status string, focused bool, w, h int, body string) string {
	return render(c, title, status, focused, w, h, nil, body)
}

// RenderDrawn is Render with the body's first lines drawn already to
// exactly w-2 cells (a picture, redrawn each frame): those are not
// measured again.
func RenderDrawn(c *common.Common, title string, focused bool, w, h int, drawn []string, body string) string {
	return render(c, title, "", focused, w, h, drawn, body)
}

func render(c *common.Common, title, status string, focused bool, w, h int, drawn []string, body string) string {
	if w < 4 || h < 2 {
		return ""
	}
	st, tst := c.Theme.Pane, c.Theme.PaneTitle
	if focused {
		st, tst = c.Theme.PaneFocused, c.Theme.PaneTitleFocused
	}
	b := st.GetBorderStyle()
	edge := lipgloss.NewStyle().Foreground(st.GetBorderTopForeground())
	side := sideOf(st)
	var out strings.Builder
	top := edge.Render(b.TopLeft + b.Top)
	if title != "" {
		top += tst.Render(" " + Truncate(title, w-6) + " ")
	}
	fill := max(w-lipgloss.Width(top)-1, 0)
	out.WriteString(top + edge.Render(strings.Repeat(b.Top, fill)+b.TopRight) + "\n")
	drawn = drawn[:min(len(drawn), h-2)]
	for _, l := range drawn {
		out.WriteString(side + l + side + "\n")
	}
	var lines []string
	if body != "" || len(drawn) == 0 {
		lines = strings.Split(Fit(body, w-2, h-2-len(drawn)), "\n")
	}
	for i := 0; i < h-2-len(drawn); i++ {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out.WriteString(side + Pad(l, w-2) + side + "\n")
	}
	bottom := edge.Render(b.BottomLeft + strings.Repeat(b.Bottom, w-2) + b.BottomRight)
	if status != "" && w > 8 {
		label := tst.Render(" " + Truncate(status, w-6) + " ")
		fill := max(w-2-lipgloss.Width(label)-1, 0)
		bottom = edge.Render(b.BottomLeft+strings.Repeat(b.Bottom, fill)) + label + edge.Render(b.Bottom+b.BottomRight)
	}
	out.WriteString(bottom)
	return out.String()
}

// DrawnRow is line, a row of a picture drawn to exactly w-2 cells, as
// RenderDrawn writes it between the box's sides: what a pane that
// redraws one row of its picture puts in the place of that row.
func DrawnRow(c *common.Common, focused bool, line string) string {
	st := c.Theme.Pane
	if focused {
		st = c.Theme.PaneFocused
	}
	side := sideOf(st)
	return side + line + side
}

// sideOf is the left and right side of a box drawn in st.
func sideOf(st lipgloss.Style) string {
	return lipgloss.NewStyle().Foreground(st.GetBorderTopForeground()).Render(st.GetBorderStyle().Left)
}

// Pad fills a styled line with spaces to w cells.
func Pad(s string, w int) string {
	if n := w - lipgloss.Width(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
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

// Beside puts boxes of equal height side by side. The panes are drawn to
// their exact size, so joining line by line is enough, and cheaper than
// measuring every line again.
func Beside(boxes ...string) string {
	cols := make([][]string, len(boxes))
	rows := 0
	for i, b := range boxes {
		cols[i] = strings.Split(b, "\n")
		rows = max(rows, len(cols[i]))
	}
	var out strings.Builder
	for r := 0; r < rows; r++ {
		if r > 0 {
			out.WriteByte('\n')
		}
		for _, c := range cols {
			if r < len(c) {
				out.WriteString(c[r])
			}
		}
	}
	return out.String()
}
