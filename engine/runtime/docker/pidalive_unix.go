//go:build unix

package docker

import (
	"errors"
	"syscall"
)

// pidAlive says whether a process exists; one of another user answers
// EPERM and is alive too.
func pidAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
