// Package backend is the front door of a cluster: the one interface the
// TUI, the shell, the lessons and the HTTP API drive a cluster through.
// The embedded engine (package cluster) implements it; a real cluster
// reached through a kubeconfig is to implement it too, so nothing in a
// front end may know which one it has beyond what Capabilities says.
//
// As with kind's Provider and controller-runtime's manager, a front end
// gets methods, never the cluster's parts: it submits requests, reads and
// watches objects, watches hops, asks the clock, and reaches a node's
// kubelet or kube-proxy's network only through the small interfaces below.
//
// Like the kernel behind it, a Cluster is single-threaded: only Inject may
// be called from another goroutine than the one that runs it.
package backend

import (
	"context"
	"io"
	"net"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/kubelet"
	"github.com/kubeplay/kubeplay/engine/metrics"
	"github.com/kubeplay/kubeplay/engine/proxy"
	kruntime "github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Cluster is a cluster as a front end sees it.
type Cluster interface {
	Objects
	Clock
	Hops
	Faults
	// Capabilities say what the cluster can do beyond the Kubernetes API.
	Capabilities() Capabilities
	// Nodes are the names of the cluster's nodes, in order.
	Nodes() []string
	// Kubelet is a node's kubelet, reached as the apiserver's proxy
	// reaches it for pods/log and pods/exec; false when there is no such
	// node.
	Kubelet(node string) (Kubelet, bool)
	// Network is kube-proxy's side of the cluster: Services, node ports,
	// port-forwards and load runs.
	Network() Network
}

// Capabilities say what a cluster honours beyond the Kubernetes API, so a
// front end offers only that. Whether its time is virtual (and `sleep`
// can leap) is the clock's answer alone: !Realtime().
type Capabilities struct {
	// Faults: containers and sandboxes can be killed and nodes stopped,
	// started and added (the Faults methods fail otherwise).
	Faults bool
	// StreamingExec: containers are real processes, so `exec -it` can
	// stream a terminal to them.
	StreamingExec bool
	// SimulatedContainers: containers are state machines in the process,
	// and a Service's answers take a simulated latency (proxy.SimLatency).
	SimulatedContainers bool
	// Attached, when not empty, says which real cluster kubeplay is
	// attached to ("context kind-kind, https://127.0.0.1:40123"): its
	// nodes and containers are that cluster's, and the prompt's commands
	// run there for real.
	Attached string
	// Addons are the add-ons installed besides the cluster itself
	// (AddonIngress), which a lesson may need.
	Addons []string
	// Namespace is where the front ends work when no -n says otherwise:
	// kubectl's namespace, and the one a lesson plays in ("" is
	// default). On a real cluster it is the namespace in view — for a
	// lesson, the one kubeplay made for the run.
	Namespace string
}

// AddonIngress is the ingress controller add-on: the ingress-kubeplay
// namespace, its Deployment and the default IngressClass kubeplay.
const AddonIngress = "ingress"

// Event is one change of a stored object, as Watch reports it.
type Event = store.Event

// Resource is a kind of object the cluster serves (pods, deployments…).
type Resource = apiserver.Resource

// ResourceFor is the resource a kubectl-style name ("pods", "po", "deploy")
// stands for.
func ResourceFor(name string) (*Resource, bool) { return apiserver.ResourceFor(name) }

// Objects is the Kubernetes API as a client reaches it.
type Objects interface {
	// Submit sends req from a component to the apiserver as a hop; its
	// Done runs when the answer arrives, on the cluster's goroutine.
	Submit(from sim.Component, req apiserver.Request)
	// Get reads one object.
	Get(res *Resource, namespace, name string) (runtime.Object, error)
	// List reads every object of a resource in a namespace ("" for all),
	// in key order.
	List(res *Resource, namespace string) []runtime.Object
	// ByIndex lists the objects of a resource that an index (an owner's
	// UID, "owner"; a pod's node, "node") maps to value, in key order.
	ByIndex(res *Resource, index, value string) []runtime.Object
	// ObjectAt is the object stored under an etcd key, as hops name them
	// ("/registry/pods/default/web-1").
	ObjectAt(key string) (runtime.Object, bool)
	// EventsFor are the Events about one object, oldest first.
	EventsFor(namespace, uid string) []corev1.Event
	// Watch calls fn for every change to any object, until stop.
	Watch(fn func(Event)) (stop func())
	// Revision is the store's latest resourceVersion.
	Revision() int64
}

// Clock is the cluster's time: virtual (it leaps to the next thing due)
// or, with real containers or a real cluster, the wall clock's.
type Clock interface {
	// Realtime reports whether the cluster's time is the wall clock.
	Realtime() bool
	// Now is the cluster's time as a date.
	Now() time.Time
	// Elapsed is the cluster's time since it started.
	Elapsed() time.Duration
	// Wait runs the cluster until done reports true or limit of cluster
	// time has passed; it reports done.
	Wait(limit time.Duration, done func() bool) bool
	// RunFor runs the cluster for d of its time.
	RunFor(d time.Duration)
	// RunLive runs the cluster with its time following the wall clock
	// until done (see sim.Kernel.RunLive): how a front end waiting for a
	// person lets the cluster serve requests from outside meanwhile.
	RunLive(done func() bool)
	// CatchUp takes in what other goroutines injected and, in real time,
	// moves the clock to the wall's.
	CatchUp()
	// Wake is signalled when a hop is injected.
	Wake() <-chan struct{}
	// Inject queues a hop from another goroutine; deliver runs on the
	// cluster's. It is the only method safe to call concurrently.
	Inject(h sim.Hop, deliver func())
}

// Hops are the messages between the cluster's components, one at a time:
// the flow a front end draws and steps through.
type Hops interface {
	// Observe calls fn with every hop delivered.
	Observe(fn func(sim.Hop))
	// RecordPayloads makes hops carry the object they moved.
	RecordPayloads(on bool)
	// Next is the hop that would be delivered next, if any is queued.
	Next() (sim.Hop, bool)
	// Step delivers the next hop.
	Step() (sim.Hop, bool)
	// Pending is how many hops are queued.
	Pending() int
}

// Faults are what a learner may break or add on purpose. A cluster
// without Capabilities().Faults answers each with an error.
type Faults interface {
	// AddNode adds a node; name "" picks the next free node-N, cpu and
	// memory "" the cluster's defaults. It returns the node's name.
	AddNode(name, cpu, memory string) (string, error)
	// StopNode stops a node's kubelet, as when its machine is cut off.
	StopNode(name string) error
	// StartNode starts a stopped node's kubelet again.
	StartNode(name string) error
	// KillContainer kills a running container of a pod (SIGKILL);
	// container "" is the pod's first. It returns the container's name.
	KillContainer(namespace, pod, container string) (string, error)
	// KillSandbox kills a pod's sandbox, as a runtime restart does.
	KillSandbox(namespace, pod string) error
}

// MetricsReader is a cluster that serves the metrics API (metrics-server):
// kubectl top and metrics.k8s.io read it. A cluster without it has no
// metrics API. Its methods run on the cluster's goroutine.
type MetricsReader interface {
	Metrics() metrics.Reader
}

// Kubelet is a node's kubelet as the apiserver's proxy reaches it for a
// pod's logs and exec. statusID is a container's ID as the pod's status
// reports it.
type Kubelet interface {
	// Proxied runs fn on the kubelet after the hops of the apiserver's
	// proxy from `from` for pod's subresource sub (log, exec).
	Proxied(from sim.Component, pod string, sub sim.Verb, fn func())
	Logs(statusID string, w io.Writer) error
	LogStream(statusID string) (stream kubelet.LogStreamFunc, ok bool, err error)
	FollowLogs(pod *corev1.Pod, container, id string, sent int, w io.Writer) (int, bool)
	Exec(statusID string, cmd []string, timeout time.Duration) (kruntime.ExecResult, error)
	ExecStdin(statusID string, cmd []string, stdin []byte, timeout time.Duration) (kruntime.ExecResult, error)
	Stream(statusID string) (kubelet.StreamFunc, error)
}

// Network is kube-proxy's side of the cluster.
type Network interface {
	// Do sends one request to a Service's port, as a client in the
	// cluster would.
	Do(namespace, service string, port int32, path string, done func(proxy.Answer))
	// Endpoints is how many ready endpoints a Service's port has (port 0:
	// any port).
	Endpoints(namespace, service string, port int32) int
	// ServiceOfNodePort is the Service port a node port leads to.
	ServiceOfNodePort(nodePort int32) (namespace, service string, port int32, ok bool)
	// Ingress sends a GET for host and uri to the ingress controller's
	// address, if port is its port (false otherwise): done hears the
	// answer, as Do's.
	Ingress(port int32, host, uri string, done func(proxy.Answer)) bool
	// Listening are the node ports listening on the host.
	Listening() []int32
	// StartLoad starts a load run against a Service; LastLoad is the
	// last one started.
	StartLoad(o proxy.LoadOptions) (*proxy.Load, error)
	LastLoad() *proxy.Load
	// PodEndpoint, StartForward and StopForward are kubectl
	// port-forward's; DialPod is the HTTP API's.
	PodEndpoint(namespace, name string, port int32) (proxy.Endpoint, error)
	StartForward(ep proxy.Endpoint, local int, o proxy.ForwardOptions) (*proxy.Forward, error)
	StopForward(local int) []*proxy.Forward
	DialPod(ctx context.Context, from sim.Component, namespace, name string, port int32, failed func(error)) (net.Conn, error)
}
