//go:build race

package lessons

// raceEnabled: the test binary runs under the race detector.
const raceEnabled = true
