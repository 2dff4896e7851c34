package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/engine/serve"
	"github.com/kubeplay/kubeplay/ui"

	"github.com/spf13/cobra"
)

// flags are every flag of kubeplay's front ends in one place, as kind's
// `create cluster` flagpole holds its own: `kubeplay`, `kubeplay shell`
// and `kubeplay lesson` register the groups they take, so that a flag is
// spelled, defaulted, checked and explained the same wherever it is.
type flags struct {
	// The cluster (every front end).
	runtime    string
	nodes      int
	seed       uint64
	nodeCPU    string
	nodeMemory string
	lang       bilingual.Lang
	// The API served to the learner's own kubectl.
	listen          string
	listenAny       bool
	writeKubeconfig bool
	// The TUI.
	presenter bool
	theme     string
}

// registerCluster adds the flags that describe the cluster.
func (f *flags) registerCluster(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.runtime, "runtime", launch.Auto, "container runtime: auto (Docker when its daemon answers, else simulated), sim or docker")
	fl.IntVar(&f.nodes, "nodes", 3, "number of nodes")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of the random source: the same input and seed give the same output")
	fl.StringVar(&f.nodeCPU, "node-cpu", "4", "allocatable cpu of each node")
	fl.StringVar(&f.nodeMemory, "node-memory", "8Gi", "allocatable memory of each node")
	f.registerLang(cmd)
}

// registerLang adds --lang alone (`kubeplay lessons` starts no cluster).
func (f *flags) registerLang(cmd *cobra.Command) {
	cmd.Flags().StringVar((*string)(&f.lang), "lang", defaultLang(), "language of kubeplay's own messages and screens: en or ko")
}

// registerAPI adds the flags that say where the API is served.
func (f *flags) registerAPI(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", serve.DefaultAddr, "serve the Kubernetes API here for your own kubectl (\"off\": do not); a shell reading a pipe serves it only when asked")
	fl.BoolVar(&f.listenAny, "listen-any", false, "allow --listen on a non-loopback address (only the token in kubeplay's kubeconfig keeps others out)")
	fl.BoolVar(&f.writeKubeconfig, "write-kubeconfig", false, "add a kubeplay context to $KUBECONFIG (or ~/.kube/config) and switch to it, instead of writing kubeplay's own kubeconfig file")
}

// registerTUI adds the flags of the TUI's looks.
func (f *flags) registerTUI(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.presenter, "presenter", false, "presenter mode for workshops: every pane the full width, command output below the cluster, keys shown")
	fl.StringVar(&f.theme, "theme", "auto", "theme: auto (dark or light), high-contrast or no-color")
}

// tuiOnly are the flags only the TUI reads: `kubeplay lesson --shell`
// refuses them rather than ignore them.
var tuiOnly = []string{"listen", "listen-any", "write-kubeconfig", "presenter", "theme"}

// defaultLang reads the user's locale: Korean when LANG says so.
func defaultLang() string {
	return string(bilingual.FromLocale(os.Getenv("LC_ALL"), os.Getenv("LANG")))
}

// check says what is wrong with --lang or --runtime, if anything; the
// cluster checks the rest as it starts (--nodes, --node-cpu…).
func (f *flags) check() error {
	if err := f.checkLang(); err != nil {
		return err
	}
	return launch.CheckRuntime(f.runtime)
}

// checkLang says what is wrong with --lang, if anything.
func (f *flags) checkLang() error {
	if _, err := bilingual.Parse(string(f.lang)); err != nil {
		return fmt.Errorf("--lang %w", err)
	}
	return nil
}

// cluster is the cluster the flags describe, its time starting at epoch
// (cluster.Options.Epoch).
func (f *flags) cluster(epoch time.Time) cluster.Options {
	return cluster.Options{Seed: f.seed, Nodes: f.nodes, NodeCPU: f.nodeCPU, NodeMemory: f.nodeMemory, Epoch: epoch, Lang: f.lang}
}

// api is where the flags ask the API to be served.
func (f *flags) api() serve.Options {
	return serve.Options{Addr: f.listen, AnyInterface: f.listenAny, WriteKubeconfig: f.writeKubeconfig}
}

// tui is the TUI's options: its clusters are the ones the flags describe,
// each served to the learner's own kubectl as it starts, in place of the
// one before (its time starting at its own now then); its notices go to
// errOut. stop is for main's way out: it stops whatever of the clusters
// is still running and takes away the kubeconfig written for the API.
func (f *flags) tui(errOut io.Writer) (o ui.Options, stop func(), err error) {
	if err := f.check(); err != nil {
		return ui.Options{}, nil, err
	}
	kind, err := ui.ThemeKind(f.theme)
	if err != nil {
		return ui.Options{}, nil, err
	}
	where := f.api()
	clusters := &launch.Clusters{Runtime: f.runtime, Cluster: f.cluster(time.Time{}), Epoch: where.Epoch}
	o = ui.Options{Lang: f.lang, Nodes: f.nodes, Presenter: f.presenter, Theme: kind, Notices: errOut, Clusters: clusters}
	if !where.On() {
		return o, clusters.Stop, nil
	}
	// A cluster not served is no failure: the banner says why, and the
	// TUI goes on without the API.
	api := serve.NewAPI(where)
	clusters.OnStart = func(c backend.Cluster) func() {
		_, _ = api.Serve(c, f.lang)
		return func() { api.Unserve(c) }
	}
	o.API = api
	return o, func() { clusters.Stop(); api.Close() }, nil
}
