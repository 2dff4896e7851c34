package docker

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"github.com/kubeplay/kubeplay/engine/guest/kubeproxy"
	"github.com/kubeplay/kubeplay/engine/runtime"
)

// The pods' DNS queries as hops: each pod's proxy answers the cluster DNS
// inside the pod (services.go), so no query reaches the engine; the proxy
// tells the node of each one it answered, after answering, with a
// datagram to a socket in the snapshot folder the sandboxes mount.

// maxSocketPath is the longest path a unix socket binds to (sun_path's
// 108 bytes, with its NUL).
const maxSocketPath = 107

// listenDNS opens the node's socket for its pods' reports. A cluster
// folder too deep for a socket's path is reached through the folder's
// descriptor (Linux's /proc/self/fd), which the bind follows.
func (r *Runtime) listenDNS() error {
	dir := r.proxyDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("docker: kube-proxy's folder: %w", err)
	}
	path := filepath.Join(dir, kubeproxy.ReportSocket)
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("docker: the DNS reports' socket: %w", err)
	}
	addr := path
	if len(addr) > maxSocketPath {
		d, err := os.Open(dir)
		if err != nil {
			return fmt.Errorf("docker: kube-proxy's folder: %w", err)
		}
		defer d.Close()
		addr = "/proc/self/fd/" + strconv.Itoa(int(d.Fd())) + "/" + kubeproxy.ReportSocket
	}
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("docker: the DNS reports' socket %s: %w", path, err)
	}
	// Whatever user the sandbox's process is to the host (user namespaces,
	// rootless Docker), it may write; the folder is the cluster's own.
	if err := os.Chmod(path, 0o666); err != nil {
		conn.Close()
		return fmt.Errorf("docker: the DNS reports' socket: %w", err)
	}
	r.dns, r.dnsDone = conn, make(chan struct{})
	go r.readDNS()
	return nil
}

// readDNS hands each report to the function OnDNSQuery set, until the
// socket is closed.
func (r *Runtime) readDNS() {
	defer close(r.dnsDone)
	buf := make([]byte, 64<<10)
	for {
		n, err := r.dns.Read(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		var q kubeproxy.Query
		if json.Unmarshal(buf[:n], &q) != nil || q.Pod == "" || q.CoreDNS == "" {
			continue
		}
		r.mu.Lock()
		fn := r.onDNS
		r.mu.Unlock()
		if fn != nil {
			fn(runtime.DNSQuery{Pod: q.Pod, CoreDNS: q.CoreDNS, Server: q.Server, Question: q.Question, Answer: q.Answer})
		}
	}
}

// closeDNS stops reading reports and removes the socket.
func (r *Runtime) closeDNS() {
	if r.dns == nil {
		return
	}
	r.dns.Close()
	<-r.dnsDone
	os.Remove(filepath.Join(r.proxyDir(), kubeproxy.ReportSocket))
}

// ReportDNS implements runtime.DNSReporter: the flag file the pods'
// proxies look for.
func (r *Runtime) ReportDNS(on bool) error {
	path := filepath.Join(r.proxyDir(), kubeproxy.ReportFlag)
	if !on {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("docker: %w", err)
		}
		return nil
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		return fmt.Errorf("docker: %w", err)
	}
	return nil
}

// OnDNSQuery implements runtime.DNSReporter.
func (r *Runtime) OnDNSQuery(fn func(runtime.DNSQuery)) {
	r.mu.Lock()
	r.onDNS = fn
	r.mu.Unlock()
}
