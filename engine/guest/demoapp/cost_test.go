package demoapp

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkSquareRoots is what one php-apache request costs a real
// container's CPU (the simulated runtime charges phpApacheCost).
func BenchmarkSquareRoots(b *testing.B) {
	for b.Loop() {
		SquareRoots()
	}
}

// Burn spends the CPU time it is asked for, on the thread's own clock, so
// that a demo app page costs a container what the simulated runtime
// charges for it.
func TestBurnSpendsItsCPUTime(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before, ok := threadCPU()
	if !ok {
		t.Skip("this system has no per-thread CPU clock: Burn spins on the wall clock")
	}
	want := RequestCost(Config{}, "/")
	Burn(want)
	after, _ := threadCPU()
	if got := after - before; got < want {
		t.Errorf("Burn(%s) spent %s of the thread's CPU time", want, got)
	}
	Burn(0)
	Burn(-time.Second) // nothing to spend: returns at once
}
