// Package ui is kubeplay's terminal UI: a Bubble Tea program on the engine
// of the shell. `kubeplay` with no arguments opens it.
package ui

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/serve"
	"github.com/kubeplay/kubeplay/ui/bridge"
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
	// API says where the cluster on screen is served to the learner's
	// own kubectl (the zero value: nowhere).
	API serve.Options
}

// Clusters start the clusters the UI shows; main builds them from the
// command line (launch.Clusters), so the UI knows no runtime and no
// engine behind the front door.
type Clusters interface {
	// Start starts the cluster Run opens on, on the runtime asked for;
	// notice hears what the start has to say, why is why it fell back to
	// the simulated runtime, if it did; stop takes the cluster down.
	Start(ctx context.Context, notice func(string)) (c backend.Cluster, stop func(), why string, err error)
	// Fresh starts a new simulated cluster, for a lesson or free play
	// that is not to have the one Start started.
	Fresh() (backend.Cluster, error)
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
// the learner quits. Bubble Tea restores the terminal on every way out, a
// panic in Update, View or a Cmd included (it recovers, restores, then
// reports it); a panic in a command is caught on the command's goroutine
// and printed in the output pane. Then, on every way out — quit, Ctrl-C,
// SIGINT, SIGTERM, SIGHUP, a panic — the runtime is stopped: no container
// outlives kubeplay.
func Run(o Options, in io.Reader, out io.Writer) error {
	return run(o, in, out, hooks{})
}

// hooks are what tests replace in run.
type hooks struct {
	wrap    func(*App) tea.Model // the model the program runs, around the app
	options []tea.ProgramOption
}

func run(o Options, in io.Reader, out io.Writer, h hooks) error {
	notices := o.Notices
	if notices == nil {
		notices = os.Stderr
	}
	notes := &relay{w: notices}
	say := notes.say

	// A signal stops the launch (an image build) or the program; then the
	// deferred stop removes the containers.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var prog *tea.Program
	var caught os.Signal
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case sig := <-sigs:
			mu.Lock()
			caught = sig
			p := prog
			mu.Unlock()
			cancel()
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
		mu.Lock()
		defer mu.Unlock()
		if caught != nil {
			return fmt.Errorf("stopped by %v", caught)
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
	// The signals are this function's alone: Bubble Tea's own handler
	// would quit on SIGTERM too, and which of the two heard it first
	// decided whether run said it was stopped by it.
	p := tea.NewProgram(m, append([]tea.ProgramOption{tea.WithInput(in), tea.WithOutput(out), tea.WithoutSignalHandler()}, h.options...)...)
	mu.Lock()
	prog = p
	early := caught != nil
	mu.Unlock()
	if early {
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
