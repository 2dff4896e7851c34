//go:build !linux

package demoapp

import "time"

// threadCPU cannot read a thread's CPU time here: Burn falls back to the
// wall clock.
func threadCPU() (time.Duration, bool) { return 0, false }
