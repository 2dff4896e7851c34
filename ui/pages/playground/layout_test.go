package playground

import "testing"

// The wheel finds the pane drawn under the pointer in the wide layout:
// the board or events beside it, output or hops below them.
func TestPaneAtFindsTheWidePanes(t *testing.T) {
	r := newClockRig(t)
	g := r.m.geometry(false)
	if !g.wide {
		t.Fatal("120×36 is not the wide layout: the test would prove nothing")
	}
	top := 1 + g.flow.h       // the header, the flow
	bottom := top + g.board.h // the board's row
	for _, c := range []struct {
		x, y int
		want pane
	}{
		{0, top, paneBoard}, {g.board.w - 1, top, paneBoard}, {g.board.w, top, paneEvents}, {119, bottom - 1, paneEvents},
		{0, bottom, paneOutput}, {g.output.w - 1, bottom, paneOutput}, {g.output.w, bottom, paneHops}, {119, bottom + g.bottom.h - 1, paneHops},
	} {
		if p, ok := r.m.paneAt(c.x, c.y); !ok || p != c.want {
			t.Errorf("at %d,%d: pane %d (%v), want %d", c.x, c.y, p, ok, c.want)
		}
	}
	if _, ok := r.m.paneAt(0, bottom+g.bottom.h); ok {
		t.Error("the prompt's line is a pane")
	}
}
