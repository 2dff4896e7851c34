//go:build !unix

package docker

// pidAlive cannot tell here, so Reap leaves everything alone.
func pidAlive(int) bool { return true }
