package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui"

	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"
)

// openProgress loads the learner's progress, telling them on errOut when
// the file had to be set aside.
func openProgress(lang bilingual.Lang, errOut io.Writer) (*lessons.Progress, error) {
	dir, err := configdir.Dir()
	if err != nil {
		return nil, err
	}
	p, notice := lessons.LoadProgress(dir, lang)
	if notice != "" {
		fmt.Fprintln(errOut, "kubeplay: "+notice)
	}
	return p, nil
}

// lessonsCmd is `kubeplay lessons`: every lesson with the learner's
// progress.
func lessonsCmd(stdout, stderr io.Writer) *cobra.Command {
	var f flags
	var reset bool
	cmd := &cobra.Command{
		Use:   "lessons",
		Short: "List the lessons, with your progress",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := f.checkLang(); err != nil {
				return err
			}
			lang := f.lang
			all, err := lessons.All()
			if err != nil {
				return err
			}
			prog, err := openProgress(lang, stderr)
			if err != nil {
				return err
			}
			if reset {
				if err := prog.Reset(""); err != nil {
					return err
				}
				fmt.Fprintln(stdout, lessons.Message(lang, "reset-all"))
			}
			// Columns padded by display width: a Korean title is twice
			// as wide as its rune count, which tabwriter does not know.
			idW, titleW, levelW := 0, 0, 0
			for _, l := range all {
				idW = max(idW, runewidth.StringWidth(l.ID))
				titleW = max(titleW, runewidth.StringWidth(l.Title.In(lang)))
				levelW = max(levelW, runewidth.StringWidth(lessons.LevelName(lang, l.Level)))
			}
			for _, l := range all {
				done, total := prog.Done(l.ID, len(l.Steps)), len(l.Steps)
				mark := " "
				if done == total {
					mark = "✓"
				}
				fmt.Fprintf(stdout, "%s %s  %s  %s  %d/%d\n", mark, runewidth.FillRight(l.ID, idW),
					runewidth.FillRight(l.Title.In(lang), titleW), runewidth.FillRight(lessons.LevelName(lang, l.Level), levelW), done, total)
			}
			fmt.Fprintln(stdout, "\n"+lessons.Message(lang, "list-footer"))
			return nil
		},
	}
	f.registerLang(cmd)
	cmd.Flags().BoolVar(&reset, "reset", false, "forget the progress of every lesson")
	return cmd
}

// lessonCmd is `kubeplay lesson ID`: one lesson, in the TUI or, with
// --shell, as text on stdin and stdout.
func lessonCmd(h *house, stdin io.Reader, stdout, stderr io.Writer, code *int) *cobra.Command {
	var f flags
	var shell, reset bool
	cmd := &cobra.Command{
		Use:   "lesson ID",
		Short: "Play one lesson (kubeplay lessons lists them)",
		Long: `Plays a lesson on a fresh cluster, in the TUI. With --shell it is text on standard
input and output: each step's text and suggested command, then your kubectl commands,
plus try (run the suggested command), hint, next, back and quit. The exit code is 0
when the lesson was completed. --listen, --listen-any, --write-kubeconfig, --presenter
and --theme are the TUI's.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 { // flags are parsed by now, so --lang holds
				return errors.New(lessons.Message(f.lang, "need-id"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(); err != nil {
				return err
			}
			if err := f.checkAttach(cmd); err != nil {
				return err
			}
			if f.kubeconfig != "" {
				if err := checkRealLesson(cmd, &f); err != nil {
					return err
				}
			}
			if shell {
				for _, name := range tuiOnly {
					if cmd.Flags().Changed(name) {
						return fmt.Errorf("--%s is the TUI's: kubeplay lesson --shell does not take it", name)
					}
				}
			}
			all, err := lessons.All()
			if err != nil {
				return err
			}
			l, err := lessons.Find(all, args[0], f.lang)
			if err != nil {
				return err
			}
			prog, err := openProgress(f.lang, stderr)
			if err != nil {
				return err
			}
			if reset {
				if err := prog.Reset(l.ID); err != nil {
					return err
				}
				fmt.Fprintf(stdout, lessons.Message(f.lang, "reset-one")+"\n", l.ID)
			}
			if f.kubeconfig != "" && !l.RunsOnRealCluster() {
				return lessons.NotOnRealCluster(l, all, f.lang)
			}
			if f.kubeconfig != "" && shell {
				*code, err = h.realLesson(&f, l, prog, stdin, stdout, stderr)
				return err
			}
			if !shell {
				if err := screenInput(stdin, f.lang); err != nil {
					return err
				}
				if f.kubeconfig != "" {
					f.listen = "off" // the learner's kubectl reaches the real cluster itself
				}
				o, stop, err := f.tui(stderr)
				if err == nil && o.Record != nil {
					o.Record.Header.Lesson = l.ID
				}
				if err != nil {
					return err
				}
				h.exits.Add(stop)
				if f.kubeconfig != "" {
					// Asked before the TUI takes the screen; the lesson
					// gets a namespace of its own (attachedClusters.Lesson).
					real, err := h.attach(&f, stdin, isTerminal(stdin), stderr)
					if err != nil {
						return err
					}
					o.Clusters = &attachedClusters{real: real, Clusters: o.Clusters, h: h, f: &f, errOut: stderr}
				}
				defer h.windsDown()()
				return ui.RunLesson(h.ctx, o, l, prog, stdin, stdout)
			}
			c, err := h.startCluster(&f, time.Time{}, stderr)
			if err != nil {
				return err
			}
			*code = lessons.PlayShell(c, l, stdin, lessons.ShellOptions{
				Lang: f.lang, Progress: prog, Out: stdout, Err: stderr, Interactive: isTerminal(stdin),
			})
			return nil
		},
	}
	f.registerCluster(cmd)
	f.registerAPI(cmd)
	f.registerTUI(cmd)
	cmd.Flags().BoolVar(&shell, "shell", false, "play as text on standard input and output (scripts, screen readers)")
	cmd.Flags().BoolVar(&reset, "reset", false, "forget the progress of this lesson first")
	return cmd
}
