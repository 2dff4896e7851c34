//go:build race

package ui

// raceDetector: the race detector makes the program some ten times
// slower; the longest stories type less with it on.
const raceDetector = true
