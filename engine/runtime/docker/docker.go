// Package docker is the container runtime on the local Docker daemon: pods
// are made as Kubernetes made them with dockershim — one sandbox container
// holding the pod's network namespace on a per-cluster bridge network, and
// the pod's containers joining it (NetworkMode container:<sandbox>), so
// they share the pod IP and localhost.
//
// Every object it creates carries kubeplay's labels (LabelCluster and the
// others below), every list call it makes filters by them, and cleanup
// removes only what carries them: a container or network kubeplay did not
// create is never touched.
//
// Unlike the simulated runtime, calls take real time: create and start
// return when the daemon has done them (about a second for a sandbox).
// StopContainer returns at once, as its wait is the grace period; the exit
// arrives through OnExit.
package docker

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
)

// Labels on every container and network kubeplay creates.
const (
	LabelCluster   = "kubeplay.cluster"
	LabelNode      = "kubeplay.node"
	LabelPod       = "kubeplay.pod" // namespace/name
	LabelPodUID    = "kubeplay.pod-uid"
	LabelContainer = "kubeplay.container" // the container's name in the pod spec
	LabelSandbox   = "kubeplay.sandbox"   // an app container's sandbox ID
	LabelRole      = "kubeplay.role"      // "sandbox" or "container"
	LabelOwnerPID  = "kubeplay.owner-pid"
	LabelOwnerHost = "kubeplay.owner-host"
)

// pingTimeout bounds how long New waits for the daemon: `--runtime auto`
// falls back to the simulated runtime after it.
const pingTimeout = time.Second

// callTimeout bounds one daemon call, so a hung daemon gives an error
// instead of a hung kubelet.
const callTimeout = 60 * time.Second

// Image is what an ImageSource makes of a reference.
type Image struct {
	// Ref is the image on the daemon to create containers from: the
	// reference itself, or a stand-in (the demo image playing nginx).
	Ref string
	// StandIn, when set, is the notice that Ref plays another image.
	StandIn string
	// Binary, when set, is a file on this host holding the same bytes as
	// the image's ImageBinary (kubeplay's own images): the runtime
	// mounts it there, read-only (see binaryMount).
	Binary string
	// Announces says that Ref's own command (kubeplay's demo app) writes
	// a first line once it has started: once it listens, unless its
	// STARTUP_DELAY makes it listen later. A container of it is started
	// when that line is written (StartContainer).
	Announces bool
}

// ImageBinary is where an image kubeplay builds holds the kubeplay binary.
const ImageBinary = "/kubeplay"

// ErrNotProvided is what an ImageSource returns for an image it does not
// make; the runtime then reports runtime.ErrImageNotFound.
var ErrNotProvided = errors.New("image not provided by kubeplay")

// ImageSource makes the images no registry has: kubeplay's own demo image,
// built locally, and stand-ins for well-known images when no registry can
// be reached. The image package implements it; tests use a small one.
type ImageSource interface {
	// Builds says whether ref is one of kubeplay's own images, which are
	// made locally and never pulled.
	Builds(ref string) bool
	// Ensure makes ref runnable on the daemon, or returns ErrNotProvided.
	// It is called for the images it builds, and for others after a real
	// pull failed (to find a stand-in).
	Ensure(ctx context.Context, ref string) (Image, error)
	// Present reports whether an image it builds is on the daemon as
	// this kubeplay would build it (another kubeplay binary may have
	// built one under the same name), and what to run for it.
	Present(ctx context.Context, ref string) (Image, bool)
	// Sandbox is the image and command of the container that holds a
	// pod's namespaces (kubeplay's `pause`); it makes the image if needed.
	Sandbox(ctx context.Context) (image Image, cmd []string, err error)
}

// Config says which cluster and node a runtime serves.
type Config struct {
	ClusterID string // required: the value of LabelCluster
	Node      string // required: the value of LabelNode
	// Network is the cluster's bridge network; default "kubeplay-<ClusterID>".
	// Every node of a cluster shares it.
	Network string
	// Labels are added to every container and network the runtime creates.
	Labels map[string]string
	// Images makes kubeplay's images and stand-ins; without it, only
	// images already on the daemon or pullable run, and RunSandbox fails.
	Images ImageSource
	// LogMaxSize is the size at which a container's log file rotates
	// (json-file's max-size; five files are kept): default 10m, as the
	// kubelet's containerLogMaxSize and containerLogMaxFiles.
	LogMaxSize string
	// StateDir is the cluster's folder, where volumes are; default
	// <user cache>/kubeplay/<ClusterID>. Every node of a cluster shares it.
	StateDir string
}

// Runtime is one node's container runtime on the Docker daemon. It is safe
// for concurrent use.
type Runtime struct {
	cli     *client.Client
	cfg     Config
	version string
	labels  map[string]string // the base labels of everything it creates
	stop    context.CancelFunc
	done    chan struct{} // closed when the event loop has ended

	mu     sync.Mutex
	closed bool
	// creating counts the calls under way that may make a container
	// (beginCreate): Close waits for them before it lists what to remove,
	// so that a container made meanwhile is not left behind.
	creating sync.WaitGroup
	// hookCreate, set by a test before the runtime is used, runs in each
	// call that makes a container just before it asks the daemon.
	hookCreate func()
	onExit     func(runtime.Exit)
	containers map[string]*ctr  // app containers, by ID
	images     map[string]Image // pulled or stood-in images, by reference
	// pause is the sandbox image and command, once the image source has
	// made sure of them (sandboxImage).
	pause *pauseImage
	// binaries are the files mounted over ImageBinary, by the host file
	// each stands for (binaryMount).
	binaries   map[string]string
	sandboxes  map[string]*sandboxState
	podDirs    map[string]string // pod UID -> its folder, which outlives its sandboxes
	onHealth   func(error)
	kick       chan struct{} // asks the health goroutine for a ping now
	stopHealth context.CancelFunc
	healthDone chan struct{}
	// stats are the containers' measured use (pollStats), by ID.
	stats     map[string]*ctrStats
	statsDone chan struct{}
	// toldHostPath is set once the user was told where hostPath volumes are.
	toldHostPath bool
	// lastSnapshot is the Services snapshot last written for the pods,
	// lastDNS the DNS view; dnsNewer says the view was written last.
	lastSnapshot, lastDNS []byte
	dnsNewer              bool
	// pendingDNS is the view to write next: at once, or when the timer
	// armed (dnsArmed) dnsWriteEvery after dnsWritten fires.
	pendingDNS []byte
	dnsArmed   bool
	dnsWritten time.Time
	// writeMu makes the snapshots' writes one at a time.
	writeMu sync.Mutex
	// onDNS is told of the pods' DNS queries (dnsreport.go), which dns
	// reads, the goroutine that ends with dnsDone.
	onDNS   func(runtime.DNSQuery)
	dns     *net.UnixConn
	dnsDone chan struct{}
}

// ctr is what the runtime remembers of an app container.
type ctr struct {
	ip string // the pod IP, for probes
	// binds are its bind mounts' sources, checked again just before
	// start.
	binds  []bindSource
	exited bool // its exit was reported
	oom    bool // an oom event came before the die
	// announces: its image's own command runs, and writes a first line
	// once it has started (Image.Announces).
	announces bool
	// plays is the image a stand-in of kubeplay's plays (busybox:1.28),
	// whose commands alone an exec finds, though the stand-in links them
	// all; empty for any other image, whose own files the daemon looks in.
	plays string
}

var (
	_ runtime.Runtime       = (*Runtime)(nil)
	_ runtime.StatsReporter = (*Runtime)(nil)
	_ runtime.DNSReporter   = (*Runtime)(nil)
)

// Connect returns a client for the daemon DOCKER_HOST names (the local
// socket by default), with the API version negotiated, or an error that
// says what is wrong and what to do. It waits at most a second.
func Connect(ctx context.Context) (*client.Client, error) {
	cli, err := client.New(client.FromEnv)
	if err != nil {
		return nil, fmt.Errorf("docker: bad client settings (DOCKER_HOST=%q): %w; fix or unset DOCKER_HOST, or run with --runtime sim", os.Getenv("DOCKER_HOST"), err)
	}
	pctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if _, err := cli.Ping(pctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		cli.Close()
		return nil, unreachable(cli.DaemonHost(), err)
	}
	return cli, nil
}

// unreachable explains a failed ping: where kubeplay looked, what the
// client said, and what to do.
func unreachable(host string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("no answer within %s", pingTimeout)
	}
	where, hint := explain(host, err)
	return fmt.Errorf("docker: cannot reach the Docker daemon at %s: %v — %s, or run with --runtime sim", where, err, hint)
}

// explain says where kubeplay looked for the daemon and what to do when
// it does not answer.
func explain(host string, err error) (where, hint string) {
	where, hint = host+" (the default; DOCKER_HOST names another)", "start Docker (sudo systemctl start docker)"
	if os.Getenv("DOCKER_HOST") != "" {
		where, hint = host+" (from DOCKER_HOST)", "start Docker there or fix DOCKER_HOST"
	}
	if strings.Contains(err.Error(), "permission denied") {
		hint = "add your user to the docker group and log in again"
	}
	return where, hint
}

// New connects to the daemon, makes sure the cluster's network exists and
// starts following container exits.
func New(ctx context.Context, cfg Config) (*Runtime, error) {
	if cfg.ClusterID == "" || cfg.Node == "" {
		return nil, errors.New("docker: Config needs a ClusterID and a Node")
	}
	if cfg.Network == "" {
		cfg.Network = "kubeplay-" + cfg.ClusterID
	}
	if cfg.LogMaxSize == "" {
		cfg.LogMaxSize = "10m"
	}
	cli, err := Connect(ctx)
	if err != nil {
		return nil, err
	}
	r := &Runtime{cli: cli, cfg: cfg, labels: ownerLabels(cfg.ClusterID),
		containers: map[string]*ctr{}, images: map[string]Image{}, sandboxes: map[string]*sandboxState{}, podDirs: map[string]string{}, binaries: map[string]string{}, onExit: func(runtime.Exit) {}}
	r.labels[LabelNode] = cfg.Node
	if err := r.ensureStateDir(); err != nil {
		cli.Close()
		return nil, err
	}
	if v, err := cli.ServerVersion(ctx, client.ServerVersionOptions{}); err == nil {
		r.version = v.Version
	}
	if err := r.ensureNetwork(ctx); err != nil {
		cli.Close()
		return nil, err
	}
	if err := r.listenDNS(); err != nil {
		cli.Close()
		return nil, err
	}
	if err := r.follow(); err != nil {
		r.closeDNS()
		cli.Close()
		return nil, err
	}
	hctx, stop := context.WithCancel(context.Background())
	r.kick, r.stopHealth, r.healthDone = make(chan struct{}, 1), stop, make(chan struct{})
	go r.watchHealth(hctx)
	r.stats, r.statsDone = map[string]*ctrStats{}, make(chan struct{})
	go r.pollStats(hctx)
	return r, nil
}

// ownerLabels are the labels that say who created an object, so that
// Reap can tell orphans of a dead run from objects of a live one.
func ownerLabels(cluster string) map[string]string {
	host, _ := os.Hostname()
	return map[string]string{LabelCluster: cluster, LabelOwnerPID: strconv.Itoa(os.Getpid()), LabelOwnerHost: host}
}

// merged is the union of label sets, the later ones winning: kubeplay's
// own labels come last so a caller's cannot fake them.
func merged(sets ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, s := range sets {
		maps.Copy(out, s)
	}
	return out
}

// Client is the runtime's daemon client, for Reap and the image package.
func (r *Runtime) Client() *client.Client { return r.cli }

// Network is the name of the cluster's bridge network.
func (r *Runtime) Network() string { return r.cfg.Network }

// ensureNetwork creates the cluster's bridge network unless another node
// of the cluster already did.
func (r *Runtime) ensureNetwork(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	if found, err := r.findNetwork(ctx); err != nil || found {
		return err
	}
	labels := merged(r.cfg.Labels, ownerLabels(r.cfg.ClusterID))
	_, err := r.cli.NetworkCreate(ctx, r.cfg.Network, client.NetworkCreateOptions{Driver: "bridge", Labels: labels})
	if cerrdefs.IsConflict(err) {
		return nil // a node of the same cluster created it at the same time
	}
	if err != nil {
		return fmt.Errorf("docker: create network %s: %w", r.cfg.Network, err)
	}
	return nil
}

// findNetwork says whether the cluster's network exists, and refuses a
// network of that name that kubeplay did not make for this cluster.
func (r *Runtime) findNetwork(ctx context.Context) (bool, error) {
	res, err := r.cli.NetworkList(ctx, client.NetworkListOptions{Filters: make(client.Filters).Add("name", r.cfg.Network)})
	if err != nil {
		return false, fmt.Errorf("docker: list networks: %w", err)
	}
	for _, n := range res.Items {
		if n.Name != r.cfg.Network { // the name filter matches substrings
			continue
		}
		if n.Labels[LabelCluster] != r.cfg.ClusterID {
			return false, fmt.Errorf("docker: a network named %s exists but kubeplay did not create it for cluster %s; remove it or choose another cluster ID", n.Name, r.cfg.ClusterID)
		}
		return true, nil
	}
	return false, nil
}

// Info implements runtime.Runtime.
func (r *Runtime) Info() runtime.Info {
	return runtime.Info{Name: "docker", Version: "docker://" + r.version, NodeDNS: nodeDNS()}
}

// nodeDNS is what Docker gives a container on a user-defined network: its
// embedded DNS server, which answers for the other containers and asks
// the host's servers for the rest.
func nodeDNS() runtime.DNSConfig {
	return runtime.DNSConfig{Servers: []string{"127.0.0.11"}, Options: []string{"ndots:0"}}
}

// Cost implements runtime.Runtime: real calls take what they take, so no
// virtual time is added on top.
func (r *Runtime) Cost(sim.Verb) time.Duration { return 0 }

// OnExit implements runtime.Runtime. fn is called from the runtime's
// event goroutine, not the caller's: the kubelet must hop it onto the
// engine's queue before touching its state.
func (r *Runtime) OnExit(fn func(runtime.Exit)) {
	r.mu.Lock()
	r.onExit = fn
	r.mu.Unlock()
}

// call is the context of one daemon call.
func call() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), callTimeout)
}

// errClosed refuses a container asked for after Close.
var errClosed = errors.New("docker: the node's runtime is closed")

// beginCreate marks a call that may make a container on the daemon; it
// returns the call's end, or errClosed once Close has begun.
func (r *Runtime) beginCreate() (end func(), err error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, errClosed
	}
	r.creating.Add(1) // under mu, before closed is set: never after Close's Wait began
	r.mu.Unlock()
	if r.hookCreate != nil {
		r.hookCreate()
	}
	return r.creating.Done, nil
}

// networkEndpoint is how a sandbox joins the cluster network.
func (r *Runtime) networkEndpoint() *network.NetworkingConfig {
	return &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{r.cfg.Network: {}}}
}
