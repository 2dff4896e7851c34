package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/ingress"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/lessons/exam"

	"github.com/spf13/cobra"
)

// examCmd is `kubeplay exam`: a timed set of CKAD-style tasks, each on a
// fresh cluster, graded at the end on the state each cluster is left in.
func examCmd(h *house, stdin io.Reader, stdout, stderr io.Writer, code *int) *cobra.Command {
	var f flags
	var n int
	var only []string
	var limit time.Duration
	cmd := &cobra.Command{
		Use:   "exam",
		Short: "A timed exam of CKAD-style tasks, graded on the cluster's state",
		Long: `Plays an exam on standard input and output: each task a short brief, done with
kubectl on a fresh cluster of its own (same seed, so the same each time), graded
at the end on the state each cluster is left in, check by check, with partial
credit. Besides kubectl commands: next, skip, back, task N, flag, list, brief,
time, submit, help. The time limit is wall-clock time (starting clusters and
grading are not counted); the report lists each task's checks, and for each task
that lost points the lesson to revisit and one way to do it. The exit code is 0
when the exam is passed (66% of the points).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.check(); err != nil {
				return err
			}
			all, err := exam.All()
			if err != nil {
				return err
			}
			tasks, err := exam.Select(all, only, n, f.seed, f.lang)
			if err != nil {
				return err
			}
			if limit < 0 {
				return errors.New("--time must not be negative")
			}
			start := func(t *exam.Task) (backend.Cluster, func(), error) {
				o := cluster.Options{Seed: f.seed, Lang: f.lang}
				if slices.Contains(t.Addons, lessons.AddonIngress) {
					o.IngressPort = f.ingressPort
				}
				c, stop, err := launch.Start(h.ctx, launch.Options{Runtime: f.runtime, Cluster: o,
					Notice: func(msg string) { fmt.Fprintln(stderr, "kubeplay: "+msg) }})
				if err != nil {
					return nil, nil, err
				}
				h.exits.Add(stop)
				return c, stop, nil
			}
			e := exam.New(tasks, exam.Options{Lang: f.lang, Limit: limit, Start: start})
			rep, err := exam.PlayShell(e, stdin, exam.ShellOptions{Out: stdout, Err: stderr, Interactive: isTerminal(stdin)})
			if err != nil {
				return err
			}
			if !rep.Passed() {
				*code = 1
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.runtime, "runtime", launch.Sim, "container runtime: sim (the default: instant resets), auto or docker")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of each task's cluster, and of which tasks --tasks draws")
	fl.IntVar(&f.ingressPort, "ingress-port", ingress.DefaultPort, "port of the ingress controller on 127.0.0.1, for the tasks that need one")
	fl.IntVar(&n, "tasks", 0, "draw this many tasks (with --seed), in their order; 0: every task")
	fl.StringSliceVar(&only, "only", nil, "these tasks, by id, in this order (comma-separated)")
	fl.DurationVar(&limit, "time", 0, fmt.Sprintf("time limit on the wall clock (default: %s per task)", strings.TrimSuffix(exam.PerTask.String(), "0s")))
	f.registerLang(cmd)
	return cmd
}
