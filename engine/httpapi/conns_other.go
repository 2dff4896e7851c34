//go:build !unix

package httpapi

// openFileLimit is how many files the process may open, or 0 when
// unknown.
func openFileLimit() int { return 0 }
