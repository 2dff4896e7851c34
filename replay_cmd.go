package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui"
	"github.com/kubeplay/kubeplay/ui/record"

	"github.com/spf13/cobra"
)

// replayHelp is `kubeplay replay --help`, in both languages.
var replayHelp = bilingual.Text{
	EN: `Plays a session recorded with kubeplay --record FILE, on a simulated cluster of the
recorded seed and options (a session recorded on Docker is replayed on simulated
containers, and the screen says so). The screens are the session's, byte for byte.

In the TUI it plays at the recorded pace (space pauses), or with --step one step per key
press: a typed command line, or a control key (step, mode, presenter, the past), the
time between them at its pace — rehearse once, then present calmly. q quits.

--shell prints the recorded commands and their output as text, as the session's screens
showed it: the cluster moves between and under them as it did in the session (a hop a
key in step mode), so the words are the same.
--cast, --svg and --hops write files instead of playing: an asciinema v2 recording of
the screens, a picture of the flow diagram (at the end, or after step --at N; with
--animate the diagram as each step left it, a second each, looping), and the hops
(JSON when the file name ends in .json, else text, one line a hop).`,
	KO: `kubeplay --record FILE로 녹화한 세션을, 녹화할 때의 시드와 옵션으로 만든 시뮬레이션
클러스터에서 재생해요 (Docker에서 녹화한 세션은 시뮬레이션 컨테이너로 재생하고, 화면에 그렇게
표시해요). 화면은 녹화한 세션과 바이트 하나까지 같아요.

TUI에서는 녹화한 속도대로 재생하거나(space: 일시정지), --step을 주면 키를 누를 때마다 한
단계씩 재생해요. 한 단계는 입력한 명령 한 줄이나 제어 키(스텝, 모드, 발표자 모드, 지난 시점)
하나이고, 단계 사이는 녹화한 속도대로 흘러가요. 한 번 리허설해 두고 발표는 차분하게 하세요.
q를 누르면 끝나요.

--shell은 녹화한 명령과 그 출력을, 세션 화면에 보였던 그대로 텍스트로 보여 줘요. 명령
사이와 명령이 실행되는 동안 클러스터가 세션에서처럼 움직이니(스텝 모드에서는 키 하나에 홉
하나), 출력도 같아요.
--cast, --svg, --hops는 재생하는 대신 파일을 써요. 화면을 담은 asciinema v2 녹화 파일,
흐름 다이어그램 그림(끝 또는 --at N 단계 뒤, --animate를 주면 단계마다 1초씩 반복해서
보여 주는 애니메이션), 홉 목록(파일 이름이 .json으로 끝나면 JSON, 아니면 홉 하나에 한 줄인
텍스트)이에요.`,
}

// replayFlags are the replay's flags, with their help in both languages.
var replayFlags = map[string]bilingual.Text{
	"step":    {EN: "one step per key press (a typed line, a control key), the time between at its pace", KO: "키를 누를 때마다 한 단계씩 (입력한 한 줄, 제어 키 하나), 단계 사이는 녹화한 속도대로"},
	"shell":   {EN: "print the recorded commands and their output as text, as the session's screens showed it, no TUI", KO: "TUI 없이, 녹화한 명령과 그 출력을 세션 화면에 보였던 그대로 텍스트로 출력"},
	"cast":    {EN: "write the screens as an asciinema v2 file (asciinema play FILE)", KO: "화면을 asciinema v2 파일로 저장 (asciinema play FILE)"},
	"svg":     {EN: "write a picture of the flow diagram as SVG, for slides", KO: "흐름 다이어그램 그림을 슬라이드용 SVG로 저장"},
	"at":      {EN: "with --svg: the picture after step N (0: at the end)", KO: "--svg와 함께: N단계 뒤의 그림 (0: 끝)"},
	"animate": {EN: "with --svg: an animated picture, the diagram as each step left it, a second each, looping", KO: "--svg와 함께: 단계마다 끝난 모습의 다이어그램을 1초씩 반복해서 보여 주는 애니메이션 그림"},
	"hops":    {EN: "write every hop: JSON when FILE ends in .json, else text", KO: "모든 홉을 저장: FILE이 .json으로 끝나면 JSON, 아니면 텍스트"},
	"lang":    {EN: "language of kubeplay's own messages: en or ko (the screens are the recording's)", KO: "kubeplay 메시지 언어: en 또는 ko (화면은 녹화한 언어 그대로)"},
}

// replayCmd is `kubeplay replay FILE`.
func replayCmd(h *house, stdin io.Reader, stdout, stderr io.Writer, code *int) *cobra.Command {
	var f flags
	var step, shell, animate bool
	var cast, svg, hops string
	var at int
	cmd := &cobra.Command{
		Use:   "replay FILE",
		Short: "Play a session recorded with kubeplay --record, or export it (asciinema, SVG, hops)",
		Long:  replayHelp.EN,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return errors.New(f.lang.Pick("kubeplay replay takes one recording: kubeplay replay demo.kpr", "kubeplay replay에는 녹화 파일 하나를 주세요: kubeplay replay demo.kpr"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.checkLang(); err != nil {
				return err
			}
			export := cast != "" || svg != "" || hops != ""
			switch {
			case shell && (export || step):
				return errors.New(f.lang.Pick("--shell prints text: it takes neither --step nor --cast, --svg, --hops", "--shell은 텍스트를 출력해요. --step, --cast, --svg, --hops와 함께 쓸 수 없어요"))
			case step && export:
				return errors.New(f.lang.Pick("--step plays in the TUI; --cast, --svg and --hops write files without it", "--step은 TUI에서 재생할 때 써요. --cast, --svg, --hops는 TUI 없이 파일을 써요"))
			case cmd.Flags().Changed("at") && svg == "":
				return errors.New(f.lang.Pick("--at says when to draw the --svg picture: give --svg FILE too", "--at은 --svg 그림을 그릴 시점이에요. --svg FILE도 함께 주세요"))
			case animate && svg == "":
				return errors.New(f.lang.Pick("--animate animates the --svg picture: give --svg FILE too", "--animate는 --svg 그림을 움직이게 해요. --svg FILE도 함께 주세요"))
			case animate && cmd.Flags().Changed("at"):
				return errors.New(f.lang.Pick("--at draws one step and --animate every step: give one of them", "--at은 한 단계를, --animate는 모든 단계를 그려요. 둘 중 하나만 주세요"))
			}
			rec, err := record.Open(args[0], f.lang)
			if err != nil {
				return err
			}
			if rec.Truncated {
				fmt.Fprintln(stderr, "kubeplay: "+f.lang.Pick("the recording's last line was cut short (the session ended while writing it): replaying what came before",
					"녹화 파일의 마지막 줄이 잘려 있어요 (세션이 쓰는 도중에 끝났어요). 그 앞까지 재생해요"))
			}
			if rec.Header.Runtime != "sim" {
				fmt.Fprintln(stderr, "kubeplay: "+f.lang.Pick("recorded on "+runtimeName(rec.Header.Runtime, f.lang)+", replayed on simulated containers",
					runtimeName(rec.Header.Runtime, f.lang)+"에서 녹화한 세션을 시뮬레이션 컨테이너로 재생해요"))
			}
			switch {
			case shell:
				*code, err = replayShell(h, rec, f.lang, stdout, stderr)
				return err
			case export:
				return replayExport(rec, ui.Export{Lang: f.lang, At: at, Animate: animate, HopsJSON: strings.EqualFold(filepath.Ext(hops), ".json")}, cast, svg, hops, f.lang, stdout)
			}
			if err := screenInput(stdin, f.lang); err != nil {
				return err
			}
			defer h.windsDown()()
			return ui.RunReplay(h.ctx, rec, replayClusters, step, stdin, stdout)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&step, "step", false, replayFlags["step"].EN)
	fl.BoolVar(&shell, "shell", false, replayFlags["shell"].EN)
	fl.StringVar(&cast, "cast", "", replayFlags["cast"].EN)
	fl.StringVar(&svg, "svg", "", replayFlags["svg"].EN)
	fl.IntVar(&at, "at", 0, replayFlags["at"].EN)
	fl.BoolVar(&animate, "animate", false, replayFlags["animate"].EN)
	fl.StringVar(&hops, "hops", "", replayFlags["hops"].EN)
	f.registerLang(cmd)
	fl.Lookup("lang").Usage = replayFlags["lang"].EN
	bilingualHelp(cmd, &f.lang, replayHelp, replayFlags)
	return cmd
}

// bilingualHelp makes cmd's --help speak the language --lang (or the
// locale) asks: its long text and its flags' usage.
func bilingualHelp(cmd *cobra.Command, lang *bilingual.Lang, long bilingual.Text, usage map[string]bilingual.Text) {
	def := cmd.HelpFunc()
	cmd.SetHelpFunc(func(c *cobra.Command, args []string) {
		l, err := bilingual.Parse(string(*lang))
		if err != nil {
			l = bilingual.English
		}
		c.Long = long.In(l)
		for name, t := range usage {
			if fl := c.Flags().Lookup(name); fl != nil {
				fl.Usage = t.In(l)
			}
		}
		def(c, args)
	})
}

// replayCluster is the cluster a recording's header describes, on the
// simulated runtime.
func replayCluster(h record.Header) cluster.Options {
	return cluster.Options{Seed: h.Seed, Nodes: h.Nodes, NodeCPU: h.NodeCPU, NodeMemory: h.NodeMemory, IngressPort: h.IngressPort, Lang: h.Language()}
}

// replayClusters are the clusters a replay in the TUI runs on: simulated,
// of the recorded seed and options (ui.ReplayClusters).
func replayClusters(h record.Header) (ui.Clusters, func()) {
	cs := &launch.Clusters{Runtime: launch.Sim, IngressPort: h.IngressPort, Cluster: replayCluster(h)}
	return cs, cs.Stop
}

// replayShell prints rec's commands and what each printed, as the
// session's output pane showed it: the session replayed in its screens
// (ui.Replay.Transcript), so the cluster moves between and under the
// commands as it did — a hop a key in step mode, with the animation in
// paced mode, with the clock in free mode. A recording with commands but
// no keys (not made by kubeplay's screens) runs them as kubeplay shell
// does, and says so, as it says what it could not replay exactly.
func replayShell(h *house, rec *record.Recording, lang bilingual.Lang, stdout, stderr io.Writer) (int, error) {
	note := func(en, ko string, args ...any) { fmt.Fprintf(stderr, "kubeplay: "+lang.Pick(en, ko)+"\n", args...) }
	if rec.Inputs() == 0 {
		note("the recording has commands but no keys: each runs as kubeplay shell runs it, the cluster moving on freely between them, not as a session's screens showed it",
			"녹화 파일에 명령은 있지만 키 입력이 없어요. 명령마다 kubeplay shell처럼 실행하고 그 사이에 클러스터가 자유롭게 흘러가요. 세션 화면에 보였던 출력과 다를 수 있어요")
		return scriptShell(h, rec, lang, stdout, stderr)
	}
	if rec.Header.Runtime != "sim" {
		note("what the commands print here is the simulated cluster's answer, not the words the session's screens showed",
			"여기 출력되는 명령 결과는 시뮬레이션 클러스터의 응답이에요. 세션 화면에 보였던 내용과 다를 수 있어요")
	}
	r, err := ui.NewReplay(rec, replayClusters)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	t, err := r.Transcript(stdout)
	if err != nil {
		return 0, err
	}
	if t.Running != "" {
		note("the session ended while %q ran: its output above is what the screen showed of it by then",
			"%q 명령이 실행되는 도중에 세션이 끝났어요. 위의 출력은 그때까지 화면에 보였던 내용이에요", t.Running)
	}
	if rec.Header.Runtime != "sim" {
		return t.Code, nil // said above
	}
	switch n := t.Parted(); {
	case (n > 0 || t.Missed > 0) && r.OutsideNote(lang) != "":
		// It went another way because the session served the learner's
		// own kubectl, whose requests are not sent again: say so, and
		// from where, not only that it did.
		note("%s: %s", "%s. %s", r.OutsideNote(lang), lang.Pick("the output may differ from what its screens showed", "출력이 세션 화면과 다를 수 있어요"))
	case n > 0:
		note("the replay went another way than the session from its command %d on: the output may differ from what its screens showed",
			"재생이 %d번째 명령부터 녹화된 세션과 다르게 흘러갔어요. 출력이 세션 화면과 다를 수 있어요", n)
	case t.Missed > 0:
		note("the replay went another way than the session (%d timers or answers it did not hear): the output may differ from what its screens showed",
			"재생이 녹화된 세션과 다르게 흘러갔어요 (듣지 못한 타이머나 응답 %d개). 출력이 세션 화면과 다를 수 있어요", t.Missed)
	}
	return t.Code, nil
}

// scriptShell runs rec's commands as kubeplay shell does, on a new
// simulated cluster of rec's seed and options, each at the cluster time
// it ran at in the session (a sleep brings the cluster there).
func scriptShell(h *house, rec *record.Recording, lang bilingual.Lang, stdout, stderr io.Writer) (int, error) {
	c, stop, err := launch.Start(h.ctx, launch.Options{Runtime: launch.Sim, Cluster: replayCluster(rec.Header)})
	if err != nil {
		return 0, err
	}
	h.exits.Add(stop)
	in := record.Script(rec, c.Elapsed)
	return console.New(c, stdout, stderr, console.Options{Echo: true, Lang: lang, ReadFile: lessonManifest}).Run(in), nil
}

// lessonManifest is kubectl's -f in a replayed session: the manifests
// the lessons offer by name (a session may have applied a lesson's
// web-pod.yaml), then the disk.
func lessonManifest(name string) ([]byte, error) {
	if all, err := lessons.All(); err == nil {
		for _, l := range all {
			if data, ok := l.Manifests()[name]; ok {
				return data, nil
			}
		}
	}
	return os.ReadFile(name)
}

// replayExport writes the files asked for, and says what it wrote.
func replayExport(rec *record.Recording, x ui.Export, cast, svg, hops string, lang bilingual.Lang, stdout io.Writer) error {
	var files []*os.File
	open := func(path string) (io.Writer, error) {
		if path == "" {
			return nil, nil
		}
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		return f, nil
	}
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	var err error
	if x.Cast, err = open(cast); err != nil {
		return err
	}
	if x.SVG, err = open(svg); err != nil {
		return err
	}
	if x.Hops, err = open(hops); err != nil {
		return err
	}
	r, err := ui.NewReplay(rec, replayClusters)
	if err != nil {
		return err
	}
	defer r.Close()
	out, err := r.Export(x)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := f.Close(); err != nil {
			return err
		}
	}
	files = nil
	if cast != "" {
		fmt.Fprintf(stdout, lang.Pick("wrote %s: asciinema v2, %d events, %s\n", "%s 저장: asciinema v2, 이벤트 %d개, %s\n"), cast, out.Frames, out.Duration.Round(1e6))
	}
	switch {
	case svg != "" && x.Animate:
		fmt.Fprintf(stdout, lang.Pick("wrote %s: the flow diagram animated, %d pictures of %d steps, a second each\n", "%[1]s 저장: 흐름 다이어그램 애니메이션, %[3]d단계 중 그림 %[2]d장, 한 장에 1초\n"), svg, out.Pictures, out.Steps)
	case svg != "":
		when := lang.Pick("at the end", "끝")
		if x.At > 0 {
			when = fmt.Sprintf(lang.Pick("after step %d of %d", "%[2]d단계 중 %[1]d단계 뒤"), x.At, out.Steps)
		}
		fmt.Fprintf(stdout, lang.Pick("wrote %s: the flow diagram %s\n", "%s 저장: 흐름 다이어그램 (%s)\n"), svg, when)
	}
	if hops != "" {
		fmt.Fprintf(stdout, lang.Pick("wrote %s: %d hops\n", "%s 저장: 홉 %d개\n"), hops, out.Hops)
	}
	if n := r.Missed(); n > 0 && rec.Header.Runtime == "sim" {
		if why := r.OutsideNote(lang); why != "" {
			fmt.Fprintf(stdout, lang.Pick("note: %s\n", "참고: %s\n"), why)
			return nil
		}
		fmt.Fprintf(stdout, lang.Pick("note: the replay went another way than the recording (%d timers it did not set)\n", "참고: 재생이 녹화와 다르게 흘러갔어요 (설정되지 않은 타이머 %d개)\n"), n)
	}
	return nil
}

// runtimeName is how a recording's runtime is said.
func runtimeName(rt string, lang bilingual.Lang) string {
	switch rt {
	case "docker":
		return "Docker"
	case "real":
		return lang.Pick("a real cluster", "진짜 클러스터")
	}
	return rt
}
