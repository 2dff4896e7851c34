// Package ui is kubeplay's terminal UI: a Bubble Tea program on the engine
// of the shell. `kubeplay` with no arguments opens it.
package ui

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui/bridge"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/record"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// Options configure the UI.
type Options struct {
	Lang       bilingual.Lang
	Nodes      int // what the start page says free play has
	Presenter  bool
	Theme      theme.Kind
	Playground bool // open on the playground, not the start page
	// Clusters start the clusters the UI shows (required).
	Clusters Clusters
	// Notices hears the first cluster's messages before the program
	// starts (image builds, the runtime chosen) and the cleanup after;
	// default stderr.
	Notices io.Writer
	// API is how main serves each cluster Clusters starts to the
	// learner's own kubectl (nil: it does not).
	API Served
	// Record, when set, records the session (kubeplay --record).
	Record *Recording
}

// Clusters start the clusters the UI shows; main builds them from the
// command line (launch.Clusters) and serves each one it starts (Served),
// so the UI knows no runtime, no server and no engine behind the front
// door.
type Clusters interface {
	// Start starts the cluster Run opens on, on the runtime asked for;
	// notice hears what the start has to say, why is why it fell back to
	// the simulated runtime, if it did; stop takes the cluster down.
	Start(ctx context.Context, notice func(string)) (c backend.Cluster, stop func(), why string, err error)
	// Fresh starts a new simulated cluster, for a lesson or free play
	// that is not to have the one Start started, with addons (a lesson's,
	// backend.AddonIngress) besides those every cluster has; stop takes
	// it down, when another replaces it or the UI ends.
	Fresh(addons ...string) (c backend.Cluster, stop func(), err error)
}

// LessonClusters, when the Clusters main gives have it, start the cluster
// each lesson opened plays on, in place of Fresh and of Start's: attached
// to a real cluster, main plays a lesson that can run there in a
// namespace it makes for the run (and removes when stop is called), and
// one that cannot on a fresh cluster of kubeplay's own. note, when not
// empty, is what the playground is to say about it. The UI knows no more
// of the cluster than its Capabilities say.
type LessonClusters interface {
	Lesson(l *lessons.Lesson) (c backend.Cluster, stop func(), note string, err error)
}

// ThemeKind is the theme --theme names (auto, high-contrast, no-color);
// NO_COLOR, when set, makes it no-color whatever the name.
func ThemeKind(name string) (theme.Kind, error) {
	if os.Getenv("NO_COLOR") != "" {
		return theme.NoColor, nil
	}
	switch name {
	case "auto", "":
		return theme.Auto, nil
	case "high-contrast":
		return theme.HighContrast, nil
	case "no-color":
		return theme.NoColor, nil
	}
	return 0, fmt.Errorf("--theme must be auto, high-contrast or no-color, not %q", name)
}

// Run starts the cluster on the runtime o asks for, then runs the UI until
// the learner quits or ctx ends (main ends it on SIGINT, SIGTERM and
// SIGHUP: the signals are main's alone). Bubble Tea restores the terminal
// on every way out, a panic in Update, View or a Cmd included (it
// recovers, restores, then reports it); a panic in a command is caught on
// the command's goroutine and printed in the output pane. Then, on every
// way out — quit, Ctrl-C, the end of ctx, a panic — every cluster the UI
// started is stopped: no container outlives kubeplay. When ctx ended, the
// error is its cause.
func Run(ctx context.Context, o Options, in io.Reader, out io.Writer) error {
	return run(ctx, o, in, out, hooks{})
}

// hooks are what tests replace in run.
type hooks struct {
	wrap    func(*App) tea.Model // the model the program runs, around the app
	options []tea.ProgramOption
}

func run(ctx context.Context, o Options, in io.Reader, out io.Writer, h hooks) error {
	notices := o.Notices
	if notices == nil {
		notices = os.Stderr
	}
	notes := &relay{w: notices}
	say := notes.say

	// The end of ctx stops the launch (an image build) or the program;
	// then the deferred stop removes the containers.
	var mu sync.Mutex
	var prog *tea.Program
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			mu.Lock()
			p := prog
			mu.Unlock()
			if p != nil {
				// A shell in a container may have the screen (kubectl
				// exec -it): it ends first, so that the program hears Quit.
				bridge.AbortTerminal()
				// Quit restores the terminal and returns from Run; Kill
				// does when the program no longer handles messages.
				p.Quit()
				select {
				case <-done:
				case <-time.After(3 * time.Second):
					p.Kill()
				}
			}
		case <-done:
		}
	}()
	stopped := func(err error) error {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return err
	}

	c, stop, why, err := o.Clusters.Start(ctx, say)
	if err != nil {
		return stopped(err)
	}
	defer stop() // on Docker, launch says how the removal goes

	a := newAppOn(o, c, why)
	var m tea.Model = a
	if h.wrap != nil {
		m = h.wrap(a)
	}
	if o.Record != nil {
		started := time.Now()
		w, err := record.Create(o.Record.Path, a.header(o.Record.Header, started), o.Lang)
		if err != nil {
			a.close()
			return stopped(err)
		}
		defer w.Close()
		rec := newRecorder(a, w, common.RealWall{})
		rec.inner = m // a test's probe still sees each message
		m = rec
		if api, ok := o.API.(Overheard); ok {
			api.Overhear(rec.overheard)
			defer api.Overhear(nil)
		}
	}
	// Bubble Tea's own signal handler is off: the signals are main's,
	// which ends ctx.
	p := tea.NewProgram(m, append([]tea.ProgramOption{tea.WithInput(in), tea.WithOutput(out), tea.WithoutSignalHandler()}, h.options...)...)
	mu.Lock()
	prog = p
	mu.Unlock()
	if ctx.Err() != nil {
		return stopped(nil)
	}
	notes.attach(p)
	_, err = p.Run()
	notes.detach()
	a.close()
	if err != nil {
		return stopped(err)
	}
	return stopped(a.Err())
}
