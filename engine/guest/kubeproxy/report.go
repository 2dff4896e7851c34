package kubeproxy

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/kubeplay/kubeplay/engine/dns"

	wire "github.com/miekg/dns"
)

// ReportSocket is the node's socket in the snapshot folder (a unixgram
// one the node listens on): the pod's proxy tells it of each DNS query it
// answered, one Query per datagram, so that the query is a hop (pod →
// coredns pod) as on the simulated runtime, where CoreDNS's pods answer
// in process.
const ReportSocket = "dns.sock"

// ReportFlag is a file in the snapshot folder that is there while the
// node wants the reports (a trace, a lesson that marks DNS queries): the
// proxy looks for it as often as for a new snapshot, and without it sends
// nothing.
const ReportFlag = "report-dns"

// EnvPod names, in the sandbox's environment, the pod the sandbox is
// for: the asking pod of its queries.
const EnvPod = "KUBEPLAY_POD"

// Query is one query the pod's proxy answered, as it reports it.
type Query struct {
	Pod string `json:"pod"` // the asking pod's name
	// CoreDNS is the coredns pod kube-proxy's rules sent the query to
	// (the proxy answers with CoreDNS's code, in turn for each ready one).
	CoreDNS string `json:"coredns"`
	// Server is the address asked, the kube-dns Service's (10.96.0.10).
	Server   string `json:"server"`
	Question string `json:"question"` // dns.Question's words
	Answer   string `json:"answer"`   // dns.Summary's words
}

// reportQueue is how many answered queries wait to be reported: beyond,
// they are dropped, as the answers never wait for the reports.
const reportQueue = 256

// redialEvery is how often the proxy tries the node's socket again while
// nobody listens there.
const redialEvery = time.Second

// reporter sends the node one Query per answered query, from a goroutine
// of its own: the answer is written first, and never waits.
type reporter struct {
	path  string
	pod   string
	table func() *Table
	queue chan answered
	next  atomic.Uint64 // round robin over the coredns pods
	on    atomic.Bool   // the node wants reports (ReportFlag)
}

type answered struct{ req, reply *wire.Msg }

func newReporter(path, pod string, table func() *Table) *reporter {
	r := &reporter{path: path, pod: pod, table: table, queue: make(chan answered, reportQueue)}
	r.look()
	return r
}

// look sees whether the node wants reports now.
func (r *reporter) look() {
	_, err := os.Stat(filepath.Join(filepath.Dir(r.path), ReportFlag))
	r.on.Store(err == nil)
}

// add queues a report of one query, or drops it when the queue is full
// or the node wants none.
func (r *reporter) add(req, reply *wire.Msg) {
	if !r.on.Load() {
		return
	}
	select {
	case r.queue <- answered{req, reply}:
	default:
	}
}

// run sends the queued reports until done is closed. No socket (a node
// that does not listen, an older one): the reports are dropped, and the
// socket tried again now and then.
func (r *reporter) run(done <-chan struct{}) {
	var conn *net.UnixConn
	var tried time.Time
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		var a answered
		select {
		case <-done:
			return
		case a = <-r.queue:
		}
		if conn == nil && time.Since(tried) >= redialEvery {
			tried = time.Now()
			conn, _ = net.DialUnix("unixgram", nil, &net.UnixAddr{Name: r.path, Net: "unixgram"})
		}
		if conn == nil {
			continue
		}
		b, err := json.Marshal(r.query(a))
		if err != nil {
			continue
		}
		_ = conn.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		if _, err := conn.Write(b); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				continue // the node is slow to read: this one is lost
			}
			conn.Close() // the node went (a restart makes a new socket)
			conn = nil
		}
	}
}

// query is what is reported of one answered query.
func (r *reporter) query(a answered) Query {
	q := Query{Pod: r.pod, Answer: dns.Summary(a.reply)}
	if len(a.req.Question) > 0 {
		q.Question = dns.Question(a.req.Question[0])
	}
	if t := r.table(); t != nil {
		if t.dns.IsValid() {
			q.Server = t.dns.Addr().String()
		}
		if n := uint64(len(t.dnsPods)); n > 0 {
			q.CoreDNS = t.dnsPods[(r.next.Add(1)-1)%n].Pod
		}
	}
	return q
}
