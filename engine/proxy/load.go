package proxy

import (
	"fmt"
	"sort"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"
)

// Bounds of a load run: it never sends more, faster or longer.
const (
	MaxRPS      = 200
	MaxDuration = 5 * time.Minute
	MaxRequests = 20000
)

// LoadOptions describe a load run against one Service port.
type LoadOptions struct {
	Namespace, Service string
	Port               int32 // 0: the Service's first port
	Path               string
	RPS                int
	For                time.Duration
}

// PodCount is what one pod answered during a load run.
type PodCount struct {
	Pod      string
	OK, Errs int
}

// Load is a running traffic generator: requests at a steady rate on the
// kernel's clock (virtual with the simulated runtime, so a run repeats
// exactly), each sent through kube-proxy's round robin as a NodePort
// connection would be. Its methods run on the kernel's goroutine.
type Load struct {
	p         *Proxy
	opts      LoadOptions
	total     int
	sent      int
	answered  int
	errs      int
	latencies []time.Duration
	perPod    map[string]*PodCount
	noPod     int // errors before any endpoint was picked
	stopped   bool
}

// StartLoad checks the bounds and starts sending.
func (p *Proxy) StartLoad(o LoadOptions) (*Load, error) {
	if o.RPS < 1 || o.RPS > MaxRPS {
		return nil, fmt.Errorf("--rps must be between 1 and %d, not %d", MaxRPS, o.RPS)
	}
	if o.For <= 0 || o.For > MaxDuration {
		return nil, fmt.Errorf("--for must be more than 0 and at most %s, not %s", MaxDuration, o.For)
	}
	total := int(o.For.Seconds() * float64(o.RPS))
	if total < 1 {
		total = 1
	}
	if total > MaxRequests {
		return nil, fmt.Errorf("%d requests is more than a load run sends (%d): lower --rps or --for", total, MaxRequests)
	}
	if err := p.checkLoadTarget(o.Namespace, o.Service, o.Port); err != nil {
		return nil, err
	}
	if o.Path == "" {
		o.Path = "/"
	}
	l := &Load{p: p, opts: o, total: total, perPod: map[string]*PodCount{}}
	p.lastLoad = l
	l.tick()
	p.k.After(time.Second, LoadName, "traffic so far", l.beat)
	return l, nil
}

// checkLoadTarget refuses a load run against a Service the apiserver does
// not have, or a port kube-proxy's rule for it lacks. A Service created a
// moment ago that kube-proxy has not synced yet (it syncs at most once per
// MinSyncPeriod) is a fair target: its first requests are refused, as a
// real client's connections are until kube-proxy writes the rule.
func (p *Proxy) checkLoadTarget(namespace, service string, port int32) error {
	if _, err := p.api.Get(resServices, namespace, service); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, synced := p.rules[namespace+"/"+service]; !synced {
		return nil
	}
	_, err := p.rule(namespace, service, port)
	return err
}

// LoadName is the traffic generator's component name in hops.
const LoadName = sim.Component(sim.KindLoad)

// beat is one visible hop a second while the run lasts, saying how it
// goes: the requests themselves are internal hops, or a step through a
// run would have thousands; with it a step moves the run on a second.
func (l *Load) beat() {
	if l.Done() {
		return
	}
	l.p.k.Send(0, sim.Hop{From: LoadName, To: Name, Verb: sim.VerbTraffic, Object: "services/" + l.opts.Service,
		Summary: fmt.Sprintf("%d of %d sent, %d answered, %d errors", l.sent, l.total, l.answered, l.errs)}, func() {})
	l.p.k.After(time.Second, LoadName, "traffic so far", l.beat)
}

// LastLoad is the load run started last, running or done, or nil: what a
// front end shows live. Read it, and its Report, on the kernel's
// goroutine.
func (p *Proxy) LastLoad() *Load { return p.lastLoad }

// Stop sends no more requests; those in flight are still counted.
func (l *Load) Stop() { l.stopped = true }

// Options are what the run was asked to do.
func (l *Load) Options() LoadOptions { return l.opts }

func (l *Load) tick() {
	if l.sent >= l.total || l.stopped {
		return
	}
	l.sent++
	l.p.Do(l.opts.Namespace, l.opts.Service, l.opts.Port, l.opts.Path, l.record)
	if l.sent < l.total {
		interval := time.Second / time.Duration(l.opts.RPS)
		l.p.k.After(interval, LoadName, "next request", l.tick)
	}
}

func (l *Load) record(a Answer) {
	l.answered++
	var pc *PodCount
	if a.Endpoint.Pod != "" || a.Endpoint.IP != "" {
		name := a.Endpoint.Pod
		if name == "" {
			name = a.Endpoint.Addr()
		}
		if pc = l.perPod[name]; pc == nil {
			pc = &PodCount{Pod: name}
			l.perPod[name] = pc
		}
	}
	if !a.OK() {
		l.errs++
		if pc != nil {
			pc.Errs++
		} else {
			l.noPod++
		}
		return
	}
	l.latencies = append(l.latencies, a.Latency)
	pc.OK++
}

// Done reports whether every request has been sent and answered, or, once
// stopped, every request sent.
func (l *Load) Done() bool {
	return l.answered == l.total || (l.stopped && l.answered == l.sent)
}

// Report is a load run's figures so far.
type Report struct {
	Total                  int // requests the run sends in all
	Sent, Answered, Errors int
	P50, P99               time.Duration // of the successful requests
	PerPod                 []PodCount    // by pod name
	NoEndpoint             int           // errors with no endpoint to send to
	Done, Stopped          bool          // every answer is in; it was stopped early
}

// Report returns the figures so far.
func (l *Load) Report() Report {
	r := Report{Total: l.total, Sent: l.sent, Answered: l.answered, Errors: l.errs, NoEndpoint: l.noPod, Done: l.Done(), Stopped: l.stopped}
	lat := append([]time.Duration(nil), l.latencies...)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r.P50, r.P99 = Quantile(lat, 0.50), Quantile(lat, 0.99)
	for _, pc := range l.perPod {
		r.PerPod = append(r.PerPod, *pc)
	}
	sort.Slice(r.PerPod, func(i, j int) bool { return r.PerPod[i].Pod < r.PerPod[j].Pod })
	return r
}

// Quantile is the nearest-rank q-quantile of sorted durations; 0 for none.
func Quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
