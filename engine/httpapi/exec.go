package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/kubelet"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/remotecommand"
	"k8s.io/klog/v2"
	"k8s.io/streaming/pkg/httpstream"
	"k8s.io/streaming/pkg/httpstream/spdy"
	"k8s.io/streaming/pkg/httpstream/wsstream"
)

// pods/NAME/exec speaks Kubernetes' remotecommand protocol: over a
// WebSocket (v5.channel.k8s.io, what kubectl 1.32 tries first, or v4),
// or over SPDY (v5 or v4), to which kubectl falls back. Streams carry
// stdin, stdout, stderr, resize and an error stream that ends the
// session with a metav1.Status, the exit code in its causes.
//
// On Docker the command's streams are attached while it runs
// (runtime.Streamer), so `kubectl exec -it POD -- sh` is a real terminal
// session. The simulated runtime runs a command once, to its end, on the
// kernel's clock: stdin, when asked for, is read whole — to the client's
// end of input — before the command runs, and its output, stdout and
// stderr together, is sent when it has run. So `kubectl exec -i POD --
// sh -c 'cat'` works there, and an interactive terminal (-it) does not;
// kubeplay says so.

// maxStdin bounds what exec reads from the client's stdin.
const maxStdin = 1 << 20

// streamCreationTimeout is how long a SPDY client has to open its
// streams, as the kubelet's default.
const streamCreationTimeout = 30 * time.Second

// clientStreamsSettle is how long a WebSocket exec waits after the
// upgrade before it writes: see openExecWebSocket.
const clientStreamsSettle = 50 * time.Millisecond

// execOptions are a pods/exec query's parameters.
type execOptions struct {
	command                    []string
	container                  string
	stdin, stdout, stderr, tty bool
}

func parseExecOptions(r *http.Request) (execOptions, error) {
	q := r.URL.Query()
	flag := func(name string) bool { v, _ := strconv.ParseBool(q.Get(name)); return v }
	o := execOptions{command: q["command"], container: q.Get("container"),
		stdin: flag("stdin"), stdout: flag("stdout"), stderr: flag("stderr"), tty: flag("tty")}
	if len(o.command) == 0 {
		return o, apierrors.NewBadRequest("you must specify at least one command for the container")
	}
	if !o.stdin && !o.stdout && !o.stderr {
		return o, apierrors.NewBadRequest("you must specify at least 1 of stdin, stdout, stderr")
	}
	return o, nil
}

// execSession is an upgraded exec connection, WebSocket or SPDY alike.
type execSession struct {
	stdin          io.Reader // nil unless asked for
	stdout, stderr io.Writer // nil unless asked for
	resize         <-chan runtime.TermSize
	status         io.Writer // the error stream: one Status, v4 and later
	close          func()
}

// exec serves pods/NAME/exec: checks the pod as the apiserver and the
// kubelet do (refusals before the upgrade, which kubectl prints as
// "unable to upgrade connection: …"), upgrades, then runs the command
// through the pod's kubelet as the built-in exec does.
func (s *Server) exec(w http.ResponseWriter, r *http.Request, t target) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		s.writeError(w, apierrors.NewMethodNotSupported(groupResource("", "pods/exec"), r.Method))
		return
	}
	o, err := parseExecOptions(r)
	if err != nil {
		s.writeError(w, err)
		return
	}
	pod, err := s.pod(r, t)
	if err != nil {
		s.writeError(w, err)
		return
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		s.writeError(w, apierrors.NewBadRequest(fmt.Sprintf("cannot exec into a container in a completed pod; current phase is %s", pod.Status.Phase)))
		return
	}
	name, err := containerName(pod, o.container)
	if err != nil {
		s.writeError(w, err)
		return
	}
	id := runningContainerID(pod, name)
	if pod.Spec.NodeName == "" || id == "" {
		// The kubelet's words, which kubectl prints after "unable to
		// upgrade connection: ", as the built-in exec does.
		nf := apierrors.NewNotFound(groupResource("", "containers"), name)
		nf.ErrStatus.Message = fmt.Sprintf("container not found (%q)", name)
		s.writeError(w, nf)
		return
	}
	var sess *execSession
	switch {
	case wsstream.IsWebSocketRequest(r):
		sess = openExecWebSocket(w, r, o)
	case httpstream.IsUpgradeRequest(r):
		sess = openExecSPDY(w, r, o)
	default:
		s.writeError(w, apierrors.NewBadRequest("pods/exec needs an upgrade to a WebSocket (v5.channel.k8s.io) or to SPDY/3.1"))
		return
	}
	if sess == nil {
		return // the upgrade failed, and said why
	}
	s.wg.Add(1)
	defer s.wg.Done()
	// The hijacked connection outlives r's context: this one ends with
	// the session, or when kubeplay stops.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	end := func() { once.Do(sess.close) }
	defer end()
	go func() {
		select {
		case <-s.closed:
			end()
			cancel() // a streaming command is left to run in its container
		case <-ctx.Done():
		}
	}()
	st := s.runExec(r.WithContext(ctx), pod, id, o, sess)
	data, _ := json.Marshal(st)
	_, _ = sess.status.Write(data)
}

// runningContainerID is the status containerID of the named container
// while it runs, else "".
func runningContainerID(pod *corev1.Pod, name string) string {
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.Name == name && cs.State.Running != nil {
			return cs.ContainerID
		}
	}
	return ""
}

// runExec runs the command and says how it ended, as the kubelet's
// remotecommand server words it.
func (s *Server) runExec(r *http.Request, pod *corev1.Pod, id string, o execOptions, sess *execSession) *metav1.Status {
	if s.live {
		return s.streamExec(r, pod, id, o, sess)
	}
	if o.tty && o.stdin {
		return execFailure("kubeplay: " + kubelet.ErrNoStream.Error() + ". Run one command at a time, for example: kubectl exec " + pod.Name + " -- sh -c 'ls /; env'" +
			" (with -i alone, stdin is read to its end, then the command runs)")
	}
	var input []byte
	if sess.stdin != nil {
		var err error
		if input, err = io.ReadAll(io.LimitReader(sess.stdin, maxStdin+1)); err != nil {
			return execFailure("reading stdin: " + err.Error())
		}
		if len(input) > maxStdin {
			return execFailure(fmt.Sprintf("kubeplay: stdin is limited to %d bytes", maxStdin))
		}
	}
	var res runtime.ExecResult
	var xerr error
	err := s.viaKubelet(r, pod, sim.VerbExec, func(kl backend.Kubelet) {
		if o.stdin {
			res, xerr = kl.ExecStdin(id, o.command, input, kubelet.ExecTimeout)
		} else {
			res, xerr = kl.Exec(id, o.command, kubelet.ExecTimeout)
		}
	})
	switch {
	case err != nil:
		return execFailure(err.Error())
	case xerr != nil:
		return execFailure("error executing command in container: " + xerr.Error())
	}
	if out := firstWriter(sess.stdout, sess.stderr); out != nil {
		_, _ = out.Write(res.Output)
	}
	return exitStatus(o.command, res.ExitCode)
}

// streamExec runs the command with the session's streams attached while
// it runs, off the kernel's goroutine, until it ends, its output can no
// longer be written (the client went) or kubeplay stops.
func (s *Server) streamExec(r *http.Request, pod *corev1.Pod, id string, o execOptions, sess *execSession) *metav1.Status {
	var stream kubelet.StreamFunc
	var serr error
	if err := s.viaKubelet(r, pod, sim.VerbExec, func(kl backend.Kubelet) { stream, serr = kl.Stream(id) }); err != nil {
		return execFailure(err.Error())
	}
	if serr != nil {
		return execFailure("error executing command in container: " + serr.Error())
	}
	code, err := stream(r.Context(), o.command, runtime.ExecStreams{Stdin: sess.stdin, Stdout: sess.stdout, Stderr: sess.stderr, TTY: o.tty, Resize: sess.resize})
	if err != nil {
		return execFailure("error executing command in container: " + err.Error())
	}
	return exitStatus(o.command, code)
}

// exitStatus is how the kubelet reports a command's exit code: success,
// or NonZeroExitCode with the code as a cause, which kubectl exits with.
func exitStatus(command []string, code int) *metav1.Status {
	if code == 0 {
		return &metav1.Status{TypeMeta: statusType, Status: metav1.StatusSuccess}
	}
	return &metav1.Status{TypeMeta: statusType, Status: metav1.StatusFailure, Reason: remotecommand.NonZeroExitCodeReason,
		Message: fmt.Sprintf("command terminated with non-zero exit code: error executing command %v, exit code %d", command, code),
		Details: &metav1.StatusDetails{Causes: []metav1.StatusCause{{Type: remotecommand.ExitCodeCauseType, Message: strconv.Itoa(code)}}}}
}

var statusType = metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}

func execFailure(msg string) *metav1.Status {
	return &metav1.Status{TypeMeta: statusType, Status: metav1.StatusFailure, Reason: metav1.StatusReasonInternalError, Message: msg}
}

func firstWriter(ws ...io.Writer) io.Writer {
	for _, w := range ws {
		if w != nil {
			return w
		}
	}
	return nil
}

// The remotecommand channels of a WebSocket session, by number.
const (
	chanStdin = iota
	chanStdout
	chanStderr
	chanError
	chanResize
)

// openExecWebSocket upgrades to a channel WebSocket, as the kubelet's
// remotecommand server does; nil when the upgrade failed.
func openExecWebSocket(w http.ResponseWriter, r *http.Request, o execOptions) *execSession {
	when := func(on bool, t wsstream.ChannelType) wsstream.ChannelType {
		if on {
			return t
		}
		return wsstream.IgnoreChannel
	}
	channels := []wsstream.ChannelType{
		chanStdin:  when(o.stdin, wsstream.ReadChannel),
		chanStdout: when(o.stdout, wsstream.WriteChannel),
		chanStderr: when(o.stderr, wsstream.WriteChannel),
		chanError:  wsstream.WriteChannel,
		chanResize: wsstream.ReadChannel,
	}
	conn := wsstream.NewConn(map[string]wsstream.ChannelProtocolConfig{
		remotecommand.StreamProtocolV5Name: {Binary: true, Channels: channels},
		remotecommand.StreamProtocolV4Name: {Binary: true, Channels: channels},
	})
	// The client reads the status to the connection's end, so kubeplay
	// closes it, which the connection's reader would log as an error:
	// klog, on stderr, under kubeplay's screen.
	r = r.WithContext(klog.NewContext(r.Context(), logr.Discard()))
	_, streams, err := conn.Open(w, r)
	if err != nil {
		return nil
	}
	// client-go starts reading the connection before it has registered
	// its streams, and drops what comes for a stream it does not know
	// yet ("Unknown stream id 1, discarding message", then "closed all
	// streams"). A real exec takes the runtime longer than that; kubeplay's
	// can answer at once, so it gives the client this moment first.
	time.Sleep(clientStreamsSettle)
	sess := &execSession{status: streams[chanError], resize: decodeResizes(streams[chanResize]), close: func() { _ = conn.Close() }}
	if o.stdin {
		sess.stdin = streams[chanStdin]
	}
	if o.stdout {
		sess.stdout = streams[chanStdout]
		// An empty message tells the client the session is open.
		_, _ = sess.stdout.Write(nil)
	}
	if o.stderr {
		sess.stderr = streams[chanStderr]
	}
	return sess
}

// openExecSPDY upgrades to SPDY/3.1 and waits for the client's streams,
// as the kubelet does; nil when that failed.
func openExecSPDY(w http.ResponseWriter, r *http.Request, o execOptions) *execSession {
	if _, err := httpstream.Handshake(r, w, []string{remotecommand.StreamProtocolV5Name, remotecommand.StreamProtocolV4Name}); err != nil {
		return nil // Handshake answered 403 with the protocols it supports
	}
	streams := make(chan httpstream.Stream, 8)
	conn := spdy.NewResponseUpgrader().UpgradeResponse(w, r, func(st httpstream.Stream, _ <-chan struct{}) error {
		streams <- st
		return nil
	})
	if conn == nil {
		return nil
	}
	sess := &execSession{close: func() { _ = conn.Close() }}
	want := 1 // the error stream
	for _, on := range []bool{o.stdin, o.stdout, o.stderr && !o.tty, o.tty} {
		if on {
			want++
		}
	}
	timeout := time.NewTimer(streamCreationTimeout)
	defer timeout.Stop()
	for got := 0; got < want; got++ {
		select {
		case st := <-streams:
			switch st.Headers().Get(corev1.StreamType) {
			case corev1.StreamTypeError:
				sess.status = st
			case corev1.StreamTypeStdin:
				sess.stdin = st
			case corev1.StreamTypeStdout:
				sess.stdout = st
			case corev1.StreamTypeStderr:
				sess.stderr = st
			case corev1.StreamTypeResize:
				sess.resize = decodeResizes(st)
			}
		case <-timeout.C:
			sess.close()
			return nil
		case <-conn.CloseChan():
			return nil
		}
	}
	if sess.status == nil {
		sess.close()
		return nil
	}
	return sess
}

// decodeResizes reads the client's terminal sizes (JSON, one after
// another) for as long as it sends them. It reads on whether or not they
// are taken, as unread they would stall the connection.
func decodeResizes(r io.Reader) <-chan runtime.TermSize {
	sizes := make(chan runtime.TermSize, 1)
	go func() {
		defer close(sizes)
		dec := json.NewDecoder(r)
		for {
			var sz struct{ Width, Height uint16 } // client-go's TerminalSize
			if dec.Decode(&sz) != nil {
				return
			}
			runtime.SendSize(sizes, runtime.TermSize{Width: sz.Width, Height: sz.Height})
		}
	}()
	return sizes
}
