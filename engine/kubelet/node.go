package kubelet

import (
	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The node's Ready condition, as the kubelet and the node lifecycle
// controller word it.
const (
	ReasonReady    = "KubeletReady"
	ReasonNotReady = "KubeletNotReady"
	ReasonUnknown  = "NodeStatusUnknown"
	MessageReady   = "kubelet is posting ready status"
	MessageUnknown = "Kubelet stopped posting node status."
)

// watchHealth follows a runtime that can fail as a whole (Docker's
// daemon): the node goes NotReady while it is down, and its pods are
// synced again when it is back.
func (kl *Kubelet) watchHealth() {
	hr, ok := kl.rt.(runtime.HealthReporter)
	if !ok {
		return
	}
	hr.OnHealth(func(err error) {
		verb, why := sim.VerbRuntimeUp, "the container runtime answers again"
		if err != nil {
			verb, why = sim.VerbRuntimeDown, err.Error()
		}
		kl.post(simHop(kl.rtName, kl.name, verb, "nodes/"+kl.node, why), func() { kl.runtimeHealth(err) })
	})
}

func (kl *Kubelet) runtimeHealth(err error) {
	kl.runtimeErr = err
	if kl.stopped {
		return
	}
	if err != nil {
		SetNodeReady(kl.api, kl.name, kl.node, corev1.ConditionFalse, ReasonNotReady, "container runtime is down: "+err.Error())
		return
	}
	SetNodeReady(kl.api, kl.name, kl.node, corev1.ConditionTrue, ReasonReady, MessageReady)
	kl.resync(false)
}

// Stopped reports whether the kubelet was stopped (`fault stop-node`).
func (kl *Kubelet) Stopped() bool { return kl.stopped }

// Stop stops the kubelet as a crashed or stopped kubelet process: it no
// longer syncs pods, runs probes or posts status. Its containers keep
// running, as they do on a real node; the node lifecycle controller marks
// the node NotReady once its status is overdue.
func (kl *Kubelet) Stop() { kl.stopped = true }

// Start starts a stopped kubelet again: it posts its node's status, then
// syncs every pod bound to the node with what the apiserver holds now —
// pods it missed are started, pods deleted meanwhile are stopped.
func (kl *Kubelet) Start() {
	if !kl.stopped {
		return
	}
	kl.stopped = false
	if kl.runtimeErr != nil {
		SetNodeReady(kl.api, kl.name, kl.node, corev1.ConditionFalse, ReasonNotReady, "container runtime is down: "+kl.runtimeErr.Error())
		return
	}
	SetNodeReady(kl.api, kl.name, kl.node, corev1.ConditionTrue, ReasonReady, MessageReady)
	kl.resync(true)
}

// resync brings every pod worker in line with the apiserver's pods, and
// restarts the probes a stop interrupted.
func (kl *Kubelet) resync(probes bool) {
	// The node's pods from the cluster's index of pods by node (its
	// field selector spec.nodeName), in key order, so that they start in
	// the same order on every run: not every pod of the cluster, twice.
	pods := kl.api.Store().ByIndex(apiserver.PrefixOf(resPods), "node", kl.node)
	current := make(map[string]bool, len(pods))
	for _, obj := range pods {
		current[string(obj.(*corev1.Pod).UID)] = true
	}
	for uid, w := range kl.workers {
		if !current[uid] {
			w.removed = true
			kl.terminate(w, 0)
			delete(kl.workers, uid)
		}
	}
	for _, pod := range pods {
		pod := pod.(*corev1.Pod)
		w := kl.workers[string(pod.UID)]
		if w == nil {
			w = newPodWorker(pod)
			kl.workers[string(pod.UID)] = w
		}
		w.pod, w.sent = pod, nil
		for _, c := range w.containers {
			if probes && c.state == stateRunning && !w.stopping {
				c.gen++
				kl.startProbes(w, c)
			}
		}
		kl.sync(w)
	}
}

// SetNodeReady writes a node's Ready condition, as the kubelet posts it
// (from a kubelet) or as the node lifecycle controller sets it to Unknown
// for a node whose kubelet went quiet, with the other conditions.
func SetNodeReady(api *apiserver.Server, from sim.Component, name string, status corev1.ConditionStatus, reason, msg string) {
	obj, err := api.Get(resNodes, "", name)
	if err != nil {
		return
	}
	node := *obj.(*corev1.Node)
	node.ResourceVersion = ""
	now := metav1.NewTime(api.Kernel().Now())
	conds := append([]corev1.NodeCondition(nil), node.Status.Conditions...)
	for i := range conds {
		c := &conds[i]
		switch {
		case c.Type == corev1.NodeReady:
			if c.Status != status {
				c.LastTransitionTime = now
			}
			c.Status, c.Reason, c.Message = status, reason, msg
		case status == corev1.ConditionUnknown:
			// The controller knows nothing of the node any more.
			if c.Status != status {
				c.LastTransitionTime = now
			}
			c.Status, c.Reason, c.Message = status, ReasonUnknown, MessageUnknown
		case c.Status == corev1.ConditionUnknown:
			c.Status, c.Reason, c.Message, c.LastTransitionTime = corev1.ConditionFalse, pressureReason[c.Type], pressureMessage[c.Type], now
		}
		if from != NodeLifecycleController {
			c.LastHeartbeatTime = now
		}
	}
	node.Status.Conditions = conds
	why := "node " + string(status) + ": " + reason
	api.Submit(from, apiserver.Request{Verb: sim.VerbUpdateStatus, Object: &node, Why: why})
}

// NodeLifecycleController is the component name of the node lifecycle
// controller in hops.
const NodeLifecycleController = sim.Component(sim.KindNodeLifecycle)

var (
	pressureReason = map[corev1.NodeConditionType]string{
		corev1.NodeMemoryPressure: "KubeletHasSufficientMemory",
		corev1.NodeDiskPressure:   "KubeletHasNoDiskPressure",
		corev1.NodePIDPressure:    "KubeletHasSufficientPID",
	}
	pressureMessage = map[corev1.NodeConditionType]string{
		corev1.NodeMemoryPressure: "kubelet has sufficient memory available",
		corev1.NodeDiskPressure:   "kubelet has no disk pressure",
		corev1.NodePIDPressure:    "kubelet has sufficient PID available",
	}
)
