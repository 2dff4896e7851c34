package kubelet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"
)

// statusID is a container's ID as pod status shows it: the runtime's name
// as the scheme ("sim://…", "docker://…"), as containerd's "containerd://".
func (kl *Kubelet) statusID(id string) string { return kl.rtPrefix + id }

// runtimeID turns a status containerID back into the runtime's ID, so
// kubectl can address the instance a pod's status names (the current one,
// or lastState's for --previous) as the real kubelet does.
func (kl *Kubelet) runtimeID(statusID string) (string, error) {
	id, ok := strings.CutPrefix(statusID, kl.rtPrefix)
	if !ok || id == "" {
		return "", fmt.Errorf("container %q is not known to this kubelet", statusID)
	}
	return id, nil
}

// Logs writes the output of the container instance with the given status
// containerID (the kubelet's /containerLogs endpoint).
func (kl *Kubelet) Logs(statusID string, w io.Writer) error {
	id, err := kl.runtimeID(statusID)
	if err != nil {
		return err
	}
	return kl.rt.Logs(id, w)
}

// LogStreamFunc writes a container instance's last tail lines (all with
// tail < 0), and with follow what it writes next, until it ends or ctx is
// done; see runtime.LogStreamer.
type LogStreamFunc func(ctx context.Context, tail int, follow bool, w io.Writer) error

// LogStream is the kubelet's streaming /containerLogs for the container
// instance with the given status containerID: looked up on the kernel's
// goroutine, run on another for as long as the client follows. ok is
// false on a runtime that does not stream (the simulated one, whose
// output is read on the kernel's clock: see Logs and FollowLogs).
func (kl *Kubelet) LogStream(statusID string) (stream LogStreamFunc, ok bool, err error) {
	id, err := kl.runtimeID(statusID)
	if err != nil {
		return nil, false, err
	}
	ls, ok := kl.rt.(runtime.LogStreamer)
	if !ok {
		return nil, false, nil
	}
	return func(ctx context.Context, tail int, follow bool, w io.Writer) error {
		return ls.StreamLogs(ctx, id, tail, follow, w)
	}, true, nil
}

// Exec runs cmd in the running container instance with the given status
// containerID (the kubelet's /exec endpoint).
func (kl *Kubelet) Exec(statusID string, cmd []string, timeout time.Duration) (runtime.ExecResult, error) {
	id, err := kl.runtimeID(statusID)
	if err != nil {
		return runtime.ExecResult{}, err
	}
	kl.flushDNS()
	return kl.rt.Exec(id, cmd, timeout)
}

// flushDNS has a runtime that holds the cluster's DNS view back for a
// moment write it now, before a learner's command runs in a pod (see
// runtime.DNSFlusher). The kubelet's own exec probes go to the runtime
// directly, without it.
func (kl *Kubelet) flushDNS() {
	if f, ok := kl.rt.(runtime.DNSFlusher); ok {
		f.FlushDNS()
	}
}

// ErrNoStream is Stream's answer on a runtime that runs a command to its
// end before it shows the output (the simulated one, on the kernel's
// virtual clock).
var ErrNoStream = errors.New("an interactive session (exec -it) needs the Docker runtime: the simulated one runs a command to its end, then shows its output")

// StreamFunc runs a command in one container with its streams attached;
// see runtime.Streamer.
type StreamFunc func(ctx context.Context, cmd []string, streams runtime.ExecStreams) (exitCode int, err error)

// Stream is the kubelet's streaming exec for the container instance with
// the given status containerID: looked up on the kernel's goroutine, run
// on another, for as long as the session lasts.
func (kl *Kubelet) Stream(statusID string) (StreamFunc, error) {
	id, err := kl.runtimeID(statusID)
	if err != nil {
		return nil, err
	}
	st, ok := kl.rt.(runtime.Streamer)
	if !ok {
		return nil, ErrNoStream
	}
	return func(ctx context.Context, cmd []string, streams runtime.ExecStreams) (int, error) {
		kl.flushDNS()
		return st.ExecStream(ctx, id, cmd, streams)
	}, nil
}

// Kill kills the container instance with the given status containerID at
// once, with SIGKILL and no grace (`fault kill-container`): the kubelet
// hears of its exit (137) as of any other, and restarts it per the pod's
// restartPolicy.
func (kl *Kubelet) Kill(statusID string) error {
	id, err := kl.runtimeID(statusID)
	if err != nil {
		return err
	}
	if k, ok := kl.rt.(runtime.Killer); ok {
		return k.Kill(id)
	}
	return kl.rt.StopContainer(id, 0)
}

// KillSandbox kills the sandbox of the pod with uid at once, as a Docker
// daemon restart would (`fault kill-sandbox`).
func (kl *Kubelet) KillSandbox(uid string) error {
	w := kl.workers[uid]
	if w == nil || w.sandbox != sandboxReady {
		return fmt.Errorf("the pod has no running sandbox")
	}
	k, ok := kl.rt.(runtime.SandboxKiller)
	if !ok {
		return fmt.Errorf("the %s runtime cannot kill a sandbox", kl.rt.Info().Name)
	}
	return k.KillSandbox(w.sandboxID)
}
