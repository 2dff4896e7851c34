package playground

import (
	"slices"
	"strings"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// While a packet travels, sixty frames a second redraw the page with the
// packet one step on, and nothing else has changed: the panes below the
// flow (board, events, output, hops, traffic, the editor), the prompt
// and the help line are what they were at the last frame. still keeps
// them as last drawn, so that a frame draws the flow only (the header is
// kept by its own key, header in layout.go).
//
// Why this is safe: the panes change only through the playground's own
// methods. Every message but a packet's frame goes through Update, which
// drops the cache first (dropStill); a frame only moves the packet (frame
// in clock.go), and drops it when the packet lands, as landing may
// deliver the next hop. sync, showMoment and toNow, the ways hops, the
// board and the past reach the panes, drop it too (tests call them
// directly), and so does every exported method that changes what the
// page shows (hooks.go, SetSize, SetSide, Notice...). What the page around
// the playground changes without telling it — the size, the side's
// width, the theme (F3 makes a new one), the language, presenter mode —
// is in the key, and a different key draws afresh. The prompt line is
// kept too: its field, its cursor (which does not blink) and its status
// change only through the page's methods, on a message or a hook, as the
// panes do. The header has its own key (its clock changes on a tick).
type still struct {
	key                 stillKey
	below, help, prompt kept
	page                page
}

// stillKey is what the page's owner may change on the shared Common (or
// with a setter) between two frames.
type stillKey struct {
	w, h, side int
	theme      *theme.Theme
	lang       bilingual.Lang
	presenter  bool
}

// kept is one string as last drawn; ok when it still holds.
type kept struct {
	s  string
	ok bool
}

// get is the kept string, drawn afresh by draw when it does not hold.
func (k *kept) get(draw func() string) string {
	if !k.ok {
		k.s, k.ok = draw(), true
	}
	return k.s
}

// dropStill drops what still keeps: something else than the packet moved.
// The header is dropped too, though its key holds all it is drawn from:
// so that a page drawn afresh (TestStillPanesAreFresh) draws it afresh.
func (m *Model) dropStill() {
	m.still.below.ok, m.still.help.ok, m.still.prompt.ok = false, false, false
	m.head.ok = false
}

// stillFor checks the key before a View uses what still keeps.
func (m *Model) stillFor() *still {
	k := stillKey{m.c.Width, m.c.Height, m.side, m.c.Theme, m.c.Lang, m.c.Presenter}
	if k != m.still.key {
		m.still.key = k
		m.dropStill()
	}
	return &m.still
}

// page is the page as last joined from its rows. A frame whose packet
// stayed on its cell (the spring eases it: most frames near the end of
// an arrow) draws every row as the same string as before, and gets the
// same page back rather than another copy of some twenty kilobytes: the
// renderer then compares the page it drew with itself, which costs it
// nothing. It is a memo of strings.Join, and needs no key.
type page struct {
	rows   []string
	joined string
}

func (p *page) join(rows []string) string {
	if !slices.Equal(rows, p.rows) {
		p.rows, p.joined = append(p.rows[:0], rows...), strings.Join(rows, "\n")
	}
	return p.joined
}
