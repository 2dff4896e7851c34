// Package ui is kubeplay's terminal UI: a Bubble Tea program on the engine
// of the shell. `kubeplay` with no arguments opens it.
package ui

import (
	"fmt"
	"io"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/ui/theme"
	"github.com/spf13/cobra"
)

// Options configure the UI.
type Options struct {
	Lang       string
	Seed       uint64
	Nodes      int
	Presenter  bool
	Theme      theme.Kind
	Playground bool // open on the playground, not the start page
}

// Register makes cmd (the root command) open the UI when run without a
// sub-command, with the UI's own flags. It is the one line main.go needs.
func Register(cmd *cobra.Command) {
	var o Options
	var runtime, themeName string
	fl := cmd.Flags()
	fl.StringVar(&o.Lang, "lang", defaultLang(), "language of the UI: en or ko")
	fl.Uint64Var(&o.Seed, "seed", 1, "seed of the random source")
	fl.IntVar(&o.Nodes, "nodes", 3, "number of nodes")
	fl.StringVar(&runtime, "runtime", "auto", "container runtime: auto or sim (the simulated runtime)")
	fl.BoolVar(&o.Presenter, "presenter", false, "presenter mode for workshops: flow and cluster only, keys shown")
	fl.StringVar(&themeName, "theme", "auto", "theme: auto (dark or light), high-contrast or no-color")
	cmd.Args = cobra.NoArgs
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		switch {
		case o.Lang != "en" && o.Lang != "ko":
			return fmt.Errorf("--lang must be en or ko, not %q", o.Lang)
		case runtime != "auto" && runtime != "sim":
			return fmt.Errorf("--runtime %s: the TUI runs on the simulated runtime in this build; use --runtime sim", runtime)
		}
		kind, err := themeKind(themeName)
		if err != nil {
			return err
		}
		o.Theme = kind
		return Run(o, c.InOrStdin(), c.OutOrStdout())
	}
}

func themeKind(name string) (theme.Kind, error) {
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

func defaultLang() string {
	for _, v := range []string{os.Getenv("LC_ALL"), os.Getenv("LANG")} {
		if strings.HasPrefix(v, "ko") {
			return "ko"
		}
	}
	return "en"
}

// Run runs the UI until the learner quits. Bubble Tea restores the
// terminal on every way out, a panic in Update or View included (it
// recovers, restores, then reports it); a panic in a command is caught on
// the command's goroutine and printed in the output pane.
func Run(o Options, in io.Reader, out io.Writer) error {
	a := NewApp(o)
	p := tea.NewProgram(a, tea.WithInput(in), tea.WithOutput(out))
	if _, err := p.Run(); err != nil {
		return err
	}
	return a.Err()
}
