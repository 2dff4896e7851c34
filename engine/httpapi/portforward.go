package httpapi

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/portforward"
	"k8s.io/streaming/pkg/httpstream"
	"k8s.io/streaming/pkg/httpstream/spdy"
	"k8s.io/streaming/pkg/httpstream/wsstream"

	"golang.org/x/net/websocket"
)

// pods/NAME/portforward speaks portforward.k8s.io: a SPDY connection on
// which the client opens, per local connection, an error stream and a
// data stream with the same requestID and the pod's port. kubectl 1.32
// first asks for SPDY tunneled in a WebSocket (its binary messages carry
// the SPDY bytes), then for plain SPDY; both are served. Each data
// stream goes to the pod's port through engine/proxy's DialPod, as the
// built-in port-forward's connections do: the simulated demo app, or a
// TCP connection to the pod's IP on Docker.

// portForward checks the pod (a get, as the apiserver's), then upgrades.
func (s *Server) portForward(w http.ResponseWriter, r *http.Request, t target) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		s.writeError(w, apierrors.NewMethodNotSupported(groupResource("", "pods/portforward"), r.Method))
		return
	}
	pod, err := s.pod(r, t)
	if err != nil {
		s.writeError(w, err)
		return
	}
	if pod.Status.Phase != corev1.PodRunning {
		s.writeError(w, apierrors.NewBadRequest(fmt.Sprintf("pod is not running. Current status=%v", pod.Status.Phase)))
		return
	}
	s.wg.Add(1)
	defer s.wg.Done()
	switch {
	case wsstream.IsWebSocketRequestWithTunnelingProtocol(r):
		s.portForwardTunnel(w, r, pod)
	case httpstream.IsUpgradeRequest(r):
		if _, err := httpstream.Handshake(r, w, []string{portforward.PortForwardV1Name}); err != nil {
			return // Handshake answered 403 with the protocols it supports
		}
		pf := &forwarder{s: s, pod: pod, pairs: map[string]*streamPair{}}
		conn := spdy.NewResponseUpgrader().UpgradeResponse(w, r, pf.accept)
		if conn != nil {
			pf.serve(conn)
		}
	default:
		s.writeError(w, apierrors.NewBadRequest("pods/portforward needs an upgrade to SPDY/3.1, or to a WebSocket tunnelling it ("+portforward.WebsocketsSPDYTunnelingPortForwardV1+")"))
	}
}

// portForwardTunnel accepts the WebSocket and runs the SPDY server side
// over its binary messages, as the apiserver's stream tunnel does.
func (s *Server) portForwardTunnel(w http.ResponseWriter, r *http.Request, pod *corev1.Pod) {
	handshake := func(cfg *websocket.Config, _ *http.Request) error {
		for _, p := range cfg.Protocol {
			if p == portforward.WebsocketsSPDYTunnelingPortForwardV1 {
				cfg.Protocol = []string{p}
				return nil
			}
		}
		return fmt.Errorf("requested protocol(s) are not supported: %v; supports %v", cfg.Protocol, portforward.WebsocketsSPDYTunnelingPortForwardV1)
	}
	websocket.Server{Handshake: handshake, Handler: func(ws *websocket.Conn) {
		ws.PayloadType = websocket.BinaryFrame
		pf := &forwarder{s: s, pod: pod, pairs: map[string]*streamPair{}}
		conn, err := spdy.NewServerConnection(ws, pf.accept)
		if err != nil {
			return
		}
		pf.serve(conn)
	}}.ServeHTTP(w, r)
}

// forwarder serves one port-forward connection.
type forwarder struct {
	s   *Server
	pod *corev1.Pod

	mu    sync.Mutex
	pairs map[string]*streamPair // by requestID, until both streams came
	wg    sync.WaitGroup         // the streams being carried
}

// streamPair is one forwarded connection's two streams.
type streamPair struct{ data, errs httpstream.Stream }

// accept runs on the SPDY connection's goroutine for each new stream:
// once a requestID has both its streams they are carried.
func (pf *forwarder) accept(st httpstream.Stream, _ <-chan struct{}) error {
	id := st.Headers().Get(corev1.PortForwardRequestIDHeader)
	kind := st.Headers().Get(corev1.StreamType)
	if kind != corev1.StreamTypeData && kind != corev1.StreamTypeError {
		return fmt.Errorf("invalid stream type %q", kind)
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	p := pf.pairs[id]
	if p == nil {
		p = &streamPair{}
		pf.pairs[id] = p
	}
	if kind == corev1.StreamTypeData {
		p.data = st
	} else {
		p.errs = st
	}
	if p.data != nil && p.errs != nil {
		delete(pf.pairs, id)
		pf.wg.Add(1)
		go func() {
			defer pf.wg.Done()
			pf.carry(p)
		}()
	}
	return nil
}

// serve waits until the client closes the connection or kubeplay stops.
func (pf *forwarder) serve(conn httpstream.Connection) {
	select {
	case <-conn.CloseChan():
	case <-pf.s.closed:
	}
	_ = conn.Close()
	pf.wg.Wait()
}

// carry connects a data stream to the pod's port until either side is
// done; a failure goes on the error stream in the kubelet's words.
func (pf *forwarder) carry(p *streamPair) {
	defer p.errs.Close()
	defer p.data.Close()
	port, err := strconv.ParseUint(p.data.Headers().Get(corev1.PortHeader), 10, 16)
	if err == nil && port == 0 {
		err = fmt.Errorf("port must be > 0")
	}
	var up net.Conn
	refused := make(chan error, 1)
	if err == nil {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			select {
			case <-pf.s.closed:
				cancel()
			case <-ctx.Done():
			}
		}()
		up, err = pf.s.c.Network().DialPod(ctx, external, pf.pod.Namespace, pf.pod.Name, int32(port), func(err error) {
			select {
			case refused <- err:
			default:
			}
		})
		cancel()
	}
	if err == nil {
		go func() {
			_, _ = io.Copy(up, p.data)
			if cw, ok := up.(interface{ CloseWrite() error }); ok {
				_ = cw.CloseWrite()
			}
		}()
		_, _ = io.Copy(p.data, up)
		_ = up.Close()
		// A simulated pod refuses the request, not the dial; it has said
		// so before it reset the stream.
		select {
		case err = <-refused:
		default:
		}
	}
	if err != nil {
		fmt.Fprintf(p.errs, "error forwarding port %d to pod %s, uid %v: %v", port, pf.pod.Name, pf.pod.UID, err)
	}
}
