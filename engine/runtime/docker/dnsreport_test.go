package docker

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/guest/kubeproxy"
	"github.com/kubeplay/kubeplay/engine/runtime"

	"github.com/moby/moby/client"
)

// The first DNS view of a moment is written at once, those that follow
// within dnsWriteEvery together after it, from the runtime's own timer;
// a view the newer kube-proxy snapshot hides is written again. No daemon
// is needed: only the folder.
func TestSyncDNSGathersAMoment(t *testing.T) {
	r := &Runtime{cfg: Config{StateDir: t.TempDir(), Node: "node-1"}}
	view := func() string {
		b, _ := os.ReadFile(filepath.Join(r.proxyDir(), kubeproxy.DNSFile))
		return string(b)
	}
	if err := r.SyncDNS([]byte("a")); err != nil {
		t.Fatal(err)
	}
	if got := view(); got != "a" {
		t.Fatalf("the first view was not written at once: %q", got)
	}
	for _, v := range []string{"b", "c"} {
		if err := r.SyncDNS([]byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	if got := view(); got != "a" {
		t.Errorf("views within %s of the last were written at once: %q", dnsWriteEvery, got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for view() != "c" {
		if time.Now().After(deadline) {
			t.Fatalf("the gathered views were not written: %q", view())
		}
		time.Sleep(5 * time.Millisecond)
	}
	// kube-proxy's snapshot, written since, differs: the same view is
	// written again, to be the newer file.
	if err := r.SyncServices([]byte("d")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(dnsWriteEvery)
	before, _ := os.Stat(filepath.Join(r.proxyDir(), kubeproxy.DNSFile))
	if err := r.SyncDNS([]byte("c")); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(filepath.Join(r.proxyDir(), kubeproxy.DNSFile))
	if os.SameFile(before, after) {
		t.Error("the view hidden by a newer snapshot was not written again")
	}
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	if err := r.SyncDNS([]byte("e")); err != nil || view() == "e" {
		t.Errorf("a view was written after Close (%v)", err)
	}
}

// A command run in a pod looks names up in the cluster as it is when it
// starts: FlushDNS writes a view SyncDNS holds for its timer at once, not
// up to dnsWriteEvery later (lesson 18's nslookup of a headless Service
// right after its slice failed so on CI). An exec itself writes nothing:
// the kubelet flushes before a learner's exec, not before each of its
// exec probes. The daemon here does not answer, and the timer is an
// hour away: nothing but FlushDNS writes the view.
func TestFlushDNSWritesThePendingView(t *testing.T) {
	cli, err := client.New(client.WithHost("unix://" + filepath.Join(t.TempDir(), "no-docker.sock")))
	if err != nil {
		t.Fatal(err)
	}
	r := &Runtime{cli: cli, cfg: Config{StateDir: t.TempDir(), Node: "node-1"}}
	defer func() {
		r.mu.Lock()
		r.closed = true // the timer's flush, an hour on, writes nothing
		r.mu.Unlock()
	}()
	view := func() string {
		b, _ := os.ReadFile(filepath.Join(r.proxyDir(), kubeproxy.DNSFile))
		return string(b)
	}
	if err := r.SyncDNS([]byte("a")); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	r.dnsWritten = time.Now().Add(time.Hour)
	r.mu.Unlock()
	if err := r.SyncDNS([]byte("b")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ExecStream(context.Background(), "c0ffee", []string{"cat", "/tmp/healthy"}, runtime.ExecStreams{}); err == nil {
		t.Fatal("an exec with no daemon ran")
	}
	if got := view(); got != "a" {
		t.Errorf("an exec (an exec probe's) wrote the held DNS view: %q, want %q until a flush", got, "a")
	}
	r.FlushDNS()
	if got := view(); got != "b" {
		t.Errorf("FlushDNS left the DNS view %q, not the cluster's latest %q", got, "b")
	}
}

// A pod's report reaches OnDNSQuery's function, through a socket whose
// path is longer than a socket's may be; ReportDNS puts the flag the
// pods look for, and takes it away.
func TestDNSReports(t *testing.T) {
	r := &Runtime{cfg: Config{StateDir: filepath.Join(t.TempDir(), strings.Repeat("d", 100)), Node: "node-1"}}
	if err := r.listenDNS(); err != nil {
		t.Fatal(err)
	}
	defer r.closeDNS()
	got := make(chan runtime.DNSQuery, 1)
	r.OnDNSQuery(func(q runtime.DNSQuery) { got <- q })
	path := filepath.Join(r.proxyDir(), kubeproxy.ReportSocket)
	if len(path) <= maxSocketPath {
		t.Fatalf("the path is short: %s", path)
	}
	// The pod dials the socket by its own, short path: here a link.
	link := filepath.Join(t.TempDir(), "kp")
	if err := os.Symlink(r.proxyDir(), link); err != nil {
		t.Fatal(err)
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: filepath.Join(link, kubeproxy.ReportSocket), Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	want := kubeproxy.Query{Pod: "client", CoreDNS: "coredns-a", Server: "10.96.0.10", Question: "A web.default.svc.cluster.local", Answer: "10.96.5.5"}
	b, _ := json.Marshal(want)
	if _, err := c.Write(b); err != nil {
		t.Fatal(err)
	}
	select {
	case q := <-got:
		if q != (runtime.DNSQuery{Pod: "client", CoreDNS: "coredns-a", Server: "10.96.0.10", Question: want.Question, Answer: want.Answer}) {
			t.Errorf("got %+v", q)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the report did not arrive")
	}
	flag := filepath.Join(r.proxyDir(), kubeproxy.ReportFlag)
	if err := r.ReportDNS(true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(flag); err != nil {
		t.Errorf("ReportDNS(true) left no flag for the pods: %v", err)
	}
	if err := r.ReportDNS(false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(flag); !os.IsNotExist(err) {
		t.Errorf("ReportDNS(false) left the flag: %v", err)
	}
	r.closeDNS()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the socket is left after close: %v", err)
	}
}
