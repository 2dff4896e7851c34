//go:build unix

package shell

import (
	"os"

	"golang.org/x/sys/unix"
)

// readerGone polls a pipe's writing end: the kernel reports POLLERR on it
// once no reader is left.
func readerGone(f *os.File) bool {
	sc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	gone := false
	_ = sc.Control(func(fd uintptr) {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
		n, err := unix.Poll(fds, 0)
		gone = err == nil && n > 0 && fds[0].Revents&unix.POLLERR != 0
	})
	return gone
}
