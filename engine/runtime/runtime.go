// Package runtime is the boundary between a kubelet and the containers it
// runs: a small, CRI-shaped interface with two implementations, the
// simulated runtime (runtime/simrt) and Docker (runtime/docker, later).
package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"
)

// Info says what a runtime is, for `get nodes -o wide` and the screen.
type Info struct {
	Name      string // "sim", "docker"
	Version   string // CONTAINER-RUNTIME column: "kubeplay-sim://0.1"
	Simulated bool   // its containers are not real processes
	// NodeDNS is the node's own resolver configuration (its
	// /etc/resolv.conf): what a pod with dnsPolicy Default gets.
	NodeDNS DNSConfig
}

// DNSConfig is a pod's resolver configuration, as the kubelet hands it to
// the runtime (CRI's DNSConfig); the runtime writes it into every
// container as /etc/resolv.conf.
type DNSConfig struct {
	Servers  []string // nameserver lines
	Searches []string // the search line
	Options  []string // the options line: "ndots:5", …
}

// ResolvConf is the resolv.conf file of c, laid out as containerd writes
// it: search, then the nameservers, then options.
func (c DNSConfig) ResolvConf() []byte {
	var b strings.Builder
	if len(c.Searches) > 0 {
		b.WriteString("search " + strings.Join(c.Searches, " ") + "\n")
	}
	for _, s := range c.Servers {
		b.WriteString("nameserver " + s + "\n")
	}
	if len(c.Options) > 0 {
		b.WriteString("options " + strings.Join(c.Options, " ") + "\n")
	}
	return []byte(b.String())
}

// EnvVar is one resolved environment variable, in the pod spec's order.
type EnvVar struct{ Name, Value string }

// HostNetworker is a runtime that grants a pod the node's network
// (SandboxConfig.HostNetwork): the simulated one, whose nodes are its
// own. Docker's nodes are the machine kubeplay runs on, whose network it
// lends to no pod.
type HostNetworker interface{ GrantsHostNetwork() bool }

// SandboxConfig describes a pod's sandbox: its network namespace and the
// volumes its containers may mount.
type SandboxConfig struct {
	PodUID, PodName, Namespace string
	// Hostname is the pod's host name (its name, or spec.hostname), which
	// its containers see in /etc/hostname and from gethostname.
	Hostname string
	// HostNetwork asks for the node's network namespace (spec.hostNetwork),
	// whose address is HostIP. A runtime that grants it (HostNetworker)
	// gives the sandbox that address and takes no pod IP from the node's
	// range; the others make the sandbox as any other.
	HostNetwork bool
	HostIP      string
	// DNS, when set, is written into every container as /etc/resolv.conf;
	// nil leaves the runtime's own.
	DNS     *DNSConfig
	Volumes []Volume
}

// Volume is one of a pod's volumes, as the runtime provides it.
type Volume struct {
	Name string
	// HostPath, when set, is a hostPath volume: a folder of the node that
	// outlives the pod (kept by the node's runtime; on Docker under
	// kubeplay's own folder, never the host's real path). When empty, the
	// volume is an emptyDir: created empty with the pod's first sandbox,
	// kept by its next ones, removed by RemovePodVolumes.
	HostPath string
	// Files, for a volume made from a ConfigMap or Secret, are written into
	// it (path within the volume -> contents) when the sandbox is made.
	Files map[string][]byte
	// Persistent, when set, names a PersistentVolume whose data the volume
	// is: kept in the cluster's storage, which every node reaches (as a
	// network disk would be), until RemovePersistent removes it.
	Persistent string
}

// MountError is a volume a runtime would not mount: its folder, or the
// subPath in it, leads out of where the runtime keeps volumes (a symlink
// a container planted). The kubelet words it as the real one does.
type MountError struct {
	Volume    string // the volume's name (the volumeMount's, for a subPath)
	Container string // set for a subPath: the container it was for
	Err       error  // why, for the volume; a subPath's is not shown (see Error)
}

func (e *MountError) Error() string {
	if e.Container != "" {
		// As the kubelet, which does not tell the user about the host's
		// file system.
		return fmt.Sprintf("failed to prepare subPath for volumeMount %q of container %q", e.Volume, e.Container)
	}
	return fmt.Sprintf("MountVolume.SetUp failed for volume %q : %v", e.Volume, e.Err)
}

func (e *MountError) Unwrap() error { return e.Err }

// PersistentStore is a runtime that keeps the data of PersistentVolumes,
// for the provisioner that deletes a volume when its reclaim policy says
// so. Every node's runtime of a cluster reaches the same storage.
type PersistentStore interface {
	RemovePersistent(name string) error
}

// Mount is a volume mounted into a container.
type Mount struct {
	Volume   string // the name of one of the sandbox's volumes
	Path     string // where the container sees it (mountPath)
	SubPath  string // a folder inside the volume to mount instead of its root
	ReadOnly bool
}

// Sandbox is a running pod sandbox.
type Sandbox struct {
	ID string
	IP string
	// Notice, when set, is something the user should be told about the
	// sandbox: where a hostPath volume really is.
	Notice string
}

// ContainerConfig is what a kubelet asks a runtime to create.
type ContainerConfig struct {
	Name        string
	Image       string
	Command     []string
	Args        []string
	Env         []EnvVar // shared between containers: never changed
	Ports       []int32
	WorkingDir  string
	MemoryLimit int64 // bytes, 0 for none
	CPULimit    int64 // millicores, 0 for none
	Mounts      []Mount
	// HostsFile, when set, is the hosts file the kubelet manages for the
	// pod, which the container sees as /etc/hosts. Neither the kubelet
	// nor the runtime changes it once given: a runtime may share it.
	HostsFile []byte
}

// ContainerStatus is the runtime's view of one container.
type ContainerStatus struct {
	ID         string
	Running    bool
	ExitCode   int
	Reason     string // when exited: "Completed", "Error", "OOMKilled"
	Message    string
	StartedAt  time.Time
	FinishedAt time.Time
}

// Exit is a container's end, reported by the runtime when it happens.
type Exit struct {
	ContainerID string
	Status      ContainerStatus
	// Sandbox is set when what ended is a pod's sandbox (ContainerID is
	// the sandbox's ID): the pod's network is gone, and the kubelet must
	// make a new sandbox and restart the pod's containers in it.
	Sandbox bool
}

// PullResult is a pulled image.
type PullResult struct {
	Size     int64
	Duration time.Duration
	// StandIn, when set, says that the image is not the real one but
	// kubeplay's demo app standing in for it.
	StandIn string
}

// ExecResult is the outcome of a command run in a container.
type ExecResult struct {
	ExitCode int
	Output   []byte // stdout and stderr, interleaved
	TimedOut bool
}

// ExecNotFound is the outcome of an exec of a program the container does
// not have (err says which, in runc's words: exec: "curl": executable
// file not found in $PATH), as Docker gives it: the OCI runtime's error
// as the output, ended as the daemon ends it, and exit code 126, which
// kubectl reports as "command terminated with exit code 126".
func ExecNotFound(err error) ExecResult {
	return ExecResult{ExitCode: 126,
		Output: []byte("OCI runtime exec failed: exec failed: unable to start container process: " + err.Error() + ": unknown\r\n")}
}

// ErrImageNotFound is what a pull of an image no registry has returns.
var ErrImageNotFound = errors.New("image not found")

// ErrConnRefused is what a probe gets from a port nothing listens on.
var ErrConnRefused = errors.New("connect: connection refused")

// Runtime is a node's container runtime. Calls return at once; a
// container's exit arrives later through the exit handler.
type Runtime interface {
	Info() Info
	// Cost is how long an operation takes in virtual time (simulated
	// runtimes; real ones take what they take).
	Cost(op sim.Verb) time.Duration

	HasImage(image string) bool
	// StandIn says, for an image the runtime plays with something else
	// (the demo app), what it does instead; "" for a real image.
	StandIn(image string) string
	PullImage(image string) (PullResult, error)

	RunSandbox(cfg SandboxConfig) (Sandbox, error)
	// RemoveSandbox removes a sandbox and its containers. The pod's
	// emptyDirs stay for the pod's next sandbox (after SandboxChanged), as
	// the kubelet's volume manager keeps them while the pod lives.
	RemoveSandbox(id string) error
	// RemovePodVolumes removes the emptyDirs of the pod with uid, once the
	// kubelet is done with the pod.
	RemovePodVolumes(podUID string) error

	CreateContainer(sandboxID string, cfg ContainerConfig) (string, error)
	StartContainer(id string) error
	// StopContainer sends SIGTERM, then SIGKILL after grace.
	StopContainer(id string, grace time.Duration) error
	RemoveContainer(id string) error
	Status(id string) (ContainerStatus, error)

	Exec(id string, cmd []string, timeout time.Duration) (ExecResult, error)
	// ProbeHTTP is an httpGet probe from the node; with https it speaks
	// TLS without checking the certificate, as the kubelet does, and a
	// server that answers in plain HTTP gives http.ErrSchemeMismatch.
	ProbeHTTP(id string, port int, path string, https bool, timeout time.Duration) (status int, body string, err error)
	ProbeTCP(id string, port int, timeout time.Duration) error
	Logs(id string, w io.Writer) error

	// OnExit sets the function told of every container exit.
	OnExit(fn func(Exit))
}

// ServiceSyncer is a runtime whose pods route cluster IPs and answer the
// cluster DNS themselves (Docker: a proxy in each pod's network
// namespace). After each of kube-proxy's syncs it is handed the cluster's
// Services and Endpoints as engine/dns.Snapshot's JSON, which it passes
// to its pods unread.
type ServiceSyncer interface {
	SyncServices(snapshot []byte) error
	// SyncDNS hands the pods the cluster DNS's view, the same snapshot
	// taken whenever Services or EndpointSlices change (as CoreDNS's
	// informer hears of them), not at kube-proxy's syncs: a new Service's
	// name resolves before kube-proxy routes its cluster IP.
	SyncDNS(snapshot []byte) error
}

// DNSFlusher is a ServiceSyncer that may hold a DNS view back for a
// moment, to write the changes of that moment at once (Docker: 50 ms).
// FlushDNS writes at once a view it holds. The kubelet calls it before a
// learner's command in a pod (kubectl exec), which looks names up in the
// cluster as it is when the command was typed (lesson 18's nslookup of a
// headless Service right after its slice); not before its own exec
// probes, which gain nothing from it and run every period.
type DNSFlusher interface {
	FlushDNS()
}

// DNSQuery is a pod's query to the cluster DNS, with its answer: Pod asked
// Server (the kube-dns Service's IP), kube-proxy's rules sent the query
// to the coredns pod CoreDNS; Question and Answer are in a few words
// (engine/dns.Question and Summary).
type DNSQuery struct {
	Pod, CoreDNS, Server, Question, Answer string
}

// DNSReporter is a runtime whose pods answer the cluster DNS themselves
// (Docker), and tell it of each query they answered, so that a query is a
// hop there too.
type DNSReporter interface {
	// OnDNSQuery sets the function told of each query, from a goroutine
	// of the runtime's: it must not wait, nor touch the kernel but by
	// Inject.
	OnDNSQuery(fn func(DNSQuery))
	// ReportDNS says whether the pods should tell of their queries
	// (off, they send nothing: it costs their answers nothing).
	ReportDNS(on bool) error
}

// PodSocketServer is a runtime whose pods reach a server of kubeplay's
// through a unix socket in the folder their proxy reads (Docker: the
// ingress controller's Service). ServeToPods serves h on the socket name
// there until stop is called.
type PodSocketServer interface {
	ServeToPods(name string, h http.Handler) (stop func(), err error)
}

// HealthReporter is a runtime that can fail as a whole, as Docker does
// when its daemon stops answering. The kubelet reports its node NotReady
// while the runtime is down.
type HealthReporter interface {
	// OnHealth sets the function told when the runtime goes down (err
	// says why and what to do) and when it is back (err == nil). It may
	// be called from another goroutine.
	OnHealth(fn func(err error))
}

// Killer is a runtime that can kill a container at once, as the
// shell's `fault kill-container` does: SIGKILL, no grace (exit 137).
type Killer interface {
	Kill(id string) error
}

// SandboxKiller is a runtime that can kill a pod's sandbox, as a Docker
// daemon restart does and the shell's `fault kill-sandbox`: the pod's
// network goes, its containers run on until the kubelet stops them.
type SandboxKiller interface {
	KillSandbox(id string) error
}

// TermSize is a terminal's size in character cells.
type TermSize struct{ Width, Height uint16 }

// SendSize puts sz on sizes, replacing a size not taken yet: only the
// newest matters. sizes needs room for one; one goroutine sends.
func SendSize(sizes chan TermSize, sz TermSize) {
	select {
	case <-sizes:
	default:
	}
	sizes <- sz
}

// ExecStreams are the standard streams of a command run by Streamer, as
// a remotecommand session carries them.
type ExecStreams struct {
	Stdin  io.Reader // nil: the command gets no standard input
	Stdout io.Writer
	Stderr io.Writer // unused with TTY: a terminal has one output
	TTY    bool
	Resize <-chan TermSize // the client's terminal size, with TTY
}

// Streamer is a runtime that runs a command with its streams attached
// while it runs, as `kubectl exec -it POD -- sh` needs. ExecStream blocks
// until the command ends, or ctx is done (the command then goes on in the
// container, as the kubelet leaves it); it may be called from any
// goroutine, and must not be from the kernel's, which it would stall.
type Streamer interface {
	ExecStream(ctx context.Context, id string, cmd []string, streams ExecStreams) (exitCode int, err error)
}

// LogStreamer is a runtime that streams a container's output as it is
// written (Docker, whose daemon follows its rotating log files itself).
// StreamLogs writes container id's last tail lines (all with tail < 0) to
// w, then, with follow, what it writes next as it writes it, until the
// container ends or ctx is done. It holds no more than a small buffer of
// its own whatever the log's size, may be called from any goroutine, and
// must not be from the kernel's, which it would stall.
type LogStreamer interface {
	StreamLogs(ctx context.Context, id string, tail int, follow bool, w io.Writer) error
}

// StdinExecer is a runtime that can give a command standard input. The
// input is whole, read before the command runs (exec stays one-shot: no
// interactive session), as `kubectl exec -i POD -- sh -c 'cat'` needs.
type StdinExecer interface {
	ExecStdin(id string, cmd []string, stdin []byte, timeout time.Duration) (ExecResult, error)
}

// ContainerStats is what a runtime measured of a running container's use,
// as CRI's ContainerStats report it to the kubelet: CPU as a rate over
// the window that ended at Timestamp (usageNanoCores, here millicores),
// memory as the working set.
type ContainerStats struct {
	Timestamp time.Time
	Window    time.Duration
	CPU       int64 // millicores over the window
	Memory    int64 // working set, bytes
}

// StatsReporter is a runtime that measures its containers' use, which
// metrics-server collects through the kubelets. ok is false while the
// container does not run or has not run a whole window yet.
type StatsReporter interface {
	ContainerStats(id string) (stats ContainerStats, ok bool)
}
