package flow

import (
	"slices"
	"strings"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/components/frame"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// drawn is the pane as last drawn, in its frame, its picture without
// the packet. While a packet travels, sixty frames a second redraw the
// pane and only the packet has moved: a frame puts the row the packet is
// on, drawn again, in the place of that row, and a frame whose packet is
// on the cell it was on is the string drawn last.
//
// Why this is safe: what the pane shows but the packet comes from the
// model's hop, next hop, past line, board and nodes (each setter bumps
// gen), its size and focus, and the shared Common's theme, language (the
// keys named in the text are rebuilt with it) and presenter mode — the
// key. The packet's row is the picture's row (picture.row), written
// between the frame's sides as RenderDrawn writes it (frame.DrawnRow).
type drawn struct {
	key   paneKey
	ok    bool
	pic   picture
	lines []string // the framed pane's lines, the picture's without the packet
	at    pt       // the packet's cell in s; {-1, -1} before the first
	s     string   // the pane as last returned
}

// paneKey is what the framed pane is drawn from, the packet's place
// aside.
type paneKey struct {
	w, h      int
	focused   bool
	gen       uint64
	theme     *theme.Theme
	lang      bilingual.Lang
	presenter bool
}

// with is the pane with the packet at m's pos.
func (d *drawn) with(m *Model) string {
	at, ok := d.pic.packetAt(m.pos)
	if ok && 1+at.y >= len(d.lines)-1 {
		ok = false // a row the frame cut off (it never is: the picture fits)
	}
	if !ok {
		at = pt{-2, -2}
	}
	if at == d.at {
		return d.s
	}
	lines := d.lines
	if ok {
		lines = slices.Clone(d.lines)
		lines[1+at.y] = frame.DrawnRow(m.c, m.focused, d.pic.row(at, m.codes()))
	}
	d.at, d.s = at, strings.Join(lines, "\n")
	return d.s
}
