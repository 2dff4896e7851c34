// Command kubeplay is a Kubernetes playground in the terminal.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/guest/multicall"
	"github.com/kubeplay/kubeplay/engine/runtime/docker"
	"github.com/kubeplay/kubeplay/ui"
	"golang.org/x/term"

	"github.com/spf13/cobra"
)

func main() {
	// Inside a container kubeplay is the demo app, the pod sandbox or a
	// shell command (engine/guest/multicall), not the playground.
	if code, ok := multicall.Main(os.Args, os.Stdin, os.Stdout, os.Stderr); ok {
		os.Exit(code)
	}
	cluster.TuneGC() // a big simulated cluster's memory stays under its limit
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// tuiCmd makes root open the TUI when run without a sub-command.
func tuiCmd(root *cobra.Command, h *house) {
	var f flags
	f.registerCluster(root)
	f.registerAPI(root)
	f.registerTUI(root)
	root.Args = cobra.NoArgs
	root.RunE = func(c *cobra.Command, _ []string) error {
		if err := screenInput(c.InOrStdin(), f.lang); err != nil {
			return err
		}
		if err := f.checkAttach(c); err != nil {
			return err
		}
		if f.kubeconfig != "" {
			f.listen = "off" // the learner's kubectl reaches the real cluster itself
		}
		o, stop, err := f.tui(c.ErrOrStderr())
		if err != nil {
			return err
		}
		h.exits.Add(stop)
		if f.kubeconfig != "" {
			real, err := h.attach(&f, c.InOrStdin(), isTerminal(c.InOrStdin()), c.ErrOrStderr())
			if err != nil {
				return err
			}
			o.Clusters = &attachedClusters{real: real, Clusters: o.Clusters, h: h, f: &f, errOut: c.ErrOrStderr()}
		}
		defer h.windsDown()()
		return ui.Run(h.ctx, o, c.InOrStdin(), c.OutOrStdout())
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:           "kubeplay",
		Short:         "A Kubernetes playground in the terminal",
		Long:          "kubeplay runs a small Kubernetes cluster in one process and shows every hop of every request.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.CompletionOptions.DisableDefaultCmd = true
	h := newHouse()
	defer h.close()

	var f flags
	var trace, strict, echo bool
	var code int
	shellCmd := &cobra.Command{
		Use:   "shell",
		Short: "Drive the cluster line by line from standard input, as kubectl would",
		Long: `Reads kubectl commands (the word kubectl is optional) from standard input and
prints what kubectl prints. Extra words: sleep DURATION (cluster time), trace on|off, help, exit.
With the simulated runtime, the same input and --seed give the same output byte for byte.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			interactive := isTerminal(stdin)
			if err := f.checkAttach(cmd); err != nil {
				return err
			}
			if f.kubeconfig != "" {
				var err error
				code, err = h.attachedShell(&f, interactive, console.Options{Trace: trace, Strict: strict, Lang: f.lang, Echo: echo}, stdin, stdout, stderr)
				return err
			}
			// The API is served when a person types (or when asked): piped
			// input keeps the cluster in virtual time, byte for byte.
			serve := (interactive || cmd.Flags().Changed("listen")) && f.api().On()
			epoch := time.Time{}
			if serve {
				epoch = f.api().Epoch()
			}
			c, err := h.startCluster(&f, epoch, stderr)
			if err != nil {
				return err
			}
			opts := console.Options{Trace: trace, Strict: strict, Lang: f.lang, Echo: echo}
			if interactive {
				opts.Prompt = "kubeplay$ "
				rt := "simulated containers"
				if !c.Capabilities().SimulatedContainers {
					rt = "Docker containers"
				}
				fmt.Fprintf(stdout, "kubeplay shell · %d nodes · runtime: %s · type help\n", f.nodes, rt)
			}
			in := stdin
			live := false // the cluster runs on while the learner types
			if serve {
				api, banner, err := h.serve(&f, c, cmd.Flags().Changed("listen"))
				if err != nil {
					return err
				}
				fmt.Fprint(stderr, banner)
				if api != nil {
					defer api.Close()
					live = true
				}
			}
			if interactive && c.Realtime() {
				live = true // the cluster's time is the wall's: it runs on
			}
			if interactive && c.Capabilities().StreamingExec {
				// kubectl exec -it borrows the terminal, which needs the
				// input live.
				live = true
				opts.Terminal, _ = stdin.(*os.File)
			}
			if live {
				in = console.LiveInput(c, stdin)
			}
			code = console.New(c, stdout, stderr, opts).Run(in)
			return nil
		},
	}
	f.registerCluster(shellCmd)
	shellCmd.Flags().BoolVar(&trace, "trace", false, "print every hop between components")
	shellCmd.Flags().BoolVar(&strict, "strict", false, "stop at the first failed command and exit with its code")
	shellCmd.Flags().BoolVar(&echo, "echo", false, "print each command before its output, as a transcript")
	f.registerAPI(shellCmd)
	root.AddCommand(shellCmd, cleanupCmd(stdin, stdout, stderr))
	root.AddCommand(lessonsCmd(stdout, stderr), lessonCmd(h, stdin, stdout, stderr, &code))
	root.AddCommand(replayCmd(h, stdin, stdout, stderr, &code))
	root.AddCommand(examCmd(h, stdin, stdout, stderr, &code))
	tuiCmd(root, h) // no sub-command: the TUI

	err := root.Execute()
	h.exits.Run()
	if err != nil {
		fmt.Fprintln(stderr, "kubeplay: "+err.Error())
	}
	if sig, ok := h.stoppedBy(); ok {
		return sig // as a signal's handler would have: the same code either way
	}
	if err != nil {
		return 2
	}
	return code
}

// cleanupCmd is `kubeplay cleanup`: remove every container and network
// any kubeplay run left on the Docker daemon, and say what went.
func cleanupCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	var f flags
	cmd := &cobra.Command{
		Use:   "cleanup",
		Short: "Remove every container and network kubeplay made on the Docker daemon (with --kubeconfig: its namespaces on a real cluster)",
		Long: `Removes every Docker container and network that carries kubeplay's labels, from this
run or any other, and lists what it removed. Nothing without kubeplay's labels is touched.

With --kubeconfig (and --context), it removes instead every namespace on that real cluster
labelled app.kubernetes.io/managed-by=kubeplay — those kubeplay made for lesson runs — and
nothing else; the Docker daemon is left alone.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.checkLang(); err != nil {
				return err
			}
			if f.kubeconfig != "" {
				return cleanupReal(&f, stdin, stdout, stderr)
			}
			if cmd.Flags().Changed("context") || cmd.Flags().Changed("yes") {
				return errors.New(f.lang.Pick("--context and --yes need --kubeconfig: kubeplay cleanup touches a real cluster only when told which kubeconfig",
					"--context와 --yes는 --kubeconfig와 함께 써요. kubeplay cleanup은 kubeconfig를 직접 받았을 때만 진짜 클러스터를 건드려요"))
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			removed, err := docker.CleanupAll(ctx)
			for _, r := range removed {
				fmt.Fprintln(stdout, "removed "+r)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "kubeplay cleanup: %d objects removed\n", len(removed))
			return nil
		},
	}
	f.registerLang(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.kubeconfig, "kubeconfig", "", "remove the namespaces kubeplay made on the real cluster of this kubeconfig (only those)")
	fl.StringVar(&f.context, "context", "", "the kubeconfig context (default: its current context)")
	fl.BoolVar(&f.yes, "yes", false, "do not ask even when the context is not obviously local")
	return cmd
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	// A character device is not enough: /dev/null is one, and a shell
	// reading from it would print prompts nobody answers. Ask for a
	// terminal as isatty does.
	return term.IsTerminal(int(f.Fd()))
}

// noKeys is why the TUI does not start on input it cannot wait on.
var noKeys = bilingual.Text{
	EN: "kubeplay's screens read keys from a terminal, and standard input is a file or a device that is none (such as /dev/null); to run kubectl commands from a file, use kubeplay shell < FILE",
	KO: "kubeplay 화면은 터미널에서 키를 읽는데, 표준 입력이 파일이거나 터미널이 아닌 장치(/dev/null 같은)예요. 파일에 적힌 kubectl 명령을 실행하려면 kubeplay shell < FILE을 쓰세요",
}

// screenInput says why the TUI cannot read its keys from in, if it
// cannot: a regular file or a device that is no terminal (/dev/null) has
// nothing to wait on, and Bubble Tea would fail saying only that epoll
// refused it. A terminal it reads, and a pipe (a test's keys).
func screenInput(in io.Reader, lang bilingual.Lang) error {
	f, ok := in.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil {
		return nil
	}
	if st.Mode().IsRegular() || (st.Mode()&os.ModeDevice != 0 && !term.IsTerminal(int(f.Fd()))) {
		return errors.New(noKeys.In(lang))
	}
	return nil
}
