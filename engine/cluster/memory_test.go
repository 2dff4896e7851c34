package cluster

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestTuneGCSetsTheLimitUnlessTheEnvironmentDoes: the limit that keeps a
// 100k-pod cluster under 1.5 GB is set, and a GOMEMLIMIT or GOGC the
// user gave is left alone.
func TestTuneGCSetsTheLimitUnlessTheEnvironmentDoes(t *testing.T) {
	limit, percent := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	t.Cleanup(func() { debug.SetMemoryLimit(limit); debug.SetGCPercent(percent) })

	if _, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		t.Skip("GOMEMLIMIT is set in this environment")
	}
	if _, ok := os.LookupEnv("GOGC"); ok {
		t.Skip("GOGC is set in this environment")
	}
	TuneGC()
	if got := debug.SetMemoryLimit(-1); got != memoryLimit {
		t.Errorf("memory limit %d, want %d", got, memoryLimit)
	}
	if got := debug.SetGCPercent(gcPercent); got != gcPercent {
		t.Errorf("GOGC %d, want %d", got, gcPercent)
	}

	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(percent)
	t.Setenv("GOMEMLIMIT", "2GiB")
	t.Setenv("GOGC", "50")
	TuneGC()
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("with GOMEMLIMIT set the limit became %d", got)
	}
	if got := debug.SetGCPercent(percent); got != percent {
		t.Errorf("with GOGC set GOGC became %d", got)
	}
}
