package kubelet

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type sandboxState int

const (
	sandboxNone sandboxState = iota
	sandboxCreating
	sandboxReady
	sandboxDead     // it died under a running pod: containers are being stopped
	sandboxRemoving // the dead one is being removed; a new one comes next
)

type podWorker struct {
	pod        *corev1.Pod
	sandbox    sandboxState
	sandboxID  string
	ip         string
	startTime  time.Time
	containers []*container
	stopping   bool          // SIGTERM sent to its containers for deletion
	grace      time.Duration // the deletion's grace period, once stopping
	mountRetry bool          // a retry of its volumes is armed
	// hasVolumes: a sandbox was asked for, so the runtime may hold the
	// pod's emptyDirs, which outlive its sandboxes until the pod is done.
	hasVolumes bool
	finished   bool // containers stopped, pod deletion sent
	removed    bool
	sent       *corev1.PodStatus // the last status written
	armed      bool              // a status sync is pending (statusSync)
	statusSync statusSync
	// uidOnly is the precondition of the pod's status writes, made once:
	// it holds only the pod's UID, which is the worker's for good.
	uidOnly *metav1.Preconditions
	label   string // see object
	// starting is set from the sandbox's creation until its containers'
	// first runtime calls return: upstream's pod worker writes a status
	// when syncPod begins and again only once the runtime's SyncPod
	// (sandbox, pulls, creates, starts) has returned, so a pod's start is
	// two status writes, never a third with just the pod IP in between.
	starting bool
}

func newPodWorker(pod *corev1.Pod) *podWorker {
	w := &podWorker{pod: pod}
	w.statusSync.w = w
	// The containers in one block, the pointers in another: two
	// allocations per pod whatever its number of containers.
	cs := make([]container, len(pod.Spec.Containers))
	w.containers = make([]*container, len(cs))
	for i := range cs {
		cs[i] = container{spec: &pod.Spec.Containers[i], w: w, waitingReason: "ContainerCreating"}
		w.containers[i] = &cs[i]
	}
	return w
}

type containerState int

const (
	stateWaiting containerState = iota
	stateRunning
	stateExited
)

type container struct {
	spec   *corev1.Container // in the pod it was created from, which is never changed
	w      *podWorker
	id     string
	prevID string // the instance before, kept for its logs
	// statusID and imageID are id and the image as statuses show them,
	// kept since a pod's status is built many times.
	statusID, imageID string
	busy              bool   // a runtime call is in flight
	label             string // see object
	gen               int    // bumped per instance, so stale probe timers are dropped

	// starting is the instance whose start is in flight, and early its
	// exit when the runtime reported one before the start returned (a
	// command that ends at once). The exit is taken in once the start
	// has: the container ran, then ended. The runtime's exit report says
	// so; asking it again after each start (a Docker inspect, on the
	// cluster's goroutine) would hold up every pod's start for nothing.
	starting string
	early    *runtime.ContainerStatus

	state          containerState
	waitingReason  string
	waitingMessage string
	startedAt      time.Time
	term           *corev1.ContainerStateTerminated // the current instance's end
	last           *corev1.ContainerStateTerminated // the previous instance's end
	restarts       int32
	everStarted    bool

	// changed is the container's new spec (a new image: the one field
	// of a pod's containers that may change) while the running instance
	// it replaces stops.
	changed *corev1.Container

	backoff     time.Duration // wait before the next restart
	restartAt   time.Time
	pulled      bool
	pullBackoff time.Duration
	pullAt      time.Time
	standIn     string

	ready, startupDone   bool
	liveFails, readyOK   int32
	readyFails, bootFail int32
	stopping             bool
}

// object is the container in its hops' labels, made once: every runtime
// call and probe of the container is labelled with it.
func (c *container) object() string {
	if c.label == "" {
		c.label = "pods/" + c.w.pod.Name + "/" + c.spec.Name
	}
	return c.label
}

// object is the pod in its hops' labels, made once (see container.object).
func (w *podWorker) object() string {
	if w.label == "" {
		w.label = "pods/" + w.pod.Name
	}
	return w.label
}

func (kl *Kubelet) syncContainer(w *podWorker, c *container) {
	if c.busy || c.state == stateRunning || w.stopping {
		return
	}
	if c.state == stateExited {
		if !shouldRestart(w.pod.Spec.RestartPolicy, c.term.ExitCode) {
			return
		}
		if now := kl.now(); now.Before(c.restartAt) {
			return
		}
	}
	if !c.pulled {
		kl.ensureImage(w, c)
		return
	}
	kl.startContainer(w, c)
}

func shouldRestart(policy corev1.RestartPolicy, exit int32) bool {
	switch policy {
	case corev1.RestartPolicyNever:
		return false
	case corev1.RestartPolicyOnFailure:
		return exit != 0
	}
	return true
}

func (kl *Kubelet) ensureImage(w *podWorker, c *container) {
	image := c.spec.Image
	if c.spec.ImagePullPolicy != corev1.PullAlways && kl.rt.HasImage(image) {
		c.pulled = true
		kl.event(w, corev1.EventTypeNormal, "Pulled", kl.alreadyPresent(image))
		if !kl.standInNoticed[image] { // the notice is built once per image
			kl.noticeStandIn(w, image, kl.rt.StandIn(image))
		}
		kl.startContainer(w, c)
		return
	}
	if now := kl.now(); now.Before(c.pullAt) {
		return
	}
	c.busy = true
	kl.event(w, corev1.EventTypeNormal, "Pulling", fmt.Sprintf("Pulling image %q", image))
	var res runtime.PullResult
	var err error
	kl.call(sim.VerbPull, image, "pull the image for "+c.spec.Name, func() string {
		res, err = kl.rt.PullImage(image)
		if err != nil {
			return "failed: " + err.Error()
		}
		return fmt.Sprintf("pulled, %d bytes", res.Size)
	}, func() {
		c.busy = false
		if image != c.spec.Image {
			kl.sync(w) // the spec changed meanwhile: its own image now
			return
		}
		if err != nil {
			kl.pullFailed(w, c, err)
			return
		}
		c.pulled, c.pullBackoff, c.standIn = true, 0, res.StandIn
		d := res.Duration.Round(time.Millisecond)
		kl.event(w, corev1.EventTypeNormal, "Pulled", fmt.Sprintf("Successfully pulled image %q in %s (%s including waiting). Image size: %d bytes.", image, d, d, res.Size))
		kl.noticeStandIn(w, image, res.StandIn)
		kl.sync(w)
	})
}

// noticeStandIn tells, with an event on the pod, that image is played by a
// stand-in: once per node and image, on the first pod to use it there.
// The notice is kubeplay's, not the kubelet's, and the same for every pod:
// one per pod was a sixth of the events of a large Deployment.
// alreadyPresent is the Pulled event's message for an image the node
// has, spelt once per image rather than once per container.
func (kl *Kubelet) alreadyPresent(image string) string {
	msg, ok := kl.presentMsgs[image]
	if !ok {
		if kl.presentMsgs == nil || len(kl.presentMsgs) >= maxCachedImages {
			kl.presentMsgs = map[string]string{}
		}
		msg = "Container image " + strconv.Quote(image) + " already present on machine"
		kl.presentMsgs[image] = msg
	}
	return msg
}

func (kl *Kubelet) noticeStandIn(w *podWorker, image, notice string) {
	if notice == "" || kl.standInNoticed[image] {
		return
	}
	if kl.standInNoticed == nil {
		kl.standInNoticed = map[string]bool{}
	}
	kl.standInNoticed[image] = true
	kl.event(w, corev1.EventTypeNormal, "StandIn", notice)
}

// pullFailed shows ErrImagePull, then ImagePullBackOff until the next try.
func (kl *Kubelet) pullFailed(w *podWorker, c *container, err error) {
	image := c.spec.Image
	msg := fmt.Sprintf("failed to pull and unpack image %q: failed to resolve reference %q: %v", fullRef(image), fullRef(image), err)
	if errors.Is(err, runtime.ErrImageNotFound) {
		msg = fmt.Sprintf("failed to pull and unpack image %q: failed to resolve reference %q: %s: not found", fullRef(image), fullRef(image), fullRef(image))
	}
	kl.event(w, corev1.EventTypeWarning, "Failed", fmt.Sprintf("Failed to pull image %q: rpc error: code = NotFound desc = %s", image, msg))
	kl.event(w, corev1.EventTypeWarning, "Failed", "Error: ErrImagePull")
	c.waitingReason, c.waitingMessage = "ErrImagePull", fmt.Sprintf("rpc error: code = NotFound desc = %s", msg)
	c.pullBackoff = nextBackoff(c.pullBackoff)
	c.pullAt = kl.now().Add(c.pullBackoff)
	kl.syncStatus(w)
	gen := c.gen
	// The next sync, a moment later, finds the image in back-off.
	kl.k.After(time.Second, kl.name, "image pull back-off", func() {
		if c.gen != gen || c.pulled || w.stopping {
			return
		}
		c.waitingReason = "ImagePullBackOff"
		c.waitingMessage = fmt.Sprintf("Back-off pulling image %q", image)
		kl.event(w, corev1.EventTypeNormal, "BackOff", c.waitingMessage)
		kl.event(w, corev1.EventTypeWarning, "Failed", "Error: ImagePullBackOff")
		kl.syncStatus(w)
	})
	kl.k.After(c.pullBackoff, kl.name, "retry the image pull", func() { kl.sync(w) })
}

// fullRef is how containerd names an image in its errors.
func fullRef(image string) string {
	ref := image
	name := image
	if i := strings.LastIndexByte(image, '/'); i >= 0 {
		name = image[i+1:]
	}
	if strings.IndexByte(name, ':') < 0 && strings.IndexByte(name, '@') < 0 {
		ref += ":latest"
	}
	first, _, ok := strings.Cut(image, "/")
	switch {
	case !ok:
		return "docker.io/library/" + ref
	case strings.ContainsAny(first, ".:") || first == "localhost":
		// A registry of its own (quay.io/…, registry.k8s.io/…), as the
		// docker reference grammar reads the first component.
		return ref
	}
	return "docker.io/" + ref
}

func nextBackoff(cur time.Duration) time.Duration {
	if cur == 0 {
		return backoffInitial
	}
	return min(cur*2, backoffMax)
}

func (kl *Kubelet) startContainer(w *podWorker, c *container) {
	env, err := kl.resolveEnv(w.pod, c.spec)
	if err != nil {
		// The kubelet retries on every sync; a ConfigMap created later
		// lets the container start.
		c.waitingReason, c.waitingMessage = "CreateContainerConfigError", err.Error()
		kl.event(w, corev1.EventTypeWarning, "Failed", "Error: "+err.Error())
		kl.syncStatus(w)
		gen := c.gen
		kl.k.After(backoffInitial, kl.name, "retry container config", func() {
			if c.gen == gen {
				kl.sync(w)
			}
		})
		return
	}
	c.busy = true
	cfg := runtime.ContainerConfig{
		Name: c.spec.Name, Image: c.spec.Image, Command: c.spec.Command, Args: c.spec.Args,
		Env: env, WorkingDir: c.spec.WorkingDir, Mounts: mounts(*c.spec),
	}
	if !mountsHosts(c.spec) {
		hostname, domain := podHostname(w.pod)
		cfg.HostsFile = managedHosts(w.ip, hostname, domain, w.pod.Spec.HostAliases)
	}
	for _, p := range c.spec.Ports {
		cfg.Ports = append(cfg.Ports, p.ContainerPort)
	}
	if q, ok := c.spec.Resources.Limits[corev1.ResourceMemory]; ok {
		cfg.MemoryLimit = q.Value()
	}
	if q, ok := c.spec.Resources.Limits[corev1.ResourceCPU]; ok {
		cfg.CPULimit = q.MilliValue()
	}
	var id string
	why := "create " + c.spec.Name
	if c.everStarted {
		why = fmt.Sprintf("restart %s (restart #%d)", c.spec.Name, c.restarts+1)
	}
	sandboxID := w.sandboxID
	kl.call(sim.VerbCreate, c.object(), why, func() string {
		id, err = kl.rt.CreateContainer(sandboxID, cfg)
		if err != nil {
			return "failed: " + err.Error()
		}
		return "container " + shortID(id)
	}, func() {
		// The sandbox may have died while the call was in flight.
		defer kl.resandbox(w)
		if err != nil {
			c.busy = false
			c.waitingReason, c.waitingMessage = "CreateContainerError", err.Error()
			if errors.As(err, new(*runtime.MountError)) {
				// The kubelet prepares mounts with the container's config.
				c.waitingReason = "CreateContainerConfigError"
			}
			kl.event(w, corev1.EventTypeWarning, "Failed", "Error: "+err.Error())
			kl.syncStatus(w)
			return
		}
		// Keep one previous instance, for `logs --previous`.
		if prev := c.prevID; prev != "" {
			delete(kl.byID, prev)
			kl.names.Delete(prev)
			kl.background(func() { kl.rt.RemoveContainer(prev) })
		}
		c.prevID, c.id, c.statusID = c.id, id, kl.statusID(id)
		kl.byID[id] = c
		kl.names.Store(id, containerName{pod: c.w.pod.Name, container: c.spec.Name})
		kl.event(w, corev1.EventTypeNormal, "Created", "Created container: "+c.spec.Name)
		if w.stopping {
			// Deleted while the create was in flight: never started, the
			// container goes with the pod.
			c.busy = false
			kl.maybeFinish(w)
			return
		}
		var serr error
		c.starting, c.early = id, nil
		kl.call(sim.VerbStart, c.object(), "start "+c.spec.Name, func() string {
			serr = kl.rt.StartContainer(id)
			if serr != nil {
				return "failed: " + serr.Error()
			}
			return "running"
		}, func() {
			defer kl.resandbox(w)
			c.busy = false
			early := c.early
			c.starting, c.early = "", nil
			if serr != nil {
				c.waitingReason, c.waitingMessage = "StartError", serr.Error()
				kl.event(w, corev1.EventTypeWarning, "Failed", "Error: "+serr.Error())
				kl.syncStatus(w)
				return
			}
			kl.event(w, corev1.EventTypeNormal, "Started", "Started container "+c.spec.Name)
			if c.everStarted {
				c.restarts++
				c.last = c.term
			}
			c.everStarted = true
			c.state, c.term, c.startedAt = stateRunning, nil, kl.now()
			c.waitingReason, c.waitingMessage = "", ""
			c.gen++
			c.ready, c.startupDone = false, false
			if w.stopping {
				// Deleted while the start was in flight: it is stopped as
				// terminate stops the others, and the pod finishes then.
				kl.event(w, corev1.EventTypeNormal, "Killing", "Stopping container "+c.spec.Name)
				kl.stopContainer(c, w.grace, "pod is terminating")
				kl.syncStatus(w)
				if early != nil {
					kl.exited(c, *early) // no exit is to come: the pod finishes now
				}
				return
			}
			kl.startProbes(w, c)
			kl.syncStatus(w)
			if early != nil {
				kl.exited(c, *early)
			}
		})
	})
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// onExit hears of a container's end from the runtime, which for a real
// runtime is on another goroutine: the kubelet learns which container it
// was only on its own.
func (kl *Kubelet) onExit(ex runtime.Exit) {
	if ex.Sandbox {
		kl.sandboxExited(ex)
		return
	}
	why := fmt.Sprintf("exited with code %d", ex.Status.ExitCode)
	if ex.Status.Reason == "OOMKilled" {
		why = "OOM-killed (exit code 137)"
	}
	object := "containers/" + shortID(ex.ContainerID)
	if n, ok := kl.names.Load(ex.ContainerID); ok {
		object, why = n.object(), n.container+" "+why
	}
	kl.post(simHop(kl.rtName, kl.name, sim.VerbExited, object, why), func() {
		c := kl.byID[ex.ContainerID]
		switch {
		case c == nil:
		case c.starting == ex.ContainerID:
			// Its start has not returned yet: the exit is taken in then.
			st := ex.Status
			c.early = &st
		default:
			kl.exited(c, ex.Status)
		}
	})
}

// exited records a container's end and decides on its restart.
func (kl *Kubelet) exited(c *container, st runtime.ContainerStatus) {
	if c.state != stateRunning {
		return
	}
	w := c.w
	c.gen++
	c.state, c.ready, c.stopping = stateExited, false, false
	reason := st.Reason
	if reason == "" {
		reason = "Completed"
		if st.ExitCode != 0 {
			reason = "Error"
		}
	}
	c.term = &corev1.ContainerStateTerminated{
		ExitCode: int32(st.ExitCode), Reason: reason, Message: st.Message,
		StartedAt: metav1.NewTime(c.startedAt), FinishedAt: metav1.NewTime(kl.now()), ContainerID: kl.statusID(c.id),
	}
	if w.stopping {
		kl.maybeFinish(w)
		kl.syncStatus(w)
		return
	}
	if w.sandbox == sandboxDead {
		// Killed for the new sandbox, not failed: no back-off.
		c.restartAt = kl.now()
		kl.resandbox(w)
		return
	}
	if c.changed != nil {
		// Stopped for its new spec: started again from the new image.
		c.spec, c.changed = c.changed, nil
		c.newImage()
		kl.sync(w)
		return
	}
	if shouldRestart(w.pod.Spec.RestartPolicy, c.term.ExitCode) {
		if kl.now().Sub(c.startedAt) >= backoffReset {
			c.backoff = 0
		}
		if c.backoff == 0 {
			// The first restart is immediate; the back-off starts after it.
			c.backoff = backoffInitial
			c.restartAt = kl.now()
		} else {
			c.restartAt = kl.now().Add(c.backoff)
			wait := c.backoff
			c.backoff = nextBackoff(c.backoff)
			kl.crashLoop(w, c, wait)
		}
	}
	kl.sync(w)
}

// crashLoop shows CrashLoopBackOff until the container's next start.
func (kl *Kubelet) crashLoop(w *podWorker, c *container, wait time.Duration) {
	podRef := fmt.Sprintf("%s_%s(%s)", w.pod.Name, w.pod.Namespace, w.pod.UID)
	c.waitingReason = "CrashLoopBackOff"
	c.waitingMessage = fmt.Sprintf("back-off %s restarting failed container=%s pod=%s", wait, c.spec.Name, podRef)
	kl.event(w, corev1.EventTypeWarning, "BackOff", fmt.Sprintf("Back-off restarting failed container %s in pod %s", c.spec.Name, podRef))
	gen := c.gen
	kl.k.After(wait, kl.name, "back-off over: restart "+c.spec.Name, func() {
		if c.gen == gen {
			kl.sync(w)
		}
	})
}

// specChanged takes in a pod's new spec: a container whose image changed
// is restarted with it, as upstream's computePodActions does when a
// container's hash changes ("Container web definition changed, will be
// restarted"), whatever the restart policy; one not running pulls the new
// image at once, with none of the old image's back-off.
func (kl *Kubelet) specChanged(w *podWorker) {
	for i, c := range w.containers {
		spec := &w.pod.Spec.Containers[i]
		if spec.Image == c.spec.Image && c.changed == nil {
			c.spec = spec
			continue
		}
		if c.state == stateRunning {
			c.changed = spec
			if !c.stopping {
				kl.event(w, corev1.EventTypeNormal, "Killing", fmt.Sprintf("Container %s definition changed, will be restarted", c.spec.Name))
				kl.stopContainer(c, gracePeriod(w.pod), "definition changed")
			}
			continue
		}
		c.spec, c.changed = spec, nil
		c.newImage()
	}
}

// newImage forgets the image of the container's last spec: its pull, its
// pull back-off and the timers armed for them, and its restart back-off
// (upstream keys back-off by the container's spec hash).
func (c *container) newImage() {
	c.gen++
	c.pulled, c.pullBackoff, c.pullAt = false, 0, time.Time{}
	c.backoff, c.restartAt = 0, time.Time{}
	c.imageID = ""
}

// kill stops one container for a probe failure; its exit restarts it.
func (kl *Kubelet) kill(w *podWorker, c *container, why string) {
	if c.stopping || c.state != stateRunning {
		return
	}
	kl.stopContainer(c, gracePeriod(w.pod), why)
}

// stopContainer sends SIGTERM to a running container, then SIGKILL after
// grace; its exit arrives through onExit.
func (kl *Kubelet) stopContainer(c *container, grace time.Duration, why string) {
	c.stopping = true
	id := c.id
	kl.call(sim.VerbStop, c.object(), why, func() string {
		if err := kl.rt.StopContainer(id, grace); err != nil {
			return "failed: " + err.Error()
		}
		return fmt.Sprintf("SIGTERM sent, SIGKILL after %s", grace)
	}, func() {})
}

func gracePeriod(pod *corev1.Pod) time.Duration {
	if pod.DeletionGracePeriodSeconds != nil {
		return time.Duration(*pod.DeletionGracePeriodSeconds) * time.Second
	}
	if pod.Spec.TerminationGracePeriodSeconds != nil {
		return time.Duration(*pod.Spec.TerminationGracePeriodSeconds) * time.Second
	}
	return 30 * time.Second
}

// terminate stops every container of a pod being deleted, then asks the
// apiserver to remove the pod for good.
func (kl *Kubelet) terminate(w *podWorker, graceSeconds int64) {
	if w.stopping {
		kl.maybeFinish(w)
		return
	}
	w.stopping = true
	grace := time.Duration(graceSeconds) * time.Second
	w.grace = grace
	for _, c := range w.containers {
		c.gen++ // no more probes or restarts
		if c.state != stateRunning {
			continue
		}
		kl.event(w, corev1.EventTypeNormal, "Killing", "Stopping container "+c.spec.Name)
		kl.stopContainer(c, grace, "pod is terminating")
	}
	kl.maybeFinish(w)
}

// maybeFinish removes the pod's containers and sandbox once none runs and
// no call is in flight, then deletes the pod with no grace left.
func (kl *Kubelet) maybeFinish(w *podWorker) {
	if w.finished || w.sandbox == sandboxCreating || w.sandbox == sandboxRemoving {
		return
	}
	for _, c := range w.containers {
		if c.state == stateRunning || c.busy {
			return
		}
	}
	w.finished = true
	for _, c := range w.containers {
		for _, id := range []string{c.id, c.prevID} {
			if id != "" {
				kl.background(func() { kl.rt.RemoveContainer(id) })
				delete(kl.byID, id)
				kl.names.Delete(id)
			}
		}
	}
	finish := func() {
		if w.removed {
			return
		}
		zero := int64(0)
		req := apiRequestDelete(w.pod, &zero, "containers stopped → remove the pod")
		req.Preconditions = apiserver.UIDPrecondition(w.pod)
		kl.api.Submit(kl.name, req)
	}
	uid := string(w.pod.UID)
	if w.sandbox != sandboxReady && w.sandbox != sandboxDead {
		if !w.hasVolumes {
			finish()
			return
		}
		kl.call(sim.VerbRemoveSandbox, w.object(), "remove the pod's volumes", func() string {
			if err := kl.rt.RemovePodVolumes(uid); err != nil {
				return "failed: " + err.Error()
			}
			return "removed"
		}, finish)
		return
	}
	id := w.sandboxID
	kl.call(sim.VerbRemoveSandbox, w.object(), "tear down the network namespace", func() string {
		if err := kl.rt.RemoveSandbox(id); err != nil {
			return "failed: " + err.Error()
		}
		if err := kl.rt.RemovePodVolumes(uid); err != nil {
			return "sandbox removed; its volumes failed: " + err.Error()
		}
		return "removed"
	}, finish)
}
