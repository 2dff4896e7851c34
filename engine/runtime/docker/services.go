package docker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/guest/kubeproxy"
	"github.com/kubeplay/kubeplay/engine/runtime"

	"github.com/moby/moby/api/types/mount"
)

// Cluster IPs and the cluster DNS inside the pods (README, "Networking on
// Docker"): each sandbox runs kubeplay's in-pod proxy
// (engine/guest/kubeproxy) with CAP_NET_ADMIN over its own network
// namespace — never privileged, never the host's — and reads the node's
// snapshot of Services and Endpoints from a folder bind-mounted read-only.

var _ runtime.ServiceSyncer = (*Runtime)(nil)

// proxyMount is where a sandbox sees its node's snapshot folder.
const proxyMount = "/run/kubeplay/kube-proxy"

// proxyDir is the node's snapshot folder, in the cluster's folder.
func (r *Runtime) proxyDir() string {
	return filepath.Join(r.cfg.StateDir, "nodes", r.cfg.Node, "kube-proxy")
}

// SyncServices implements runtime.ServiceSyncer: the snapshot replaces
// the last one whole (written beside it, then renamed), so a pod's proxy
// never reads half of one. The folder is mounted, not the file: a file
// mount would keep showing the replaced file.
func (r *Runtime) SyncServices(snapshot []byte) error {
	// A sync that changes nothing the snapshot keeps (labels,
	// annotations, versions) writes nothing: the pods need not reread.
	return r.writeSnapshot(kubeproxy.File, snapshot, &r.lastSnapshot, false, func() bool {
		return bytes.Equal(snapshot, r.lastSnapshot)
	})
}

// dnsWriteEvery is the least time between two writes of the DNS view:
// the first change of a moment is written at once, those that follow
// within dnsWriteEvery together, after it, from a timer of the runtime's
// own (the engine may be busy: a kubectl exec holds it while the command
// runs). A pod looks for a new view every 100 ms.
const dnsWriteEvery = 50 * time.Millisecond

// SyncDNS implements runtime.ServiceSyncer: the DNS view, written as
// SyncServices writes the snapshot, at most once per dnsWriteEvery. The
// pods' DNS answers from the newer of the two, so the view is written
// again when the snapshot written since differs from it, though the view
// did not change.
func (r *Runtime) SyncDNS(snapshot []byte) error {
	r.mu.Lock()
	r.pendingDNS = snapshot
	if r.dnsArmed {
		r.mu.Unlock()
		return nil
	}
	if wait := dnsWriteEvery - time.Since(r.dnsWritten); wait > 0 {
		r.dnsArmed = true
		time.AfterFunc(wait, func() { _ = r.flushDNS() })
		r.mu.Unlock()
		return nil
	}
	r.mu.Unlock()
	return r.flushDNS()
}

var _ runtime.DNSFlusher = (*Runtime)(nil)

// FlushDNS implements runtime.DNSFlusher: it writes at once a view
// SyncDNS holds for its timer, if any, so that a learner's command about
// to run in a pod (kubectl exec) looks names up in the cluster as it is
// when the command was typed, not dnsWriteEvery before (a headless
// Service's new slice would not answer yet). The kubelet calls it before
// a learner's exec only: an exec probe is no reason to write.
func (r *Runtime) FlushDNS() {
	r.mu.Lock()
	armed := r.dnsArmed
	r.mu.Unlock()
	if armed {
		_ = r.flushDNS() // the timer's flush then finds it written
	}
}

// flushDNS writes the latest DNS view handed to SyncDNS.
func (r *Runtime) flushDNS() error {
	r.mu.Lock()
	snapshot := r.pendingDNS
	r.dnsArmed, r.dnsWritten = false, time.Now()
	r.mu.Unlock()
	return r.writeSnapshot(kubeproxy.DNSFile, snapshot, &r.lastDNS, true, func() bool {
		return bytes.Equal(snapshot, r.lastDNS) && (r.dnsNewer || bytes.Equal(snapshot, r.lastSnapshot))
	})
}

// writeSnapshot replaces the file name in the snapshot folder with
// snapshot unless written says it holds it already, and keeps it in last
// (what written reads and last are guarded by r.mu); dns says the file is
// the DNS view. One write at a time, none once the runtime is closed
// (its folder may be gone).
func (r *Runtime) writeSnapshot(name string, snapshot []byte, last *[]byte, dns bool, written func() bool) error {
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	r.mu.Lock()
	skip := written() || r.closed
	r.mu.Unlock()
	if skip {
		return nil
	}
	dir := r.proxyDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("docker: kube-proxy's folder: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".services-*")
	if err != nil {
		return fmt.Errorf("docker: kube-proxy's snapshot: %w", err)
	}
	_, werr := tmp.Write(snapshot)
	cerr := tmp.Close()
	if err := firstErr(werr, cerr, os.Chmod(tmp.Name(), 0o644), os.Rename(tmp.Name(), filepath.Join(dir, name))); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("docker: kube-proxy's snapshot: %w", err)
	}
	r.mu.Lock()
	*last, r.dnsNewer = snapshot, dns
	r.mu.Unlock()
	return nil
}

// waitWrites returns once a snapshot being written is written whole:
// after Close set r.closed, none follows.
func (r *Runtime) waitWrites() {
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// sandboxProxy is what a sandbox of pod needs for its proxy: the
// capability, the snapshot folder and the variables that name it and the
// pod.
func (r *Runtime) sandboxProxy(pod string) (capAdd []string, m mount.Mount, env []string, err error) {
	dir := r.proxyDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, mount.Mount{}, nil, fmt.Errorf("docker: kube-proxy's folder: %w", err)
	}
	m = mount.Mount{Type: mount.TypeBind, Source: dir, Target: proxyMount, ReadOnly: true}
	return []string{"NET_ADMIN"}, m, []string{kubeproxy.EnvDir + "=" + proxyMount, kubeproxy.EnvPod + "=" + pod}, nil
}

// proxyReportWait bounds the wait for a new sandbox's proxy to say whether
// it wrote the pod's rules (a few milliseconds when it does): a sandbox
// slower than that starts without the check.
const proxyReportWait = 3 * time.Second

// proxyNotice is what the user is told when a new sandbox's proxy could
// not write the pod's rules (a daemon that drops NET_ADMIN, a kernel
// without nf_tables): the pod runs on, without cluster IPs and DNS, and
// its events say why. "" when the proxy is ready or did not say in time.
func (r *Runtime) proxyNotice(id string) string {
	ctx, cancel := context.WithTimeout(context.Background(), proxyReportWait)
	defer cancel()
	w := &firstLine{prefix: kubeproxy.LogPrefix}
	_ = r.StreamLogs(ctx, id, -1, true, w)
	if w.line == "" || w.line == kubeproxy.Ready {
		return ""
	}
	return w.line
}

// firstLine keeps the first line that starts with prefix, and then
// refuses more, which ends the log stream.
type firstLine struct {
	prefix string
	buf    []byte
	line   string
}

var errGotLine = errors.New("got the line")

func (f *firstLine) Write(p []byte) (int, error) {
	f.buf = append(f.buf, p...)
	for {
		i := bytes.IndexByte(f.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := string(f.buf[:i])
		f.buf = f.buf[i+1:]
		if strings.HasPrefix(line, f.prefix) {
			f.line = line
			return 0, errGotLine
		}
	}
}

var _ runtime.PodSocketServer = (*Runtime)(nil)

// ServeToPods implements runtime.PodSocketServer: h on a unix socket in
// the node's kube-proxy folder, which each sandbox's proxy reaches
// through its (read-only) bind mount; a socket, not a port: nothing
// listens on the host's interfaces.
func (r *Runtime) ServeToPods(name string, h http.Handler) (stop func(), err error) {
	dir := r.proxyDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("docker: kube-proxy's folder: %w", err)
	}
	path := filepath.Join(dir, name)
	_ = os.Remove(path) // a socket left by a kubeplay that was killed
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("docker: %s: %w", name, err)
	}
	// The pods' processes may run as any user: connecting needs write
	// permission on the socket.
	if err := os.Chmod(path, 0o666); err != nil {
		ln.Close()
		return nil, fmt.Errorf("docker: %s: %w", name, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return func() {
		_ = srv.Close()
		<-done
		_ = os.Remove(path)
	}, nil
}
