//go:build !unix

package console

import kruntime "github.com/kubeplay/kubeplay/engine/runtime"

// followSize sends the terminal's size once: there is no SIGWINCH here.
func followSize(fd int, sizes chan kruntime.TermSize) (stop func()) {
	return func() {}
}
