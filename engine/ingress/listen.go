package ingress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/guest/kubeproxy"
	"github.com/kubeplay/kubeplay/engine/proxy"
	"github.com/kubeplay/kubeplay/engine/sim"
)

// listener is the controller's HTTP server on 127.0.0.1.
type listener struct {
	srv  *http.Server
	done chan struct{}
}

// ErrPortTaken is why the controller could not listen: another program
// holds its port.
type ErrPortTaken struct {
	Port int
	Err  error
}

func (e ErrPortTaken) Error() string {
	return fmt.Sprintf("cannot listen on %s:%d: %v", Address, e.Port, e.Err)
}

func (e ErrPortTaken) Unwrap() error { return e.Err }

// listen opens 127.0.0.1:port, and never another interface; a port
// another program holds is kept in listenErr for the cluster to tell.
func (c *Controller) listen() *listener {
	ln, err := net.Listen("tcp", net.JoinHostPort(Address, strconv.Itoa(c.port)))
	if err != nil {
		c.listenErr = ErrPortTaken{Port: c.port, Err: err}
		return nil
	}
	if c.real {
		c.tr = upstream()
	}
	l := &listener{srv: &http.Server{Handler: http.HandlerFunc(c.serveHTTP), ReadHeaderTimeout: 10 * time.Second}, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		_ = l.srv.Serve(ln)
	}()
	return l
}

// ListenError is why the controller does not listen on the host, if it
// was asked to and could not.
func (c *Controller) ListenError() error { return c.listenErr }

func (l *listener) close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if l.srv.Shutdown(ctx) != nil {
		_ = l.srv.Close()
	}
	<-l.done
}

// clientHop is a request arriving from outside, for the flow.
func (c *Controller) clientHop(method, host, path string) sim.Hop {
	return sim.Hop{From: sim.Component(sim.KindClient), To: Name, Verb: sim.VerbConnect,
		Object: net.JoinHostPort(Address, strconv.Itoa(c.port)), Summary: method + " " + host + path}
}

// FromClient is a GET arriving from outside (the shell's curl): the hop
// from the client, then Do, on the kernel's goroutine.
func (c *Controller) FromClient(host, uri string, done func(proxy.Answer)) {
	path, _, _ := strings.Cut(uri, "?")
	c.k.Send(0, c.clientHop(http.MethodGet, host, path), func() { c.Do(host, uri, done) })
}

// serveHTTP answers one request from outside. With simulated pods the
// kernel answers it, which runs only while the front end lets the
// cluster run (a shell command, the TUI's clock): the request waits for
// that, up to proxy.SimWait.
func (c *Controller) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if c.real {
		c.serveReal(w, r)
		return
	}
	ch := make(chan proxy.Answer, 1)
	host, uri := r.Host, r.URL.RequestURI()
	c.k.Inject(c.clientHop(r.Method, r.Host, r.URL.Path), func() { c.Do(host, uri, func(a proxy.Answer) { ch <- a }) })
	timer := time.NewTimer(proxy.SimWait)
	defer timer.Stop()
	var a proxy.Answer
	select {
	case a = <-ch:
	case <-r.Context().Done():
		return
	case <-timer.C:
		a = proxy.Answer{Status: http.StatusGatewayTimeout,
			Body: "kubeplay: the simulated cluster did not run for " + proxy.SimWait.String() + "; it runs while the shell runs a command (or sleep)\n"}
	}
	var refused Refused
	switch {
	case errors.As(a.Err, &refused):
		refuse(w)
		return
	case a.Err != nil:
		a = page(http.StatusBadGateway)
	}
	write(w, a)
}

// write sends an answer: a pod's, or one of the controller's pages.
func write(w http.ResponseWriter, a proxy.Answer) {
	h := w.Header()
	if a.Endpoint.Pod != "" {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("X-Kubeplay-Pod", a.Endpoint.Pod)
	} else {
		h.Set("Content-Type", "text/html")
	}
	h.Set("Content-Length", strconv.Itoa(len(a.Body)))
	w.WriteHeader(a.Status)
	_, _ = w.Write([]byte(a.Body))
}

// refuse drops the connection unanswered, as a port nothing listens
// behind does.
func refuse(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			conn.Close()
			return
		}
	}
	http.Error(w, Refused{}.Error(), http.StatusServiceUnavailable)
}

// serveReal proxies a request to a real pod on the handler's own
// goroutine (the kernel only hears of it, for the flow), as ingress-nginx
// does with its upstream connections kept open.
func (c *Controller) serveReal(w http.ResponseWriter, r *http.Request) {
	c.serveRealFrom(w, r, c.clientHop(r.Method, r.Host, r.URL.Path))
}

// PodHandler answers the requests that the Docker pods' proxies pass on
// from the controller's Service (engine/guest/kubeproxy, ingress.go), as
// the controller's pod would: the hops go from the client pod, which the
// proxy names in kubeproxy.ClientPodHeader.
func (c *Controller) PodHandler() http.Handler {
	if c.tr == nil {
		c.tr = upstream()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		from := sim.Component(sim.KindClient)
		if pod := r.Header.Get(kubeproxy.ClientPodHeader); pod != "" {
			from = sim.KindPod.On(pod)
		}
		r.Header.Del(kubeproxy.ClientPodHeader)
		path, _, _ := strings.Cut(r.URL.RequestURI(), "?")
		c.serveRealFrom(w, r, sim.Hop{From: from, To: Name, Verb: sim.VerbConnect,
			Object: Deployment + "." + Namespace, Summary: r.Method + " " + r.Host + path})
	})
}

// serveRealFrom is serveReal for a request whose first hop is from.
func (c *Controller) serveRealFrom(w http.ResponseWriter, r *http.Request, from sim.Hop) {
	t := c.snapshot()
	if !t.up {
		refuse(w)
		return
	}
	path, _, _ := strings.Cut(r.URL.RequestURI(), "?")
	to, ok := t.lookup(r.Host, path)
	if !ok {
		write(w, page(http.StatusNotFound))
		return
	}
	c.k.Inject(from, nil)
	// A request with a body goes once: its body is read by the first try.
	c.nextUpstream(to, r.Method, r.Host, r.URL.Path, replayable(r), func(ep proxy.Endpoint, hop sim.Hop, took func(error)) {
		c.k.Inject(hop, nil)
		took(c.forward(w, r, ep))
	}, func(a proxy.Answer) { write(w, a) })
}

// hopHeaders are the headers of one connection, which a proxy does not
// pass on (RFC 9110 §7.6.1).
var hopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// upstream is the controller's client to the pods: connections kept open
// between requests, as ingress-nginx keeps its upstream ones.
func upstream() *http.Transport {
	dialer := &net.Dialer{Timeout: proxy.DialTimeout, KeepAlive: -1}
	return &http.Transport{Proxy: nil, DialContext: dialer.DialContext, MaxIdleConns: 256, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}
}

// forward sends r to ep and its answer back, keeping the client's Host
// (as ingress-nginx does) and saying who it is for (X-Forwarded-For); an
// error says ep did not answer, and nothing was written to w.
func (c *Controller) forward(w http.ResponseWriter, r *http.Request, ep proxy.Endpoint) error {
	out := r.Clone(r.Context())
	out.RequestURI, out.URL.Scheme, out.URL.Host, out.Host = "", "http", ep.Addr(), r.Host
	for _, h := range hopHeaders {
		out.Header.Del(h)
	}
	if ip, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		out.Header.Set("X-Forwarded-For", ip)
	}
	out.Header.Set("X-Forwarded-Host", r.Host)
	out.Header.Set("X-Forwarded-Proto", "http")
	resp, err := c.tr.RoundTrip(out)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	h := w.Header()
	for k, v := range resp.Header {
		h[k] = v
	}
	for _, k := range hopHeaders {
		h.Del(k)
	}
	h.Set("X-Kubeplay-Pod", ep.Pod)
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
	return nil
}
