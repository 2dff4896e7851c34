package present

import (
	"time"

	"github.com/kubeplay/kubeplay/engine/proxy"
)

// Traffic is a load run as the traffic pane shows it: what it was asked,
// and its figures so far (final once Done).
type Traffic struct {
	Run       int // numbers the runs of a cluster: a new number is a new run
	Service   string
	RPS       int
	For       time.Duration
	Simulated bool // every answer takes proxy.SimLatency
	proxy.Report
}

// TrafficOf presents a load run; run numbers it.
func TrafficOf(l *proxy.Load, run int, simulated bool) Traffic {
	o := l.Options()
	return Traffic{Run: run, Service: o.Service, RPS: o.RPS, For: o.For, Simulated: simulated, Report: l.Report()}
}

// Share is the part of the answers (both kinds) pod c gave, 0 to 1.
func (t Traffic) Share(c proxy.PodCount) float64 {
	if t.Answered == 0 {
		return 0
	}
	return float64(c.OK+c.Errs) / float64(t.Answered)
}
