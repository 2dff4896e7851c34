//go:build unix

package console

import (
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	kruntime "github.com/kubeplay/kubeplay/engine/runtime"
)

// followSize sends the terminal's size now and after each SIGWINCH until
// stop is called.
func followSize(fd int, sizes chan kruntime.TermSize) (stop func()) {
	send := func() {
		w, h, err := term.GetSize(fd)
		if err != nil {
			return
		}
		kruntime.SendSize(sizes, kruntime.TermSize{Width: uint16(w), Height: uint16(h)})
	}
	send()
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-winch:
				send()
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(winch)
		close(done)
	}
}
