package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/bridge"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/helpview"
	"github.com/kubeplay/kubeplay/ui/pages/playground"
	"github.com/kubeplay/kubeplay/ui/pages/start"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// App is the root model: the start page, then the playground.
type App struct {
	c      *common.Common
	opts   Options
	start  *start.Model
	play   *playground.Model
	driver *bridge.Driver
	help   *helpview.Model
	err    error
	// onPlayground: which page has the screen.
	onPlayground bool
	themeFixed   bool // chosen by flag or NO_COLOR: the background does not change it
	// cluster, when set, is the cluster free play opens on: Run's, on the
	// runtime it started, or a benchmark's.
	cluster backend.Cluster
	// freeStop stops free play's cluster when Clusters.Fresh started it
	// (Run stops its own).
	freeStop func()
	why      string      // why auto fell back to the simulated runtime
	les      lessonPages // the lesson list and the lesson open (lesson.go)
	// confirmQuit: the start page asks before quitting while free play
	// or a lesson has a cluster with something in it.
	confirmQuit bool
	// pageHelp: the full help of the start page or the lesson list is
	// shown (^G/F1), as the playground's own.
	pageHelp bool

	pending []string // notices that came before a playground opened (notices.go)
}

// NewApp returns the app for opts; free play's cluster is started (fresh,
// simulated) when free play opens, so the first frame does not wait for
// it: Run starts the cluster on the runtime asked for first.
func NewApp(opts Options) *App {
	kind := opts.Theme
	c := common.New(opts.Lang, kind, true)
	c.Presenter = opts.Presenter
	a := &App{c: c, opts: opts, start: start.New(c, opts.Nodes), help: helpview.New(c), themeFixed: kind != theme.Auto}
	if opts.Playground {
		a.openPlayground()
	}
	return a
}

// newAppOn returns the app on c, started by Clusters.Start; why is why auto fell
// back to the simulated runtime, if it did.
func newAppOn(opts Options, c backend.Cluster, why string) *App {
	o := opts
	o.Playground = false
	a := NewApp(o)
	a.cluster, a.why = c, why
	a.start.SetRuntime(!c.Capabilities().SimulatedContainers, why)
	if where := c.Capabilities().Attached; where != "" {
		a.start.SetAttached(where, len(c.Nodes()))
	}
	if opts.Playground {
		a.openPlayground()
	}
	return a
}

// Init asks the terminal for its background, for the adaptive theme, and
// starts the playground's clock when it is open.
func (a *App) Init() tea.Cmd {
	if a.les.page != nil {
		return tea.Batch(tea.RequestBackgroundColor, a.les.page.Init())
	}
	if a.play != nil {
		return tea.Batch(tea.RequestBackgroundColor, a.play.Init())
	}
	return tea.RequestBackgroundColor
}

// Err is why the app could not run, if it could not.
func (a *App) Err() error { return a.err }

// Playground is the playground page, once open.
func (a *App) Playground() *playground.Model { return a.play }

// activePlayground is the playground of the page on screen, or of the
// lesson open, or free play's; nil before any.
func (a *App) activePlayground() *playground.Model {
	if a.les.page != nil && (a.les.on == onLesson || !a.onPlayground) {
		return a.les.page.Playground()
	}
	return a.play
}

// openPlayground opens free play, the first time on a new playground,
// whose Init it returns.
func (a *App) openPlayground() tea.Cmd {
	a.onPlayground = true
	if a.play != nil {
		return nil
	}
	c := a.cluster
	if c == nil {
		var err error
		if c, a.freeStop, err = a.opts.Clusters.Fresh(); err != nil {
			a.err = err
			a.onPlayground = false
			return nil
		}
	}
	a.driver = bridge.New(c, a.c.Lang)
	a.newPlayground()
	if b := a.apiBanner(); b != "" {
		a.play.Notice(b)
	}
	a.flushNotices(a.play.Notice)
	return tea.Batch(a.play.Init(), a.listenOutside(a.play))
}

// newPlayground (re)builds the playground page on the driver's cluster.
func (a *App) newPlayground() {
	rt := "sim"
	switch caps := a.driver.C.Capabilities(); {
	case caps.Attached != "":
		rt = "real"
	case !caps.SimulatedContainers:
		rt = "docker"
	}
	a.play = playground.New(a.c, a.driver, rt)
	a.play.SetFallback(a.why)
	a.play.SetSize(a.c.Width, a.c.Height)
}

// Update routes a message to the page on screen.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if n, ok := msg.(NoticeMsg); ok {
		a.notice(n.Text)
		return a, nil
	}
	if cmd, ok := a.updateLessons(msg); ok {
		return a, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.c.Width, a.c.Height = msg.Width, msg.Height
		a.help.SetSize(msg.Width, 1)
		if a.play != nil {
			a.play.SetSize(msg.Width, msg.Height)
		}
		return a, nil
	case tea.BackgroundColorMsg:
		if !a.themeFixed {
			a.c.SetTheme(theme.Auto, msg.IsDark())
			a.help.Restyle()
		}
		return a, nil
	case start.ChoseMsg:
		switch msg.Choice {
		case start.FreePlay:
			cmd := a.openPlayground()
			if a.err != nil {
				return a, tea.Quit
			}
			return a, cmd
		case start.Lessons:
			return a, a.openLessonList()
		case start.Language:
			return a, a.setLang(a.c.Lang.Other())
		case start.Quit:
			if a.hasState() {
				a.confirmQuit = true
				return a, nil
			}
			return a, a.quit()
		}
		return a, nil
	case playground.BackMsg:
		a.onPlayground = false
		return a, nil
	case playground.QuitMsg:
		return a, a.quit()
	}
	if a.onPlayground {
		return a, a.play.Update(msg)
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && a.helpKey(k) {
		return a, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && a.confirmQuit {
		a.confirmQuit = false
		if yes, _ := common.Answer(k); yes || key.Matches(k, a.c.Keys.Quit) {
			return a, a.quit()
		}
		return a, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, a.c.Keys.Presenter) {
		a.c.Presenter = !a.c.Presenter
		return a, nil
	}
	// Messages of a running command still reach the playground while the
	// start page is shown: the hand-over must go on.
	if a.play != nil {
		switch msg.(type) {
		case bridge.ParkedMsg, bridge.FinishedMsg, bridge.WakeMsg:
			return a, a.play.Update(msg)
		}
	}
	return a, a.start.Update(msg)
}

// helpKey handles the keys of the start page's and the list's help: ^G
// or F1 opens and closes it, esc closes it, the arrows scroll it, and
// while it is open no other key reaches the page.
func (a *App) helpKey(k tea.KeyPressMsg) bool {
	switch {
	case key.Matches(k, a.c.Keys.Help):
		a.pageHelp = !a.pageHelp
		a.help.Reset()
		return true
	case !a.pageHelp:
		return false
	case key.Matches(k, a.c.Keys.Back):
		a.pageHelp = false
	default:
		a.help.Scroll(k)
	}
	return true
}

// pageHelpView is the full help of the start page (list false) or the
// lesson list, w×h.
func (a *App) pageHelpView(list bool) string {
	if list {
		return a.help.Page(a.c.T("lessons.title"), a.c.Height, helpview.Section{Title: "help.lessons", Paras: []string{"help.lessons.keys"}})
	}
	return a.help.Page("kubeplay", a.c.Height, helpview.Section{Title: "help.start", Paras: []string{"help.start.menu", "help.start.keys"}})
}

func (a *App) quit() tea.Cmd {
	a.close()
	return tea.Quit
}

// hasState reports whether quitting would lose a cluster with something
// in it: free play's, or a lesson's.
func (a *App) hasState() bool {
	return (a.play != nil && a.play.HasState()) || (a.les.page != nil && a.les.page.Playground().HasState())
}

// close releases a command waiting on the UI, whatever ended the program.
func (a *App) close() {
	a.closeLessons()
	if a.driver != nil {
		a.driver.Close()
	}
	if a.freeStop != nil {
		a.freeStop()
	}
}

// setLang switches the language; the playground's panes are rebuilt on the
// same cluster so that every label follows.
func (a *App) setLang(lang bilingual.Lang) tea.Cmd {
	a.c.Lang = lang
	a.c.Keys = common.NewKeys(a.c)
	a.start.Relabel()
	if a.play != nil && !a.driver.Running() {
		a.newPlayground()
		return a.play.Init()
	}
	return nil
}

// View draws the page on screen.
func (a *App) View() tea.View {
	var s string
	switch {
	case a.c.Width == 0:
		s = ""
	case a.les.on != onNone:
		s, _ = a.lessonView()
	case a.onPlayground:
		s = a.play.View()
	case a.pageHelp:
		s = a.pageHelpView(false)
	case a.confirmQuit:
		q := a.c.Question("quit.ask", a.c.Width)
		s = a.start.View(a.c.Width, a.c.Height-2) + "\n" + q[0] + "\n" + q[1]
	default:
		s = a.start.View(a.c.Width, a.c.Height-1) + "\n" + a.help.Short(helpview.Global{K: common.Keys{}}, a.start)
	}
	v := tea.NewView(s)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "kubeplay"
	return v
}
