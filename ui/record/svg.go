package record

import (
	"encoding/xml"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

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
	return AnimatedSVG(w, []string{screen}, 0, bg, fg, title)
}

// AnimatedSVG writes screens as one SVG picture that shows each in turn
// for every, looping (a CSS animation, which browsers and slide tools
// play); one screen is a still picture, as SVG draws it.
func AnimatedSVG(w io.Writer, screens []string, every time.Duration, bg, fg color.Color, title string) error {
	pics := make([]picture, len(screens))
	cols, rows := 0, 0
	for i, scr := range screens {
		pics[i] = newPicture(scr)
		cols, rows = max(cols, pics[i].cols), max(rows, len(pics[i].lines))
	}
	width := float64(cols)*cellW + 2*pad
	height := float64(rows)*cellH + 2*pad
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="%d">`+"\n", px(width), px(height), px(width), px(height), fontSize)
	if title != "" {
		b.WriteString("<title>" + escape(title) + "</title>\n")
	}
	dfg, dbg := hex(fg, "#c0caf5"), hex(bg, "#1a1b26")
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="%s"/>`+"\n", dbg)
	if len(pics) == 1 {
		pics[0].draw(&b, dfg, dbg)
	} else {
		// Each frame is hidden but for its share of the loop, which
		// starts when its turn comes.
		loop := every.Seconds() * float64(len(pics))
		fmt.Fprintf(&b, "<style>.frame{visibility:hidden;animation:turn %ss step-end infinite}@keyframes turn{0%%{visibility:visible}%s%%{visibility:hidden}}</style>\n",
			px(loop), strconv.FormatFloat(100/float64(len(pics)), 'f', 4, 64))
		for i, p := range pics {
			fmt.Fprintf(&b, `<g class="frame" style="animation-delay:%ss">`+"\n", px(every.Seconds()*float64(i)))
			p.draw(&b, dfg, dbg)
			b.WriteString("</g>\n")
		}
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// picture is a screen as cells: a line is its cells, a wide one a single
// cell, and at the column of each (the widths before it counted).
type picture struct {
	lines []uv.Line
	at    [][]int
	cols  int
}

func newPicture(screen string) picture {
	p := picture{lines: uv.NewStyledString(screen).Lines(ansi.WcWidth)}
	p.at = make([][]int, len(p.lines))
	for y, l := range p.lines {
		p.at[y] = make([]int, len(l)+1)
		for x, c := range l {
			p.at[y][x+1] = p.at[y][x] + max(1, c.Width)
		}
		p.cols = max(p.cols, p.at[y][len(l)])
	}
	return p
}

// draw writes the picture's backgrounds and text, on a page of dfg on dbg.
func (p picture) draw(b *strings.Builder, dfg, dbg string) {
	for y, l := range p.lines {
		base := pad + float64(y)*cellH
		// Backgrounds first, then the text over them.
		for x := 0; x < len(l); x++ {
			if _, back := colours(l[x].Style, dfg, dbg); back != "" {
				fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%d" fill="%s"/>`+"\n", px(pad+float64(p.at[y][x])*cellW), px(base), px(cellW*float64(max(1, l[x].Width))), cellH, back)
			}
		}
		fmt.Fprintf(b, `<text y="%s" xml:space="preserve">`, px(base+cellH*0.75))
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
			b.WriteString(tspan(pad+float64(p.at[y][x])*cellW, c.Style, dfg, dbg, strings.TrimRight(text, " ")))
			x = end
		}
		b.WriteString("</text>\n")
	}
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
	fmt.Fprintf(&b, `<tspan x="%s" fill="%s"`, px(x), fill)
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

// px is a length in the picture, to a tenth of a pixel: 415.2, not the
// 415.20000000000005 that 49 cells of 8.4 add up to.
type px float64

func (p px) String() string {
	return strconv.FormatFloat(math.Round(float64(p)*10)/10, 'f', -1, 64)
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
