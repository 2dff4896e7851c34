package kubelet

import (
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
)

// sandboxExited hears of a pod sandbox's end from the runtime (on its
// goroutine for a real runtime).
func (kl *Kubelet) sandboxExited(ex runtime.Exit) {
	kl.post(simHop(kl.rtName, kl.name, sim.VerbSandboxExited, "sandboxes/"+shortID(ex.ContainerID), "the pod's network namespace is gone"), func() {
		for _, w := range kl.workers {
			if w.sandboxID == ex.ContainerID && w.sandbox == sandboxReady && !w.stopping && !w.finished {
				kl.sandboxDied(w)
				return
			}
		}
	})
}

// sandboxDied is a running pod's sandbox gone (its pause container
// killed, the Docker daemon restarted). As the kubelet does, the pod's
// containers are killed, a new sandbox — a new pod IP — is made, and the
// containers start again in it as the restart policy says.
func (kl *Kubelet) sandboxDied(w *podWorker) {
	kl.event(w, corev1.EventTypeNormal, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.")
	w.sandbox = sandboxDead
	kl.resandbox(w)
}

// resandbox moves a pod with a dead sandbox on: it stops the containers
// still running, and once none runs nor has a call in flight, removes the
// dead sandbox and syncs, which makes the new one. It is called again
// after every exit and finished call, and does nothing for other pods.
func (kl *Kubelet) resandbox(w *podWorker) {
	if w.sandbox != sandboxDead || w.stopping || w.removed {
		return
	}
	wait := false
	for _, c := range w.containers {
		if c.busy || c.state == stateRunning {
			wait = true
		}
		if c.state == stateRunning && !c.stopping && !c.busy {
			c.gen++ // no more probes
			kl.event(w, corev1.EventTypeNormal, "Killing", "Stopping container "+c.spec.Name)
			kl.stopContainer(c, gracePeriod(w.pod), "pod sandbox changed")
		}
	}
	kl.syncStatus(w)
	if wait {
		return
	}
	w.sandbox = sandboxRemoving
	id := w.sandboxID
	kl.call(sim.VerbRemoveSandbox, w.object(), "remove the dead sandbox", func() string {
		if err := kl.rt.RemoveSandbox(id); err != nil {
			return "failed: " + err.Error()
		}
		return "removed"
	}, func() {
		w.sandbox, w.sandboxID, w.ip = sandboxNone, "", ""
		if w.stopping {
			kl.maybeFinish(w)
			return
		}
		kl.sync(w)
	})
}

// anyToStart says whether a pod has a container to start: one never
// started, or one that ended and whose restart policy restarts it. A pod
// with none needs no new sandbox.
func anyToStart(w *podWorker) bool {
	for _, c := range w.containers {
		if c.state == stateWaiting || c.state == stateExited && shouldRestart(w.pod.Spec.RestartPolicy, c.term.ExitCode) {
			return true
		}
	}
	return false
}
