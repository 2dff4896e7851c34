// Package kubelet is the node agent: it watches the pods bound to its
// node, asks the container runtime to run them, restarts containers with
// back-off, runs probes, stops pods gracefully and reports pod status.
package kubelet

import (
	"errors"
	"fmt"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/watch"
)

// Back-off figures from the kubelet: container restarts and image pulls
// wait 10 s, doubling to 5 minutes; a container that ran 10 minutes starts
// again from the bottom.
const (
	backoffInitial = 10 * time.Second
	backoffMax     = 300 * time.Second
	backoffReset   = 10 * time.Minute
)

// Kubelet runs the pods of one node.
type Kubelet struct {
	node    string
	nodeKey string        // the Node's etcd key, read for every status
	name    sim.Component // in hops: "kubelet/node-1"
	rtName  sim.Component // "runtime/node-1"
	api     *apiserver.Server
	k       *sim.Kernel
	rt      runtime.Runtime
	workers map[string]*podWorker // by pod UID
	byID    map[string]*container // by runtime container ID
	// names are the containers' names by runtime ID, for the runtime's
	// goroutines: an exit a real runtime reports names its pod. A map
	// under a lock, not a sync.Map: that took two nodes per container,
	// objects the collector marks a hundred thousand times over.
	names containerNames
	// async is set for real runtimes: their calls take real time, so they
	// run on goroutines and their results come back through the kernel's
	// inbox, never blocking the cluster.
	async bool
	// stopped is set while the kubelet is stopped (`fault stop-node`): it
	// neither watches, syncs, probes nor posts status.
	stopped bool
	// runtimeErr is set while the runtime is down (Docker's daemon gone).
	runtimeErr error
	lang       bilingual.Lang // of events in kubeplay's own words
	// standInNoticed holds the images whose stand-in notice was given.
	standInNoticed map[string]bool
	// rtPrefix is "<runtime name>://", which begins the container and
	// image IDs statuses show: asked of the runtime once, not per status.
	rtPrefix string
	// svcVars are the Service variables made for each Service version
	// (serviceVars).
	svcVars map[*corev1.Service][]runtime.EnvVar
	// nsDNS is each namespace's plain ClusterFirst resolver
	// configuration (podDNS), shared by its pods' sandboxes.
	nsDNS map[string]*runtime.DNSConfig
	// imageIDs are the image IDs statuses show, by image (imageID).
	imageIDs map[string]string
	// summaries are the last summaries of statuses without waiting
	// containers, by ready and all containers (summarize).
	summaries [4][4]summary
	// lastWaiting is the summary made last of a status with waiting
	// containers, and reasonScratch where summarize lists their reasons.
	lastWaiting   waitingSummary
	reasonScratch []string
	// presentMsgs are the messages of Pulled events for images already
	// present, by image (alreadyPresent).
	presentMsgs map[string]string
	// lastConds are the conditions of the status built last, shared by
	// the statuses built after it that have the same (shareConditions).
	lastConds []corev1.PodCondition
	// condScratch is where podStatus builds a status's conditions.
	condScratch []corev1.PodCondition
	// statusScratch is where a status sync holds the status it built
	// while it compares it with the last one sent: compared through a
	// pointer (reflect), a local would be moved to the heap on each sync.
	statusScratch corev1.PodStatus
	// lastSvcEnv is the Service variables made last (serviceEnv).
	lastSvcEnv svcEnv
	// unreadyScratch is where podStatus lists the unready containers,
	// and lastUnready the message it made for the last list (see
	// unreadyMessage).
	unreadyScratch []string
	lastUnready    struct {
		names []string
		msg   string
	}
	// spareCalls are runtime calls done with (runtimeCall).
	spareCalls sim.Spares[runtimeCall]
}

// New starts the kubelet of node on api with rt as its runtime; the
// caller subscribes its Watcher.
func New(api *apiserver.Server, node string, rt runtime.Runtime) *Kubelet {
	kl := &Kubelet{
		node: node, nodeKey: apiserver.PrefixOf(resNodes) + node, name: sim.KindKubelet.On(node), rtName: sim.KindRuntime.On(node),
		api: api, k: api.Kernel(), rt: rt,
		workers: map[string]*podWorker{}, byID: map[string]*container{},
		async: !rt.Info().Simulated, rtPrefix: rt.Info().Name + "://",
	}
	rt.OnExit(kl.onExit)
	kl.watchHealth()
	return kl
}

// Watcher is the kubelet's watch on the pods bound to its node; the
// cluster routes each pod change to the kubelet of the pod's node.
func (kl *Kubelet) Watcher() apiserver.Watcher {
	return apiserver.Watcher{Component: kl.name, Filter: kl.filter, Handle: kl.handle}
}

// Name is the kubelet's component name.
func (kl *Kubelet) Name() sim.Component { return kl.name }

// Runtime is the node's container runtime.
func (kl *Kubelet) Runtime() runtime.Runtime { return kl.rt }

func (kl *Kubelet) filter(ev store.Event) (string, bool) {
	pod, ok := ev.Object.(*corev1.Pod)
	if !ok || pod.Spec.NodeName != kl.node || kl.stopped {
		return "", false
	}
	switch ev.Type {
	case watch.Added:
		return "pod bound to " + kl.node, true
	case watch.Deleted:
		return "pod removed", true
	}
	old := ev.Old.(*corev1.Pod)
	if old.Spec.NodeName != kl.node {
		return "pod bound to " + kl.node + " → start it", true
	}
	if old.DeletionTimestamp == nil && pod.DeletionTimestamp != nil {
		return fmt.Sprintf("pod deleted (grace %ds) → stop it", *pod.DeletionGracePeriodSeconds), true
	}
	// The kubelet's own status writes come back too; only spec changes,
	// which the apiserver marks with a new generation, matter.
	if old.Generation != pod.Generation {
		return "pod spec changed", true
	}
	return "", false
}

func (kl *Kubelet) handle(ev store.Event) {
	pod := ev.Object.(*corev1.Pod)
	w := kl.workers[string(pod.UID)]
	if ev.Type == watch.Deleted {
		if w != nil {
			w.removed = true
			kl.terminate(w, 0)
			delete(kl.workers, string(pod.UID))
		}
		return
	}
	if w == nil {
		w = newPodWorker(pod)
		kl.workers[string(pod.UID)] = w
		kl.tellNotGranted(w)
	}
	old := w.pod
	w.pod = pod
	if old.Generation != pod.Generation {
		kl.specChanged(w)
	}
	kl.sync(w)
}

// call sends one runtime operation as a hop to the runtime and its result
// back as a hop: after the operation's cost in virtual time, or, for a
// real runtime, when the call returns on its goroutine. do must only use
// values captured before the call, since it may run on another goroutine.
func (kl *Kubelet) call(op sim.Verb, object, why string, do func() string, then func()) {
	c := kl.spareCalls.Take()
	*c = runtimeCall{kl: kl, op: op, object: object, do: do, then: then}
	kl.k.SendRunner(0, sim.Hop{From: kl.name, To: kl.rtName, Verb: op, Object: object, Summary: why}, c)
}

// runtimeCall is a runtime operation on its way to the runtime, the
// effect of call's first hop: reused, where a closure was made for each
// of the half a dozen calls a pod's start takes.
type runtimeCall struct {
	kl     *Kubelet
	op     sim.Verb
	object string
	do     func() string
	then   func()
}

func (c *runtimeCall) Run() {
	kl, op, object, do, then := c.kl, c.op, c.object, c.do, c.then
	kl.spareCalls.Give(c) // before do, which may make the next call
	if !kl.async {
		result := do()
		kl.k.Send(kl.rt.Cost(op), sim.Hop{From: kl.rtName, To: kl.name, Verb: op.Done(), Object: object, Summary: result}, then)
		return
	}
	go func() {
		result := do()
		kl.k.Inject(sim.Hop{From: kl.rtName, To: kl.name, Verb: op.Done(), Object: object, Summary: result}, then)
	}()
}

// post delivers a hop from the runtime: at once on the kernel goroutine
// for the simulated runtime, through the inbox for a real one.
func (kl *Kubelet) post(h sim.Hop, deliver func()) {
	if kl.async {
		kl.k.Inject(h, deliver)
		return
	}
	kl.k.Send(0, h, deliver)
}

// background runs a runtime call whose result nobody waits for.
func (kl *Kubelet) background(fn func()) {
	if kl.async {
		go fn()
		return
	}
	fn()
}

func (kl *Kubelet) event(w *podWorker, typ, reason, msg string) {
	kl.api.Record(w.pod, typ, reason, "kubelet", msg)
}

func (kl *Kubelet) now() time.Time { return kl.k.Now() }

// sync moves a pod one step closer to what its spec asks for; it is called
// after every change and is safe to call at any time.
func (kl *Kubelet) sync(w *podWorker) {
	if w.removed || kl.stopped {
		return
	}
	if w.pod.DeletionTimestamp != nil {
		kl.terminate(w, *w.pod.DeletionGracePeriodSeconds)
		return
	}
	switch w.sandbox {
	case sandboxNone:
		if !anyToStart(w) {
			// As the kubelet: no sandbox for a pod with nothing to start
			// (restartPolicy Never after its sandbox died).
			kl.syncStatus(w)
			return
		}
		vols, err := kl.volumes(w)
		if err != nil {
			// The kubelet retries mounting; the ConfigMap may come.
			if !w.mountRetry {
				w.mountRetry = true
				kl.event(w, corev1.EventTypeWarning, "FailedMount", err.Error())
				kl.k.After(backoffInitial, kl.name, "retry mounting volumes", func() {
					w.mountRetry = false
					kl.sync(w)
				})
			}
			kl.syncStatus(w)
			return
		}
		w.sandbox, w.hasVolumes = sandboxCreating, true
		var sb runtime.Sandbox
		hostname, _ := podHostname(w.pod)
		cfg := runtime.SandboxConfig{PodUID: string(w.pod.UID), PodName: w.pod.Name, Namespace: w.pod.Namespace, Hostname: hostname,
			DNS: kl.podDNS(w), Volumes: vols}
		if w.pod.Spec.HostNetwork && kl.grantsHostNetwork() {
			cfg.HostNetwork, cfg.HostIP = true, kl.hostIP()
		}
		kl.call(sim.VerbRunSandbox, w.object(), "create the pod's network namespace", func() string {
			sb, err = kl.rt.RunSandbox(cfg)
			if err != nil {
				return "failed: " + err.Error()
			}
			return "pod IP " + sb.IP
		}, func() {
			if err != nil {
				w.sandbox = sandboxNone
				if errors.As(err, new(*runtime.MountError)) {
					kl.event(w, corev1.EventTypeWarning, "FailedMount", err.Error())
				} else {
					kl.event(w, corev1.EventTypeWarning, "FailedCreatePodSandBox", "Failed to create pod sandbox: "+err.Error())
				}
				kl.k.After(backoffInitial, kl.name, "retry sandbox", func() { kl.sync(w) })
				return
			}
			w.sandbox, w.sandboxID, w.ip = sandboxReady, sb.ID, sb.IP
			w.starting = true
			if sb.Notice != "" {
				kl.event(w, corev1.EventTypeNormal, "SandboxNotice", sb.Notice)
			}
			if w.startTime.IsZero() { // a new sandbox keeps the pod's start
				w.startTime = kl.now()
			}
			kl.sync(w)
		})
		kl.syncStatus(w)
		return
	case sandboxCreating, sandboxRemoving:
		return
	case sandboxDead:
		kl.resandbox(w)
		return
	}
	for _, c := range w.containers {
		kl.syncContainer(w, c)
	}
	kl.syncStatus(w)
}
