package docker

import "time"

// Cleanup is cleanup, for tests that must not remove what other kubeplay
// runs on the same daemon own.
var Cleanup = cleanup

// LabelFilter is labelFilter.
var LabelFilter = labelFilter

// MeasureEvery makes the runtimes started after it measure their
// containers every d; it returns the undo.
func MeasureEvery(d time.Duration) func() {
	old := statsEvery
	statsEvery = d
	return func() { statsEvery = old }
}

// HoldCreates makes rt run hold in each call that makes a container, just
// before it asks the daemon; set it before rt is used.
func HoldCreates(rt *Runtime, hold func()) { rt.hookCreate = hold }
