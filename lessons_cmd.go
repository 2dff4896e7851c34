package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui"

	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"
)

// openProgress loads the learner's progress, telling them on errOut when
// the file had to be set aside.
func openProgress(lang bilingual.Lang, errOut io.Writer) (*lessons.Progress, error) {
	dir, err := lessons.ConfigDir()
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
	var lang bilingual.Lang
	var reset bool
	cmd := &cobra.Command{
		Use:   "lessons",
		Short: "List the lessons, with your progress",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := checkLang(lang); err != nil {
				return err
			}
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
	cmd.Flags().StringVar((*string)(&lang), "lang", defaultLang(), "language: en or ko")
	cmd.Flags().BoolVar(&reset, "reset", false, "forget the progress of every lesson")
	return cmd
}

// lessonCmd is `kubeplay lesson ID`: one lesson, in the TUI or, with
// --shell, as text on stdin and stdout.
func lessonCmd(stdin io.Reader, stdout, stderr io.Writer, code *int) *cobra.Command {
	var cf clusterFlags
	var shell, reset bool
	cmd := &cobra.Command{
		Use:   "lesson ID",
		Short: "Play one lesson (kubeplay lessons lists them)",
		Long: `Plays a lesson on a fresh cluster. With --shell it is text on standard input and
output: each step's text and suggested command, then your kubectl commands, plus
try (run the suggested command), hint, next, back and quit. The exit code is 0
when the lesson was completed.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 { // flags are parsed by now, so --lang holds
				return errors.New(lessons.Message(cf.lang, "need-id"))
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			all, err := lessons.All()
			if err != nil {
				return err
			}
			l, err := lessons.Find(all, args[0], cf.lang)
			if err != nil {
				return err
			}
			prog, err := openProgress(cf.lang, stderr)
			if err != nil {
				return err
			}
			if reset {
				if err := prog.Reset(l.ID); err != nil {
					return err
				}
				fmt.Fprintf(stdout, lessons.Message(cf.lang, "reset-one")+"\n", l.ID)
			}
			if !shell {
				return runLessonTUI(l, prog, cf, stdin, stdout, stderr)
			}
			c, stop, err := cf.start(stderr)
			if err != nil {
				return err
			}
			defer stop.run()
			*code = lessons.PlayShell(c, l, stdin, lessons.ShellOptions{
				Lang: cf.lang, Progress: prog, Out: stdout, Err: stderr, Interactive: isTerminal(stdin),
			})
			return nil
		},
	}
	cf.register(cmd)
	cmd.Flags().BoolVar(&shell, "shell", false, "play as text on standard input and output (scripts, screen readers)")
	cmd.Flags().BoolVar(&reset, "reset", false, "forget the progress of this lesson first")
	return cmd
}

// runLessonTUI opens the TUI on lesson l: its pane beside the playground,
// on the runtime the flags ask for.
func runLessonTUI(l *lessons.Lesson, prog *lessons.Progress, cf clusterFlags, stdin io.Reader, stdout, stderr io.Writer) error {
	if err := checkLang(cf.lang); err != nil {
		return err
	}
	return ui.RunLesson(lessonTUIOptions(cf, stderr), l, prog, stdin, stdout)
}

// lessonTUIOptions are the TUI's options for `kubeplay lesson`: its
// clusters are the ones the flags describe, as --shell's.
func lessonTUIOptions(cf clusterFlags, stderr io.Writer) ui.Options {
	clusters := launch.Clusters{Runtime: cf.runtime, Cluster: cf.options()}
	return ui.Options{Lang: cf.lang, Nodes: cf.nodes, Clusters: clusters, Notices: stderr}
}
