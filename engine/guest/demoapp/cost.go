package demoapp

import (
	"math"
	"runtime"
	"sync/atomic"
	"time"
)

// PHPApache is the image of the HorizontalPodAutoscaler walkthrough's
// php-apache: an index.php that sums a million square roots per request
// and answers "OK!". The demo app plays it on port 80.
const PHPApache = "registry.k8s.io/hpa-example"

// What answering a request costs in CPU time: what load shows as in
// `kubectl top` and what drives an HPA on the simulated runtime. A probe
// costs little; the demo app's pages a couple of milliseconds; php-apache
// its loop of square roots.
const (
	probeCost     = 100 * time.Microsecond
	demoPageCost  = 2 * time.Millisecond
	phpApacheCost = 7 * time.Millisecond
)

// RequestCost is the CPU time an app with cfg spends answering path.
func RequestCost(cfg Config, path string) time.Duration {
	switch path {
	case "/healthz", "/ready", "/readyz":
		return probeCost
	}
	if Repository(cfg.StandIn) == PHPApache {
		return phpApacheCost
	}
	return demoPageCost
}

// sink keeps SquareRoots' result alive, so the compiler cannot drop the
// loop (requests run it at once: atomically).
var sink atomic.Uint64

// phpApacheRoots is how many square roots a request sums: a third of
// index.php's million, so that a request costs a container about what the
// simulated runtime charges (phpApacheCost, some 7 ms of a current core).
const phpApacheRoots = 350_000

// SquareRoots is php-apache's index.php loop. The demo app standing in
// for it runs it per request in a container, so that the container's
// cgroup measures real CPU.
func SquareRoots() {
	x := 0.0001
	for i := 0; i <= phpApacheRoots; i++ {
		x += math.Sqrt(x)
	}
	sink.Store(math.Float64bits(x))
}

// Burn spends d of CPU time on the calling goroutine's thread: what a
// request costs the demo app in a container (RequestCost), so that the
// container's cgroup measures on Docker what the simulated runtime
// charges — kubectl top and an autoscaler see real work, not a figure.
// It measures the thread's own CPU clock, so a container throttled at its
// cpu limit (or a busy machine) takes longer to spend d but spends no
// more; where that clock cannot be read it spins for d of wall time.
func Burn(d time.Duration) {
	if d <= 0 {
		return
	}
	runtime.LockOSThread() // the clock is the thread's: stay on it
	defer runtime.UnlockOSThread()
	start, ok := threadCPU()
	wall := time.Now()
	x := 0.0001
	for {
		for range 2000 { // a few µs of work between looks at the clock
			x += math.Sqrt(x)
		}
		if ok {
			if now, _ := threadCPU(); now-start >= d {
				break
			}
		} else if time.Since(wall) >= d {
			break
		}
	}
	sink.Store(math.Float64bits(x))
}
