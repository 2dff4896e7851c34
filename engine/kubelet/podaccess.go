package kubelet

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// This file is what every client of pods/log and pods/exec shares — the
// built-in kubectl and the HTTP API alike: the way through the apiserver
// to the pod's kubelet, and which container instance holds the logs.

// Proxied reaches kl as the apiserver's proxy does for pods/log and
// pods/exec: a hop from the client (from) to the apiserver, one from the
// apiserver to the kubelet, then fn runs on the kubelet. It runs on the
// kernel's goroutine and returns at once; fn runs when the hops arrive.
func (kl *Kubelet) Proxied(from sim.Component, pod string, sub sim.Verb, fn func()) {
	object := "pods/" + pod + "/" + sub.String()
	kl.k.Send(apiserver.Latency, sim.Hop{From: from, To: apiserver.Name, Verb: sim.VerbGet, Object: object}, func() {
		kl.k.Send(apiserver.Latency, sim.Hop{From: apiserver.Name, To: kl.name, Verb: sub, Object: object, Summary: "proxied to the pod's kubelet"}, fn)
	})
}

// LogContainerID is the kubelet's validateContainerLogStatus: which
// instance of the container has the logs asked for (its status
// containerID), or why none has.
func LogContainerID(pod *corev1.Pod, name string, previous bool) (string, error) {
	cs := podContainerStatus(pod, name)
	if cs == nil {
		return "", apierrors.NewBadRequest(fmt.Sprintf("container %q in pod %q is not available", name, pod.Name))
	}
	last := cs.LastTerminationState.Terminated
	switch {
	case previous:
		if last == nil || last.ContainerID == "" {
			return "", apierrors.NewBadRequest(fmt.Sprintf("previous terminated container %q in pod %q not found", name, pod.Name))
		}
		return last.ContainerID, nil
	case cs.State.Running != nil:
		return cs.ContainerID, nil
	case cs.State.Terminated != nil:
		if cs.State.Terminated.ContainerID != "" {
			return cs.State.Terminated.ContainerID, nil
		}
		if last != nil && last.ContainerID != "" {
			return last.ContainerID, nil
		}
		return "", apierrors.NewBadRequest(fmt.Sprintf("container %q in pod %q is terminated", name, pod.Name))
	case last != nil:
		// Waiting to restart (CrashLoopBackOff): the instance that ended.
		return last.ContainerID, nil
	case cs.State.Waiting != nil:
		reason := cs.State.Waiting.Reason
		switch reason {
		case "ErrImagePull":
			reason = "image can't be pulled"
		case "ImagePullBackOff":
			reason = "trying and failing to pull image"
		}
		return "", apierrors.NewBadRequest(fmt.Sprintf("container %q in pod %q is waiting to start: %s", name, pod.Name, reason))
	}
	return "", apierrors.NewBadRequest(fmt.Sprintf("container %q in pod %q is waiting to start - no logs yet", name, pod.Name))
}

func podContainerStatus(pod *corev1.Pod, name string) *corev1.ContainerStatus {
	for i := range pod.Status.ContainerStatuses {
		if pod.Status.ContainerStatuses[i].Name == name {
			return &pod.Status.ContainerStatuses[i]
		}
	}
	return nil
}

// FollowLogs is one look of a `logs -f`: it writes what the instance id
// wrote after its first sent bytes, and says how many bytes were sent
// in all and whether to look again — no once the instance has ended or
// the pod (as the apiserver has it now, nil when gone) runs another one,
// which ends the stream as with the real kubelet. It runs on the
// kernel's goroutine.
func (kl *Kubelet) FollowLogs(pod *corev1.Pod, container, id string, sent int, w io.Writer) (int, bool) {
	// The runtime writes its whole log; only what is new goes on, with no
	// copy of the rest (the simulated runtime's log is one slice).
	skip := &skipWriter{w: w, skip: sent}
	if kl.Logs(id, skip) != nil {
		return sent, false
	}
	sent += skip.wrote
	if pod == nil {
		return sent, false
	}
	cs := podContainerStatus(pod, container)
	return sent, cs != nil && cs.ContainerID == id && cs.State.Running != nil
}

// skipWriter passes on what is written to it after its first skip bytes.
type skipWriter struct {
	w     io.Writer
	skip  int
	wrote int
}

func (s *skipWriter) Write(p []byte) (int, error) {
	n := len(p)
	if s.skip >= n {
		s.skip -= n
		return n, nil
	}
	p, s.skip = p[s.skip:], 0
	m, err := s.w.Write(p)
	s.wrote += m
	if err != nil {
		return n - len(p) + m, err
	}
	return n, nil
}

// TailLines keeps the last n lines of b (the kubelet's tailLines); n < 0
// keeps all.
func TailLines(b []byte, n int) []byte {
	if n < 0 {
		return b
	}
	lines := strings.SplitAfter(string(b), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return []byte(strings.Join(lines, ""))
}

// ExecTimeout bounds a command run by exec, in the container's time: a
// script cannot press Ctrl-C to stop a `sleep infinity`, and the
// simulated runtime runs it on the kernel's goroutine.
const ExecTimeout = time.Minute

// ErrNoStdin is ExecStdin's answer on a runtime that cannot give a
// command standard input.
var ErrNoStdin = errors.New("this container runtime cannot give a command standard input")

// ExecStdin is Exec with stdin as the command's standard input, whole.
func (kl *Kubelet) ExecStdin(statusID string, cmd []string, stdin []byte, timeout time.Duration) (runtime.ExecResult, error) {
	id, err := kl.runtimeID(statusID)
	if err != nil {
		return runtime.ExecResult{}, err
	}
	se, ok := kl.rt.(runtime.StdinExecer)
	if !ok {
		return runtime.ExecResult{}, ErrNoStdin
	}
	kl.flushDNS()
	return se.ExecStdin(id, cmd, stdin, timeout)
}
