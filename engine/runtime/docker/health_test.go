package docker_test

import (
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"
)

// cutProxy forwards TCP connections to the daemon's unix socket until it
// is cut: then it closes its listener and every connection, as a daemon
// that stopped would, and restore listens again on the same address.
type cutProxy struct {
	addr, socket string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func startProxy(t *testing.T) *cutProxy {
	t.Helper()
	socket := "/var/run/docker.sock"
	if host := os.Getenv("DOCKER_HOST"); host != "" {
		path, ok := strings.CutPrefix(host, "unix://")
		if !ok {
			t.Skipf("DOCKER_HOST=%s is not a unix socket the test can put a proxy before", host)
		}
		socket = path
	}
	p := &cutProxy{socket: socket}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *cutProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			d, err := net.Dial("unix", p.socket)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, d)
			p.mu.Unlock()
			go func() { io.Copy(d, c); d.Close() }()
			go func() { io.Copy(c, d); c.Close() }()
		}
	}()
}

func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *cutProxy) restore(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// TestDaemonOutage cuts the runtime off its daemon mid-run, through a
// proxy (the machine's daemon is never stopped): the runtime reports it
// down with a message that says what to do, its calls fail without
// hanging, and it reports it back and works when the daemon answers again.
func TestDaemonOutage(t *testing.T) {
	connect(t)
	proxy := startProxy(t)
	t.Setenv("DOCKER_HOST", "tcp://"+proxy.addr)
	rt := newRuntime(t)
	health := make(chan error, 16)
	rt.OnHealth(func(err error) { health <- err })
	sb, id := pod(t, rt, "before", runtime.ContainerConfig{Name: "app", Image: testImage})

	proxy.cut()
	select {
	case err := <-health:
		if err == nil || !strings.Contains(err.Error(), "unreachable") || !strings.Contains(err.Error(), "DOCKER_HOST") {
			t.Errorf("health after the cut = %v, want unreachable and what to do", err)
		}
	case <-time.After(6 * time.Second):
		t.Fatal("no health report within 6s of the cut")
	}
	begin := time.Now()
	if _, err := rt.Status(id); err == nil {
		t.Errorf("Status while the daemon is cut off: no error")
	}
	if _, err := rt.RunSandbox(runtime.SandboxConfig{PodUID: "uid-during", PodName: "during", Namespace: "default"}); err == nil {
		t.Errorf("RunSandbox while the daemon is cut off: no error")
	}
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("failing calls took %s, want them to fail fast", took)
	}

	proxy.restore(t)
	select {
	case err := <-health:
		if err != nil {
			t.Errorf("health after the restore = %v, want nil", err)
		}
	case <-time.After(6 * time.Second):
		t.Fatal("no health report within 6s of the restore")
	}
	if st, err := rt.Status(id); err != nil || !st.Running {
		t.Errorf("Status of the pod's container after the outage = %+v, %v; want running", st, err)
	}
	pod(t, rt, "after", runtime.ContainerConfig{Name: "app", Image: testImage})
	if err := rt.RemoveSandbox(sb.ID); err != nil {
		t.Error(err)
	}
}
