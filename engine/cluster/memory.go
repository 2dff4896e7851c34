package cluster

import (
	"os"
	"runtime/debug"
)

// Garbage collection for a process that runs clusters. A simulated
// cluster's heap is mostly live objects (every pod, its containers, its
// events), and the collector's default, GOGC=100, lets the heap grow to
// twice what is live before it collects: a 100,000-pod cluster, 850–960
// MB live at the end, peaked at 1.6–1.7 GB resident. So:
//   - a soft limit of 1,350 MiB: once the next goal would pass it, the
//     collector runs earlier instead, so a big cluster stays near it;
//   - GOGC=200, so that the collections the limit adds at the end are paid
//     for by fewer while the heap is small. Measured on the 100k
//     benchmark: 16 collections marking 4.03 GB in all and a 1,345 MB
//     peak, against 24 marking 3.94 GB and a 1,659 MB peak with GOGC=100
//     and no limit; the same CPU time within the machine's noise.
//     A playground's 40 MB live heap may take 120 MB instead of 80.
//
// It is a soft limit: a cluster whose live heap nears it collects more
// often (at most half the CPU, the runtime's own cap) and then grows past
// it rather than fail. GOGC and GOMEMLIMIT set in the environment win.
const (
	gcPercent   = 200
	memoryLimit = 1350 << 20
)

// TuneGC sets the collector for running clusters (see above); main calls
// it once, and so do the scale benchmarks, which measure what the learner
// gets.
func TuneGC() {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(gcPercent)
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(memoryLimit)
	}
}
