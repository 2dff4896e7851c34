package playground

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/components/events"
	"github.com/kubeplay/kubeplay/ui/present"
)

// The timeline keeps every hop the flow was given, each with the board
// and the events as the page had them when it arrived, so that the
// learner can go back through them (← and → on an empty prompt) and see
// the cluster as it was, then come back to now (End or esc). They are
// snapshots, not a replay: a hop delivered in STEP mode has the board
// right after it; in PACED and FREE mode the page takes the hops a frame
// brings together, and those share the frame's board.
type timeline struct {
	frames  []moment
	boards  []present.Board // the boards kept, oldest first
	dropped int             // boards let go before boards[0]
	events  []present.EventRow
	chips   int // pods on the boards kept, all told
	at      int // the moment shown, -1 for now
	// The page's own state, while the past is shown in its place.
	live    present.Board
	liveHop sim.Hop
	liveHas bool
	replay  int // the replay running (replayMsg's id); a new one, or now, ends it
	// Moments and events let go in a long session (maxMoments).
	gone, eventsGone int
}

// maxMoments bounds the hops (and the event rows) the timeline keeps.
const maxMoments = 200_000

// moment is one hop and what the page showed with it.
type moment struct {
	hop    sim.Hop
	board  int // the board's number, counting those let go (-1: none yet)
	events int // how many event rows had come
}

// maxChips bounds the boards kept: past it the oldest are let go (their
// moments keep their hop, not their board). A board of 200 pods is 200
// chips; 500,000 is a few thousand boards of a busy cluster.
const maxChips = 500_000

// pastEventRows is how many events the past's events pane holds.
const pastEventRows = 100

// scrubStep is how far shift+← and shift+→ move.
const scrubStep = 10

func newTimeline() timeline { return timeline{at: -1} }

// record keeps hops, which arrived with rows (event rows) and, when
// changed is set, board (the page's board after them all).
func (t *timeline) record(hops []sim.Hop, board present.Board, changed bool, rows []present.EventRow) {
	if changed {
		t.live = board
	}
	for _, h := range hops {
		h.Payload = nil // the objects a hop carried stay with the hop log, which is bounded
		t.frames = append(t.frames, moment{hop: h, board: t.dropped + len(t.boards) - 1, events: t.eventsGone + len(t.events)})
	}
	t.events = append(t.events, rows...)
	if len(t.frames) > 0 {
		t.frames[len(t.frames)-1].events = t.eventsGone + len(t.events)
	}
	// A long session: the oldest moments and events are let go, a tenth
	// at a time (the past keeps the newest maxMoments hops).
	if over := len(t.events) - maxMoments; over > 0 {
		n := over + maxMoments/10
		t.events = append([]present.EventRow(nil), t.events[n:]...)
		t.eventsGone += n
	}
	if len(t.frames) > maxMoments && t.at < 0 {
		n := maxMoments / 10
		t.frames = append([]moment(nil), t.frames[n:]...)
		t.gone += n
	}
	if changed {
		// The board before any hop too: the first hops' board.
		t.boards = append(t.boards, board)
		if len(t.frames) > 0 {
			t.frames[len(t.frames)-1].board = t.dropped + len(t.boards) - 1
		}
		t.chips += chips(board)
		for t.chips > maxChips && len(t.boards) > 1 {
			t.chips -= chips(t.boards[0])
			t.boards[0] = present.Board{}
			t.boards = t.boards[1:]
			t.dropped++
		}
	}
}

func chips(b present.Board) int {
	n := len(b.Unscheduled)
	for _, c := range b.Nodes {
		n += len(c.Pods)
	}
	return n
}

// boardAt is the board of moment i, if it is kept.
func (t *timeline) boardAt(i int) (present.Board, bool) {
	if b := t.frames[i].board - t.dropped; b >= 0 && b < len(t.boards) {
		return t.boards[b], true
	}
	return present.Board{}, false
}

// scrub moves the page through the timeline by n hops (back when
// negative); past the newest it comes back to now.
func (m *Model) scrub(n int) {
	t := &m.timeline
	if len(t.frames) == 0 {
		return
	}
	at := t.at
	if at < 0 {
		if n >= 0 {
			return
		}
		at = len(t.frames) - 1 // now shows the newest hop
		t.liveHop, t.liveHas = m.flow.Hop()
	}
	at += n
	switch {
	case at >= len(t.frames):
		m.toNow()
		return
	case at < 0:
		at = 0
	}
	m.showMoment(at)
}

// showMoment shows moment i in the board, the events and the flow.
func (m *Model) showMoment(i int) {
	m.dropStill()
	t := &m.timeline
	t.at = i
	f := t.frames[i]
	if b, ok := t.boardAt(i); ok {
		m.board.SetBoard(b)
		m.flow.SetBoard(b)
	}
	m.flow.SetHop(f.hop)
	m.flow.SetPos(1)
	m.markPast()
	// The hop log selects the moment's hop, as the learner would with ↑.
	m.hops.Show(f.hop.ID)
	// The pane shows the newest events; those far above them are not
	// worth wrapping again at every step back.
	ev := events.New(m.c)
	b := m.geometry(m.traffic.Has()).of(paneEvents)
	ev.SetSize(b.w, b.h) // before the rows: they wrap to it
	end := max(f.events-t.eventsGone, 0)
	ev.Add(t.events[max(end-pastEventRows, 0):end])
	ev.SetFocused(m.focus == paneEvents)
	m.panes[paneEvents].Component = pastEvents{ev, m}
}

// markPast says on the board and the flow which moment of how many is
// shown: again when hops come while the past is shown (PACED and FREE
// go on), so that they count as the header and the events pane do.
func (m *Model) markPast() {
	t := &m.timeline
	i := t.at
	note := m.c.Tf("past.note", i+1, len(t.frames))
	if _, ok := t.boardAt(i); !ok {
		note = m.c.Tf("past.gone", i+1, len(t.frames))
	}
	m.board.SetNote(m.c.Theme.Warning.Render("⏪ " + note))
	m.flow.SetPast("⏪ " + m.c.Tf("past.line", i+1, len(t.frames), clockText(t.frames[i].hop.At)))
}

// toNow leaves the past: the panes show the cluster as it is.
func (m *Model) toNow() {
	m.dropStill()
	t := &m.timeline
	if t.at < 0 {
		return
	}
	t.at = -1
	m.panes[paneEvents].Component = m.events
	m.board.SetNote("")
	m.flow.SetPast("")
	m.hops.Follow()
	m.board.SetBoard(t.live)
	m.flow.SetBoard(t.live)
	if t.liveHas {
		m.flow.SetHop(t.liveHop)
		m.flow.SetPos(1)
	}
}

// InPast reports whether the page shows a moment of the past, and which
// (counted from 1) of how many.
func (m *Model) InPast() (at, of int, ok bool) {
	if m.timeline.at < 0 {
		return 0, len(m.timeline.frames), false
	}
	return m.timeline.at + 1, len(m.timeline.frames), true
}

// pastEvents is the events pane while the past is shown: the events as
// they were, under a title that says so.
type pastEvents struct {
	*events.Model
	m *Model
}

func (p pastEvents) View() string {
	at, of, _ := p.m.InPast()
	return p.ViewTitled(p.m.c.T("pane.events") + " · " + p.m.c.Theme.Warning.Render("⏪ "+p.m.c.Tf("past.note", at, of)))
}

// pastHeader is the header's mark of the past.
func (m *Model) pastHeader() string {
	at, of, ok := m.InPast()
	if !ok {
		return ""
	}
	return m.c.Theme.Warning.Bold(true).Render(fmt.Sprintf("⏪ %s", m.c.Tf("past.note", at, of)))
}

// pastKey handles the timeline's keys: ← and → on an empty prompt move
// one hop (⇧ ten), End on an empty prompt comes back to now; in the
// past, a key that moves the cluster or runs something comes back to
// now first, and then does what it does.
func (m *Model) pastKey(k tea.KeyPressMsg) bool {
	empty := m.focus == panePrompt && m.prompt.Value() == "" && !m.prompt.InHereDoc()
	if empty {
		switch k.String() {
		case "left":
			m.scrub(-1)
			return true
		case "right":
			m.scrub(1)
			return true
		case "shift+left":
			m.scrub(-scrubStep)
			return true
		case "shift+right":
			m.scrub(scrubStep)
			return true
		case "end":
			m.toNow()
			return true
		}
	}
	keys := m.c.Keys
	if m.timeline.at >= 0 && !key.Matches(k, keys.Help, keys.Presenter, keys.Theme, keys.Back, keys.Next, keys.Prev) && !paneKeys[k.String()] {
		m.toNow()
	}
	return false
}

// replayEvery is how long a replayed hop stays at ×1 (the paced speed
// divides it).
const replayEvery = 800 * time.Millisecond

// replayMsg moves a replay on to its next hop.
type replayMsg struct{ id int }

// Moments is how many hops the timeline holds (Replay counts them).
func (m *Model) Moments() int { return m.timeline.gone + len(m.timeline.frames) }

// Replay shows the hops from the from-th (counting from 0, as Moments
// does) again, one
// after another at the paced speed, each with its packet and the board
// as it was, then comes back to now: a lesson's "show me that again".
func (m *Model) Replay(from int) tea.Cmd {
	m.dropStill()
	t := &m.timeline
	from = max(from-t.gone, 0) // Moments counts the hops let go too
	if from >= len(t.frames) {
		return nil
	}
	if t.at < 0 {
		t.liveHop, t.liveHas = m.flow.Hop()
	}
	m.showMoment(from)
	t.replay++
	return tea.Batch(m.startAnim(), m.replayTick())
}

func (m *Model) replayTick() tea.Cmd {
	return m.after(time.Duration(float64(replayEvery)/speeds[m.speed]), replayMsg{m.timeline.replay})
}

// replayStep shows the replay's next hop, or comes back to now after
// the last.
func (m *Model) replayStep(r replayMsg) tea.Cmd {
	t := &m.timeline
	if r.id != t.replay || t.at < 0 {
		return nil
	}
	if t.at+1 >= len(t.frames) {
		m.toNow()
		return nil
	}
	m.showMoment(t.at + 1)
	return tea.Batch(m.startAnim(), m.replayTick())
}
