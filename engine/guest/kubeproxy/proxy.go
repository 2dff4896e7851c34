package kubeproxy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/dns"

	wire "github.com/miekg/dns"
)

// EnvDir names, in the sandbox's environment, the folder (bind-mounted
// read-only from the node's) holding the snapshot File.
const EnvDir = "KUBEPLAY_KUBE_PROXY"

// Ready is the line the sandbox logs once the pod's rules are written;
// a failure is logged as a line starting with LogPrefix instead. The
// Docker runtime waits for either when it starts a sandbox.
const (
	LogPrefix = "kube-proxy: "
	Ready     = LogPrefix + "ready"
)

// File is the snapshot's name in that folder: dns.Snapshot as JSON,
// replaced whole (written beside and renamed) at each kube-proxy sync.
// The pod's rules follow it.
const File = "services.json"

// DNSFile is the cluster DNS's view in that folder, a dns.Snapshot too:
// replaced whenever Services or EndpointSlices change, as CoreDNS's
// informer hears of them, not at kube-proxy's syncs. The pod's DNS
// answers from it, or from File while there is none.
const DNSFile = "dns.json"

// pollEvery is how often the proxy looks for a new snapshot: a stat, so
// an endpoint change reaches the pod's rules well within kube-proxy's own
// minimum sync period.
const pollEvery = 100 * time.Millisecond

// nodeResolver is where names outside the cluster go: Docker's embedded
// DNS on the pod's network, as CoreDNS forwards to its node's resolver.
const nodeResolver = "127.0.0.11:53"

// Proxy is kube-proxy and the cluster DNS of one pod's network namespace:
// it writes the namespace's rules from the node's snapshot, which the
// kernel then follows (connections to Service ports never pass through
// it), and answers the DNS queries the rules send it.
type Proxy struct {
	dir string
	log io.Writer
	tcp *net.TCPListener
	udp *net.UDPConn
	api net.Listener // the kubernetes Service's answer (apiserver.go)
	srv *http.Server
	// reports tells the node of each query answered (report.go).
	reports *reporter
	// ing and ingSrv pass the ingress controller's Service on (ingress.go).
	ing    net.Listener
	ingSrv *http.Server

	program programFunc

	mu    sync.Mutex
	table *Table
	seen  []byte // the snapshot the table was built from
	// view answers the cluster DNS, from DNSFile (seenDNS), unless the
	// table's snapshot is newer: both are the cluster's Services at the
	// time they were written (tableAt, viewAt), and the newer knows more.
	view            *dns.Server
	seenDNS         []byte
	tableAt, viewAt time.Time
	// viewMu makes the DNS view's reloads one at a time, and guards
	// viewFile, the DNSFile they read last.
	viewMu   sync.Mutex
	viewFile os.FileInfo
	done     chan struct{}
	wg       sync.WaitGroup
}

// Start listens on 127.0.0.1 for the cluster DNS and the kubernetes
// Service (ports the kernel picks,
// so that none a pod's own server wants is taken), reads the snapshot in dir if there is
// one, writes the namespace's rules, and follows the snapshot until Close.
// An error means the rules could not be written (no CAP_NET_ADMIN, no
// nf_tables): the pod then has no cluster IPs and no cluster DNS.
func Start(dir string, log io.Writer) (*Proxy, error) { return start(dir, log, program) }

// programFunc writes a pod's rules: program, or a test's stand-in.
type programFunc func(routes []Route, local Local) error

func start(dir string, log io.Writer, program programFunc) (*Proxy, error) {
	tcp, err := net.ListenTCP("tcp4", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	udp, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		tcp.Close()
		return nil, err
	}
	api, srv, err := listenAPI()
	if err != nil {
		tcp.Close()
		udp.Close()
		return nil, err
	}
	ing, ingSrv, err := listenIngress(dir)
	if err != nil {
		tcp.Close()
		udp.Close()
		api.Close()
		return nil, err
	}
	p := &Proxy{dir: dir, log: log, tcp: tcp, udp: udp, api: api, srv: srv, ing: ing, ingSrv: ingSrv, done: make(chan struct{}), program: program}
	p.reports = newReporter(filepath.Join(dir, ReportSocket), os.Getenv(EnvPod), p.current)
	if err := p.reload(true); err != nil {
		p.Close()
		return nil, err
	}
	p.followDNS() // a view it cannot read yet: the table answers, and the next query or tick tries again
	p.wg.Add(6)
	go func() {
		defer p.wg.Done()
		_ = srv.Serve(api)
	}()
	go func() {
		defer p.wg.Done()
		_ = ingSrv.Serve(ing)
	}()
	go p.follow()
	go p.acceptTCP()
	go p.serveUDP()
	go func() {
		defer p.wg.Done()
		p.reports.run(p.done)
	}()
	return p, nil
}

// Close stops the proxy; the rules stay, and go with the namespace.
func (p *Proxy) Close() {
	select {
	case <-p.done:
		return
	default:
	}
	close(p.done)
	p.tcp.Close()
	p.udp.Close()
	p.srv.Close()
	p.ingSrv.Close()
	p.wg.Wait()
}

func (p *Proxy) current() *Table {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.table
}

// answers is the cluster DNS as the pod's queries get it now: from the
// latest view the node wrote, read again here if the node replaced it
// since (a stat), not at the next tick, as CoreDNS answers from what its
// informer has heard: a name the node's view has answers at once.
func (p *Proxy) answers() *dns.Server {
	p.followDNS()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.view != nil && !p.viewAt.Before(p.tableAt) {
		return p.view
	}
	return p.table.answers
}

// reload reads the snapshot and, when it changed (or first), rebuilds the
// table and writes the rules. A missing snapshot is an empty cluster:
// everything sent to the Service range is refused.
func (p *Proxy) reload(first bool) error {
	b, at, err := readFile(filepath.Join(p.dir, File))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if !first && bytes.Equal(b, p.seen) {
		return nil
	}
	snap := &dns.Snapshot{}
	if len(b) > 0 {
		if snap, err = dns.DecodeSnapshot(b); err != nil {
			return fmt.Errorf("%s: %w", File, err)
		}
	}
	t := NewTable(snap)
	t.answers.Upstream = forward
	routes := t.Routes()
	local := Local{DNS: t.DNS(), DNSTCP: uint16(p.tcp.Addr().(*net.TCPAddr).Port), DNSUDP: uint16(p.udp.LocalAddr().(*net.UDPAddr).Port),
		API: t.API(), APIPort: uint16(p.api.Addr().(*net.TCPAddr).Port),
		Ingress: t.Ingress(), IngressPort: uint16(p.ing.Addr().(*net.TCPAddr).Port)}
	if err := p.program(routes, local); err != nil {
		return fmt.Errorf("writing the pod's nftables rules: %w", err)
	}
	p.mu.Lock()
	p.table, p.seen, p.tableAt = t, b, at
	p.mu.Unlock()
	return nil
}

// reloadDNS reads the DNS view and, when it changed, answers from it.
// Without one the table's snapshot answers.
func (p *Proxy) reloadDNS() error {
	b, at, err := readFile(filepath.Join(p.dir, DNSFile))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	p.mu.Lock()
	same := p.seenDNS != nil && bytes.Equal(b, p.seenDNS)
	p.mu.Unlock()
	if same {
		return nil
	}
	var view *dns.Server
	if len(b) > 0 {
		snap, err := dns.DecodeSnapshot(b)
		if err != nil {
			return fmt.Errorf("%s: %w", DNSFile, err)
		}
		view = dns.New(snap)
		view.Upstream = forward
	}
	p.mu.Lock()
	p.view, p.seenDNS, p.viewAt = view, b, at
	p.mu.Unlock()
	return nil
}

// followDNS rereads the DNS view when the node has replaced it.
func (p *Proxy) followDNS() {
	p.viewMu.Lock()
	defer p.viewMu.Unlock()
	if ok, fi := replaced(filepath.Join(p.dir, DNSFile), p.viewFile); ok {
		p.viewFile = fi
		if p.reloadDNS() != nil {
			p.viewFile = nil // half a file cannot be (it is renamed into place); tried again
		}
	}
}

// readFile is the file at path and when it was written (a file replaced
// whole: what is read is what was written then).
func readFile(path string) ([]byte, time.Time, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	b, err := io.ReadAll(f)
	return b, fi.ModTime(), err
}

// replaced says whether the file at path is another than last (nil: not
// seen yet), and returns what it is now; false while it is missing.
func replaced(path string, last os.FileInfo) (bool, os.FileInfo) {
	fi, err := os.Stat(path)
	if err != nil || last != nil && os.SameFile(fi, last) && fi.ModTime().Equal(last.ModTime()) && fi.Size() == last.Size() {
		return false, last
	}
	return true, fi
}

// follow rereads the snapshot and the DNS view when the node replaces
// them.
func (p *Proxy) follow() {
	defer p.wg.Done()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	var last os.FileInfo
	lastErr := ""
	for {
		select {
		case <-p.done:
			return
		case <-tick.C:
		}
		p.reports.look()
		p.followDNS()
		ok, fi := replaced(filepath.Join(p.dir, File), last)
		if !ok {
			continue
		}
		last = fi
		if err := p.reload(false); err != nil {
			// Tried again at the next tick (a netlink hiccup passes), and
			// said once, not ten times a second.
			last = nil
			if err.Error() != lastErr {
				fmt.Fprintf(p.log, "%s%v\n", LogPrefix, err)
			}
			lastErr = err.Error()
			continue
		}
		lastErr = ""
	}
}

func (p *Proxy) acceptTCP() {
	defer p.wg.Done()
	for {
		c, err := p.tcp.AcceptTCP()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			p.serveDNSTCP(c)
		}()
	}
}

// dnsIdle is how long a DNS-over-TCP connection may wait for its next
// query.
const dnsIdle = 10 * time.Second

func (p *Proxy) serveDNSTCP(c *net.TCPConn) {
	conn := &wire.Conn{Conn: c}
	for {
		_ = c.SetReadDeadline(time.Now().Add(dnsIdle))
		req, err := conn.ReadMsg()
		if err != nil {
			return
		}
		reply := p.answers().Answer(req)
		if err := conn.WriteMsg(reply); err != nil {
			return
		}
		p.reports.add(req, reply)
	}
}

func (p *Proxy) serveUDP() {
	defer p.wg.Done()
	buf := make([]byte, 64<<10)
	for {
		n, from, err := p.udp.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		req := new(wire.Msg)
		if req.Unpack(buf[:n]) != nil || len(req.Question) != 1 {
			continue
		}
		if !inCluster(req.Question[0].Name) {
			go p.answerUDP(req, from) // forwarded: it may wait for the node's resolver
			continue
		}
		// The cluster's names are answered at once, without a goroutine
		// to schedule: a pod's lookups are that fast under load too.
		p.answerUDP(req, from)
	}
}

// answerUDP answers one query over UDP, truncated to what the client
// said it takes (512 bytes without EDNS), as a DNS server must.
func (p *Proxy) answerUDP(req *wire.Msg, to netip.AddrPort) {
	reply := p.answers().Answer(req)
	size := wire.MinMsgSize
	if opt := req.IsEdns0(); opt != nil {
		size = int(opt.UDPSize())
	}
	reply.Truncate(size)
	b, err := reply.Pack()
	if err != nil {
		return
	}
	_, _ = p.udp.WriteToUDPAddrPort(b, to)
	p.reports.add(req, reply) // after the answer, which never waits for it
}

// inCluster says whether a name is answered from the snapshot alone: a
// name of the cluster's zone. Reverse names may be forwarded, so they go
// with the rest.
func inCluster(name string) bool {
	name = strings.ToLower(name)
	return strings.HasSuffix(name, "."+dns.Domain+".") || name == dns.Domain+"."
}

// forward asks the node's resolver a name outside the cluster; SERVFAIL
// when it does not answer.
func forward(req *wire.Msg) *wire.Msg {
	c := &wire.Client{Net: "udp", Timeout: 2 * time.Second}
	r, _, err := c.Exchange(req, nodeResolver)
	if err != nil {
		m := new(wire.Msg)
		m.SetRcode(req, wire.RcodeServerFailure)
		return m
	}
	return r
}
