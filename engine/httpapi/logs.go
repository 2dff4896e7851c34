package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/kubelet"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

var resPods, _ = apiserver.ResourceFor("pods")

// followPoll is how often a followed log is looked at, in wall time:
// often enough that lines show as they are written.
const followPoll = 250 * time.Millisecond

// pod reads the pod a pods/NAME/SUB path names, as a get hop.
func (s *Server) pod(r *http.Request, t target) (*corev1.Pod, error) {
	t.sub = ""
	got, err := s.fetch(r, t)
	if err != nil {
		return nil, err
	}
	return got.objs[0].(*corev1.Pod), nil
}

// viaKubelet runs fn on the pod's kubelet, reached as the apiserver's
// proxy reaches it (kubelet.Proxied: the same hops as the built-in
// kubectl's), and waits for it. fn runs on the kernel goroutine.
func (s *Server) viaKubelet(r *http.Request, pod *corev1.Pod, sub sim.Verb, fn func(kl backend.Kubelet)) error {
	done := make(chan error, 1)
	s.inject(sim.VerbProxy, func() {
		kl, ok := s.c.Kubelet(pod.Spec.NodeName)
		if !ok {
			s.busy.Add(-1)
			done <- apierrors.NewBadRequest(fmt.Sprintf("pod %s does not have a host assigned", pod.Name))
			return
		}
		kl.Proxied(external, pod.Name, sub, func() {
			fn(kl)
			s.busy.Add(-1)
			done <- nil
		})
	})
	s.busy.Add(1) // counted once injected, as call does
	select {
	case err := <-done:
		return err
	case <-r.Context().Done():
		return r.Context().Err()
	case <-s.closed:
		return apierrors.NewServiceUnavailable("kubeplay is shutting down")
	}
}

// containerName is the container a pods/log or pods/exec request means:
// the one named, or the pod's only one, as the apiserver chooses.
func containerName(pod *corev1.Pod, name string) (string, error) {
	if name == "" {
		if len(pod.Spec.Containers) == 1 {
			return pod.Spec.Containers[0].Name, nil
		}
		var names []string
		for _, c := range pod.Spec.Containers {
			names = append(names, c.Name)
		}
		return "", apierrors.NewBadRequest(fmt.Sprintf("a container name must be specified for pod %s, choose one of: [%s]", pod.Name, strings.Join(names, " ")))
	}
	for _, c := range pod.Spec.Containers {
		if c.Name == name {
			return name, nil
		}
	}
	return "", apierrors.NewBadRequest(fmt.Sprintf("container %s is not valid for pod %s", name, pod.Name))
}

// logOptions are a pods/log query's parameters kubeplay honours.
// timestamps, sinceSeconds and sinceTime are not: the runtimes keep a
// container's output without a time per line, so it comes whole.
type logOptions struct {
	container        string
	previous, follow bool
	tail             int // -1: all
	limitBytes       int // 0: no limit
}

func parseLogOptions(r *http.Request) (logOptions, error) {
	q := r.URL.Query()
	o := logOptions{container: q.Get("container"), previous: q.Get("previous") == "true", follow: q.Get("follow") == "true", tail: -1}
	for name, into := range map[string]*int{"tailLines": &o.tail, "limitBytes": &o.limitBytes} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return o, apierrors.NewBadRequest(fmt.Sprintf("%s must be a non-negative integer, not %q", name, v))
		}
		*into = n
	}
	return o, nil
}

// logs serves pods/NAME/log as text/plain: the kubelet's log of the
// container instance LogContainerID picks, its last tailLines lines, and
// with follow=true what it writes next, flushed as it comes, until the
// instance ends (as the kubelet ends the stream), the client goes or
// kubeplay stops.
func (s *Server) logs(w http.ResponseWriter, r *http.Request, t target) {
	if r.Method != http.MethodGet {
		s.writeError(w, apierrors.NewMethodNotSupported(groupResource("", "pods/log"), r.Method))
		return
	}
	o, err := parseLogOptions(r)
	if err != nil {
		s.writeError(w, err)
		return
	}
	pod, err := s.pod(r, t)
	if err != nil {
		s.writeError(w, err)
		return
	}
	name, err := containerName(pod, o.container)
	if err != nil {
		s.writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	if pod.Spec.NodeName == "" {
		// No kubelet to ask yet: the apiserver answers an empty stream.
		w.WriteHeader(http.StatusOK)
		return
	}
	id, err := kubelet.LogContainerID(pod, name, o.previous)
	if err != nil {
		s.writeError(w, err)
		return
	}
	var buf bytes.Buffer
	var lerr error
	var stream kubelet.LogStreamFunc
	var streams bool
	if err := s.viaKubelet(r, pod, sim.VerbLog, func(kl backend.Kubelet) {
		if stream, streams, lerr = kl.LogStream(id); lerr == nil && !streams {
			lerr = kl.Logs(id, &buf)
		}
	}); err != nil {
		s.writeError(w, err)
		return
	}
	if lerr != nil {
		s.writeError(w, apierrors.NewBadRequest(lerr.Error()))
		return
	}
	if streams {
		w.WriteHeader(http.StatusOK)
		s.wg.Add(1)
		defer s.wg.Done()
		s.streamLogs(w, r, stream, o)
		return
	}
	out := kubelet.TailLines(buf.Bytes(), o.tail)
	if o.limitBytes > 0 && len(out) > o.limitBytes {
		out = out[:o.limitBytes]
		o.follow = false
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
	if !o.follow || o.previous {
		return
	}
	s.wg.Add(1)
	defer s.wg.Done()
	s.followLogs(w, r, pod, name, id, buf.Len())
}

// streamFlushEvery is how long a streamed log's bytes may wait in the
// response's buffer: the client sees lines as they come, and a chatty
// container costs a flush per interval, not per line.
const streamFlushEvery = 100 * time.Millisecond

// streamLogs serves a log the runtime streams (Docker): off the kernel's
// goroutine, through the response's own buffer, flushed every
// streamFlushEvery, until the container ends, limitBytes are sent, the
// client goes or kubeplay stops.
func (s *Server) streamLogs(w http.ResponseWriter, r *http.Request, stream kubelet.LogStreamFunc, o logOptions) {
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	sliced := s.slices.writer(ctx, w)
	defer sliced.close()
	fw := &flushWriter{w: sliced}
	fw.flusher, _ = w.(http.Flusher)
	fw.flush()
	ticking := make(chan struct{})
	go func() {
		defer close(ticking)
		tick := time.NewTicker(streamFlushEvery)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				fw.flush()
			case <-s.closed:
				cancel()
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	var out io.Writer = fw
	if o.limitBytes > 0 {
		out = &limitWriter{w: fw, left: o.limitBytes}
	}
	_ = stream(ctx, o.tail, o.follow && !o.previous, out)
	cancel()
	<-ticking // no flush after the handler returns
	fw.flush()
}

// flushWriter is a response written by a log stream and flushed by a
// ticker, on two goroutines.
type flushWriter struct {
	mu      sync.Mutex
	w       io.Writer
	flusher http.Flusher
	dirty   bool
}

func (f *flushWriter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dirty = true
	return f.w.Write(p)
}

func (f *flushWriter) flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.flusher != nil && f.dirty {
		f.flusher.Flush()
	}
	f.dirty = false
}

// errLimitReached ends a stream once limitBytes are sent.
var errLimitReached = errors.New("limitBytes reached")

// limitWriter passes on its first left bytes, then ends the stream.
type limitWriter struct {
	w    io.Writer
	left int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if len(p) > l.left {
		n, err := l.w.Write(p[:l.left])
		l.left -= n
		if err == nil {
			err = errLimitReached
		}
		return n, err
	}
	n, err := l.w.Write(p)
	l.left -= n
	return n, err
}

// followLogs writes what the instance id writes after its first sent
// bytes, looking every followPoll through the kubelet's FollowLogs (as
// the built-in `logs -f` does), until it says the instance ended.
func (s *Server) followLogs(w http.ResponseWriter, r *http.Request, pod *corev1.Pod, container, id string, sent int) {
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush()
	}
	out := s.slices.writer(r.Context(), w)
	defer out.close()
	tick := time.NewTicker(followPoll)
	defer tick.Stop()
	for more := true; more; {
		select {
		case <-tick.C:
		case <-r.Context().Done():
			return
		case <-s.closed:
			return
		}
		var buf bytes.Buffer
		err := s.onKernel(r, func() {
			kl, ok := s.c.Kubelet(pod.Spec.NodeName)
			if !ok {
				more = false
				return
			}
			var now *corev1.Pod
			if obj, err := s.c.Get(resPods, pod.Namespace, pod.Name); err == nil {
				now = obj.(*corev1.Pod)
			}
			sent, more = kl.FollowLogs(now, container, id, sent, &buf)
		})
		if err != nil {
			return
		}
		if buf.Len() > 0 {
			if _, err := out.Write(buf.Bytes()); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
		}
	}
}
