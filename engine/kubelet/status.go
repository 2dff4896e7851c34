package kubelet

import (
	"reflect"
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
	kl.k.After(0, kl.name, "status sync", func() {
		w.armed = false
		if w.removed || w.finished {
			return
		}
		st := kl.podStatus(w)
		// Both statuses are built by podStatus from the same values, so
		// plain reflection will do; Semantic's allocations showed in profiles.
		// Pointers, so that neither status is copied into an interface.
		if w.sent != nil && reflect.DeepEqual(w.sent, &st) {
			return
		}
		// A status write replaces only the status: a shallow copy will do.
		pod := *w.pod
		pod.ResourceVersion = ""
		pod.Status = st
		// The status sent is the one in the object written, which no one
		// changes: one copy per pod instead of two.
		w.sent = &pod.Status
		base := w.pod
		kl.api.Submit(kl.name, apiserver.Request{Verb: sim.VerbUpdateStatus, Object: &pod, Why: summarize(st),
			Preconditions: apiserver.UIDPrecondition(w.pod), Done: func(stored kruntime.Object, err error) {
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
	})
}

func summarize(st corev1.PodStatus) string {
	ready := 0
	var reasons []string
	for _, cs := range st.ContainerStatuses {
		if cs.Ready {
			ready++
		}
		if cs.State.Waiting != nil {
			reasons = append(reasons, cs.State.Waiting.Reason)
		}
	}
	s := string(st.Phase) + ", " + strconv.Itoa(ready) + "/" + strconv.Itoa(len(st.ContainerStatuses)) + " ready"
	if len(reasons) > 0 {
		s += " (" + strings.Join(reasons, ", ") + ")"
	}
	return s
}

// podStatus is the status the kubelet reports for a pod now.
func (kl *Kubelet) podStatus(w *podWorker) corev1.PodStatus {
	prev := w.pod.Status
	hostIP := kl.hostIP()
	// Sized for what is appended below: 4 conditions and PodScheduled.
	// The parts that stay as they were are shared with the previous
	// status, as stored objects are never changed: three statuses a pod.
	st := corev1.PodStatus{QOSClass: prev.QOSClass, HostIP: hostIP, HostIPs: prev.HostIPs,
		ContainerStatuses: make([]corev1.ContainerStatus, 0, len(w.containers)), Conditions: make([]corev1.PodCondition, 0, 5)}
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
	var unready []string
	for _, c := range w.containers {
		if c.imageID == "" {
			c.imageID = kl.imageID(c.spec.Image)
		}
		cs := corev1.ContainerStatus{
			Name: c.spec.Name, Image: c.spec.Image, ImageID: c.imageID, RestartCount: c.restarts,
			Ready: c.ready && c.state == stateRunning, Started: ptr.To(c.state == stateRunning && c.startupDone),
		}
		cs.ContainerID = c.statusID
		switch c.state {
		case stateRunning:
			cs.State.Running = &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(c.startedAt)}
		case stateExited:
			if c.waitingReason == "CrashLoopBackOff" {
				cs.State.Waiting = &corev1.ContainerStateWaiting{Reason: c.waitingReason, Message: c.waitingMessage}
				cs.LastTerminationState.Terminated = c.term
			} else {
				cs.State.Terminated = c.term
			}
		default:
			cs.State.Waiting = &corev1.ContainerStateWaiting{Reason: c.waitingReason, Message: c.waitingMessage}
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
	var unreadyMsg string
	if !allReady {
		unreadyMsg = "containers with unready status: [" + strings.Join(unready, " ") + "]"
	}
	cond(corev1.PodReadyToStartContainers, w.sandbox == sandboxReady, "", "")
	cond(corev1.PodInitialized, true, "", "")
	cond(corev1.PodReady, allReady, "ContainersNotReady", unreadyMsg)
	cond(corev1.ContainersReady, allReady, "ContainersNotReady", unreadyMsg)
	for _, old := range prev.Conditions {
		if old.Type == corev1.PodScheduled {
			st.Conditions = append(st.Conditions, old)
		}
	}
	return st
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

func (kl *Kubelet) imageID(image string) string {
	return kl.rtPrefix + image
}

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
