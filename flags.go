package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/ingress"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/engine/serve"
	"github.com/kubeplay/kubeplay/ui"
	"github.com/kubeplay/kubeplay/ui/record"

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
	// ingressPort is where the ingress controller listens; 0: no
	// ingress controller.
	ingressPort int
	lang        bilingual.Lang
	// The API served to the learner's own kubectl.
	listen          string
	listenAny       bool
	writeKubeconfig bool
	// The TUI.
	presenter bool
	theme     string
	record    string // --record FILE
	// A real cluster to attach to instead of starting the embedded one.
	kubeconfig string
	context    string
	namespace  string
	yes        bool
}

// registerCluster adds the flags that describe the cluster.
func (f *flags) registerCluster(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.runtime, "runtime", launch.Auto, "container runtime: auto (Docker when its daemon answers, else simulated), sim or docker")
	fl.IntVar(&f.nodes, "nodes", 3, "number of nodes")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of the random source: the same input and seed give the same output")
	fl.StringVar(&f.nodeCPU, "node-cpu", "4", "allocatable cpu of each node")
	fl.StringVar(&f.nodeMemory, "node-memory", "8Gi", "allocatable memory of each node")
	fl.IntVar(&f.ingressPort, "ingress-port", ingress.DefaultPort, "port of the ingress controller on 127.0.0.1 (IngressClass kubeplay); 0: no ingress controller")
	f.registerLang(cmd)
	f.registerAttach(cmd)
}

// registerAttach adds the flags that attach to a real cluster instead.
// $KUBECONFIG alone never does: kubeplay's own cluster stays the default,
// so a learner's team cluster is not touched by surprise.
func (f *flags) registerAttach(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.kubeconfig, "kubeconfig", "", "attach to the real cluster of this kubeconfig instead of starting kubeplay's own ($KUBECONFIG alone does not)")
	fl.StringVar(&f.context, "context", "", "the kubeconfig context to attach to (default: its current context)")
	fl.StringVarP(&f.namespace, "namespace", "n", "", "the namespace in view on the real cluster (default: the context's, else default)")
	fl.BoolVar(&f.yes, "yes", false, "attach without asking even when the context is not obviously local (kind-*, k3d-*, minikube, docker-desktop, a loopback server)")
}

// embeddedOnly are the flags that describe kubeplay's own cluster: with
// --kubeconfig the cluster is a real one, and they are refused rather
// than ignored.
var embeddedOnly = []string{"runtime", "nodes", "seed", "node-cpu", "node-memory", "ingress-port"}

// attachOnly are the flags that mean something only with --kubeconfig.
var attachOnly = []string{"context", "namespace", "yes"}

// checkAttach says what is wrong with the attach flags cmd was given.
func (f *flags) checkAttach(cmd *cobra.Command) error {
	changed := func(names []string) string {
		for _, n := range names {
			if cmd.Flags().Lookup(n) != nil && cmd.Flags().Changed(n) {
				return n
			}
		}
		return ""
	}
	if f.kubeconfig == "" {
		if n := changed(attachOnly); n != "" {
			return fmt.Errorf("--%s %s", n, f.lang.Pick("needs --kubeconfig: kubeplay attaches to a real cluster only when told which kubeconfig", "는 --kubeconfig와 함께 써요. kubeplay는 kubeconfig를 직접 받았을 때만 진짜 클러스터에 연결해요"))
		}
		return nil
	}
	if n := changed(embeddedOnly); n != "" {
		return fmt.Errorf("--%s %s", n, f.lang.Pick("describes kubeplay's own cluster; with --kubeconfig the cluster is the real one", "는 kubeplay 내장 클러스터의 설정이에요. --kubeconfig를 주면 클러스터는 진짜 클러스터예요"))
	}
	return nil
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
	fl.StringVar(&f.record, "record", "", "record the session to FILE as it goes (kubeplay replay FILE plays it, or exports it)")
}

// tuiOnly are the flags only the TUI reads: `kubeplay lesson --shell`
// refuses them rather than ignore them.
var tuiOnly = []string{"listen", "listen-any", "write-kubeconfig", "presenter", "theme", "record"}

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
	if f.ingressPort < 0 || f.ingressPort > 65535 {
		return fmt.Errorf("--ingress-port must be between 0 (no ingress controller) and 65535, not %d", f.ingressPort)
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
	return cluster.Options{Seed: f.seed, Nodes: f.nodes, NodeCPU: f.nodeCPU, NodeMemory: f.nodeMemory, IngressPort: f.ingressPort, Epoch: epoch, Lang: f.lang}
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
	clusters := &launch.Clusters{Runtime: f.runtime, Cluster: f.cluster(time.Time{}), IngressPort: f.ingressPort, Epoch: where.Epoch}
	o = ui.Options{Lang: f.lang, Nodes: f.nodes, Presenter: f.presenter, Theme: kind, Notices: errOut, Clusters: clusters}
	if f.record != "" {
		o.Record = &ui.Recording{Path: f.record, Header: record.Header{Seed: f.seed, Asked: f.runtime, NodeCPU: f.nodeCPU, NodeMemory: f.nodeMemory, IngressPort: f.ingressPort}}
	}
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
