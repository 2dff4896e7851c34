package kubectl

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/kubelet"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

type logsOptions struct {
	container string
	previous  bool
	follow    bool
	tail      int
}

func (s *Session) logsCmd() *cobra.Command {
	var o logsOptions
	cmd := &cobra.Command{
		Use:   "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]",
		Short: "Print the logs for a container in a pod",
		RunE: func(c *cobra.Command, args []string) error {
			switch len(args) {
			case 0:
				return fmt.Errorf("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee '%s -h' for help and examples", c.CommandPath())
			case 1:
			case 2:
				if o.container == "" {
					o.container = args[1]
					break
				}
				fallthrough
			default:
				return fmt.Errorf("only a single resource or a resource and container name may be given\nSee '%s -h' for help and examples", c.CommandPath())
			}
			return s.runLogs(args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.container, "container", "c", "", "Print the logs of this container")
	f.BoolVarP(&o.follow, "follow", "f", false, "Specify if the logs should be streamed.")
	f.BoolVarP(&o.previous, "previous", "p", false, "If true, print the logs for the previous instance of the container in a pod if it exists.")
	f.IntVar(&o.tail, "tail", -1, "Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines.")
	return cmd
}

func (s *Session) runLogs(arg string, o logsOptions) error {
	pod, err := s.podFor(arg)
	if err != nil {
		return err
	}
	name, err := s.containerFor(pod, o.container, false)
	if err != nil {
		return err
	}
	if pod.Spec.NodeName == "" {
		// The apiserver has no kubelet to ask yet: an empty stream.
		return nil
	}
	id, err := logContainerID(pod, name, o.previous)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	var lerr error
	if err := s.viaKubelet(pod, "log", func(kl *kubelet.Kubelet) { lerr = kl.Logs(id, &buf) }); err != nil {
		return err
	}
	if lerr != nil {
		return apierrors.NewBadRequest(lerr.Error())
	}
	_, _ = s.Out.Write(tailLines(buf.Bytes(), o.tail))
	if o.follow && !o.previous {
		s.followLogs(pod, name, id, buf.Len())
	}
	return nil
}

// logContainerID is the kubelet's validateContainerLogStatus: which
// instance of the container has the logs asked for, or why none has.
func logContainerID(pod *corev1.Pod, name string, previous bool) (string, error) {
	cs, ok := containerStatus(pod, name)
	if !ok {
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

// tailLines keeps the last n lines of b; n < 0 keeps all.
func tailLines(b []byte, n int) []byte {
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

// followStep is how often `logs -f` looks for new output, in cluster time:
// often enough that lines appear as they are written.
const followStep = time.Second

// followLogs prints what the container instance writes after the first
// sent bytes, for the session's watch time or until the instance ends (a
// restart ends the stream, as with the real kubelet).
func (s *Session) followLogs(pod *corev1.Pod, container, id string, sent int) {
	kl := s.C.Kubelets[pod.Spec.NodeName]
	d := s.WatchFor
	if d == 0 {
		d = DefaultWatchFor
	}
	for waited := time.Duration(0); waited < d; waited += followStep {
		s.runFor(min(followStep, d-waited))
		var buf bytes.Buffer
		if kl.Logs(id, &buf) != nil {
			return
		}
		if buf.Len() > sent {
			_, _ = s.Out.Write(buf.Bytes()[sent:])
			sent = buf.Len()
		}
		obj, err := s.C.API.Get(resPods, pod.Namespace, pod.Name)
		if err != nil {
			return
		}
		cs, _ := containerStatus(obj.(*corev1.Pod), container)
		if cs.ContainerID != id || cs.State.Running == nil {
			return
		}
	}
}
