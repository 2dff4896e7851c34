package kubelet

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

// syncStatus writes the pod's status to the apiserver when it changed;
// writes asked for at one instant are coalesced into one.
func (kl *Kubelet) syncStatus(w *podWorker) {
	if w.armed || w.removed || kl.stopped {
		return
	}
	w.armed = true
	w.statusSync.kl = kl
	kl.k.AfterRunner(0, kl.name, "status sync", &w.statusSync)
}

// statusSync is a pod's pending status sync, the effect of its timer: one
// per pod worker, reused by each sync (armed keeps one pending at a
// time), where a closure was made for every one.
type statusSync struct {
	kl *Kubelet
	w  *podWorker
}

func (s *statusSync) Run() { s.kl.writeStatus(s.w) }

// writeStatus writes the pod's status if it changed since the last one.
func (kl *Kubelet) writeStatus(w *podWorker) {
	w.armed = false
	if w.removed || w.finished || kl.stillStarting(w) {
		return
	}
	st := &kl.statusScratch
	*st = kl.podStatus(w)
	// Both statuses are built by podStatus from the same values, so
	// plain reflection will do; Semantic's allocations showed in profiles.
	// Pointers, so that neither status is copied into an interface.
	if w.sent != nil && reflect.DeepEqual(w.sent, st) {
		*st = corev1.PodStatus{} // the scratch keeps nothing
		return
	}
	// A status write replaces only the status: a shallow copy will do.
	pod := *w.pod
	pod.ResourceVersion = ""
	pod.Status, *st = *st, corev1.PodStatus{}
	// The status sent is the one in the object written, which no one
	// changes: one copy per pod instead of two.
	w.sent = &pod.Status
	base := w.pod
	kl.api.Submit(kl.name, apiserver.Request{Verb: sim.VerbUpdateStatus, Object: &pod, Why: kl.summarize(pod.Status),
		Preconditions: w.uidPrecondition(), Done: func(stored kruntime.Object, err error) {
			// The kubelet's own status writes do not come back through
			// its watch (filter), so adopt the version written: w.pod
			// would otherwise hold on to the version from binding time
			// beside the store's, and the next status would take its
			// conditions' transition times from a stale status. Unless
			// a newer version came in meanwhile.
			if p, ok := stored.(*corev1.Pod); ok && err == nil && w.pod == base {
				w.pod = p
			}
		}})
}

// uidPrecondition is the precondition of the pod's status writes: that
// the stored pod is this one, not another made under its name since.
func (w *podWorker) uidPrecondition() *metav1.Preconditions {
	if w.uidOnly == nil {
		w.uidOnly = apiserver.UIDPrecondition(w.pod)
	}
	return w.uidOnly
}

// stillStarting says whether the pod's containers are still being started
// in its new sandbox: the status waits for the last of those calls, which
// asks for it again when it returns. A pod being deleted is not waited for.
func (kl *Kubelet) stillStarting(w *podWorker) bool {
	if !w.starting || w.stopping {
		return false
	}
	for _, c := range w.containers {
		if c.busy {
			return true
		}
	}
	w.starting = false
	return false
}

// summarize is a status in a few words, for its write's hop.
func (kl *Kubelet) summarize(st corev1.PodStatus) string {
	ready, waiting := 0, 0
	for _, cs := range st.ContainerStatuses {
		if cs.Ready {
			ready++
		}
		if cs.State.Waiting != nil {
			waiting++
		}
	}
	if waiting == 0 && len(st.ContainerStatuses) < len(kl.summaries) {
		// Most statuses say one of a few things ("Running, 1/1 ready"):
		// each is spelt once, not once per status write.
		cached := &kl.summaries[ready][len(st.ContainerStatuses)]
		if cached.phase != st.Phase || cached.text == "" {
			cached.phase, cached.text = st.Phase, string(st.Phase)+", "+strconv.Itoa(ready)+"/"+strconv.Itoa(len(st.ContainerStatuses))+" ready"
		}
		return cached.text
	}
	reasons := kl.reasonScratch[:0]
	for _, cs := range st.ContainerStatuses {
		if cs.State.Waiting != nil {
			reasons = append(reasons, cs.State.Waiting.Reason)
		}
	}
	kl.reasonScratch = reasons
	// The pods a node starts say the same while they wait ("Pending, 0/1
	// ready (ContainerCreating)"): the last summary is kept for the next.
	last := &kl.lastWaiting
	if last.text == "" || last.phase != st.Phase || last.ready != ready || last.all != len(st.ContainerStatuses) || !slices.Equal(last.reasons, reasons) {
		s := string(st.Phase) + ", " + strconv.Itoa(ready) + "/" + strconv.Itoa(len(st.ContainerStatuses)) + " ready"
		if len(reasons) > 0 {
			s += " (" + strings.Join(reasons, ", ") + ")"
		}
		*last = waitingSummary{phase: st.Phase, ready: ready, all: len(st.ContainerStatuses), reasons: slices.Clone(reasons), text: s}
	}
	return last.text
}

// waitingSummary is the summary of a status with waiting containers,
// kept for the next status alike.
type waitingSummary struct {
	phase      corev1.PodPhase
	ready, all int
	reasons    []string
	text       string
}

// summary is a status's summary kept for the next status alike.
type summary struct {
	phase corev1.PodPhase
	text  string
}

// podStatus is the status the kubelet reports for a pod now.
func (kl *Kubelet) podStatus(w *podWorker) corev1.PodStatus {
	prev := w.pod.Status
	hostIP := kl.hostIP()
	// The conditions are built in a scratch slice (4 and PodScheduled)
	// and copied only when they differ from the last pod's (see
	// shareConditions). The parts that stay as they were are shared with the previous
	// status, as stored objects are never changed: two statuses a pod start.
	st := corev1.PodStatus{QOSClass: prev.QOSClass, HostIP: hostIP, HostIPs: prev.HostIPs,
		ContainerStatuses: make([]corev1.ContainerStatus, 0, len(w.containers)), Conditions: kl.condScratch[:0]}
	if len(st.HostIPs) != 1 || st.HostIPs[0].IP != hostIP {
		st.HostIPs = []corev1.HostIP{{IP: hostIP}}
	}
	if w.ip != "" {
		st.PodIP, st.PodIPs = w.ip, prev.PodIPs
		if len(st.PodIPs) != 1 || st.PodIPs[0].IP != w.ip {
			st.PodIPs = []corev1.PodIP{{IP: w.ip}}
		}
	}
	if !w.startTime.IsZero() {
		st.StartTime = prev.StartTime
		if st.StartTime == nil || !st.StartTime.Time.Equal(w.startTime) {
			t := metav1.NewTime(w.startTime)
			st.StartTime = &t
		}
	}
	allReady := true
	unready := kl.unreadyScratch[:0]
	for _, c := range w.containers {
		if c.imageID == "" {
			c.imageID = kl.imageID(c.spec.Image)
		}
		cs := corev1.ContainerStatus{
			Name: c.spec.Name, Image: c.spec.Image, ImageID: c.imageID, RestartCount: c.restarts,
			Ready: c.ready && c.state == stateRunning, Started: sharedBool(c.state == stateRunning && c.startupDone),
		}
		cs.ContainerID = c.statusID
		switch c.state {
		case stateRunning:
			cs.State.Running = kl.runningState(prev, c)
		case stateExited:
			if c.waitingReason == "CrashLoopBackOff" {
				cs.State.Waiting = &corev1.ContainerStateWaiting{Reason: c.waitingReason, Message: c.waitingMessage}
				cs.LastTerminationState.Terminated = c.term
			} else {
				cs.State.Terminated = c.term
			}
		default:
			cs.State.Waiting = waitingState(prev, c)
		}
		if cs.LastTerminationState.Terminated == nil && c.last != nil {
			cs.LastTerminationState.Terminated = c.last
		}
		if !cs.Ready {
			allReady = false
			unready = append(unready, c.spec.Name)
		}
		st.ContainerStatuses = append(st.ContainerStatuses, cs)
	}
	st.Phase = podPhase(w)
	now := metav1.NewTime(kl.now().Truncate(time.Second))
	cond := func(t corev1.PodConditionType, ok bool, reason, msg string) {
		s := corev1.ConditionFalse
		if ok {
			s, reason, msg = corev1.ConditionTrue, "", ""
		}
		c := corev1.PodCondition{Type: t, Status: s, Reason: reason, Message: msg, LastTransitionTime: now}
		for _, old := range prev.Conditions {
			if old.Type == t && old.Status == s {
				c.LastTransitionTime = old.LastTransitionTime
			}
		}
		st.Conditions = append(st.Conditions, c)
	}
	kl.unreadyScratch = unready
	unreadyMsg := kl.unreadyMessage(unready)
	cond(corev1.PodReadyToStartContainers, w.sandbox == sandboxReady, "", "")
	cond(corev1.PodInitialized, true, "", "")
	cond(corev1.PodReady, allReady, "ContainersNotReady", unreadyMsg)
	cond(corev1.ContainersReady, allReady, "ContainersNotReady", unreadyMsg)
	for _, old := range prev.Conditions {
		if old.Type == corev1.PodScheduled {
			st.Conditions = append(st.Conditions, old)
		}
	}
	kl.condScratch = st.Conditions
	st.Conditions = kl.shareConditions(st.Conditions)
	return st
}

// Stored objects are never changed, so the parts of a status that many
// pods or many versions of one pod have alike can be one object: each
// object fewer is one the garbage collector need not mark, a hundred
// thousand times over in a big Deployment.
var startedTrue, startedFalse = ptr.To(true), ptr.To(false)

func sharedBool(b bool) *bool {
	if b {
		return startedTrue
	}
	return startedFalse
}

// runningState is c's Running state, the previous status's when it says
// the same.
// waitingState is a waiting container's state: the previous status's
// when it says the same (stored statuses are never changed), as for a pod
// in ContainerCreating through its first two status writes.
func waitingState(prev corev1.PodStatus, c *container) *corev1.ContainerStateWaiting {
	for _, cs := range prev.ContainerStatuses {
		if w := cs.State.Waiting; cs.Name == c.spec.Name && w != nil && w.Reason == c.waitingReason && w.Message == c.waitingMessage {
			return w
		}
	}
	return &corev1.ContainerStateWaiting{Reason: c.waitingReason, Message: c.waitingMessage}
}

// unreadyMessage is the Ready condition's message for the unready
// containers (none: ""), kept for the next pod alike: the pods of one
// template name the same containers.
func (kl *Kubelet) unreadyMessage(unready []string) string {
	if len(unready) == 0 {
		return ""
	}
	if !slices.Equal(unready, kl.lastUnready.names) {
		kl.lastUnready.names = slices.Clone(unready)
		kl.lastUnready.msg = "containers with unready status: [" + strings.Join(unready, " ") + "]"
	}
	return kl.lastUnready.msg
}

func (kl *Kubelet) runningState(prev corev1.PodStatus, c *container) *corev1.ContainerStateRunning {
	for _, cs := range prev.ContainerStatuses {
		if r := cs.State.Running; cs.Name == c.spec.Name && r != nil && r.StartedAt.Time.Equal(c.startedAt) {
			return r
		}
	}
	return &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(c.startedAt)}
}

// shareConditions returns a copy of conds, or the conditions the kubelet
// built last when they are the same: the pods a node starts within a
// second have the same conditions, transition times included (they are
// whole seconds). conds may be scratch: it is never kept. Shared slices
// are clipped, so that an append makes a copy.
func (kl *Kubelet) shareConditions(conds []corev1.PodCondition) []corev1.PodCondition {
	if slices.EqualFunc(conds, kl.lastConds, sameCondition) {
		return kl.lastConds
	}
	kl.lastConds = slices.Clone(conds)
	return kl.lastConds
}

func sameCondition(a, b corev1.PodCondition) bool {
	return a.Type == b.Type && a.Status == b.Status && a.Reason == b.Reason && a.Message == b.Message &&
		a.ObservedGeneration == b.ObservedGeneration && a.LastProbeTime.Equal(&b.LastProbeTime) &&
		a.LastTransitionTime.Equal(&b.LastTransitionTime)
}

// podPhase follows the kubelet's getPhase: Pending until every container
// has started, Succeeded or Failed once all have ended for good, else
// Running.
func podPhase(w *podWorker) corev1.PodPhase {
	var waiting, running, succeeded, failed, stopped int
	for _, c := range w.containers {
		switch {
		case c.state == stateRunning:
			running++
		case c.state == stateExited && c.term.ExitCode == 0:
			succeeded++
			stopped++
		case c.state == stateExited:
			failed++
			stopped++
		case c.everStarted:
			stopped++
		default:
			waiting++
		}
	}
	policy := w.pod.Spec.RestartPolicy
	switch {
	case waiting > 0:
		return corev1.PodPending
	case running > 0:
		return corev1.PodRunning
	case policy == corev1.RestartPolicyAlways && stopped > 0:
		return corev1.PodRunning
	case policy == corev1.RestartPolicyOnFailure && failed > 0:
		return corev1.PodRunning
	case failed > 0:
		return corev1.PodFailed
	case succeeded > 0:
		return corev1.PodSucceeded
	}
	return corev1.PodPending
}

// imageID is the image ID a status shows for image, spelt once per image
// rather than once per container.
func (kl *Kubelet) imageID(image string) string {
	id, ok := kl.imageIDs[image]
	if !ok {
		if kl.imageIDs == nil || len(kl.imageIDs) >= maxCachedImages {
			kl.imageIDs = map[string]string{}
		}
		id = kl.rtPrefix + image
		kl.imageIDs[image] = id
	}
	return id
}

// maxCachedImages bounds the kubelet's cache of image IDs.
const maxCachedImages = 256

// hostIP is the node's InternalIP.
func (kl *Kubelet) hostIP() string {
	if obj, ok := kl.api.Store().Get(kl.nodeKey); ok {
		for _, a := range obj.(*corev1.Node).Status.Addresses {
			if a.Type == corev1.NodeInternalIP {
				return a.Address
			}
		}
	}
	return ""
}
