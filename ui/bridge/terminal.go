package bridge

import (
	"context"
	"errors"
	"io"
	"os"
	"sync/atomic"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/kubectl"
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
	session kubectl.ExecSession
	k       backend.Cluster

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
func (d *Driver) lendTerminal(tty bool, session kubectl.ExecSession) (int, error) {
	l := &loan{tty: tty, session: session, k: d.C}
	select {
	case d.loans <- l:
	case <-d.quit:
		return 0, errors.New("kubeplay is quitting")
	}
	quitting := func() bool {
		select {
		case <-d.quit:
			return true
		default:
			return false
		}
	}
	done := func() bool { return l.over.Load() || quitting() }
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-d.quit:
			l.k.Inject(sim.Hop{From: kubectl.Name, To: kubectl.Name, Verb: sim.VerbQuit, Internal: true}, func() {})
		case <-stop:
		}
	}()
	for !done() {
		d.C.RunLive(done)
	}
	if !l.over.Load() {
		return 0, errors.New("kubeplay is quitting")
	}
	return l.code, l.err
}

// lend is what listen returns for a loan: the terminal lent, and the
// listening for the command's next message going on meanwhile.
func (d *Driver) lend(l *loan) tea.Msg {
	return tea.BatchMsg{tea.Exec(l, l.lent), d.listen()}
}

// lentMsg says the terminal is the UI's again.
type lentMsg struct{}

// lent is tea.Exec's callback: with an error before Run ran (the
// terminal could not be released), the loan ends with it.
func (l *loan) lent(err error) tea.Msg {
	if err != nil && !l.over.Load() {
		l.err = err
		l.end()
	}
	return lentMsg{}
}

// end says the session is over and wakes the command goroutine.
func (l *loan) end() {
	l.over.Store(true)
	l.k.Inject(sim.Hop{From: kubectl.Name, To: kubectl.Name, Verb: sim.VerbExecEnded, Internal: true}, func() {})
}

// SetStdin, SetStdout and SetStderr take the terminal tea.Exec lends.
func (l *loan) SetStdin(r io.Reader) { l.in = r }

func (l *loan) SetStdout(w io.Writer) { l.out = w }

func (l *loan) SetStderr(w io.Writer) { l.errOut = w }

// Run runs the session on the lent terminal. The keys are read through a
// cancelable reader by a pump of its own, which Run waits for: once Run
// returns nothing of the session reads the terminal, and none of the
// keys typed afterwards is taken from the UI.
func (l *loan) Run() error {
	defer l.end()
	file, _ := l.in.(*os.File)
	keys, err := cancelreader.NewReader(l.in)
	if err != nil {
		l.err = err
		return nil
	}
	stdin, typed := io.Pipe()
	pumped := make(chan struct{})
	go func() {
		defer close(pumped)
		_, _ = io.Copy(typed, keys)
		_ = typed.Close()
	}()
	s := kruntime.ExecStreams{Stdin: stdin, Stdout: l.out, Stderr: l.errOut, TTY: l.tty}
	ctx, cancel := context.WithCancel(context.Background())
	activeSession.Store(&cancel)
	l.code, l.err = console.OnTerminal(ctx, file, s, l.session)
	activeSession.Store(nil)
	cancel()
	canceled := keys.Cancel() // false for a reader that is not a file: it cannot be
	_ = stdin.Close()         // a write the session no longer reads fails
	if canceled {
		<-pumped
	}
	_ = keys.Close()
	return nil
}

// activeSession cancels the session that has the terminal now, if one has.
var activeSession atomic.Pointer[context.CancelFunc]

// AbortTerminal ends the session that has the terminal, if one has: for a
// signal telling kubeplay to end, which the UI cannot hear meanwhile (its
// loop is inside tea.Exec). The command in the container goes on, as the
// kubelet leaves it; the cluster's teardown removes it.
func AbortTerminal() {
	if cancel := activeSession.Load(); cancel != nil {
		(*cancel)()
	}
}
