package docker

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// StatsWindow is how often the containers' use is measured: metrics-server's
// --metric-resolution, 15 s, as on the simulated runtime.
const StatsWindow = 15 * time.Second

// statsEvery is how often pollStats measures: StatsWindow (a test makes
// it shorter before it starts a runtime).
var statsEvery = StatsWindow

// cpuSample is a container's cumulative CPU time at a moment, from its
// cgroup (the stats API's cpu_stats.cpu_usage.total_usage).
type cpuSample struct {
	at    time.Time
	usage uint64 // nanoseconds
}

// ctrStats is what the poller knows of one container: its last sample,
// and the figures of the last whole window.
type ctrStats struct {
	prev  *cpuSample
	stats runtime.ContainerStats
	ok    bool
}

// pollStats measures every running app container once a window, until
// ctx ends: the CPU it used since the last measure, as a rate, and its
// memory working set (usage less the inactive file cache, as cAdvisor
// reports it to the kubelet).
func (r *Runtime) pollStats(ctx context.Context) {
	defer close(r.statsDone)
	tick := time.NewTicker(statsEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		r.mu.Lock()
		var ids []string
		for id, c := range r.containers {
			if !c.exited {
				ids = append(ids, id)
			}
		}
		r.mu.Unlock()
		sort.Strings(ids)
		for _, id := range ids {
			if ctx.Err() != nil {
				return
			}
			st, err := r.statsOnce(ctx, id)
			r.mu.Lock()
			if err != nil {
				delete(r.stats, id)
			} else {
				r.recordStats(id, st)
			}
			r.mu.Unlock()
		}
	}
}

func (r *Runtime) statsOnce(ctx context.Context, id string) (container.StatsResponse, error) {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := r.cli.ContainerStats(cctx, id, client.ContainerStatsOptions{})
	if err != nil {
		return container.StatsResponse{}, err
	}
	defer res.Body.Close()
	var st container.StatsResponse
	err = json.NewDecoder(res.Body).Decode(&st)
	return st, err
}

// recordStats turns a sample into a window's figures. Call with r.mu held.
func (r *Runtime) recordStats(id string, st container.StatsResponse) {
	cs := r.stats[id]
	if cs == nil {
		cs = &ctrStats{}
		r.stats[id] = cs
	}
	cur := &cpuSample{at: st.Read, usage: st.CPUStats.CPUUsage.TotalUsage}
	if p := cs.prev; p != nil && cur.at.After(p.at) && cur.usage >= p.usage {
		window := cur.at.Sub(p.at)
		cs.stats = runtime.ContainerStats{Timestamp: cur.at, Window: window,
			CPU: int64(cur.usage-p.usage) * 1000 / int64(window), Memory: workingSet(st.MemoryStats)}
		cs.ok = true
	}
	cs.prev = cur
}

// workingSet is usage less the inactive file cache (cgroup v2's
// inactive_file, v1's total_inactive_file).
func workingSet(m container.MemoryStats) int64 {
	inactive := m.Stats["inactive_file"]
	if v, ok := m.Stats["total_inactive_file"]; ok {
		inactive = v
	}
	if inactive > m.Usage {
		return 0
	}
	return int64(m.Usage - inactive)
}

// ContainerStats implements runtime.StatsReporter: the figures of the
// last whole window the poller measured.
func (r *Runtime) ContainerStats(id string) (runtime.ContainerStats, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cs, ok := r.stats[id]
	if !ok || !cs.ok {
		return runtime.ContainerStats{}, false
	}
	if c := r.containers[id]; c == nil || c.exited {
		return runtime.ContainerStats{}, false
	}
	return cs.stats, true
}
