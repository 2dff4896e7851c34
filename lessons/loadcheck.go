package lessons

import (
	"fmt"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/proxy"
)

// LoadResult is what a `load` run started during the step shows once it
// is over: its Service, whether it lost requests, how many pods answered.
type LoadResult struct {
	Service string `json:"service"`
	// Errors is "none" (every request answered below 500) or "some"; empty
	// for either.
	Errors string `json:"errors,omitempty"`
	// Pods, when more than 0, is how many pods answered at least one
	// request well.
	Pods int `json:"pods,omitempty"`
}

func (l *LoadResult) validate() error {
	if l.Service == "" {
		return fmt.Errorf("service is missing")
	}
	switch l.Errors {
	case "", "none", "some":
	default:
		return fmt.Errorf("errors must be none or some, not %q", l.Errors)
	}
	if l.Pods < 0 {
		return fmt.Errorf("pods must not be negative")
	}
	return nil
}

// met reports whether the last load run, if it is not before (the run
// there was when the step began) and is over, shows what l asks.
func (l *LoadResult) met(c backend.Cluster, before *proxy.Load) bool {
	run := c.Network().LastLoad()
	if run == nil || run == before || !run.Done() || run.Options().Service != l.Service {
		return false
	}
	r := run.Report()
	switch {
	case l.Errors == "none" && r.Errors > 0, l.Errors == "some" && r.Errors == 0:
		return false
	}
	if l.Pods > 0 {
		n := 0
		for _, pc := range r.PerPod {
			if pc.OK > 0 {
				n++
			}
		}
		return n == l.Pods
	}
	return true
}
