// Package launch starts a cluster on the runtime a user asked for — the
// simulated one, or Docker when its daemon answers — and stops it again,
// removing every container and network it made.
package launch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/runtime/docker"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/image"
	"github.com/kubeplay/kubeplay/engine/sim"
)

// Runtimes a user may ask for.
const (
	Auto   = "auto"
	Sim    = "sim"
	Docker = "docker"
)

// Options say what to start.
type Options struct {
	Runtime string // auto, sim or docker
	Cluster cluster.Options
	// Notice hears one-line messages for the user: which runtime was chosen
	// and why, containers of an earlier run removed, image builds.
	Notice func(string)
	// Fallback, when set, hears why auto chose the simulated runtime (the
	// daemon did not answer), for a front end that shows it apart from the
	// other notices; Notice hears it too.
	Fallback func(why string)
	// Binary is the kubeplay executable the images are built from; empty
	// means this process's own (os.Executable), which a test binary is not.
	Binary string
	// ClusterID names a Docker cluster's objects (its labels, its
	// network); empty picks a random one.
	ClusterID string
}

// CheckRuntime says what is wrong with a --runtime, if anything.
func CheckRuntime(name string) error {
	switch name {
	case Auto, Sim, Docker:
		return nil
	}
	return fmt.Errorf("--runtime must be auto, sim or docker, not %q", name)
}

// Stopper takes a started cluster down; it is safe to call more than once
// and from any goroutine (a signal handler).
type Stopper func()

// Start builds the cluster. With Docker it first removes what dead earlier
// runs left behind and builds kubeplay's images, saying so through Notice.
func Start(ctx context.Context, opts Options) (*cluster.Cluster, Stopper, error) {
	notice := opts.Notice
	if notice == nil {
		notice = func(string) {}
	}
	// A learner's curl from another terminal reaches NodePort Services
	// and the ingress controller.
	opts.Cluster.NodePorts = true
	if opts.Cluster.Notice == nil {
		opts.Cluster.Notice = notice
	}
	if err := CheckRuntime(opts.Runtime); err != nil {
		return nil, nil, err
	}
	if opts.Runtime == Sim {
		c, err := cluster.New(opts.Cluster)
		return c, closer(c), err
	}
	cli, err := docker.Connect(ctx)
	if err != nil {
		if opts.Runtime == Docker {
			return nil, nil, err
		}
		notice("no Docker daemon answered, so containers are simulated (--runtime sim): " + err.Error())
		if opts.Fallback != nil {
			opts.Fallback(err.Error())
		}
		c, err := cluster.New(opts.Cluster)
		return c, closer(c), err
	}
	if removed, err := docker.Reap(ctx, cli); err == nil && len(removed.Containers)+len(removed.Networks) > 0 {
		notice(fmt.Sprintf("removed %d containers and %d networks left by kubeplay runs that are gone", len(removed.Containers), len(removed.Networks)))
	}
	var iopts []image.Option
	if opts.Binary != "" {
		iopts = append(iopts, image.WithBinary(opts.Binary))
	}
	src := image.NewSource(cli, notice, iopts...)
	for _, build := range []func() error{
		func() error { _, err := image.EnsureDemo(ctx, cli, "v1", notice, iopts...); return err },
		func() error { _, _, err := src.Sandbox(ctx); return err },
	} {
		if err := build(); err != nil {
			return nil, nil, fmt.Errorf("building kubeplay's images: %w", err)
		}
	}
	id := opts.ClusterID
	if id == "" {
		id = clusterID()
	}
	var mu sync.Mutex
	var made []*docker.Runtime
	copts := opts.Cluster
	copts.Clock = sim.SystemClock{}
	copts.NewRuntime = func(node string, _ int) (runtime.Runtime, error) {
		rt, err := docker.New(ctx, docker.Config{ClusterID: id, Node: node, Images: src})
		if err == nil {
			mu.Lock()
			made = append(made, rt)
			mu.Unlock()
		}
		return rt, err
	}
	var once sync.Once
	var c *cluster.Cluster
	stop := func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if c != nil {
				_ = c.Close(ctx) // kube-proxy's listeners; the containers go below, with progress
			}
			mu.Lock()
			defer mu.Unlock()
			teardown(ctx, made, notice)
		})
	}
	c, err = cluster.New(copts)
	if err != nil {
		stop()
		return nil, nil, err
	}
	notice(fmt.Sprintf("runtime: Docker (cluster %s); its containers are removed when kubeplay exits", id))
	return c, stop, nil
}

// progressEvery spaces the teardown's progress lines.
const progressEvery = 2 * time.Second

// teardown closes every node's runtime, which removes the cluster's
// containers and then its network, and says how far it got: the daemon
// takes a few seconds for 30 pods, and a silent wait looks like a hang.
func teardown(ctx context.Context, made []*docker.Runtime, notice func(string)) {
	if len(made) == 0 {
		return
	}
	begin := time.Now()
	total, err := made[0].ClusterContainers(ctx)
	if err != nil {
		notice("cleanup: " + err.Error())
	}
	if total > 0 {
		notice("removing this run's " + containers(total) + "…")
	}
	var (
		mu        sync.Mutex // removals report from several goroutines
		removed   int
		lastShown = begin
	)
	tick := func() {
		mu.Lock()
		defer mu.Unlock()
		removed++
		if now := time.Now(); now.Sub(lastShown) >= progressEvery && removed < total {
			lastShown = now
			notice(fmt.Sprintf("removed %d of %s…", removed, containers(total)))
		}
	}
	networks := 0
	for _, rt := range made {
		rm, err := rt.CloseReporting(ctx, tick)
		if err != nil {
			notice("cleanup: " + err.Error())
		}
		networks += len(rm.Networks)
	}
	if total > 0 {
		what := containers(removed)
		if networks > 0 {
			what += " and the cluster's network"
		}
		notice(fmt.Sprintf("removed %s in %.1fs", what, time.Since(begin).Seconds()))
	}
}

func containers(n int) string {
	if n == 1 {
		return "1 container"
	}
	return fmt.Sprintf("%d containers", n)
}

// clusterID names one run's containers; random, as it must differ between
// runs and never collide with another user's.
func clusterID() string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return fmt.Sprintf("%x", os.Getpid())
	}
	return hex.EncodeToString(b)
}

// closer stops a simulated cluster's listeners; it holds nothing else
// outside the process.
func closer(c *cluster.Cluster) Stopper {
	return func() {
		if c != nil {
			_ = c.Close(context.Background())
		}
	}
}

// Clusters start the clusters of a front end that starts more than one —
// the TUI: one when it opens, on the runtime asked for, then a fresh
// simulated one for each lesson or free play on a cluster of its own —
// all of one shape, and stop them: each when the front end lets it go,
// and every one still running at the end (Stop). main builds them from
// the command line, so that the front end knows no runtime. Use a
// pointer: they remember what they started.
type Clusters struct {
	Runtime string // auto (also when empty), sim or docker
	Binary  string // see Options.Binary
	Cluster cluster.Options
	// IngressPort is the ingress controller's port on a cluster Fresh
	// starts for a front end that needs the add-on (a lesson declaring
	// it) when Cluster has none; 0: the add-on is not installed (the
	// learner said --ingress-port=0).
	IngressPort int
	// Epoch, when set, is asked as each cluster starts when its time
	// starts (cluster.Options.Epoch): each new cluster's own now.
	Epoch func() time.Time
	// OnStart, when set, hears each cluster started, before anything
	// runs it: main serves its API there, so that every cluster the front
	// end shows is the one the learner's own kubectl reaches. What it
	// returns (when not nil) is undone before that cluster stops.
	OnStart func(c backend.Cluster) (undo func())

	running Stops // the stop of every cluster started, each once
}

// options are the options of a new cluster with addons
// (backend.AddonIngress) besides what Cluster installs.
func (s *Clusters) options(addons ...string) cluster.Options {
	o := s.Cluster
	if slices.Contains(addons, backend.AddonIngress) && o.IngressPort == 0 {
		o.IngressPort = s.IngressPort
	}
	if s.Epoch != nil {
		o.Epoch = s.Epoch()
	}
	return o
}

// keep tells OnStart of c, remembers its stop for Stop and returns it
// made safe to call more than once: a front end's stop and Stop may both
// come, from two goroutines (a signal's), and the later waits for the
// first.
func (s *Clusters) keep(c backend.Cluster, stop Stopper) func() {
	if s.OnStart != nil {
		if undo := s.OnStart(c); undo != nil {
			st := stop
			stop = func() { undo(); st() }
		}
	}
	once := sync.OnceFunc(stop)
	s.running.Add(once)
	return once
}

// Start starts the first cluster on the runtime asked for; notice hears
// Options.Notice's messages, why is why auto fell back to the simulated
// runtime (empty when it did not), stop takes the cluster down.
func (s *Clusters) Start(ctx context.Context, notice func(string)) (c backend.Cluster, stop func(), why string, err error) {
	rt := s.Runtime
	if rt == "" {
		rt = Auto
	}
	cl, st, err := Start(ctx, Options{Runtime: rt, Binary: s.Binary, Cluster: s.options(), Notice: notice,
		Fallback: func(w string) { why = w }})
	if err != nil {
		return nil, nil, "", err // not a nil *cluster.Cluster in an interface
	}
	return cl, s.keep(cl, st), why, nil
}

// Fresh starts a new simulated cluster with addons (a lesson's, as it
// declares them) besides the add-ons every cluster has; stop takes it
// down (its NodePort listeners), which the front end does when the
// cluster is replaced, and Stop does if it has not.
func (s *Clusters) Fresh(addons ...string) (c backend.Cluster, stop func(), err error) {
	cl, st, err := Start(context.Background(), Options{Runtime: Sim, Cluster: s.options(addons...)})
	if err != nil {
		return nil, nil, err
	}
	return cl, s.keep(cl, st), nil
}

// Stop stops every cluster s started that is not stopped yet, the latest
// first: what main runs on the way out, a signal's included. It is safe
// to call more than once and from any goroutine.
func (s *Clusters) Stop() { s.running.Run() }

// Stops are what must not outlive kubeplay — its clusters' containers,
// the kubeconfig written for its API — undone once, latest first, on the
// way out or on a signal. A second Run waits for the first to finish: a
// signal must not exit while the way out is still removing containers.
type Stops struct {
	running sync.Mutex // held while Run runs
	mu      sync.Mutex
	fns     []func()
}

// Add adds fn to what Run undoes.
func (s *Stops) Add(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fns = append(s.fns, fn)
}

// Run undoes what was added since the last Run, latest first.
func (s *Stops) Run() {
	s.running.Lock()
	defer s.running.Unlock()
	s.mu.Lock()
	fns := s.fns
	s.fns = nil
	s.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}
