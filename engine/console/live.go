package console

import (
	"io"
	"sync/atomic"

	"github.com/kubeplay/kubeplay/engine/sim"
)

// liveInput is the shell's input when the cluster must go on running
// between commands — while its API serves a learner's own kubectl, whose
// pods must come up as they watch. Reading it, when nothing was typed
// yet, runs the cluster (on the reading goroutine, the kernel's own) with
// its time following the wall clock until a line arrives.
type liveInput struct {
	k       *sim.Kernel
	clock   sim.Clock
	chunks  chan []byte
	ended   atomic.Bool
	err     error // the input's end, set before chunks is closed
	pending []byte
}

// LiveInput wraps in so that reading it runs k, in step with clock,
// whenever the learner has not typed anything yet.
func LiveInput(k *sim.Kernel, clock sim.Clock, in io.Reader) io.Reader {
	l := &liveInput{k: k, clock: clock, chunks: make(chan []byte, 1)}
	wake := func() { k.Inject(sim.Hop{From: "shell", To: "shell", Verb: "input", Internal: true}, func() {}) }
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := in.Read(buf)
			if n > 0 {
				l.chunks <- append([]byte(nil), buf[:n]...)
				wake()
			}
			if err != nil {
				l.err = err
				l.ended.Store(true)
				close(l.chunks)
				wake()
				return
			}
		}
	}()
	return l
}

func (l *liveInput) Read(p []byte) (int, error) {
	for len(l.pending) == 0 {
		select {
		case c, ok := <-l.chunks:
			if !ok {
				return 0, l.err
			}
			l.pending = c
		default:
			l.k.RunLive(l.clock, func() bool { return len(l.chunks) > 0 || l.ended.Load() })
		}
	}
	n := copy(p, l.pending)
	l.pending = l.pending[n:]
	return n, nil
}
