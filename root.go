package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/engine/realcluster"
	"github.com/kubeplay/kubeplay/engine/serve"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui"
)

// house is kubeplay's composition root, one per run: what the command
// started — clusters, the API served, the kubeconfig written for it — to
// be undone on the way out, and the one place that hears SIGINT, SIGTERM
// and SIGHUP. A signal ends ctx, which the TUI winds down on (it gives
// the terminal back), and run then undoes what was started and returns
// the shell's code for the signal, 128+n. A front end that does not wind
// down (the shell, reading its input) is not waited for: the terminal is
// restored (kubectl exec -it may hold it raw), everything started is
// undone — no container outlives kubeplay — and the process exits 128+n.
type house struct {
	ctx    context.Context // ended by a signal: context.Cause is a signalled
	cancel context.CancelCauseFunc
	exits  launch.Stops // what was started, to undo on the way out

	sigs chan os.Signal
	quit chan struct{}  // closed by close: no more listening
	exit func(code int) // os.Exit; a test's stand-in

	mu    sync.Mutex
	front chan struct{} // closed when the front end that winds down on ctx has ended
}

// windDown is how long a signal waits for the TUI to end by itself
// (Bubble Tea's quit, or its kill 3s later; then its own clusters'
// teardown, which Stops waits for either way) before undoing what was
// started under it and exiting.
const windDown = 5 * time.Second

// signalled is why ctx ended: the signal, said as the TUI's error.
type signalled struct{ sig os.Signal }

func (s signalled) Error() string { return fmt.Sprintf("stopped by %v", s.sig) }

// code is the shell's exit code for the signal.
func (s signalled) code() int { return 128 + int(s.sig.(syscall.Signal)) }

// newHouse starts listening for the signals.
func newHouse() *house {
	h := &house{sigs: make(chan os.Signal, 1), quit: make(chan struct{}), exit: os.Exit}
	h.ctx, h.cancel = context.WithCancelCause(context.Background())
	signal.Notify(h.sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go h.listen()
	return h
}

func (h *house) listen() {
	select {
	case sig := <-h.sigs:
		h.onSignal(sig)
	case <-h.quit:
	}
}

func (h *house) onSignal(sig os.Signal) {
	why := signalled{sig}
	h.cancel(why)
	h.mu.Lock()
	front := h.front
	h.mu.Unlock()
	if front != nil {
		select {
		case <-front:
			// It ended by itself, the terminal given back: run undoes
			// the rest and returns the signal's code (stoppedBy).
			return
		case <-time.After(windDown):
		}
	}
	console.RestoreTerminal()
	h.exits.Run()
	h.exit(why.code())
}

// windsDown says the front end about to run ends by itself when ctx does
// (the TUI): a signal lets it end, and run finish, rather than exit under
// it, unless it is not done within windDown. done says it has ended.
func (h *house) windsDown() (done func()) {
	ch := make(chan struct{})
	h.mu.Lock()
	h.front = ch
	h.mu.Unlock()
	return sync.OnceFunc(func() { close(ch) })
}

// stoppedBy is the exit code of a run a signal ended, if one did.
func (h *house) stoppedBy() (code int, ok bool) {
	if s, ok := context.Cause(h.ctx).(signalled); ok {
		return s.code(), true
	}
	return 0, false
}

// close undoes what the run started and stops listening for signals.
func (h *house) close() {
	h.exits.Run()
	signal.Stop(h.sigs)
	close(h.quit)
	h.cancel(nil)
}

// startCluster launches the cluster f describes, its time starting at
// epoch; notices go to errOut. What it made outside the process goes on
// the way out.
func (h *house) startCluster(f *flags, epoch time.Time, errOut io.Writer) (backend.Cluster, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	c, stop, err := launch.Start(h.ctx, launch.Options{
		Runtime: f.runtime,
		Cluster: f.cluster(epoch),
		Notice:  func(msg string) { fmt.Fprintln(errOut, "kubeplay: "+msg) },
	})
	if err != nil {
		return nil, err
	}
	h.exits.Add(stop)
	return c, nil
}

// serve serves c's API where f asks. A port in use is fatal only when the
// address was asked for; otherwise the front end goes on without (the
// banner says so, and the API returned is nil). The kubeconfig written
// for the API goes on the way out.
func (h *house) serve(f *flags, c backend.Cluster, asked bool) (*serve.API, string, error) {
	api := serve.NewAPI(f.api())
	banner, err := api.Serve(c, f.lang)
	if err != nil {
		if !asked {
			return nil, serve.NotServing(err), nil
		}
		return nil, "", err
	}
	h.exits.Add(api.RemoveAccess)
	return api, banner, nil
}

// attach attaches to the real cluster f's --kubeconfig names, after a yes
// when it is not obviously local (asked on in when ask: a person at a
// terminal), saying on errOut where it attached. It is let go on the way
// out.
func (h *house) attach(f *flags, in io.Reader, ask bool, errOut io.Writer) (*realcluster.Cluster, error) {
	t, err := confirmedTarget(f, in, ask, errOut)
	if err != nil {
		return nil, err
	}
	return h.attachTo(t, f, errOut)
}

// confirmedTarget is the real cluster f's --kubeconfig names, once it may
// be touched: local, --yes, or a yes typed on in (when ask).
func confirmedTarget(f *flags, in io.Reader, ask bool, errOut io.Writer) (realcluster.Target, error) {
	t, err := realcluster.Resolve(f.kubeconfig, f.context, f.namespace)
	if err != nil {
		return t, err
	}
	fmt.Fprintln(errOut, t.Attaching(f.lang))
	return t, t.Confirm(f.yes, ask, in, errOut, f.lang)
}

// attachTo attaches to t, let go on the way out.
func (h *house) attachTo(t realcluster.Target, f *flags, errOut io.Writer) (*realcluster.Cluster, error) {
	c, err := realcluster.Attach(h.ctx, t, f.lang)
	if err != nil {
		return nil, err
	}
	h.exits.Add(c.Close)
	if unwatched := c.Unwatched(); len(unwatched) > 0 {
		fmt.Fprintln(errOut, realcluster.UnwatchedNotice(unwatched, f.lang))
	}
	return c, nil
}

// attachedShell is `kubeplay shell --kubeconfig …`: the prompt on a real
// cluster, whose time is the wall's, so it runs on while the learner
// types. Nothing is served: the learner's own kubectl reaches the real
// cluster through the kubeconfig already.
func (h *house) attachedShell(f *flags, interactive bool, opts console.Options, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	c, err := h.attach(f, stdin, interactive, stderr)
	if err != nil {
		return 0, err
	}
	opts.Namespace = c.Target().Namespace
	in := stdin
	if interactive {
		opts.Prompt = "kubeplay$ "
		in = console.LiveInput(c, stdin)
	}
	return console.New(c, stdout, stderr, opts).Run(in), nil
}

// attachedClusters are the TUI's clusters when attached: it opens on the
// real cluster (let go on the way out, by attach); a lesson that can run
// on a real cluster plays there, in a namespace made for the run and
// removed when the lesson is left or kubeplay ends; one that cannot, or a
// fresh free play, gets kubeplay's own, simulated, as before.
type attachedClusters struct {
	real *realcluster.Cluster
	ui.Clusters
	h      *house
	f      *flags
	errOut io.Writer
	say    func(string) // the TUI's notices, once Start has them
}

var _ ui.LessonClusters = (*attachedClusters)(nil)

// Start is the real cluster, attached already.
func (a *attachedClusters) Start(_ context.Context, notice func(string)) (backend.Cluster, func(), string, error) {
	a.say = notice
	return a.real, func() {}, "", nil
}

// Lesson plays l on the real cluster, in a namespace of the run's own,
// when it can run there; else on a fresh cluster of kubeplay's, saying
// why. Stopping it lets the attachment go and starts the namespace's
// removal, which the way out waits for: the TUI does not.
func (a *attachedClusters) Lesson(l *lessons.Lesson) (backend.Cluster, func(), string, error) {
	if !l.RunsOnRealCluster() {
		c, stop, err := a.Fresh(l.Addons...)
		return c, stop, a.f.lang.Sprintf(realLessonOwnText.In(a.f.lang), a.real.Target().Context, l.RealNeeds(a.f.lang)), err
	}
	say := func(s string) { fmt.Fprintln(a.errOut, s) }
	if a.say != nil {
		say = func(s string) { a.say(strings.TrimPrefix(s, "kubeplay: ")) } // the TUI's notices say it
	}
	c, note, remove, err := a.h.lessonRun(a.f, a.real.Target(), l, say, a.errOut)
	if err != nil {
		return nil, nil, "", err
	}
	return c, sync.OnceFunc(func() {
		c.Close()
		go remove()
	}), note, nil
}
