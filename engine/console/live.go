package console

import (
	"context"
	"io"
	"os"
	"sync/atomic"

	"golang.org/x/term"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/kubectl"
	kruntime "github.com/kubeplay/kubeplay/engine/runtime"

	"github.com/kubeplay/kubeplay/engine/sim"
)

// liveInput is the shell's input when the cluster must go on running
// between commands — while its API serves a learner's own kubectl, whose
// pods must come up as they watch. Reading it, when nothing was typed
// yet, runs the cluster (on the reading goroutine, the kernel's own) with
// its time following the wall clock until a line arrives.
type liveInput struct {
	k       backend.Clock
	wake    func()
	chunks  chan []byte
	ended   atomic.Bool
	err     error // the input's end, set before chunks is closed
	pending []byte
}

// LiveInput wraps in so that reading it runs k, in step with the wall clock,
// whenever the learner has not typed anything yet.
func LiveInput(k backend.Clock, in io.Reader) io.Reader {
	l := &liveInput{k: k, chunks: make(chan []byte, 1)}
	wake := func() {
		k.Inject(sim.Hop{From: inputWaker, To: inputWaker, Verb: sim.VerbInput, Internal: true}, func() {})
	}
	l.wake = wake
	f, _ := in.(*os.File)
	terminal := f != nil && term.IsTerminal(int(f.Fd()))
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := in.Read(buf)
			if n > 0 {
				l.chunks <- append([]byte(nil), buf[:n]...)
				wake()
			}
			if err == io.EOF && n == 0 && terminal {
				// ^D on a terminal ends one read, not the terminal: the
				// prompt ends on it, a lent session's input does.
				l.chunks <- []byte{}
				wake()
				continue
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
			if len(c) == 0 {
				return 0, io.EOF // ^D
			}
			l.pending = c
		default:
			l.k.RunLive(func() bool { return len(l.chunks) > 0 || l.ended.Load() })
		}
	}
	n := copy(p, l.pending)
	l.pending = l.pending[n:]
	return n, nil
}

// lend gives the learner's typing to session until it ends — raw, when
// tty and file is a terminal, so that ^C and the arrow keys reach the
// container — while the cluster runs on this goroutine. What is typed
// after the session ended stays for the prompt.
func (l *liveInput) lend(file *os.File, out, errOut io.Writer, tty bool, session kubectl.ExecSession) (int, error) {
	streams := kruntime.ExecStreams{Stdout: out, Stderr: errOut, TTY: tty}
	stdin, typed := io.Pipe()
	streams.Stdin = stdin
	var ended atomic.Bool
	var code int
	var err error
	go func() {
		// A signal ends the process, restoring the terminal: no need to
		// cancel the session.
		code, err = OnTerminal(context.Background(), file, streams, session)
		_ = stdin.Close() // what is typed from now on is the prompt's
		ended.Store(true)
		l.wake()
	}()
input:
	for !ended.Load() {
		if len(l.pending) == 0 {
			select {
			case c, ok := <-l.chunks:
				if !ok {
					_ = typed.Close() // the input ended: so does the command's
					break input
				}
				if len(c) == 0 {
					_ = typed.Close() // ^D: the command's input ends
					continue
				}
				l.pending = c
			default:
				l.k.RunLive(func() bool { return len(l.chunks) > 0 || l.ended.Load() || ended.Load() })
				continue
			}
		}
		n, werr := typed.Write(l.pending)
		l.pending = l.pending[n:]
		if werr != nil {
			break // the session ended, or its input: the rest stays for the prompt
		}
	}
	for !ended.Load() { // its input is done; the command may run on
		l.k.RunLive(ended.Load)
	}
	return code, err
}

// OnTerminal runs session with streams; when they are a terminal's (TTY)
// and file is one, it is in raw mode meanwhile, so that ^C and the arrow
// keys reach the container, and its size is followed.
func OnTerminal(ctx context.Context, file *os.File, streams kruntime.ExecStreams, session kubectl.ExecSession) (int, error) {
	if file != nil && streams.TTY && term.IsTerminal(int(file.Fd())) {
		fd := int(file.Fd())
		if state, err := term.MakeRaw(fd); err == nil {
			restore := func() { _ = term.Restore(fd, state) }
			rawTerminal.Store(&restore)
			defer RestoreTerminal()
		}
		sizes := make(chan kruntime.TermSize, 1)
		stop := followSize(fd, sizes)
		defer stop()
		streams.Resize = sizes
	}
	return session(ctx, streams)
}

// rawTerminal gives the terminal its mode back while a session holds it
// raw.
var rawTerminal atomic.Pointer[func()]

// inputWaker is the component of the live input's wake-ups.
const inputWaker = sim.Component(sim.KindShell)

// RestoreTerminal gives the terminal its mode back if a session holds it
// raw: for a process told to end meanwhile, which exits without running
// the session's deferred calls.
func RestoreTerminal() {
	if restore := rawTerminal.Swap(nil); restore != nil {
		(*restore)()
	}
}
