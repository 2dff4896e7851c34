package proxy

import (
	"fmt"
	"sort"
	"time"
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
	if err := p.Check(o.Namespace, o.Service, o.Port); err != nil {
		return nil, err
	}
	if o.Path == "" {
		o.Path = "/"
	}
	l := &Load{p: p, opts: o, total: total, perPod: map[string]*PodCount{}}
	l.tick()
	return l, nil
}

func (l *Load) tick() {
	if l.sent >= l.total {
		return
	}
	l.sent++
	l.p.Do(l.opts.Namespace, l.opts.Service, l.opts.Port, l.opts.Path, l.record)
	if l.sent < l.total {
		interval := time.Second / time.Duration(l.opts.RPS)
		l.p.k.After(interval, "load", "next request", l.tick)
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

// Done reports whether every request has been sent and answered.
func (l *Load) Done() bool { return l.answered == l.total }

// Report is a load run's figures so far.
type Report struct {
	Sent, Answered, Errors int
	P50, P99               time.Duration // of the successful requests
	PerPod                 []PodCount    // by pod name
	NoEndpoint             int           // errors with no endpoint to send to
}

// Report returns the figures so far.
func (l *Load) Report() Report {
	r := Report{Sent: l.sent, Answered: l.answered, Errors: l.errs, NoEndpoint: l.noPod}
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
