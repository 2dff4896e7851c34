package bridge

import (
	"errors"
	"io"
	"os"
	"sync/atomic"

	"github.com/kubeplay/kubeplay/engine/console"
	kruntime "github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"

	tea "charm.land/bubbletea/v2"
	"github.com/muesli/cancelreader"
)

// loan is a command's request for the terminal: `kubectl exec -it POD --
// sh` on Docker. The UI lends it with tea.Exec, which gives the screen
// up meanwhile, as for a program it runs.
type loan struct {
	tty     bool
	session func(kruntime.ExecStreams) (int, error)
	k       *sim.Kernel

	in          io.Reader // the terminal, as tea.Exec lends it
	out, errOut io.Writer

	// Set by the UI's side before over is.
	code int
	err  error
	over atomic.Bool
}

// lendTerminal is the console's Lend: it runs on the command goroutine,
// which holds the cluster and runs it in real time while the terminal is
// lent, as nothing else would: the UI is suspended.
func (d *Driver) lendTerminal(tty bool, session func(kruntime.ExecStreams) (int, error)) (int, error) {
	l := &loan{tty: tty, session: session, k: d.C.K}
	select {
	case d.loans <- l:
	case <-d.quit:
		return 0, errors.New("kubeplay is quitting")
	}
	for !l.over.Load() {
		d.C.K.RunLive(sim.SystemClock{}, l.over.Load)
	}
	return l.code, l.err
}

// lend is what listen returns for a loan: the terminal lent, and the
// listening for the command's next message going on meanwhile.
func (d *Driver) lend(l *loan) tea.Msg {
	return tea.BatchMsg{tea.Exec(l, nil), d.listen()}
}

// SetStdin, SetStdout and SetStderr take the terminal tea.Exec lends.
func (l *loan) SetStdin(r io.Reader) { l.in = r }

func (l *loan) SetStdout(w io.Writer) { l.out = w }

func (l *loan) SetStderr(w io.Writer) { l.errOut = w }

// Run runs the session on the lent terminal. Its stdin is read through a
// cancelable reader, so that nothing typed after the session ended is
// taken from the UI.
func (l *loan) Run() error {
	defer func() {
		l.over.Store(true)
		l.k.Inject(sim.Hop{From: "kubectl", To: "kubectl", Verb: "exec-ended", Internal: true}, func() {})
	}()
	file, _ := l.in.(*os.File)
	in, err := cancelreader.NewReader(l.in)
	if err != nil {
		l.err = err
		return nil
	}
	defer in.Close()
	defer in.Cancel()
	s := kruntime.ExecStreams{Stdin: in, Stdout: l.out, Stderr: l.errOut, TTY: l.tty}
	l.code, l.err = console.OnTerminal(file, s, l.session)
	return nil
}
