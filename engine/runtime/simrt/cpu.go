package simrt

import (
	"time"

	"github.com/kubeplay/kubeplay/engine/guest/demoapp"
	"github.com/kubeplay/kubeplay/engine/runtime"
)

// StatsWindow is how often the simulated runtime's figures are measured,
// on the cluster's clock from its start: metrics-server's
// --metric-resolution, 15 s. A figure is the CPU a container used over
// the last whole window, so a container that has not yet run one has
// none (as metrics-server has none before its second scrape).
const StatsWindow = 15 * time.Second

// unlimitedCPU is what a container without a cpu limit may use: a
// default node's 4 cores.
const unlimitedCPU = 4000

// maxBacklog bounds the work a container keeps queued: what it cannot do
// within it is dropped (those requests would have timed out).
const maxBacklog = 30 * time.Second

// cpuMeter models a container's CPU: a small idle use, plus the work its
// requests cost (demoapp.RequestCost), done at most at its limit's rate
// (the node's cores without one), as the CFS quota throttles a cgroup.
// It is advanced lazily, when a request comes or a figure is asked for,
// and remembers the cumulative use at the last two window ends.
type cpuMeter struct {
	idle, capacity int64         // millicores
	last           time.Duration // cluster time it was advanced to
	used, backlog  time.Duration // CPU time used so far, and queued
	marks          [2]cpuMark    // at the last two window ends, older first
	nmarks         int
}

type cpuMark struct{ at, used time.Duration }

// newCPUMeter starts a meter at now (cluster time since start). The
// container's name in its pod (hostname/name) varies the idle use a
// little between containers, stably.
func newCPUMeter(now time.Duration, hostname, name string, limit int64) cpuMeter {
	h := fnv32a(fnv32a(fnv32a(fnvOffset32, hostname), "/"), name)
	capacity := limit
	if capacity <= 0 {
		capacity = unlimitedCPU
	}
	return cpuMeter{idle: 1 + int64(h%3), capacity: capacity, last: now}
}

// FNV-1a (hash/fnv's New32a), over strings without copying them.
const (
	fnvOffset32 = 2166136261
	fnvPrime32  = 16777619
)

func fnv32a(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime32
	}
	return h
}

// work adds a request's cost at now.
func (m *cpuMeter) work(now, cost time.Duration) {
	m.advance(now)
	m.backlog = min(m.backlog+cost, maxBacklog)
}

// advance runs the meter to now, window end by window end.
func (m *cpuMeter) advance(now time.Duration) {
	for m.last < now {
		next := (m.last/StatsWindow + 1) * StatsWindow
		if m.backlog == 0 && next < now {
			// Idle: use grows linearly, so only the last two window
			// ends before now need a mark.
			lastEnd := now / StatsWindow * StatsWindow
			if lastEnd == now {
				lastEnd -= StatsWindow
			}
			if lastEnd-StatsWindow > m.last {
				m.used += m.idleOver(lastEnd - StatsWindow - m.last)
				m.last = lastEnd - StatsWindow
				m.mark()
			}
			next = min((m.last/StatsWindow+1)*StatsWindow, now)
		}
		to := min(next, now)
		dt := to - m.last
		done := min(m.backlog, time.Duration(int64(dt)*m.capacity/1000))
		m.backlog -= done
		m.used += done + m.idleOver(dt)
		m.last = to
		if to%StatsWindow == 0 {
			m.mark()
		}
	}
}

func (m *cpuMeter) idleOver(d time.Duration) time.Duration {
	return time.Duration(int64(d) * m.idle / 1000)
}

func (m *cpuMeter) mark() {
	if m.nmarks == 2 {
		m.marks[0] = m.marks[1]
		m.nmarks = 1
	}
	m.marks[m.nmarks] = cpuMark{m.last, m.used}
	m.nmarks++
}

// rate is the millicores used over the last whole window before now.
func (m *cpuMeter) rate(now time.Duration) (milli int64, end time.Duration, ok bool) {
	m.advance(now)
	if m.nmarks < 2 {
		return 0, 0, false
	}
	a, b := m.marks[0], m.marks[1]
	return int64(b.used-a.used) * 1000 / int64(b.at-a.at), b.at, true
}

// ContainerStats implements runtime.StatsReporter: the CPU of the last
// whole window, and a working set of a few MiB.
func (r *Runtime) ContainerStats(id string) (runtime.ContainerStats, bool) {
	c, ok := r.containers[id]
	if !ok || !c.status.Running || !c.started {
		return runtime.ContainerStats{}, false
	}
	cpu, end, ok := c.cpu.rate(r.k.Elapsed())
	if !ok {
		return runtime.ContainerStats{}, false
	}
	mem := (3 + c.cpu.idle*2) << 20
	return runtime.ContainerStats{Timestamp: r.k.Now().Add(end - r.k.Elapsed()), Window: StatsWindow, CPU: cpu, Memory: mem}, true
}

// requestCost is what the app in c spends on a request to path.
func requestCost(c *container, path string) time.Duration {
	if c.app == nil {
		return 0
	}
	return demoapp.RequestCost(c.app.Config(), path)
}
