package ui

import (
	"context"
	"io"
	"slices"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui/bridge"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/pages/lesson"
	"github.com/kubeplay/kubeplay/ui/pages/playground"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// RunLesson is Run opened on lesson l, its pane beside the playground, on
// the cluster o asks for; progress is saved in prog. `kubeplay lesson ID`.
func RunLesson(ctx context.Context, o Options, l *lessons.Lesson, prog *lessons.Progress, in io.Reader, out io.Writer) error {
	if o.Theme == theme.Auto {
		o.Theme, _ = ThemeKind("auto")
	}
	return run(ctx, o, in, out, hooks{wrap: func(a *App) tea.Model {
		a.les.prog = prog
		a.openLesson(l)
		return a
	}})
}

// lessonPages are the app's lesson pages: the list and the lesson open.
type lessonPages struct {
	on     int // which has the screen: onNone, onList, onLesson
	list   *lesson.List
	page   *lesson.Model
	prog   *lessons.Progress
	notice string // what happened to the progress file
	// replace: the lesson chosen on the list while another is open; the
	// list asks before that one's cluster is gone.
	replace *lessons.Lesson
	// stop stops the open lesson's cluster when Clusters.Fresh started it
	// (Run stops its own): when another lesson replaces it, or at the end.
	stop func()
}

const (
	onNone = iota
	onList
	onLesson
)

// Lesson is the lesson page, once a lesson is open.
func (a *App) Lesson() *lesson.Model { return a.les.page }

// progress loads the learner's progress the first time it is needed.
func (a *App) progress() *lessons.Progress {
	if a.les.prog == nil {
		if dir, err := configdir.Dir(); err == nil {
			a.les.prog, a.les.notice = lessons.LoadProgress(dir, a.c.Lang)
		} else {
			a.les.prog, a.les.notice = lessons.LoadProgress("", a.c.Lang)
			a.les.notice = err.Error()
		}
	}
	return a.les.prog
}

// openLessonList shows the lessons: start page → Lessons.
func (a *App) openLessonList() tea.Cmd {
	all, err := lessons.All()
	a.les.list = lesson.NewList(a.c, all, a.progress(), err, a.les.notice)
	if a.les.page != nil && !a.les.page.Finished() {
		a.les.list.Select(a.les.page.Lesson().ID)
	}
	a.les.on = onList
	return nil
}

// openLesson opens l; the lesson open already when it is l and not over.
// A lesson starts on a fresh cluster: Run's when free play has not taken
// it (on the runtime Run started) and it has the add-ons the lesson
// declares, else a simulated one with them.
func (a *App) openLesson(l *lessons.Lesson) tea.Cmd {
	a.onPlayground = false
	if p := a.les.page; p != nil && p.Lesson().ID == l.ID && !p.Finished() {
		a.les.on = onLesson
		return nil
	}
	c := a.cluster
	var stop func()
	note := ""
	lc, own := a.opts.Clusters.(LessonClusters)
	switch {
	case own:
		// The one Run opened on stays free play's.
		var err error
		if c, stop, note, err = lc.Lesson(l); err != nil {
			a.err = err
			return tea.Quit
		}
	case c == nil || a.play != nil || !hasAddons(c, l.Addons):
		var err error
		c, stop, err = a.opts.Clusters.Fresh(l.Addons...)
		if err != nil {
			a.err = err
			return tea.Quit
		}
	default:
		a.cluster = nil // free play gets a cluster of its own
	}
	a.closeLessons()
	a.les.stop = stop
	rt := "sim"
	switch caps := c.Capabilities(); {
	case caps.Attached != "":
		rt = "real"
	case !caps.SimulatedContainers:
		rt = "docker"
	}
	a.les.page = lesson.New(a.c, l, c, a.progress(), rt)
	if note != "" {
		a.les.page.Playground().Notice(a.c.Theme.Warning.Render(note))
	}
	a.les.page.Playground().SetFallback(a.why)
	if b := a.apiBanner(); b != "" {
		a.les.page.Playground().Notice(b)
	}
	a.flushNotices(a.les.page.Playground().Notice)
	a.les.page.SetSize(a.c.Width, a.c.Height)
	a.les.on = onLesson
	return tea.Batch(a.les.page.Init(), a.listenOutside(a.les.page.Playground()))
}

// hasAddons reports whether c has every add-on of addons installed.
func hasAddons(c backend.Cluster, addons []string) bool {
	have := c.Capabilities().Addons
	for _, a := range addons {
		if !slices.Contains(have, a) {
			return false
		}
	}
	return true
}

// updateLessons routes msg to the lesson pages; handled is false for what
// the rest of the app handles.
func (a *App) updateLessons(msg tea.Msg) (cmd tea.Cmd, handled bool) {
	if m, ok := msg.(tea.WindowSizeMsg); ok && a.les.page != nil {
		a.les.page.SetSize(m.Width, m.Height)
		return nil, false
	}
	switch msg := msg.(type) {
	case lesson.OpenMsg:
		if p := a.les.page; p != nil && p.Lesson().ID != msg.Lesson.ID {
			a.les.replace = msg.Lesson
			return nil, true
		}
		return a.openLesson(msg.Lesson), true
	case lesson.CloseMsg:
		a.les.on = onNone
		return nil, true
	}
	switch a.les.on {
	case onList:
		if k, ok := msg.(tea.KeyPressMsg); ok {
			if a.helpKey(k) {
				return nil, true
			}
			if l := a.les.replace; l != nil {
				a.les.replace = nil
				if yes, _ := common.Answer(k); yes {
					return a.openLesson(l), true
				}
				return nil, true
			}
			return a.les.list.Update(msg), true
		}
	case onLesson:
		switch msg.(type) {
		case playground.QuitMsg, tea.BackgroundColorMsg:
			return nil, false
		case playground.BackMsg:
			// Back to the list; the lesson stays as it is for when the
			// learner opens it again.
			return a.openLessonList(), true
		}
		return a.les.page.Update(msg), true
	}
	// Another page is on screen: a running command's messages still reach
	// the lesson's cluster, and a real-time wake-up both playgrounds.
	if p := a.les.page; p != nil {
		switch msg.(type) {
		case bridge.WakeMsg:
			if a.play != nil {
				return tea.Batch(p.Update(msg), a.play.Update(msg)), true
			}
			return p.Update(msg), true
		case bridge.ParkedMsg, bridge.FinishedMsg:
			if p.Driver().Running() {
				return p.Update(msg), true
			}
		}
	}
	return nil, false
}

// lessonView draws the lesson page on screen, if one is.
func (a *App) lessonView() (string, bool) {
	switch a.les.on {
	case onList:
		if a.pageHelp {
			return a.pageHelpView(true), true
		}
		if l := a.les.replace; l != nil {
			open := a.les.page.Lesson().Title.In(a.c.Lang)
			q := a.c.Ask(a.c.Tf("lessons.replace", l.Title.In(a.c.Lang), open), a.c.Width)
			return a.les.list.View(a.c.Width, a.c.Height-2) + "\n" + q[0] + "\n" + q[1], true
		}
		return a.les.list.View(a.c.Width, a.c.Height), true
	case onLesson:
		return a.les.page.View(), true
	}
	return "", false
}

// closeLessons releases a command of the lesson waiting on the UI and
// stops the lesson's cluster if Clusters.Fresh started it.
func (a *App) closeLessons() {
	if a.les.page != nil {
		a.les.page.Close()
	}
	if a.les.stop != nil {
		a.les.stop()
		a.les.stop = nil
	}
}
