// Package httpapi serves kubeplay's apiserver over HTTPS on 127.0.0.1, so
// that a learner's own kubectl (and k9s) drive the playground — and no web
// page the learner opens does (guard.go, credentials.go).
//
// It is a thin layer: every request that reads or writes objects becomes
// the same apiserver.Request the built-in kubectl sends, injected into the
// cluster's kernel, so it shows in the flow as a hop from kubectl (its
// summary says "external kubectl" and what was sent) and goes through the
// same admission and store. Answers come back on the kernel goroutine and
// are handed to the HTTP goroutine over a channel; stored objects are
// never changed in place, so the HTTP side may encode them.
//
// What a real kubectl asks of a server is measured in
// shared/kubectl-wire.md; the paths and shapes follow the Kubernetes API.
package httpapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	"golang.org/x/net/netutil"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/streaming/pkg/httpstream"
)

// DefaultAddr is where kubeplay listens unless told otherwise: loopback
// only, on a port a real cluster's apiserver would not use on a laptop.
const DefaultAddr = "127.0.0.1:6445"

// Server is the HTTP front end of one cluster.
type Server struct {
	// Log, when set, receives the stack of a handler that panicked.
	Log io.Writer
	// Heard, when set, is told of each request that names a resource
	// (not discovery), on the request's goroutine, before it is served:
	// what a front end recording the session keeps, to say later which
	// requests came from outside and when. body is the request's: it
	// must not be changed.
	Heard func(method, path, query string, body []byte)

	c    backend.Cluster
	lang bilingual.Lang
	// live: the runtime streams an exec as it runs (Docker), so -it works.
	live bool
	// creds are the run's token, which every request must carry, and
	// certificate.
	creds *credentials
	// anyHost: served with --listen-any, so any Host name is answered.
	anyHost bool
	// What a client may hold (guard.go): tests make them small.
	bodyTimeout time.Duration
	maxConns    int
	watchBudget int // bytes of a watch's backlog

	// Owned by the kernel goroutine.
	hist    history
	streams map[*watchStream]struct{}

	encoded encodedEvents // watch events' JSON, shared by watchers
	slices  sliceGate     // the stream writes under way (slices.go)

	busy   atomic.Int64 // requests waiting for the kernel to answer
	http   *http.Server
	ln     net.Listener
	closed chan struct{}
	once   sync.Once
	wg     sync.WaitGroup // open watch and log streams, for Close
}

// New returns a server for c. It subscribes to the cluster's store, so it
// must be called on the goroutine that runs the kernel, before it runs.
// lang is the language of kubeplay's hints in error messages.
func New(c backend.Cluster, lang bilingual.Lang) *Server {
	s := &Server{c: c, lang: lang, live: c.Capabilities().StreamingExec, creds: newCredentials(),
		bodyTimeout: bodyTimeout, maxConns: maxConns(), watchBudget: maxQueuedBytes, streams: map[*watchStream]struct{}{}, slices: newSliceGate(), closed: make(chan struct{})}
	s.hist.cap = historySize
	c.Watch(s.observe)
	return s
}

// Token is the bearer token every request must carry.
func (s *Server) Token() string { return s.creds.token }

// CACert is the PEM certificate the API is served with, once Listen
// succeeded: a client's only certificate authority for it.
func (s *Server) CACert() []byte { return s.creds.pem }

// Listen starts serving on addr ("127.0.0.1:6445"); it returns once the
// socket is bound. Only loopback addresses (and Host names) are accepted
// unless anyInterface is set: then the token alone keeps others out.
func (s *Server) Listen(addr string, anyInterface bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); !anyInterface && (ip == nil || !ip.IsLoopback()) && host != "localhost" {
		return fmt.Errorf("listen address %q is not a loopback address; kubeplay's API listens on 127.0.0.1 unless --listen-any is given", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (is another kubeplay running? choose another port with --listen 127.0.0.1:PORT)", addr, err)
	}
	if s.creds.cert == nil {
		if err := s.creds.makeCert(ln.Addr().String()); err != nil {
			_ = ln.Close()
			return err
		}
	}
	s.ln = ln
	s.anyHost = s.anyHost || anyInterface
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: headerTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: 1 << 20,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{*s.creds.cert}, MinVersion: tls.VersionTLS12},
		// A refused handshake (a browser, plain HTTP) is the client's
		// business: nothing may print behind the TUI.
		ErrorLog: log.New(io.Discard, "", 0)}
	limited := netutil.LimitListener(ln, s.maxConns)
	go func() { _ = s.http.ServeTLS(limited, "", "") }()
	return nil
}

// Addr is the address the server listens on, once Listen succeeded.
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// URL is the server's base URL, for a kubeconfig.
func (s *Server) URL() string { return "https://" + s.Addr() }

// Close stops listening and ends open watches and streams.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		close(s.closed)
		if s.http != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			err = s.http.Shutdown(ctx)
			if errors.Is(err, context.DeadlineExceeded) {
				err = s.http.Close()
			}
		}
		s.wg.Wait()
	})
	return err
}

// Busy reports whether a request waits for the kernel to answer it: a
// front end that runs the kernel only on demand (a test, replaying in
// virtual time) runs it while Busy.
func (s *Server) Busy() bool { return s.busy.Load() > 0 }

// ServeHTTP routes one request. A panic in a handler becomes a 500
// Status, which kubectl reports (and retries), never a dropped connection.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			msg := fmt.Sprintf("kubeplay: internal error serving %s %s: %v", r.Method, r.RequestURI, p)
			writeStatus(w, apierrors.NewInternalError(errors.New(msg)))
			if s.Log != nil {
				fmt.Fprintf(s.Log, "%s\n%s", msg, debug.Stack())
			}
		}
	}()
	if !s.guard(w, r) {
		return
	}
	p := r.URL.Path
	switch {
	case p == "/version" || p == "/version/":
		s.version(w)
	case p == "/api" || p == "/api/":
		s.apiVersions(w, r)
	case p == "/apis" || p == "/apis/":
		s.apiGroups(w)
	case p == "/healthz" || p == "/readyz" || p == "/livez":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok"))
	case strings.HasPrefix(p, "/openapi/"):
		s.openAPI(w, r)
	case strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/apis/"):
		s.resource(w, r)
	default:
		writeStatus(w, apierrors.NewNotFound(groupResource("", ""), strings.TrimPrefix(p, "/")))
	}
}

// call sends req to the apiserver as the built-in kubectl does, from the
// kernel goroutine, and waits for its answer. then, when set, runs on the
// kernel goroutine with the answer, for reads that must see the store at
// that instant. It gives up when the client does.
func (s *Server) call(r *http.Request, req apiserver.Request, then func(runtime.Object, error)) (runtime.Object, error) {
	type answer struct {
		obj runtime.Object
		err error
	}
	ch := make(chan answer, 1)
	req.Why, req.Origin = describeRequest(r), sim.OriginExternal
	req.Done = func(obj runtime.Object, err error) {
		if then != nil {
			then(obj, err)
		}
		s.busy.Add(-1)
		ch <- answer{obj, err}
	}
	// Counted once injected, so that Busy never reports a request the
	// kernel cannot see yet (the count may dip below zero meanwhile).
	// The hop says where it came from, as the request's do: a front end
	// tells the learner that their kubectl waits on it.
	s.c.Inject(sim.Hop{From: external, To: external, Verb: sim.VerbSend, Internal: true, Origin: sim.OriginExternal}, func() {
		s.c.Submit(external, req)
	})
	s.busy.Add(1)
	select {
	case a := <-ch:
		return a.obj, a.err
	case <-r.Context().Done():
		return nil, r.Context().Err()
	case <-s.closed:
		return nil, apierrors.NewServiceUnavailable("kubeplay is shutting down")
	}
}

// onKernel runs fn on the kernel goroutine as an internal hop and waits.
func (s *Server) onKernel(r *http.Request, fn func()) error {
	done := make(chan struct{})
	s.c.Inject(sim.Hop{From: external, To: external, Verb: sim.VerbRead, Internal: true}, func() {
		fn()
		s.busy.Add(-1)
		close(done)
	})
	s.busy.Add(1)
	select {
	case <-done:
		return nil
	case <-r.Context().Done():
		return r.Context().Err()
	case <-s.closed:
		return apierrors.NewServiceUnavailable("kubeplay is shutting down")
	}
}

// tellHeard tells Heard of r: its method, path, query and body (which
// guard has read into memory; r keeps it to read again).
func (s *Server) tellHeard(r *http.Request) {
	if s.Heard == nil {
		return
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody && !httpstream.IsUpgradeRequest(r) {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	s.Heard(r.Method, r.URL.Path, r.URL.RawQuery, body)
}

// external is the component a request from outside comes from: the same
// kubectl box as the built-in prompt's.
const external = sim.Component(sim.KindKubectl)

// externalPrefix starts the summary of every hop a request from outside
// causes, so that the learner reads who sent it.
const externalPrefix = "external "

// describeRequest is the hop's summary: who sent it and what.
func describeRequest(r *http.Request) string {
	who := externalPrefix + "kubectl"
	if cmd := r.Header.Get("Kubectl-Command"); cmd != "" {
		who += " (" + cmd + ")"
	} else if ua := r.UserAgent(); ua != "" && !strings.HasPrefix(ua, "kubectl") {
		who = externalPrefix + "client " + strings.SplitN(ua, " ", 2)[0]
	}
	return who + ": " + r.Method + " " + r.URL.Path
}

// observe runs on the kernel goroutine for every change to the store:
// it keeps the history watches replay from and feeds open watches.
func (s *Server) observe(ev store.Event) {
	size := objectSize(ev.Object)
	s.hist.add(ev, size)
	if len(s.streams) == 0 {
		return
	}
	now := s.c.Now()
	for w := range s.streams {
		w.offer(ev, now, size)
	}
}

// inject runs fn on the kernel goroutine soon, without waiting.
func (s *Server) inject(verb sim.Verb, fn func()) {
	s.c.Inject(sim.Hop{From: external, To: external, Verb: verb, Internal: true}, fn)
}
