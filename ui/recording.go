package ui

import (
	"maps"
	"slices"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/bridge"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/record"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// Recording is what `kubeplay --record FILE` asks of Run: the file, and
// the header as main knows it (seed, nodes, the runtime asked…); Run
// adds what only it learns (the runtime chosen, the size, the banner).
type Recording struct {
	Path   string
	Header record.Header
}

// recorder is the model Run runs when recording: the app inside, each
// message that reaches it from outside its deterministic core written to
// the recording before the app has it. Its wall clock is the app's (the
// playgrounds' animation and clock): the time of the last event
// recorded, so that the app reads the same time when the replay feeds it
// the same events; and its timers are the wall's, numbered, so that the
// recording says when each fired.
type recorder struct {
	app   *App
	inner tea.Model // what runs the app: the app, or what a test wraps it in
	w     *record.Writer
	base  common.Wall // the wall's clock and timers (a test's, or the real one)
	start time.Time
	now   time.Time // the time of the last event recorded: what Now says
	set   int       // timers set

	mu sync.Mutex
	// outside are the requests from outside (Overheard) heard since the
	// last event recorded: they came before the next.
	outside []record.Event
}

// firedMsg is a timer the recorder numbered, fired.
type firedMsg struct {
	n   int
	msg tea.Msg
}

// newRecorder records what reaches a, which it becomes the wall clock
// of; base is the wall's own.
func newRecorder(a *App, w *record.Writer, base common.Wall) *recorder {
	r := &recorder{app: a, inner: a, w: w, base: base, start: base.Now()}
	r.now = r.start
	a.c.Wall = r
	a.c.OnCommand = func(cmd common.Command) {
		// Said at the time of the event that ran it: the app's clock
		// does not move for it.
		r.w.Write(record.Event{T: r.now.Sub(r.start).Microseconds(), C: int64(r.app.clusterTime()), Kind: record.KindCmd, Line: cmd.Line, Stdin: cmd.Stdin})
	}
	return r
}

// header is h with what the app knows: the runtime it runs on, why auto
// chose the simulated one, what it says of the API, the lessons done.
func (a *App) header(h record.Header, started time.Time) record.Header {
	h.Started = started.UTC().Truncate(time.Second)
	h.Lang, h.Nodes, h.Presenter, h.Theme = string(a.opts.Lang), a.opts.Nodes, a.opts.Presenter, themeName(a.opts.Theme)
	h.Runtime, h.Fallback = "sim", a.why
	if c := a.cluster; c != nil {
		switch caps := c.Capabilities(); {
		case caps.Attached != "":
			h.Runtime = "real"
		case !caps.SimulatedContainers:
			h.Runtime = "docker"
		}
	}
	_, h.Outside = a.opts.API.(Overheard)
	if a.opts.API != nil {
		h.Banner = map[string]string{}
		for _, l := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
			if b := a.opts.API.Banner(l); b != "" {
				h.Banner[string(l)] = b
			}
		}
	}
	h.Progress = map[string][]int{}
	for _, id := range slices.Sorted(maps.Keys(a.progress().Lessons)) {
		h.Progress[id] = slices.Clone(a.progress().Lessons[id])
	}
	return h
}

// overheard keeps a request from outside (the learner's own kubectl),
// on the goroutine that serves it, for note to write before the next
// event: the request came before the screen heard that.
func (r *recorder) overheard(method, path, query string, body []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outside = append(r.outside, record.Event{Kind: record.KindOutside, Method: method, Path: path, Query: query, Body: slices.Clone(body)})
}

// Now is the time of the last event recorded.
func (r *recorder) Now() time.Time { return r.now }

// After is the wall's timer, numbered.
func (r *recorder) After(d time.Duration, msg tea.Msg) tea.Cmd {
	r.set++
	return r.base.After(d, firedMsg{r.set, msg})
}

func (r *recorder) Init() tea.Cmd { return r.inner.Init() }

func (r *recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch m := msg.(type) {
	case firedMsg:
		r.note(record.Event{Kind: record.KindTimer, N: m.n})
		msg = m.msg
	case NoticeMsg:
		r.note(record.Event{Kind: record.KindNotice, Text: m.Text})
	case bridge.ParkedMsg, bridge.FinishedMsg, bridge.WakeMsg:
		// A command's goroutine said it, at a time of its own: the replay
		// holds it until here.
		r.note(record.Event{Kind: record.KindSync})
	default:
		if e, ok := record.FromMsg(msg); ok {
			r.note(e)
		}
	}
	_, cmd := r.inner.Update(msg)
	return r, cmd
}

func (r *recorder) View() tea.View { return r.inner.View() }

// note writes e at the wall's time now, which the app's clock then says.
func (r *recorder) note(e record.Event) {
	now := r.base.Now()
	if now.Before(r.now) {
		now = r.now
	}
	e.T = now.Sub(r.start).Microseconds()
	r.now = r.start.Add(time.Duration(e.T) * time.Microsecond)
	e.C = int64(r.app.clusterTime())
	r.mu.Lock()
	outside := r.outside
	r.outside = nil
	r.mu.Unlock()
	for _, o := range outside {
		o.T, o.C = e.T, e.C
		r.w.Write(o)
	}
	r.w.Write(e)
}

// clusterTime is the cluster's time as the page on screen last showed
// it (a running command may be moving it).
func (a *App) clusterTime() time.Duration {
	if p := a.activePlayground(); p != nil {
		return p.Elapsed()
	}
	return 0
}

// themeName is the --theme name of kind.
func themeName(kind theme.Kind) string {
	switch kind {
	case theme.HighContrast:
		return "high-contrast"
	case theme.NoColor:
		return "no-color"
	}
	return "auto"
}
