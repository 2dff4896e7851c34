// Package shell is the shell that container commands and exec probes run in
// on the simulated runtime: mvdan.cc/sh over an in-memory file system, with a
// small set of busybox-like commands written in Go.
//
// A process never touches the host: files live in a MemFS, network calls go
// through a Net supplied by the caller, there are no real subprocesses, and
// time is virtual. `sleep` does not sleep; it hands control back to the engine
// with the duration it wants, and the engine resumes it when its virtual clock
// says so. That is what makes a 10-minute liveness scenario run in
// milliseconds, and the same input give byte-identical output.
package shell

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"

	"mvdan.cc/sh/v3/interp"
)

// Forever is the sleep of `sleep infinity`.
const Forever = time.Duration(math.MaxInt64)

// DefaultMaxSteps is the default Config.MaxSteps: about a second of the
// engine's time, and room for a loop of a few hundred thousand rounds.
const DefaultMaxSteps = 1_000_000

// DefaultMaxStepTime is the default Config.MaxStepTime: far more than
// DefaultMaxSteps take (about a second), even on a busy machine.
const DefaultMaxStepTime = time.Minute

// DefaultStepsPerSecond is the default Config.StepsPerSecond.
const DefaultStepsPerSecond = 50_000

// DefaultMaxMemory is the default Config.MaxMemory.
const DefaultMaxMemory = 64 << 20

// Config describes one process.
type Config struct {
	// Argv is the command, e.g. ["/bin/sh","-c","touch /tmp/healthy; sleep 30"],
	// ["cat","/tmp/healthy"] or ["sleep","3600"]. An empty Argv exits 0.
	Argv []string
	// Env is the environment (HOSTNAME and the like are supplied by the
	// caller). PATH and HOME get container defaults when missing.
	Env map[string]string
	// Dir is the working directory; default "/".
	Dir string
	// FS is the container's file system; a fresh NewMemFS when nil.
	FS FS
	// Stdin is the process's standard input; none when nil.
	Stdin          *os.File
	Stdout, Stderr io.Writer
	// Net serves wget; when nil, wget fails with "bad address".
	Net Net
	// DNS reaches the nameservers of the container's /etc/resolv.conf, for
	// nslookup, getent and wget's names; when nil, none answers.
	DNS DNS
	// Hostname is the container's host name (gethostname), which hostname
	// prints; when empty, $HOSTNAME.
	Hostname string
	// Image is the container's image reference (busybox:1.28): the
	// process has the commands the image has (imageCommands), and an
	// image with busybox 1.28 or older gets that busybox's nslookup.
	Image string
	// Now is the engine's clock, read by date; when nil the clock is stuck
	// at the Unix epoch, which keeps output deterministic.
	Now func() time.Time
	// Lang is the language of the messages kubeplay's guards print when
	// they kill the process (out of memory); English when empty.
	Lang bilingual.Lang
	// Seed seeds $RANDOM so that scripts using it are reproducible.
	Seed int64
	// MaxSteps and StepsPerSecond are the process's CPU budget, counted
	// in shell statements: it may run MaxSteps of them at once, and earns
	// StepsPerSecond back for each second it sleeps (up to MaxSteps). A
	// process over it is spinning (`while true; do :; done`) and would
	// freeze the engine, which runs it, so it is killed with exit code 137
	// and a message on stderr. Zero means DefaultMaxSteps and
	// DefaultStepsPerSecond.
	MaxSteps       int
	StepsPerSecond int
	// MaxStepTime is how long a Step may take on the wall clock before
	// the process is killed with 137: the engine waits for each step.
	// Zero means DefaultMaxStepTime.
	MaxStepTime time.Duration
	// PID1 says the process is its container's first process. The kernel
	// delivers no signal to PID 1 that it has no handler for, SIGKILL
	// excepted: a plain `sh -c` container ignores SIGTERM and is killed
	// only when the grace period ends (exit 137), as in Kubernetes.
	PID1 bool
	// MaxMemory is the process's memory limit, in bytes it holds (its
	// shell's variables, command substitutions, commands' buffers: see
	// memBudget). Over it the process is killed with 137, as the OOM
	// killer kills a container over its limit, and State says OOMKilled.
	// Zero means DefaultMaxMemory.
	MaxMemory int64
	// MemPool, when set, is memory the process shares with others (the
	// cluster's containers): it is OOM-killed, as above, when it asks for
	// more while they hold more than the pool together.
	MemPool *MemPool
	// Memory, when set, is the memory of the process's container, whose
	// limit and pool it shares with the container's other processes (its
	// main process, kubectl exec's, exec probes'): MaxMemory and MemPool
	// are then the container's.
	Memory *Memory
	// RealTime runs the process on the wall clock, as `kubeplay sh` does
	// inside a real container, instead of as a coroutine of the engine:
	// sleep really waits, date reads the real clock when Now is nil, and the
	// process is driven by Run (Step then blocks until it exits). The
	// statement and memory guards are off unless MaxSteps or MaxMemory is
	// set, since the process no longer shares the engine's goroutine or heap:
	// a spinning loop or a greedy script only costs its own container.
	RealTime bool
}

// Net is the cluster's network as wget and curl see it: one HTTP request,
// one answer. The simulated cluster answers pod IPs and cluster IPs in
// process; in a real container it is HTTPNet.
type Net interface {
	Do(req Request) (Response, error)
}

// State is what a process does after a Step or a Signal.
type State struct {
	Exited   bool
	ExitCode int
	// Sleep is how long the process wants to sleep before the next Step,
	// when it has not exited. Forever for `sleep infinity`.
	Sleep time.Duration
	// OOMKilled says the process was killed for going over its memory
	// limit (MaxMemory).
	OOMKilled bool
}

// Proc is one process, run as a coroutine of the engine: its goroutine only
// runs while the engine is inside Step or Signal, so the two never run at
// once and runs are deterministic. A Proc is not safe for concurrent use.
type Proc struct {
	cfg Config

	started bool
	st      State

	ev       chan sleepReq // process → engine: a sleep; the process then waits on its wake channel
	finished chan struct{} // closed once every goroutine of the process has ended
	code     int           // exit code, written before finished is closed

	pending    *sleepReq      // the sleep the process is blocked in
	sleptAt    time.Time      // when it began, by Config.Now
	pendingSig syscall.Signal // a trapped signal to deliver on the next Step

	ctx            *budgetCtx
	mem            memBudget
	reaping        atomic.Bool
	stdout, stderr *gate

	realSig chan syscall.Signal // RealTime: a trapped signal for the shell that sleeps

	mu    sync.Mutex
	traps map[syscall.Signal]string // trapped signals → action; "" ignores the signal
	// interrupt is what SIGINT does to an interactive shell on a
	// terminal: cancel the line it runs (^C stops the foreground command,
	// not the shell), or show a fresh prompt.
	interrupt func()
	killCode  int              // set when the engine kills the process
	runners   []*interp.Runner // every shell of the process, for reap
	// replacing holds what a replBegin was given, by the command
	// substitution it runs in, until its replEnd.
	replacing map[io.Writer][]int64
	rng       *rand.Rand // $RANDOM, seeded by Config.Seed
	// commands are those of kubeplay's commands that the image has (nil:
	// all of them); see imageCommands.
	commands map[string]bool
}

type sleepReq struct {
	d    time.Duration
	wake chan syscall.Signal // 0: time is up; else a trapped signal arrived
}

// Start prepares a process; nothing runs until the first Step.
func Start(cfg Config) *Proc {
	if cfg.FS == nil {
		cfg.FS = NewMemFS()
	}
	if cfg.Dir == "" {
		cfg.Dir = "/"
	}
	if cfg.RealTime && cfg.Now == nil {
		cfg.Now = time.Now
	}
	parent, cancel := context.WithCancel(context.Background())
	bctx := &budgetCtx{Context: parent, cancel: cancel, limit: math.MaxInt64}
	switch {
	case cfg.MaxSteps > 0:
		bctx.limit = int64(cfg.MaxSteps)
	case !cfg.RealTime:
		cfg.MaxSteps = DefaultMaxSteps
		bctx.limit = DefaultMaxSteps
	}
	if cfg.MaxStepTime <= 0 {
		cfg.MaxStepTime = DefaultMaxStepTime
	}
	if cfg.StepsPerSecond <= 0 {
		cfg.StepsPerSecond = DefaultStepsPerSecond
	}
	bctx.perSecond = int64(cfg.StepsPerSecond)
	if cfg.MaxMemory <= 0 && !cfg.RealTime {
		cfg.MaxMemory = DefaultMaxMemory
	}
	p := &Proc{
		realSig:   make(chan syscall.Signal, 1),
		cfg:       cfg,
		ev:        make(chan sleepReq),
		finished:  make(chan struct{}),
		ctx:       bctx,
		stdout:    &gate{w: cfg.Stdout},
		traps:     map[syscall.Signal]string{},
		replacing: map[io.Writer][]int64{},
		rng:       rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6b756265706c6179)),
		commands:  imageCommands(cfg.Image),
	}
	p.stderr = &gate{w: cfg.Stderr, reaping: &p.reaping}
	p.mem.kill, p.mem.lang = cancel, cfg.Lang
	switch {
	case cfg.Memory != nil:
		p.mem.Memory = cfg.Memory
	case cfg.MaxMemory > 0:
		p.mem.Memory = NewMemory(cfg.MaxMemory, cfg.MemPool)
	default:
		p.mem.Memory = NewMemory(0, nil) // no accounting: nothing to share
	}
	p.cfg.MaxMemory = p.mem.limit
	return p
}

// MemoryPeak is the most memory the process was seen to hold, as its
// memory limit counts it.
func (p *Proc) MemoryPeak() int64 { return p.mem.peak.Load() }

// slept is how long the pending sleep lasted: by the clock when there is
// one (a signal may cut it short), else as asked.
func (p *Proc) slept() time.Duration {
	if p.cfg.Now != nil {
		return p.cfg.Now().Sub(p.sleptAt)
	}
	return p.pending.d
}

// State returns the process's current state without running it.
func (p *Proc) State() State { return p.st }

// Step runs the process until it sleeps or exits.
func (p *Proc) Step() State {
	if p.st.Exited {
		return p.st
	}
	if !p.started {
		p.started = true
		go p.run()
	} else if p.pending != nil {
		p.ctx.refill(p.slept())
		p.pending.wake <- p.pendingSig
		p.pending, p.pendingSig = nil, 0
	}
	// The watchdog is the one guard on the wall clock: it is what the
	// engine, which waits for the step, loses, whatever the process is
	// stuck in (a builtin reading a pipe that never ends a line counts
	// no statements).
	watchdog := time.NewTimer(p.cfg.MaxStepTime)
	defer watchdog.Stop()
	timeUp := watchdog.C
	for {
		select {
		case req := <-p.ev:
			if p.ctx.stalled.Load() {
				continue // being killed: the sleep ends at once
			}
			select {
			case <-p.finished:
				// The script ended while a background job asked to sleep;
				// the job has been cancelled with the rest of the process.
				return p.exit(p.code)
			default:
			}
			p.pending = &req
			if p.cfg.Now != nil {
				p.sleptAt = p.cfg.Now()
			}
			p.st = State{Sleep: req.d}
			return p.st
		case <-p.finished:
			return p.exit(p.code)
		case <-timeUp:
			p.ctx.stalled.Store(true)
			p.ctx.cancel()
			timeUp = nil // and wait for it to end
		}
	}
}

// Signal delivers a signal. SIGKILL, and any other terminating signal the
// script did not trap, end the process at once with 128+signal (137, 143,
// 130). A trapped signal interrupts the current sleep; the returned state
// asks for an immediate Step, which runs the trap's action. A signal the
// script ignores (an empty trap action), or that is ignored by default (SIGCHLD,
// SIGWINCH, SIGURG, SIGCONT), changes nothing: the engine keeps its timer.
func (p *Proc) Signal(sig syscall.Signal) State {
	if p.st.Exited {
		return p.st
	}
	switch sig {
	case syscall.SIGCHLD, syscall.SIGWINCH, syscall.SIGURG, syscall.SIGCONT:
		return p.st
	}
	if sig != syscall.SIGKILL && sig != syscall.SIGSTOP && p.cfg.PID1 {
		p.mu.Lock()
		_, trapped := p.traps[sig]
		p.mu.Unlock()
		if !trapped {
			return p.st
		}
	}
	if sig != syscall.SIGKILL && sig != syscall.SIGSTOP && p.pending != nil {
		p.mu.Lock()
		action, trapped := p.traps[sig]
		p.mu.Unlock()
		if trapped {
			if action == "" {
				return p.st
			}
			p.pendingSig = sig
			p.st = State{}
			return p.st
		}
	}
	code := 128 + int(sig)
	if !p.started {
		p.started = true
		close(p.finished)
		return p.exit(code)
	}
	p.kill(code)
	return p.exit(code)
}

// kill ends a started process with code and waits for its goroutines.
func (p *Proc) kill(code int) {
	p.mu.Lock()
	p.killCode = code
	p.mu.Unlock()
	// Nothing the dying process prints after the kill may reach the caller.
	p.stdout.close()
	p.stderr.close()
	p.ctx.cancel()
	<-p.finished
}

// Run runs a process on the wall clock to its end (Config.RealTime is
// implied) and returns its exit code: this is `kubeplay sh` in a real
// container. Signals arriving on sigs are handled as Signal does: a trapped
// one runs its action in the shell that sleeps (at its next sleep if none
// does), SIGKILL and an untrapped terminating signal end the process with
// 128+signal.
func Run(cfg Config, sigs <-chan os.Signal) int {
	cfg.RealTime = true
	p := Start(cfg)
	p.started = true
	go p.run()
	for {
		select {
		case <-p.finished:
			return p.code
		case s := <-sigs:
			sig, ok := s.(syscall.Signal)
			if !ok {
				continue
			}
			switch sig {
			case syscall.SIGCHLD, syscall.SIGWINCH, syscall.SIGURG, syscall.SIGCONT:
				continue
			}
			p.mu.Lock()
			action, trapped := p.traps[sig]
			p.mu.Unlock()
			if !trapped && p.cfg.PID1 {
				continue
			}
			if trapped && sig != syscall.SIGKILL {
				if action != "" {
					select {
					case p.realSig <- sig:
					default: // one is already pending; signals do not queue
					}
				}
				continue
			}
			if sig == syscall.SIGINT && p.interruptLine() {
				continue
			}
			p.kill(128 + int(sig))
			return 128 + int(sig)
		}
	}
}

// setInterrupt makes fn what SIGINT does and returns what it did before,
// for a nested shell to give back.
func (p *Proc) setInterrupt(fn func()) (was func()) {
	p.mu.Lock()
	was, p.interrupt = p.interrupt, fn
	p.mu.Unlock()
	return was
}

// interruptLine is SIGINT to an interactive shell, if one runs. What it
// does runs unlocked: it may write to a slow terminal.
func (p *Proc) interruptLine() bool {
	p.mu.Lock()
	fn := p.interrupt
	p.mu.Unlock()
	if fn == nil {
		return false
	}
	fn()
	return true
}

func (p *Proc) exit(code int) State {
	p.stdout.close()
	p.stderr.close()
	p.pending = nil
	p.st = State{Exited: true, ExitCode: code, OOMKilled: code == 137 && p.mem.oom.Load()}
	return p.st
}

// run is the process's goroutine.
func (p *Proc) run() {
	defer close(p.finished)
	code := p.main()
	p.ctx.cancel() // like PID 1 exiting: background jobs die with it
	p.reap()
	p.mem.leave()
	p.mu.Lock()
	if p.killCode != 0 {
		code = p.killCode
	}
	p.code = code
	p.mu.Unlock()
}

// Exec runs a process to completion, as an exec probe does. Virtual sleeps
// count against limit; a process that would sleep past it is killed and
// reported as timed out (exit code 137). Exec never waits on the wall clock.
func Exec(cfg Config, limit time.Duration) (exitCode int, timedOut bool) {
	p := Start(cfg)
	var used time.Duration
	for {
		st := p.Step()
		if st.Exited {
			return st.ExitCode, false
		}
		if st.Sleep > limit-used {
			return p.Signal(syscall.SIGKILL).ExitCode, true
		}
		used += st.Sleep
	}
}

// budgetCtx is the process's context. The interpreter calls Err before every
// statement, which makes it the one hook that sees every loop iteration, even
// loops that run no command (`for ((;;)); do x=1; done`): it counts them and
// cancels the process when a step runs too many.
type budgetCtx struct {
	context.Context
	cancel    context.CancelFunc
	used      atomic.Int64
	limit     int64
	perSecond int64       // statements earned back per second slept
	over      atomic.Bool // killed for running too many statements
	deep      atomic.Bool // killed for recursing too deep
	stalled   atomic.Bool // killed for taking too long a step
}

// maxFrames bounds the Go stack of a process's goroutine, about 2000 levels
// of shell function recursion (`f() { f; }; f`). Deep recursion is slow
// (each level grows and copies the stack), so it is stopped well before the
// step budget would.
const maxFrames = 20000

func deepStack() bool {
	var pc [1]uintptr
	return runtime.Callers(maxFrames, pc[:]) > 0
}

// refill gives back the statements a sleep of d earns.
func (c *budgetCtx) refill(d time.Duration) {
	earned := int64(math.MaxInt64)
	if d < time.Duration(math.MaxInt64/c.perSecond) {
		earned = int64(d) * c.perSecond / int64(time.Second)
	}
	used := c.used.Load()
	c.used.Store(used - min(used, earned))
}

func (c *budgetCtx) Err() error {
	if c.Context.Err() == nil {
		n := c.used.Add(1)
		switch {
		case n > c.limit:
			c.over.Store(true)
			c.cancel()
		case n%64 == 0 && deepStack(): // walking the stack costs; sample it
			c.deep.Store(true)
			c.cancel()
		}
	}
	return c.Context.Err()
}

// gate serialises writes to the caller's writer (pipeline stages write
// concurrently) and drops them once the process has exited, so that a dying
// background job never writes into a buffer the engine is reading.
type gate struct {
	mu      sync.Mutex
	w       io.Writer
	closed  bool
	reaping *atomic.Bool // the process is over and its jobs are reaped
}

func (g *gate) Write(b []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed || g.w == nil || isInternalTrace(b, g.reaping != nil && g.reaping.Load()) {
		return len(b), nil
	}
	return g.w.Write(b)
}

func (g *gate) close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}

// killMessage is what a process killed for spinning prints.
func killMessage(max, perSecond int) string {
	return fmt.Sprintf("sh: killed: spinning without sleeping (kubeplay's loop guard allows %d statements at once, and %d more for each second a process sleeps)\n",
		max, perSecond)
}
