package flow

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/kubeplay/kubeplay/ui/theme"
	"github.com/mattn/go-runewidth"
)

// ink is what a cell of the diagram is drawn with. The diagram redraws
// at 60 frames a second, so a cell holds a small number and each run of
// cells of one ink is wrapped in that ink's escape codes once, rather
// than each cell rendered through lipgloss.
type ink uint8

const (
	inkNone   ink = iota
	inkText       // labels
	inkDim        // idle boxes and edges
	inkLit        // the edge a hop travels, and its arrowhead
	inkPacket     // the packet
	inkActive     // the sender's box
	inkTarget     // the receiver's box
	inkTitle      // the object the hop carries
	inkReady      // pod chips, by state
	inkNotReady
	inkPending
	inkFailed
	inkGone
	inkWarn // a node not ready, a folded count
	inks
)

// inkCodes are each ink's opening and closing escape codes.
type inkCodes [inks][2]string

// codesOf takes each ink's codes from the theme's styles, by rendering a
// marker and cutting around it.
func codesOf(t *theme.Theme) *inkCodes {
	plain := func(s lipgloss.Style) lipgloss.Style {
		return s.UnsetBorderStyle().UnsetPadding().UnsetBorderForeground()
	}
	lit := t.Packet
	if t.Kind == theme.NoColor {
		lit = lipgloss.NewStyle().Bold(true)
	}
	styles := [inks]lipgloss.Style{
		inkNone: lipgloss.NewStyle(), inkText: t.Text, inkDim: t.Arrow, inkLit: lit, inkPacket: t.Packet,
		inkActive: plain(t.BoxActive), inkTarget: plain(t.BoxTarget).Bold(true), inkTitle: t.Title,
		inkReady: t.Ready, inkNotReady: t.NotReady, inkPending: t.Pending, inkFailed: t.Failed, inkGone: t.Gone,
		inkWarn: t.Warning,
	}
	var c inkCodes
	for i, s := range styles {
		out := s.Render("\x01")
		open, close, _ := strings.Cut(out, "\x01")
		c[i] = [2]string{open, close}
	}
	return &c
}

// Connections of a cell of an edge, as bits: the lines it joins.
const (
	up = 1 << iota
	down
	left
	right
)

// canvas is the diagram's grid of cells.
type canvas struct {
	w, h    int
	r       []rune // 0: the second half of a wide rune before it
	ink     []ink
	light   []uint8 // an idle edge's connections through the cell
	heavy   []uint8 // a lit edge's
	lineInk []ink   // the ink of the edge through the cell
	dashed  []bool  // a lit edge drawn dashed: a hop kubeplay inferred
	// dash makes the lit lines drawn from now on dashed.
	dash bool
}

func newCanvas(w, h int) *canvas {
	n := w * h
	c := &canvas{w: w, h: h, r: make([]rune, n), ink: make([]ink, n), light: make([]uint8, n), heavy: make([]uint8, n), lineInk: make([]ink, n), dashed: make([]bool, n)}
	for i := range c.r {
		c.r[i] = ' '
	}
	return c
}

func (c *canvas) in(x, y int) bool { return x >= 0 && y >= 0 && x < c.w && y < c.h }

// set puts rune r at x, y.
func (c *canvas) set(x, y int, r rune, k ink) {
	if !c.in(x, y) {
		return
	}
	i := y*c.w + x
	c.r[i], c.ink[i] = r, k
	c.light[i], c.heavy[i] = 0, 0
}

// free reports whether the cells x..x+n-1 of row y hold nothing.
func (c *canvas) free(x, y, n int) bool {
	for i := x; i < x+n; i++ {
		if !c.in(i, y) {
			return false
		}
		j := y*c.w + i
		if c.r[j] != ' ' || c.light[j] != 0 || c.heavy[j] != 0 {
			return false
		}
	}
	return true
}

// text writes s from x on row y, cut to n cells; it returns the cells
// written.
func (c *canvas) text(x, y int, s string, k ink, n int) int {
	used := 0
	for _, r := range s {
		rw := runewidth.RuneWidth(r)
		if rw == 0 {
			continue
		}
		if used+rw > n || x+used+rw > c.w {
			break
		}
		c.set(x+used, y, r, k)
		if rw == 2 {
			c.set(x+used+1, y, 0, k)
		}
		used += rw
	}
	return used
}

// width is the cells s takes.
func width(s string) int { return runewidth.StringWidth(s) }

// Borders: light rounded for an idle box, heavy for the sender, double
// for the receiver — told apart by shape where there is no colour.
var (
	lightBorder  = [6]rune{'╭', '╮', '╰', '╯', '─', '│'}
	heavyBorder  = [6]rune{'┏', '┓', '┗', '┛', '━', '┃'}
	doubleBorder = [6]rune{'╔', '╗', '╚', '╝', '═', '║'}
)

// box draws a w×h box at x, y, its title in the top border from x+2.
func (c *canvas) box(x, y, w, h int, b [6]rune, k ink, title string, tk ink) {
	for i := x + 1; i < x+w-1; i++ {
		c.set(i, y, b[4], k)
		c.set(i, y+h-1, b[4], k)
	}
	for j := y + 1; j < y+h-1; j++ {
		c.set(x, j, b[5], k)
		c.set(x+w-1, j, b[5], k)
	}
	c.set(x, y, b[0], k)
	c.set(x+w-1, y, b[1], k)
	c.set(x, y+h-1, b[2], k)
	c.set(x+w-1, y+h-1, b[3], k)
	if title != "" {
		c.set(x+1, y, ' ', k)
		n := c.text(x+2, y, title, tk, w-5)
		c.set(x+2+n, y, ' ', k)
	}
}

// pt is a cell of the canvas.
type pt struct{ x, y int }

// route is an edge's cells from the end beside one component to the end
// beside the other, each next to the one before.
type route []pt

// path joins corner points with straight runs of cells.
func path(corners ...pt) route {
	var r route
	for i, p := range corners {
		if i == 0 {
			r = append(r, p)
			continue
		}
		q := r[len(r)-1]
		for q != p {
			q.x += sign(p.x - q.x)
			if q.x == p.x {
				q.y += sign(p.y - q.y)
			}
			r = append(r, q)
		}
	}
	return r
}

func sign(n int) int {
	switch {
	case n > 0:
		return 1
	case n < 0:
		return -1
	}
	return 0
}

// dir is the connection from a to b, next to each other.
func dir(a, b pt) uint8 {
	switch {
	case b.y < a.y:
		return up
	case b.y > a.y:
		return down
	case b.x < a.x:
		return left
	}
	return right
}

// line draws route r as a line: lit (heavy) or idle (light). Its ends
// run on into what they join (from and to: the side of the box each
// end is beside), so a line meeting another makes a junction.
func (c *canvas) line(r route, from, to uint8, lit bool, k ink) {
	for i, p := range r {
		if !c.in(p.x, p.y) {
			continue
		}
		var m uint8
		if i > 0 {
			m |= dir(p, r[i-1])
		} else {
			m |= from
		}
		if i < len(r)-1 {
			m |= dir(p, r[i+1])
		} else {
			m |= to
		}
		j := p.y*c.w + p.x
		c.r[j] = ' '
		if lit {
			c.heavy[j] |= m
			c.dashed[j] = c.dash
		} else {
			c.light[j] |= m
		}
		if lit || c.lineInk[j] == inkNone {
			c.lineInk[j] = k
		}
	}
}

// Box-drawing characters by their connections.
var (
	lightJoin = [16]rune{' ', '│', '│', '│', '─', '╯', '╮', '┤', '─', '╰', '╭', '├', '─', '┴', '┬', '┼'}
	heavyJoin = [16]rune{' ', '┃', '┃', '┃', '━', '┛', '┓', '┫', '━', '┗', '┏', '┣', '━', '┻', '┳', '╋'}
)

// render writes the canvas as lines, each run of one ink in its codes.
func (c *canvas) render(codes *inkCodes) []string {
	lines := make([]string, c.h)
	for y := 0; y < c.h; y++ {
		lines[y] = c.renderRow(y, codes)
	}
	return lines
}

// renderRow writes row y of the canvas, each run of one ink in its codes.
func (c *canvas) renderRow(y int, codes *inkCodes) string {
	var b strings.Builder
	b.Grow(c.w * 4)
	cur := inkNone
	for x := 0; x < c.w; x++ {
		i := y*c.w + x
		r, k := c.r[i], c.ink[i]
		switch {
		case r == 0:
			continue
		case c.heavy[i] != 0:
			r, k = heavyJoin[c.heavy[i]], c.lineInk[i]
			if c.dashed[i] {
				r = dashes(c.heavy[i], r)
			}
		case c.light[i] != 0:
			r, k = lightJoin[c.light[i]], c.lineInk[i]
		}
		if k != cur {
			b.WriteString(codes[cur][1])
			b.WriteString(codes[k][0])
			cur = k
		}
		b.WriteRune(r)
	}
	b.WriteString(codes[cur][1])
	return b.String()
}

// dashes is a straight run's cell of a dashed edge: ╍ across, ╏ down;
// a corner or junction keeps its heavy shape r.
func dashes(conn uint8, r rune) rune {
	switch {
	case conn&(left|right) == 0:
		return '╏'
	case conn&(up|down) == 0:
		return '╍'
	}
	return r
}

// step is the cell next to p on its side d.
func step(p pt, d uint8) pt {
	switch d {
	case up:
		p.y--
	case down:
		p.y++
	case left:
		p.x--
	case right:
		p.x++
	}
	return p
}

// tees are a box border's cells joined by an edge, by the side of the
// cell the edge leaves from: a border's line becomes a junction.
var tees = map[uint8]map[rune]rune{
	right: {'│': '├', '┃': '┣', '║': '╟'},
	left:  {'│': '┤', '┃': '┫', '║': '╢'},
	down:  {'─': '┬', '━': '┳', '═': '╤'},
	up:    {'─': '┴', '━': '┻', '═': '╧'},
}

// tee joins the border cell p to the edge beside it, which is on the
// cell's side opposite to d (the edge ran on towards d into it).
func (c *canvas) tee(p pt, d uint8) {
	if !c.in(p.x, p.y) {
		return
	}
	opp := map[uint8]uint8{up: down, down: up, left: right, right: left}[d]
	i := p.y*c.w + p.x
	if t, ok := tees[opp][c.r[i]]; ok {
		c.r[i] = t
	}
}
