package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strconv"
	"sync"

	corev1 "k8s.io/api/core/v1"
)

// listener is one TCP listener on 127.0.0.1: a node port's, or a
// port-forward's. Each connection it accepts is served on its own
// goroutine.
type listener struct {
	ln    net.Listener
	serve func(c net.Conn, stop <-chan struct{})
	stop  chan struct{} // closed with the listener: serving gives up
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// listen opens a listener on 127.0.0.1:port (0: any free port) and starts
// accepting.
func listen(port int, serve func(c net.Conn, stop <-chan struct{})) (*listener, error) {
	ln, err := loopback(port)
	if err != nil {
		return nil, err
	}
	return accepting(ln, serve), nil
}

// loopback listens on 127.0.0.1:port, and never another interface.
// noKeepAlive listens without TCP keep-alive probes: connections on
// loopback do not need them, and setting them costs system calls on each
// connection, a good part of what forwarding costs.
var noKeepAlive = net.ListenConfig{KeepAlive: -1}

func loopback(port int) (net.Listener, error) {
	return noKeepAlive.Listen(context.Background(), "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
}

// accepting starts accepting on ln: what serve reads must be set before.
func accepting(ln net.Listener, serve func(c net.Conn, stop <-chan struct{})) *listener {
	l := &listener{ln: ln, serve: serve, stop: make(chan struct{}), conns: map[net.Conn]struct{}{}}
	l.wg.Add(1)
	go l.accept()
	return l
}

// syncListeners opens a listener for each node port in the rules and
// closes those no rule has any more. A port that cannot be opened (another
// program has it) becomes a Warning event on the Service.
func (p *Proxy) syncListeners() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	var stale []*listener
	for port, l := range p.listeners {
		if p.byNode[port] == nil {
			stale = append(stale, l)
			delete(p.listeners, port)
		}
	}
	var missing []*servicePort
	for port, r := range p.byNode {
		if p.listeners[port] == nil {
			missing = append(missing, r)
		}
	}
	p.mu.Unlock()
	sort.Slice(missing, func(i, j int) bool { return missing[i].nodePort < missing[j].nodePort })
	for _, l := range stale {
		l.close()
	}
	for _, r := range missing {
		nodePort := r.nodePort
		l, err := listen(int(nodePort), func(c net.Conn, stop <-chan struct{}) { p.backend.serve(p, c, nodePort, stop) })
		if err != nil {
			p.bindFailed(r, err)
			continue
		}
		p.mu.Lock()
		p.listeners[nodePort] = l
		p.mu.Unlock()
	}
}

// bindFailed tells the learner, on the Service, why its node port answers
// only inside kubeplay.
func (p *Proxy) bindFailed(r *servicePort, err error) {
	obj, gerr := p.api.Get(resServices, r.namespace, r.service)
	if gerr != nil {
		return
	}
	why := err.Error()
	var se *net.OpError
	if errors.As(err, &se) && se.Err != nil {
		why = se.Err.Error()
	}
	p.api.Record(obj.(*corev1.Service), corev1.EventTypeWarning, "NodePortUnavailable", Name.String(),
		fmt.Sprintf("cannot listen on 127.0.0.1:%d (%s): another program holds the port; curl svc/%s still works in the shell", r.nodePort, why, r.service))
}

func (l *listener) accept() {
	defer l.wg.Done()
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return // closed
		}
		l.mu.Lock()
		l.conns[c] = struct{}{}
		l.mu.Unlock()
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			defer func() {
				l.mu.Lock()
				delete(l.conns, c)
				l.mu.Unlock()
				c.Close()
			}()
			l.serve(c, l.stop)
		}()
	}
}

// close stops accepting and cuts the connections in flight, as removing
// the rules does, and waits for its goroutines.
func (l *listener) close() {
	l.ln.Close()
	close(l.stop)
	l.mu.Lock()
	for c := range l.conns {
		c.Close()
	}
	l.mu.Unlock()
	l.wg.Wait()
}

// Listening is the node ports that have a listener now, for tests and the
// shell.
func (p *Proxy) Listening() []int32 {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []int32
	for port := range p.listeners {
		out = append(out, port)
	}
	return out
}
