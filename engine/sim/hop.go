package sim

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Hop is one message between two components of the cluster: what the
// learner sees travel along an arrow. Internal hops (timers a component sets
// for itself) are delivered in order like any other but are not published.
type Hop struct {
	ID       uint64
	At       time.Duration // virtual time since the cluster started
	From, To Component
	Verb     Verb   // "create", "watch", "bind", "start", ...
	Object   string // "deployments/web", "pods/web-7d4b9c-xk2pq"
	Summary  string // a short why: "want 3, have 2 → create 1"
	Internal bool
	// Background marks the cluster's own upkeep, due again and again
	// whatever anyone does (an add-on's routine probes): delivered as
	// time passes, but not counted as work still to come (Pending), so
	// that a front end waiting for the cluster to be done, or stepping to
	// the next thing to see, does not wait on it forever.
	Background bool
	// Origin is where the request the hop carries came from: a front end
	// shows a request of the learner's own kubectl apart from the prompt's.
	Origin Origin
	// Requester, on the apiserver's hop to etcd, is the component whose
	// request the apiserver carries out (the controller-manager creating
	// a pod, the scheduler's binding, a kubelet's status): the hop's
	// Summary is that component's why, not the apiserver's.
	Requester Component
	// Evidence is how kubeplay knows of the hop on a real cluster: it saw
	// it (a watch event, an Event, its own request) or knows it must have
	// happened (apiserver → etcd). Zero on the embedded engine, whose
	// hops are the cluster itself.
	Evidence Evidence
	// Payload is the object the hop carries (a request's body, what is
	// written to etcd, what a watch delivers), when the kernel records
	// payloads; it must not be changed.
	Payload any
}

// The words hops are made of — who sends them, what they do, where the
// request came from — are typed here, in one place, because three kinds
// of reader depend on them besides the components that send hops: the
// flow pane draws a box per kind, the lessons' pause_on rules name kinds
// and verbs, and a learner's scripts read the shell's trace.

// Evidence is how a hop of a real cluster is known.
type Evidence uint8

const (
	// Enacted: the hop is the embedded engine's own doing.
	Enacted Evidence = iota
	// Observed: the real cluster said so (a watch event and the
	// managedFields manager that wrote it, an Event, kubeplay's own
	// request and its answer).
	Observed
	// Inferred: nobody said so, but it must have happened (the apiserver
	// writes etcd before a watch tells of the write).
	Inferred
)

// String is the evidence as the trace writes it: "", observed, inferred.
func (e Evidence) String() string {
	switch e {
	case Observed:
		return "observed"
	case Inferred:
		return "inferred"
	}
	return ""
}

// Kind is a kind of component: one box of the flow. Kinds that run once
// per node (kubelet, runtime) or per pod are told apart by a name after a
// slash: "kubelet/node-1".
type Kind string

// The kinds of component that send and receive hops.
const (
	KindKubectl           Kind = "kubectl"
	KindAPIServer         Kind = "apiserver"
	KindEtcd              Kind = "etcd"
	KindControllerManager Kind = "controller-manager"
	KindScheduler         Kind = "scheduler"
	KindKubelet           Kind = "kubelet" // per node
	KindRuntime           Kind = "runtime" // per node: the kubelet's container runtime
	KindKubeProxy         Kind = "kube-proxy"
	// KindStorageProvisioner is the external provisioner of the default
	// StorageClass (a pod in a real cluster, a component here).
	KindStorageProvisioner Kind = "storage-provisioner"
	// KindNodeLifecycle is the node lifecycle controller's timers.
	KindNodeLifecycle Kind = "node-lifecycle-controller"
	KindPod           Kind = "pod"     // per pod: what kube-proxy connects to
	KindClient        Kind = "client"  // whoever connects to a Service from outside
	KindLoad          Kind = "load"    // the load generator of `load svc/NAME`
	KindKubeadm       Kind = "kubeadm" // the cluster's bootstrap, before anyone watches
	KindShell         Kind = "shell"   // the shell's own wake-ups
	// KindKubeDNS is the cluster's DNS (CoreDNS behind the kube-dns
	// Service), which pods ask for names.
	KindKubeDNS Kind = "kube-dns"
	// KindIngress is kubeplay's ingress controller (a pod in a real
	// cluster, ingress-nginx's say; a component here that its pod stands
	// for), which routes requests from outside by host and path.
	KindIngress Kind = "ingress-controller"
)

var kinds = []Kind{KindKubectl, KindAPIServer, KindEtcd, KindControllerManager, KindScheduler,
	KindKubelet, KindRuntime, KindKubeProxy, KindStorageProvisioner, KindNodeLifecycle,
	KindPod, KindClient, KindLoad, KindKubeadm, KindShell, KindKubeDNS, KindIngress}

// String is the kind as hops and lesson files spell it.
func (k Kind) String() string { return string(k) }

// On names the component of kind k on node (or, for a pod, the pod).
func (k Kind) On(name string) Component { return Component(string(k) + "/" + name) }

// ParseKind reads a kind as hops and lesson files spell it.
func ParseKind(s string) (Kind, error) {
	if k := Kind(s); slices.Contains(kinds, k) {
		return k, nil
	}
	return "", fmt.Errorf("%q is not a component (%s)", s, wordList(kinds))
}

// Component is one sender or receiver of hops: its kind, and after a slash
// the node (or pod) of the kinds there are many of: "apiserver",
// "kubelet/node-1", "pod/web-7d4b9c-xk2pq".
type Component string

// String is the component as hops spell it.
func (c Component) String() string { return string(c) }

// Kind is the component's kind, whatever its node.
func (c Component) Kind() Kind {
	k, _, _ := strings.Cut(string(c), "/")
	return Kind(k)
}

// Node is the node (or pod) of a per-node component, "" for the others.
func (c Component) Node() string {
	_, n, _ := strings.Cut(string(c), "/")
	return n
}

// ParseComponent reads a component: a kind, with a name after a slash
// for the kinds there are many of.
func ParseComponent(s string) (Component, error) {
	k, err := ParseKind(string(Component(s).Kind()))
	if err != nil {
		return "", err
	}
	if strings.Contains(s, "/") && k != KindKubelet && k != KindRuntime && k != KindPod {
		return "", fmt.Errorf("%q: there is one %s, not one per node", s, k)
	}
	return Component(s), nil
}

// Verb is what a hop does.
type Verb string

// Verbs of requests to the apiserver.
const (
	VerbCreate       Verb = "create"
	VerbUpdate       Verb = "update"
	VerbUpdateStatus Verb = "update-status"
	VerbDelete       Verb = "delete"
	VerbBind         Verb = "bind"
	VerbPatch        Verb = "patch"
	VerbGet          Verb = "get"
	VerbList         Verb = "list"
)

// Verbs of the apiserver: its writes and reads of etcd, as etcd names
// them (delete and get are etcd's too), and what a watch delivers.
const (
	VerbPut   Verb = "put"
	VerbRange Verb = "range"
	VerbWatch Verb = "watch"
)

// Verbs of a kubelet's calls to its container runtime (create, start,
// stop, remove, exec and probe besides those); each is answered with the
// call's Done verb, "pull done".
const (
	VerbPull          Verb = "pull"
	VerbRunSandbox    Verb = "run-sandbox"
	VerbStart         Verb = "start"
	VerbStop          Verb = "stop"
	VerbRemove        Verb = "remove"
	VerbExec          Verb = "exec"
	VerbProbe         Verb = "probe"
	VerbLogs          Verb = "logs"
	VerbRemoveSandbox Verb = "remove-sandbox"
)

// runtimeCalls are the verbs a runtime answers with Done.
var runtimeCalls = []Verb{VerbPull, VerbRunSandbox, VerbCreate, VerbStart, VerbStop,
	VerbRemove, VerbExec, VerbProbe, VerbLogs, VerbRemoveSandbox}

// Verbs the runtime sends unasked, and the apiserver's proxy to a
// kubelet (pods/NAME/log; exec is the runtime call's).
const (
	VerbExited        Verb = "exited"
	VerbSandboxExited Verb = "sandbox exited"
	VerbRuntimeUp     Verb = "runtime up"
	VerbRuntimeDown   Verb = "runtime down"
	VerbLog           Verb = "log"
)

// Verbs of kube-proxy's traffic, of the storage provisioner, and of a
// pod's DNS query and its answer.
const (
	VerbDNS        Verb = "dns"
	VerbConnect    Verb = "connect"
	VerbTraffic    Verb = "traffic"
	VerbDeleteData Verb = "delete-data"
)

// Verbs of internal hops, which are delivered but never published: a
// component's timer, and the wake-ups that bring work from other
// goroutines onto the kernel's.
const (
	VerbTimer       Verb = "timer"
	VerbAnswer      Verb = "answer"
	VerbPortForward Verb = "portforward"
	VerbError       Verb = "error"
	VerbInput       Verb = "input"
	VerbSend        Verb = "send"
	VerbRead        Verb = "read"
	VerbProxy       Verb = "proxy"
	VerbUnwatch     Verb = "unwatch"
	VerbQuit        Verb = "quit"
	VerbExecEnded   Verb = "exec-ended"
)

// internalVerbs are the verbs above, of hops never published.
var internalVerbs = []Verb{VerbTimer, VerbAnswer, VerbPortForward, VerbError, VerbInput, VerbSend,
	VerbRead, VerbProxy, VerbUnwatch, VerbQuit, VerbExecEnded}

var publishedVerbs = []Verb{VerbCreate, VerbUpdate, VerbUpdateStatus, VerbDelete, VerbBind, VerbPatch,
	VerbGet, VerbList, VerbPut, VerbRange, VerbWatch,
	VerbPull, VerbRunSandbox, VerbStart, VerbStop, VerbRemove, VerbExec, VerbProbe, VerbLogs, VerbRemoveSandbox,
	VerbExited, VerbSandboxExited, VerbRuntimeUp, VerbRuntimeDown, VerbLog,
	VerbConnect, VerbTraffic, VerbDeleteData, VerbDNS}

var verbs = slices.Concat(publishedVerbs, internalVerbs)

// doneSuffix ends the verb of a runtime's answer to a call.
const doneSuffix = " done"

// String is the verb as hops and lesson files spell it.
func (v Verb) String() string { return string(v) }

// Internal reports whether v is only the verb of internal hops, which
// observers never see.
func (v Verb) Internal() bool { return slices.Contains(internalVerbs, v) }

// Done is the verb of the runtime's answer to the call v: "pull done".
func (v Verb) Done() Verb {
	if d, ok := doneVerbs[v]; ok {
		return d
	}
	return v + doneSuffix
}

// doneVerbs are the runtime calls' answers, spelt once: a pod's start
// answers several calls, a big Deployment's a hundred thousand times.
var doneVerbs = func() map[Verb]Verb {
	m := make(map[Verb]Verb, len(runtimeCalls))
	for _, v := range runtimeCalls {
		m[v] = v + doneSuffix
	}
	return m
}()

// ParseVerb reads a verb as hops and lesson files spell it.
func ParseVerb(s string) (Verb, error) {
	if v := Verb(s); slices.Contains(verbs, v) {
		return v, nil
	}
	if call, ok := strings.CutSuffix(s, doneSuffix); ok && slices.Contains(runtimeCalls, Verb(call)) {
		return Verb(s), nil
	}
	return "", fmt.Errorf("%q is not a verb of any hop (%s; or a runtime call's answer, such as pull done)", s, wordList(verbs))
}

// Origin is where the request a hop carries came from.
type Origin uint8

const (
	// OriginInside is kubeplay itself: the built-in prompt, a lesson,
	// the cluster's own components.
	OriginInside Origin = iota
	// OriginExternal is a client over the HTTP API: the learner's own
	// kubectl, k9s.
	OriginExternal
)

var origins = []string{OriginInside: "inside", OriginExternal: "external"}

// String names the origin.
func (o Origin) String() string {
	if int(o) < len(origins) {
		return origins[o]
	}
	return fmt.Sprintf("Origin(%d)", uint8(o))
}

// ParseOrigin reads an origin as String writes it.
func ParseOrigin(s string) (Origin, error) {
	if i := slices.Index(origins, s); i >= 0 {
		return Origin(i), nil
	}
	return 0, fmt.Errorf("%q is not an origin (%s)", s, strings.Join(origins, ", "))
}

func wordList[T ~string](words []T) string {
	s := make([]string, len(words))
	for i, w := range words {
		s[i] = string(w)
	}
	return strings.Join(s, ", ")
}

// DNSQuery is a pod's DNS query and its answer as two hops, the same on
// every runtime: from the asking pod to the CoreDNS pod kube-proxy's rules
// sent it to, server being the address asked (10.96.0.10), question the
// query in a few words ("A web.default.svc.cluster.local") and answer the
// reply's ("10.96.0.20", "NXDOMAIN").
func DNSQuery(from, to Component, server, question, answer string) (query, reply Hop) {
	object := server + ":53"
	return Hop{From: from, To: to, Verb: VerbDNS, Object: object, Summary: question},
		Hop{From: to, To: from, Verb: VerbDNS, Object: object, Summary: question + ": " + answer}
}
