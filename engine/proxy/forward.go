package proxy

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strconv"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
)

// This file is the way to a pod's port that does not go through a Service:
// kubectl port-forward's, and the HTTP API's pods/portforward. A real
// cluster carries such a stream kubectl → apiserver → kubelet → the pod's
// network namespace; kubeplay dials the pod's IP (Docker) or hands the
// request to the simulated demo app behind it.

var resPods, _ = apiserver.ResourceFor("pods")

// PodNotRunningError is a port-forward to a pod that is not running.
type PodNotRunningError struct{ Phase corev1.PodPhase }

func (e PodNotRunningError) Error() string {
	return fmt.Sprintf("pod is not running. Current status=%v", e.Phase)
}

// PodEndpoint is where a stream to port of the pod namespace/name goes:
// its IP, once it runs. It runs on the kernel's goroutine.
func (p *Proxy) PodEndpoint(namespace, name string, port int32) (Endpoint, error) {
	obj, err := p.api.Get(resPods, namespace, name)
	if err != nil {
		return Endpoint{}, err
	}
	pod := obj.(*corev1.Pod)
	if pod.Status.Phase != corev1.PodRunning || pod.Status.PodIP == "" {
		return Endpoint{}, PodNotRunningError{Phase: pod.Status.Phase}
	}
	return Endpoint{IP: pod.Status.PodIP, Port: port, Pod: pod.Name}, nil
}

// Dial opens a stream to ep, a pod's IP and port: a TCP connection to a
// real container, or to the simulated pod network, which answers one HTTP
// request (on the kernel's goroutine, while the cluster runs). from names
// the component that asks, for the hops. It runs on any goroutine but the
// kernel's.
func (p *Proxy) Dial(ep Endpoint, from sim.Component) (net.Conn, error) {
	return p.backend.dial(ep, from, nil)
}

// DialPod opens a stream to port of the pod namespace/name: PodEndpoint,
// asked of the kernel, then Dial. It is what a front end that serves
// pods/portforward needs. failed, when set, hears on the kernel's
// goroutine why the simulated pod refused the request the stream carried
// (which resets the stream; a real pod refuses the dial itself). It runs
// on any goroutine but the kernel's, and waits for the kernel to run, up
// to SimWait or ctx's end.
func (p *Proxy) DialPod(ctx context.Context, from sim.Component, namespace, name string, port int32, failed func(error)) (net.Conn, error) {
	type found struct {
		ep  Endpoint
		err error
	}
	ch := make(chan found, 1)
	p.k.Inject(sim.Hop{From: from, To: Name, Verb: sim.VerbPortForward, Object: "pods/" + name, Summary: "port " + strconv.Itoa(int(port)), Internal: true}, func() {
		ep, err := p.PodEndpoint(namespace, name, port)
		ch <- found{ep, err}
	})
	timer := time.NewTimer(SimWait)
	defer timer.Stop()
	select {
	case f := <-ch:
		if f.err != nil {
			return nil, f.err
		}
		return p.backend.dial(f.ep, from, failed)
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, fmt.Errorf("the cluster did not run for %s to find pod %s", SimWait, name)
	}
}

// Forward is one port-forward: a listener on 127.0.0.1 whose connections
// go to one pod's port, until it is stopped or the cluster closes.
type Forward struct {
	Local int      // the local port
	To    Endpoint // the pod, its IP and port
	l     *listener
}

// ForwardOptions are what a port-forward tells its starter.
type ForwardOptions struct {
	// From names the component that forwards, for the hops.
	From sim.Component
	// Accepted runs on the kernel's goroutine for each connection
	// accepted (kubectl's "Handling connection for PORT").
	Accepted func(*Forward)
	// Failed runs on the kernel's goroutine when a connection could not
	// reach the pod.
	Failed func(*Forward, error)
}

// StartForward listens on 127.0.0.1:local (0: a free port) and forwards
// each connection to ep, until StopForward or Close. It runs on the
// kernel's goroutine.
func (p *Proxy) StartForward(ep Endpoint, local int, o ForwardOptions) (*Forward, error) {
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		return nil, fmt.Errorf("the cluster is shutting down")
	}
	ln, err := loopback(local)
	if err != nil {
		return nil, err
	}
	f := &Forward{To: ep, Local: ln.Addr().(*net.TCPAddr).Port}
	f.l = accepting(ln, func(c net.Conn, stop <-chan struct{}) { p.forward(f, c, o) })
	p.mu.Lock()
	p.forwards = append(p.forwards, f)
	p.mu.Unlock()
	return f, nil
}

// forward carries one accepted connection to the pod.
func (p *Proxy) forward(f *Forward, c net.Conn, o ForwardOptions) {
	local := "127.0.0.1:" + strconv.Itoa(f.Local)
	p.k.Inject(sim.Hop{From: sim.Component(sim.KindClient), To: o.From, Verb: sim.VerbConnect, Object: local,
		Summary: fmt.Sprintf("port-forward to pods/%s:%d", f.To.Pod, f.To.Port)}, func() {
		if o.Accepted != nil {
			o.Accepted(f)
		}
	})
	var failed func(error)
	if o.Failed != nil {
		failed = func(err error) { o.Failed(f, err) }
	}
	up, err := p.backend.dial(f.To, o.From, failed)
	if err != nil {
		reset(c)
		if failed != nil {
			p.k.Inject(sim.Hop{From: o.From, To: o.From, Verb: sim.VerbError, Object: local, Internal: true}, func() { failed(err) })
		}
		return
	}
	Splice(c, up)
}

// Forwards are the port-forwards running, by local port.
func (p *Proxy) Forwards() []*Forward {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := append([]*Forward(nil), p.forwards...)
	sort.Slice(out, func(i, j int) bool { return out[i].Local < out[j].Local })
	return out
}

// StopForward stops the port-forward on local port, or every one when
// local is 0, cutting their connections; it returns those it stopped.
func (p *Proxy) StopForward(local int) []*Forward {
	p.mu.Lock()
	var stopped, kept []*Forward
	for _, f := range p.forwards {
		if local == 0 || f.Local == local {
			stopped = append(stopped, f)
		} else {
			kept = append(kept, f)
		}
	}
	p.forwards = kept
	p.mu.Unlock()
	for _, f := range stopped {
		f.l.close()
	}
	sort.Slice(stopped, func(i, j int) bool { return stopped[i].Local < stopped[j].Local })
	return stopped
}
