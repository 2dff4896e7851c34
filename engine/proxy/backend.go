package proxy

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"
)

// Answer is what one request to an endpoint got back.
type Answer struct {
	Endpoint Endpoint // zero when no endpoint was picked
	Status   int
	Body     string
	Err      error // connection refused, timed out, no endpoints
	Latency  time.Duration
}

// OK reports whether the request succeeded: an answer below 500.
func (a Answer) OK() bool { return a.Err == nil && a.Status > 0 && a.Status < 500 }

// Backend carries requests from kube-proxy to endpoints: the simulated
// pod network on the virtual clock, or real sockets.
type Backend interface {
	// Get sends GET path to ep; done runs on the kernel's goroutine with
	// the answer.
	Get(ep Endpoint, path string, done func(Answer))
	// serve answers one connection accepted on a node port, giving up
	// when stop closes.
	serve(p *Proxy, c net.Conn, nodePort int32, stop <-chan struct{})
	// dial opens a stream to ep for from (a component, for the hops);
	// it runs on any goroutine but the kernel's. failed, if set, hears on
	// the kernel's goroutine that the pod refused what the stream carried
	// (the simulated network, which knows only once a request comes).
	dial(ep Endpoint, from sim.Component, failed func(error)) (net.Conn, error)
}

// Do sends GET path to a Service port (0: its first) through the same
// round robin as the node port listeners; done runs on the kernel's
// goroutine. The shell's curl and load use it.
func (p *Proxy) Do(namespace, service string, port int32, path string, done func(Answer)) {
	ep, err := p.Pick(namespace, service, port)
	if err != nil {
		done(Answer{Err: err})
		return
	}
	p.backend.Get(ep, path, func(a Answer) {
		a.Endpoint = ep
		done(a)
	})
}

// PodNetwork is the simulated pod network (simrt.Network): a GET to a
// pod IP answered by the demo app in the sandbox behind it.
type PodNetwork interface {
	Get(url string) (status int, body string, err error)
}

// SimLatency is how long every simulated request takes, there and back.
const SimLatency = time.Millisecond

// SimWait is how long a request from outside waits for the simulated
// cluster to run before kube-proxy gives up on it.
const SimWait = 30 * time.Second

type simBackend struct {
	k   *sim.Kernel
	net PodNetwork
}

// NewSimBackend carries requests over the simulated pod network, on the
// kernel's virtual clock: each takes SimLatency.
func NewSimBackend(k *sim.Kernel, net PodNetwork) Backend { return simBackend{k: k, net: net} }

func (b simBackend) Get(ep Endpoint, path string, done func(Answer)) {
	status, body, err := b.net.Get("http://" + ep.Addr() + path)
	a := Answer{Status: status, Body: body, Latency: SimLatency}
	if err != nil {
		a = Answer{Err: fmt.Errorf("connect to %s: connection refused", ep.Addr()), Latency: SimLatency}
	}
	b.k.After(SimLatency, Name, "answer from "+ep.Addr(), func() { done(a) })
}

// serve reads one HTTP request from a connection to a node port and hands
// it to the kernel, which runs on another goroutine and, in virtual time,
// only while the front end lets the cluster run (a shell command, the
// TUI's clock): the connection waits for that, up to SimWait.
func (b simBackend) serve(p *Proxy, c net.Conn, nodePort int32, stop <-chan struct{}) {
	hop := sim.Hop{From: sim.Component(sim.KindClient), To: Name, Verb: sim.VerbConnect, Object: "127.0.0.1:" + strconv.Itoa(int(nodePort))}
	b.answer(c, hop, func() (Endpoint, error) { return p.pickNode(nodePort) }, stop, nil)
}

// dial is a stream to a simulated pod: one end of a pipe, whose other end
// reads one HTTP request and has the demo app behind ep answer it on the
// kernel's goroutine, as serve does. The simulated pod network carries
// HTTP, not bytes: what is not an HTTP request gets no answer.
func (b simBackend) dial(ep Endpoint, from sim.Component, failed func(error)) (net.Conn, error) {
	client, server := net.Pipe()
	go func() {
		defer server.Close()
		hop := sim.Hop{From: from, To: sim.KindPod.On(ep.Pod), Verb: sim.VerbConnect, Object: ep.Addr()}
		b.answer(server, hop, func() (Endpoint, error) { return ep, nil }, nil, failed)
	}()
	return client, nil
}

// answer reads one HTTP request from c, then, on the kernel's goroutine,
// delivers hop (its summary the request line), picks the endpoint and
// sends the request there; the answer is written back to c, or c is reset
// when the endpoint refused it (and failed, if set, hears why).
func (b simBackend) answer(c net.Conn, hop sim.Hop, pick func() (Endpoint, error), stop <-chan struct{}, failed func(error)) {
	_ = c.SetDeadline(time.Now().Add(SimWait + 5*time.Second))
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil {
		return
	}
	ch := make(chan Answer, 1)
	hop.Summary = req.Method + " " + req.URL.Path
	b.k.Inject(hop, func() {
		ep, err := pick()
		if err != nil {
			ch <- Answer{Err: err}
			return
		}
		b.Get(ep, req.URL.RequestURI(), func(a Answer) {
			a.Endpoint = ep
			if a.Err != nil && failed != nil {
				failed(a.Err)
			}
			ch <- a
		})
	})
	timer := time.NewTimer(SimWait)
	defer timer.Stop()
	var a Answer
	select {
	case a = <-ch:
	case <-stop:
		return
	case <-timer.C:
		a = Answer{Status: http.StatusGatewayTimeout,
			Body: "kubeplay: the simulated cluster did not run for " + SimWait.String() + "; it runs while the shell runs a command (or sleep)\n"}
	}
	if a.Err != nil {
		reset(c)
		return
	}
	resp := &http.Response{StatusCode: a.Status, ProtoMajor: 1, ProtoMinor: 1, Close: true,
		Header:        http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Kubeplay-Pod": {a.Endpoint.Pod}},
		ContentLength: int64(len(a.Body)), Body: io.NopCloser(strings.NewReader(a.Body))}
	_ = resp.Write(c)
}

// reset closes a connection with a TCP reset: what the client of a
// refused endpoint sees once kube-proxy has accepted its connection.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
}

// DialTimeout bounds connecting to an endpoint; RequestTimeout a whole
// request of the shell's curl and load.
const (
	DialTimeout    = 2 * time.Second
	RequestTimeout = 5 * time.Second
)

type realBackend struct {
	k      *sim.Kernel
	client *http.Client
}

// NewRealBackend carries requests over real sockets to pod IPs, which the
// host reaches directly (Docker's bridge network); answers come back to
// the kernel as injected hops.
func NewRealBackend(k *sim.Kernel) Backend {
	dialer := &net.Dialer{Timeout: DialTimeout}
	tr := &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 16, Proxy: nil}
	return realBackend{k: k, client: &http.Client{Transport: tr, Timeout: RequestTimeout}}
}

func (b realBackend) Get(ep Endpoint, path string, done func(Answer)) {
	go func() {
		start := time.Now()
		a := Answer{}
		ctx, cancel := context.WithTimeout(context.Background(), RequestTimeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+ep.Addr()+path, nil)
		if err == nil {
			var resp *http.Response
			if resp, err = b.client.Do(req); err == nil {
				body, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
				resp.Body.Close()
				a.Status, a.Body, err = resp.StatusCode, string(body), rerr
			}
		}
		a.Err, a.Latency = err, time.Since(start)
		b.k.Inject(sim.Hop{From: Name, To: Name, Verb: sim.VerbAnswer, Object: ep.Addr(), Internal: true}, func() { done(a) })
	}()
}

// serve forwards a connection to a node port to one ready endpoint, byte
// for byte, as the kernel's NAT does for upstream's kube-proxy.
func (b realBackend) serve(p *Proxy, c net.Conn, nodePort int32, _ <-chan struct{}) {
	ep, err := p.pickNode(nodePort)
	if err != nil {
		reset(c)
		return
	}
	up, err := b.dial(ep, Name, nil)
	if err != nil {
		reset(c)
		return
	}
	Splice(c, up)
}

// upstream dials endpoints without keep-alive probes, as noKeepAlive
// listens.
var upstream = net.Dialer{Timeout: DialTimeout, KeepAlive: -1}

// dial connects to the pod's IP, which the host reaches directly.
func (realBackend) dial(ep Endpoint, _ sim.Component, _ func(error)) (net.Conn, error) {
	return upstream.Dial("tcp", ep.Addr())
}

// Splice copies c to up and up to c until up is done, then closes up; the
// caller closes c. Half-closes carry over, so a client that ends its
// request with a FIN still gets the whole answer.
func Splice(c, up net.Conn) {
	defer up.Close()
	go func() {
		_, _ = io.Copy(up, c)
		if cw, ok := up.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite()
		}
	}()
	// Once the endpoint is done the connection is: closing both (the
	// listener closes c) ends the copy the other way.
	_, _ = io.Copy(c, up)
}
