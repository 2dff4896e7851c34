package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/ingress"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/lessons/exam"

	"github.com/spf13/cobra"
)

// examHelp is `kubeplay exam --help`, in both languages.
var examHelp = bilingual.Text{
	EN: `Plays an exam on standard input and output: each task a short brief, done with
kubectl on a fresh cluster of its own (same seed, so the same each time), graded
at the end on the state each cluster is left in, check by check, with partial
credit. Besides kubectl commands: next, skip, back, task N, flag, list, brief,
time, submit, help. The time limit is wall-clock time (starting clusters and
grading are not counted); the report lists each task's checks, and for each task
that lost points the lesson to revisit and one way to do it. The exit code is 0
when the exam is passed (66% of the points).`,
	KO: `표준 입력과 출력으로 시험을 봐요. 문제마다 짧은 설명이 있고, 문제마다 따로 띄운 새
클러스터(같은 시드라서 매번 같아요)에서 kubectl로 풀어요. 채점은 끝에 각 클러스터에 남은
상태를 검사 항목별로 해서 부분 점수를 줘요. kubectl 명령 말고도 next, skip, back, task N,
flag, list, brief, time, submit, help를 쓸 수 있어요. 제한 시간은 실제로 흐르는 시간이에요
(클러스터를 띄우는 시간과 채점 시간은 빼요). 결과에는 문제마다 검사 항목이 나오고, 점수를
잃은 문제에는 복습할 레슨과 풀이 예시가 나와요. 합격하면(66% 이상) 종료 코드가 0이에요.`,
}

// examFlags are the exam's flags' help, in both languages ("time" takes
// the time per task).
var examFlags = map[string]bilingual.Text{
	"runtime":      {EN: "container runtime: sim (the default: instant resets), auto or docker", KO: "컨테이너 런타임: sim(기본값, 바로 초기화), auto 또는 docker"},
	"seed":         {EN: "seed of each task's cluster, and of which tasks --tasks draws", KO: "문제마다 띄우는 클러스터의 시드, 그리고 --tasks가 문제를 고르는 시드"},
	"ingress-port": {EN: "port of the ingress controller on 127.0.0.1, for the tasks that need one", KO: "인그레스가 필요한 문제에서 쓰는 127.0.0.1의 인그레스 컨트롤러 포트"},
	"tasks":        {EN: "draw this many tasks (with --seed), in their order; 0: every task", KO: "이만큼의 문제를 (--seed로) 골라 원래 순서대로 내요. 0: 모든 문제"},
	"only":         {EN: "these tasks, by id, in this order (comma-separated)", KO: "이 문제들만, id로, 이 순서대로 (쉼표로 구분)"},
	"time":         {EN: "time limit on the wall clock (default: %s per task)", KO: "실제 시간 기준 제한 시간 (기본값: 문제당 %s)"},
}

// perTask is the default time a task is given, as the help says it (6m).
func perTask() string { return strings.TrimSuffix(exam.PerTask.String(), "0s") }

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
		Long:  examHelp.EN,
		Args:  cobra.NoArgs,
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
				return errors.New(f.lang.Pick("--time must not be negative", "--time은 음수일 수 없어요"))
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
	fl.StringVar(&f.runtime, "runtime", launch.Sim, examFlags["runtime"].EN)
	fl.Uint64Var(&f.seed, "seed", 1, examFlags["seed"].EN)
	fl.IntVar(&f.ingressPort, "ingress-port", ingress.DefaultPort, examFlags["ingress-port"].EN)
	fl.IntVar(&n, "tasks", 0, examFlags["tasks"].EN)
	fl.StringSliceVar(&only, "only", nil, examFlags["only"].EN)
	fl.DurationVar(&limit, "time", 0, fmt.Sprintf(examFlags["time"].EN, perTask()))
	f.registerLang(cmd)
	help := maps.Clone(examFlags)
	help["time"] = bilingual.Text{EN: fmt.Sprintf(help["time"].EN, perTask()), KO: fmt.Sprintf(help["time"].KO, perTask())}
	help["lang"] = bilingual.Text{EN: fl.Lookup("lang").Usage, KO: "kubeplay 메시지와 화면의 언어: en 또는 ko"}
	bilingualHelp(cmd, &f.lang, examHelp, help)
	return cmd
}
