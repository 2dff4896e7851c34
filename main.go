// Command kubeplay is a Kubernetes playground in the terminal.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/guest/multicall"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/engine/runtime/docker"
	"github.com/kubeplay/kubeplay/engine/serve"
	"github.com/kubeplay/kubeplay/ui"

	"github.com/spf13/cobra"
)

func main() {
	// Inside a container kubeplay is the demo app, the pod sandbox or a
	// shell command (engine/guest/multicall), not the playground.
	if code, ok := multicall.Main(os.Args, os.Stdin, os.Stdout, os.Stderr); ok {
		os.Exit(code)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// clusterFlags are the flags every front end shares.
type clusterFlags struct {
	runtime    string
	nodes      int
	seed       uint64
	nodeCPU    string
	nodeMemory string
	lang       bilingual.Lang
	epoch      time.Time // see cluster.Options.Epoch
}

func (f *clusterFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.runtime, "runtime", "auto", "container runtime: auto, sim or docker")
	fl.IntVar(&f.nodes, "nodes", 3, "number of nodes")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of the random source: the same input and seed give the same output")
	fl.StringVar(&f.nodeCPU, "node-cpu", "4", "allocatable cpu of each node")
	fl.StringVar(&f.nodeMemory, "node-memory", "8Gi", "allocatable memory of each node")
	fl.StringVar((*string)(&f.lang), "lang", defaultLang(), "language of kubeplay's own messages: en or ko")
}

// defaultLang reads the user's locale: Korean when LANG says so.
func defaultLang() string {
	return string(bilingual.FromLocale(os.Getenv("LC_ALL"), os.Getenv("LANG")))
}

// checkLang says what is wrong with a --lang, if anything.
func checkLang(lang bilingual.Lang) error {
	if _, err := bilingual.Parse(string(lang)); err != nil {
		return fmt.Errorf("--lang %w", err)
	}
	return nil
}

// tuiCmd makes root open the TUI when run without a sub-command, with the
// TUI's own flags.
func tuiCmd(root *cobra.Command) {
	var o ui.Options
	var themeName, runtime string
	var seed uint64
	fl := root.Flags()
	fl.StringVar((*string)(&o.Lang), "lang", defaultLang(), "language of the UI: en or ko")
	fl.Uint64Var(&seed, "seed", 1, "seed of the random source")
	fl.IntVar(&o.Nodes, "nodes", 3, "number of nodes")
	fl.StringVar(&runtime, "runtime", launch.Auto, "container runtime: auto (Docker when its daemon answers, else simulated), sim or docker")
	fl.BoolVar(&o.Presenter, "presenter", false, "presenter mode for workshops: every pane the full width, command output below the cluster, keys shown")
	fl.StringVar(&themeName, "theme", "auto", "theme: auto (dark or light), high-contrast or no-color")
	fl.StringVar(&o.API.Addr, "listen", serve.DefaultAddr, "serve the Kubernetes API here for your own kubectl (\"off\": do not)")
	fl.BoolVar(&o.API.AnyInterface, "listen-any", false, "allow --listen on a non-loopback address (only the token in kubeplay's kubeconfig keeps others out)")
	fl.BoolVar(&o.API.WriteKubeconfig, "write-kubeconfig", false, "add a kubeplay context to $KUBECONFIG (or ~/.kube/config) and switch to it, instead of writing kubeplay's own kubeconfig file")
	root.Args = cobra.NoArgs
	root.RunE = func(c *cobra.Command, _ []string) error {
		if err := checkLang(o.Lang); err != nil {
			return err
		}
		if err := launch.CheckRuntime(runtime); err != nil {
			return err
		}
		kind, err := ui.ThemeKind(themeName)
		if err != nil {
			return err
		}
		o.Theme = kind
		o.Notices = c.ErrOrStderr()
		// Every cluster the TUI starts is served in its turn: each one's
		// time starts at its own now then.
		o.Clusters = launch.Clusters{Runtime: runtime, Cluster: cluster.Options{Seed: seed, Nodes: o.Nodes, Lang: o.Lang}, Epoch: o.API.Epoch}
		return ui.Run(o, c.InOrStdin(), c.OutOrStdout())
	}
}

// options are the cluster the flags describe.
func (f *clusterFlags) options() cluster.Options {
	return cluster.Options{Seed: f.seed, Nodes: f.nodes, NodeCPU: f.nodeCPU, NodeMemory: f.nodeMemory, Epoch: f.epoch, Lang: f.lang}
}

// start launches the cluster the flags describe; notices go to errOut.
// The returned exits remove what the cluster made outside the process
// (and what the caller adds to them); they also run on SIGINT, SIGTERM
// and SIGHUP, and on a panic of the caller once the caller defers run.
func (f *clusterFlags) start(errOut io.Writer) (*cluster.Cluster, *exits, error) {
	if err := checkLang(f.lang); err != nil {
		return nil, nil, err
	}
	c, stop, err := launch.Start(context.Background(), launch.Options{
		Runtime: f.runtime,
		Cluster: f.options(),
		Notice:  func(msg string) { fmt.Fprintln(errOut, "kubeplay: "+msg) },
	})
	if err != nil {
		return nil, nil, err
	}
	e := &exits{}
	e.add(stop)
	stopOnSignal(e.run)
	return c, e, nil
}

// exits are what must not outlive kubeplay — its containers, the
// kubeconfig written for its API — undone once, latest first, on return
// or on a signal.
type exits struct {
	mu  sync.Mutex
	fns []func()
}

func (e *exits) add(fn func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fns = append(e.fns, fn)
}

func (e *exits) run() {
	e.mu.Lock()
	fns := e.fns
	e.fns = nil
	e.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}

// serveFlags say where the API is served for a learner's own kubectl.
type serveFlags struct {
	addr            string
	anyInterface    bool
	writeKubeconfig bool
}

func (f *serveFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "listen", serve.DefaultAddr, "serve the Kubernetes API here for your own kubectl (\"off\": do not); on by default when the shell is interactive")
	fl.BoolVar(&f.anyInterface, "listen-any", false, "allow --listen on a non-loopback address (only the token in kubeplay's kubeconfig keeps others out)")
	fl.BoolVar(&f.writeKubeconfig, "write-kubeconfig", false, "add a kubeplay context to $KUBECONFIG (or ~/.kube/config) and switch to it, instead of writing kubeplay's own kubeconfig file")
}

// on reports whether --listen asks for the API at all.
func (f *serveFlags) on() bool { return f.options().On() }

func (f *serveFlags) options() serve.Options {
	return serve.Options{Addr: f.addr, AnyInterface: f.anyInterface, WriteKubeconfig: f.writeKubeconfig}
}

// start serves c's API unless --listen is off. A port in use is fatal only
// when the address was asked for; by default the shell goes on without
// (the notice says so, and the API returned is nil). The kubeconfig
// written for the API is taken away by exits.
func (f *serveFlags) start(c backend.Cluster, lang bilingual.Lang, asked bool, e *exits) (*serve.API, string, error) {
	api := serve.NewAPI(f.options())
	banner, err := api.Serve(c, lang)
	if err != nil {
		if !asked {
			return nil, serve.NotServing(err), nil
		}
		return nil, "", err
	}
	e.add(api.RemoveAccess)
	return api, banner, nil
}

// stopOnSignal runs stop when the process is told to end, then exits with
// the shell's code for that signal: no container outlives kubeplay.
func stopOnSignal(stop launch.Stopper) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig := <-ch
		console.RestoreTerminal() // kubectl exec -it may hold it raw
		stop()
		os.Exit(128 + int(sig.(syscall.Signal)))
	}()
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

	var cf clusterFlags
	var sf serveFlags
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
			// The API is served when a person types (or when asked): piped
			// input keeps the cluster in virtual time, byte for byte.
			serve := (interactive || cmd.Flags().Changed("listen")) && sf.on()
			if serve {
				cf.epoch = sf.options().Epoch()
			}
			c, stop, err := cf.start(stderr)
			if err != nil {
				return err
			}
			defer stop.run()
			opts := console.Options{Trace: trace, Strict: strict, Lang: cf.lang, Echo: echo}
			if interactive {
				opts.Prompt = "kubeplay$ "
				rt := "simulated containers"
				if !c.Capabilities().SimulatedContainers {
					rt = "Docker containers"
				}
				fmt.Fprintf(stdout, "kubeplay shell · %d nodes · runtime: %s · type help\n", cf.nodes, rt)
			}
			in := stdin
			live := false // the cluster runs on while the learner types
			if serve {
				api, banner, err := sf.start(c, cf.lang, cmd.Flags().Changed("listen"), stop)
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
	cf.register(shellCmd)
	shellCmd.Flags().BoolVar(&trace, "trace", false, "print every hop between components")
	shellCmd.Flags().BoolVar(&strict, "strict", false, "stop at the first failed command and exit with its code")
	shellCmd.Flags().BoolVar(&echo, "echo", false, "print each command before its output, as a transcript")
	sf.register(shellCmd)
	root.AddCommand(shellCmd, cleanupCmd(stdout))
	root.AddCommand(lessonsCmd(stdout, stderr), lessonCmd(stdin, stdout, stderr, &code))
	tuiCmd(root) // no sub-command: the TUI

	if err := root.Execute(); err != nil {
		fmt.Fprintln(stderr, "kubeplay: "+err.Error())
		return 2
	}
	return code
}

// cleanupCmd is `kubeplay cleanup`: remove every container and network
// any kubeplay run left on the Docker daemon, and say what went.
func cleanupCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "cleanup",
		Short: "Remove every container and network kubeplay made on the Docker daemon",
		Long: `Removes every Docker container and network that carries kubeplay's labels, from this
run or any other, and lists what it removed. Nothing without kubeplay's labels is touched.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
