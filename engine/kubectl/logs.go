package kubectl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/kubelet"
	"github.com/kubeplay/kubeplay/engine/sim"

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
	id, err := kubelet.LogContainerID(pod, name, o.previous)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	var lerr error
	var stream kubelet.LogStreamFunc
	var streams bool
	if err := s.viaKubelet(pod, sim.VerbLog, func(kl backend.Kubelet) {
		if stream, streams, lerr = kl.LogStream(id); lerr == nil && !streams {
			lerr = kl.Logs(id, &buf)
		}
	}); err != nil {
		return err
	}
	if lerr != nil {
		return apierrors.NewBadRequest(lerr.Error())
	}
	if streams {
		s.streamLogs(stream, o)
		return nil
	}
	_, _ = s.Out.Write(kubelet.TailLines(buf.Bytes(), o.tail))
	if o.follow && !o.previous {
		s.followLogs(pod, name, id, buf.Len())
	}
	return nil
}

// followStep is how often `logs -f` looks for new output, in cluster time:
// often enough that lines appear as they are written.
const followStep = time.Second

// streamStep is how often a streamed log is printed while the cluster
// runs on (in real time: the runtime that streams is Docker).
const streamStep = 100 * time.Millisecond

// streamLogs prints a log the runtime streams: the stream runs on a
// goroutine of its own into a spool, which the session empties as the
// cluster runs on, until the stream ends or, following, the session's
// watch time is up.
func (s *Session) streamLogs(stream kubelet.LogStreamFunc, o logsOptions) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sp := newSpool(1 << 20)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = stream(ctx, o.tail, o.follow && !o.previous, sp)
	}()
	d := s.WatchFor
	if d == 0 {
		d = DefaultWatchFor
	}
	ended := false
	for waited := time.Duration(0); !ended && (waited < d || !o.follow); waited += streamStep {
		select {
		case <-done:
			ended = true
		default:
			s.runFor(streamStep)
		}
		_, _ = s.Out.Write(sp.take())
	}
	cancel()
	sp.close()
	<-done
	_, _ = s.Out.Write(sp.take())
}

// spool is what a log stream wrote and the session has not printed yet:
// the stream waits while it holds max bytes.
type spool struct {
	mu     sync.Mutex
	room   *sync.Cond
	buf    []byte
	max    int
	closed bool
}

func newSpool(max int) *spool {
	sp := &spool{max: max}
	sp.room = sync.NewCond(&sp.mu)
	return sp
}

var errSpoolClosed = errors.New("the log is no longer read")

func (sp *spool) Write(p []byte) (int, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	for len(sp.buf) >= sp.max && !sp.closed {
		sp.room.Wait()
	}
	if sp.closed {
		return 0, errSpoolClosed
	}
	sp.buf = append(sp.buf, p...)
	return len(p), nil
}

func (sp *spool) take() []byte {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	b := sp.buf
	sp.buf = nil
	sp.room.Broadcast()
	return b
}

func (sp *spool) close() {
	sp.mu.Lock()
	sp.closed = true
	sp.room.Broadcast()
	sp.mu.Unlock()
}

// followLogs prints what the container instance writes after the first
// sent bytes, for the session's watch time or until the instance ends (a
// restart ends the stream, as with the real kubelet).
func (s *Session) followLogs(pod *corev1.Pod, container, id string, sent int) {
	kl, _ := s.C.Kubelet(pod.Spec.NodeName)
	d := s.WatchFor
	if d == 0 {
		d = DefaultWatchFor
	}
	for waited := time.Duration(0); waited < d; waited += followStep {
		s.runFor(min(followStep, d-waited))
		var now *corev1.Pod
		if obj, err := s.C.Get(resPods, pod.Namespace, pod.Name); err == nil {
			now = obj.(*corev1.Pod)
		}
		var more bool
		if sent, more = kl.FollowLogs(now, container, id, sent, s.Out); !more {
			return
		}
	}
}
