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
//   - GOGC=300, so that the collections the limit adds at the end are paid
//     for by fewer while the heap is small. Measured on the 100k
//     benchmark, one run each side by side: GOGC=300, 11 collections
//     marking 2,068 MB in all, 25.6 CPU-s, a 1,318 MB peak; GOGC=200,
//     14 marking 2,709 MB, 27.6 CPU-s, 1,350 MB (and GOGC=100 without
//     the limit: 24 collections, a 1,659 MB peak). Peak RSS of the other
//     heavy benchmarks (engine/httpapi) with GOGC=300 and the limit,
//     against 200: hostile patch 74 MB (72), 5,000 watchers of a 1 MiB
//     object 488 MB (454), 50 logs -f followers 99 MB (92).
//     A playground's 40 MB live heap may take 160 MB (120 with GOGC=200,
//     80 with Go's default).
//
// It is a soft limit: a cluster whose live heap nears it collects more
// often (at most half the CPU, the runtime's own cap) and then grows past
// it rather than fail. GOGC and GOMEMLIMIT set in the environment win.
const (
	gcPercent   = 300
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
