//go:build !unix

package console

import (
	"golang.org/x/term"

	kruntime "github.com/kubeplay/kubeplay/engine/runtime"
)

// followSize sends the terminal's size once: there is no SIGWINCH here.
func followSize(fd int, sizes chan kruntime.TermSize) (stop func()) {
	if w, h, err := term.GetSize(fd); err == nil {
		kruntime.SendSize(sizes, kruntime.TermSize{Width: uint16(w), Height: uint16(h)})
	}
	return func() {}
}
