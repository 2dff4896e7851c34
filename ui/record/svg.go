package record

import (
	"encoding/xml"
	"fmt"
	"image/color"
	"io"
	"strings"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// The SVG's cell: a monospace font of fontSize px in cells of cellW ×
// cellH px.
const (
	fontSize = 14
	cellW    = 8.4
	cellH    = 18
	pad      = 12
)

// SVG writes screen (text with the terminal's colour sequences, as a
// pane draws it) as an SVG picture: monospace text in the colours it was
// drawn in, on bg, with fg where it had none; bold stays bold, faint
// dims. Every cell is placed at its column, so wide (Korean) characters
// keep the columns the terminal gave them.
func SVG(w io.Writer, screen string, bg, fg color.Color, title string) error {
	lines := uv.NewStyledString(screen).Lines(ansi.WcWidth)
	cols := 0
	for _, l := range lines {
		cols = max(cols, len(l))
	}
	width := float64(cols)*cellW + 2*pad
	height := float64(len(lines))*cellH + 2*pad
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="%d">`+"\n", width, height, width, height, fontSize)
	if title != "" {
		b.WriteString("<title>" + escape(title) + "</title>\n")
	}
	dfg, dbg := hex(fg, "#c0caf5"), hex(bg, "#1a1b26")
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="%s"/>`+"\n", dbg)
	for y, l := range lines {
		base := pad + float64(y)*cellH
		// Backgrounds first, then the text over them.
		for x := 0; x < len(l); x++ {
			if _, back := colours(l[x].Style, dfg, dbg); back != "" {
				fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%d" fill="%s"/>`+"\n", pad+float64(x)*cellW, base, cellW*float64(max(1, l[x].Width)), cellH, back)
			}
		}
		fmt.Fprintf(&b, `<text y="%g" xml:space="preserve">`, base+cellH*0.75)
		// Runs of one style in cells one column wide are one tspan; a wide
		// cell (Korean) is a tspan of its own, placed at its column.
		for x := 0; x < len(l); {
			c := l[x]
			if c.Content == "" || (c.Content == " " && c.Style.Attrs&uv.AttrReverse == 0) {
				x++
				continue
			}
			end := x + 1
			text := c.Content
			for c.Width == 1 && end < len(l) && l[end].Width == 1 && l[end].Style.Equal(&c.Style) {
				text += l[end].Content
				end++
			}
			b.WriteString(tspan(pad+float64(x)*cellW, c.Style, dfg, dbg, strings.TrimRight(text, " ")))
			x = end
		}
		b.WriteString("</text>\n")
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// colours are the text's and the background's colours of a cell in
// style st, on a page of fg on bg; back is "" when it is the page's.
func colours(st uv.Style, fg, bg string) (text, back string) {
	text, back = hex(st.Fg, fg), hex(st.Bg, "")
	if st.Attrs&uv.AttrReverse != 0 {
		if back == "" {
			back = bg
		}
		text, back = back, text
	}
	return text, back
}

// tspan is text at x in style st, on a page of fg on bg.
func tspan(x float64, st uv.Style, fg, bg, text string) string {
	var b strings.Builder
	fill, _ := colours(st, fg, bg)
	fmt.Fprintf(&b, `<tspan x="%g" fill="%s"`, x, fill)
	if st.Attrs&uv.AttrBold != 0 {
		b.WriteString(` font-weight="bold"`)
	}
	if st.Attrs&uv.AttrFaint != 0 {
		b.WriteString(` opacity="0.6"`)
	}
	if st.Attrs&uv.AttrItalic != 0 {
		b.WriteString(` font-style="italic"`)
	}
	if st.Underline != uv.UnderlineNone {
		b.WriteString(` text-decoration="underline"`)
	}
	b.WriteString(">" + escape(text) + "</tspan>")
	return b.String()
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// hex is c as #rrggbb; def when c is nil.
func hex(c color.Color, def string) string {
	if c == nil {
		return def
	}
	r, g, bl, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, bl>>8)
}
