package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/term"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// noHostDir is the interpreter's temporary directory. The interpreter makes
// named pipes there for process substitution, and opens paths under it on
// the host directly, bypassing our handlers. A path with a NUL byte can never
// be created or opened (the syscall layer rejects it before the kernel sees
// it), and no shell word can contain NUL, so scripts can't reach the host.
const noHostDir = "/\x00kubeplay-no-host-tmp"

// maxDepth bounds nested shells (`sh -c 'sh -c ...'`, a script running
// itself): each level costs Go stack, and unbounded recursion would crash the
// whole engine instead of failing one process.
const maxDepth = 32

type depthKey struct{}

func depthOf(ctx context.Context) int {
	d, _ := ctx.Value(depthKey{}).(int)
	return d
}

// main runs Argv as the container runtime would exec it, and returns the exit
// code.
func (p *Proc) main() int {
	argv := p.cfg.Argv
	if len(argv) == 0 {
		return 0
	}
	// The first command runs in a one-statement shell whose only command is
	// Argv, single-quoted so nothing in it expands; that way a direct command
	// (`sleep 3600`) and a shell (`sh -c ...`) go through the same handlers.
	call := &syntax.CallExpr{}
	for _, a := range argv {
		call.Args = append(call.Args, &syntax.Word{Parts: []syntax.WordPart{&syntax.SglQuoted{Value: a}}})
	}
	file := &syntax.File{Name: "sh", Stmts: []*syntax.Stmt{{Cmd: call}}}
	env := expand.ListEnviron(p.basePairs()...)
	err := p.runFile(p.ctx, "sh", file, env, p.cfg.Dir, p.cfg.Stdin, p.stdout, p.stderr, nil, nil, false)
	switch {
	case p.ctx.over.Load():
		fmt.Fprint(p.stderr, killMessage(p.cfg.MaxSteps, p.cfg.StepsPerSecond))
		return 137
	case p.ctx.stalled.Load():
		fmt.Fprintf(p.stderr, "sh: killed: a step took more than %s of the engine's time (kubeplay's loop guard)\n", p.cfg.MaxStepTime)
		return 137
	case p.ctx.deep.Load():
		fmt.Fprint(p.stderr, "sh: killed: recursion too deep (kubeplay's stack guard)\n")
		return 137
	case p.mem.oom.Load() && p.mem.poolWasFull.Load():
		fmt.Fprint(p.stderr, poolOOMText(p.mem.pool.size).In(p.cfg.Lang))
		return 137
	case p.mem.oom.Load():
		if !p.mem.told.Load() {
			fmt.Fprint(p.stderr, oomText(p.cfg.MaxMemory).In(p.cfg.Lang))
		}
		return 137
	case err == nil:
		return 0
	}
	if es, ok := errors.AsType[interp.ExitStatus](err); ok {
		return int(es)
	}
	if p.ctx.Context.Err() != nil {
		return 137 // killed; Signal sets the real code
	}
	fmt.Fprintf(p.stderr, "sh: %v\n", err)
	return 2
}

// basePairs is the container's initial environment, with the defaults a
// container runtime provides.
func (p *Proc) basePairs() []string {
	pairs := make([]string, 0, len(p.cfg.Env)+2)
	for k, v := range p.cfg.Env {
		pairs = append(pairs, k+"="+v)
	}
	if _, ok := p.cfg.Env["PATH"]; !ok {
		pairs = append(pairs, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
	}
	if _, ok := p.cfg.Env["HOME"]; !ok {
		pairs = append(pairs, "HOME=/root")
	}
	sort.Strings(pairs) // map order must not leak into anything
	return pairs
}

// procEnv fills in what the interpreter would otherwise take from the host
// process (uid, temporary directory).
type procEnv struct {
	expand.Environ
	resetting bool
}

func (e *procEnv) Get(name string) expand.Variable {
	if e.resetting && name == "TMPDIR" {
		return expand.Variable{Set: true, Kind: expand.String, Str: noHostDir}
	}
	v := e.Environ.Get(name)
	if !v.IsSet() {
		switch name {
		case "UID", "EUID", "GID":
			return expand.Variable{Set: true, Kind: expand.String, ReadOnly: true, Str: "0"}
		}
	}
	return v
}

// runFile runs a parsed script in a new interpreter, then reaps its
// background jobs once the process is over.
func (p *Proc) runFile(ctx context.Context, sh string, file *syntax.File, env expand.Environ,
	dir string, stdin *os.File, stdout, stderr io.Writer, opts, params []string, seed bool) error {
	r, err := p.newRunner(sh, env, dir, stdin, stdout, stderr, opts, params)
	if err != nil {
		return err
	}
	if seed {
		// Assigning RANDOM seeds its generator; unseeded it would differ
		// between runs.
		file.Stmts = append([]*syntax.Stmt{{Cmd: &syntax.CallExpr{Assigns: []*syntax.Assign{{
			Name:  &syntax.Lit{Value: "RANDOM"},
			Value: &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: strconv.FormatInt(p.cfg.Seed, 10)}}},
		}}}}}, file.Stmts...)
	}
	defer p.mem.forget(r)
	return r.Run(ctx, file)
}

// newRunner makes a shell of the process, registered for reap.
func (p *Proc) newRunner(sh string, env expand.Environ, dir string, stdin *os.File, stdout, stderr io.Writer,
	opts, params []string) (*interp.Runner, error) {
	penv := &procEnv{Environ: env, resetting: true}
	setDir := func(r *interp.Runner) error {
		// Not interp.Dir: it checks the directory on the host.
		r.Dir = dir
		return nil
	}
	r, err := interp.New(
		interp.Env(penv),
		setDir,
		interp.StdIO(stdin, stdout, stderr),
		interp.Params(opts...),
		interp.CallHandler(p.callHandler),
		interp.ExecHandlers(func(interp.ExecHandlerFunc) interp.ExecHandlerFunc {
			// The default handler, which would start host processes, is
			// never called.
			return func(ctx context.Context, args []string) error { return p.exec(ctx, sh, args) }
		}),
		interp.OpenHandler(p.openHandler(sh)),
		interp.StatHandler(p.statHandler),
		interp.ReadDirHandler2(p.readDirHandler),
		interp.AccessHandler(p.accessHandler),
	)
	if err != nil {
		return nil, err
	}
	r.Params = params
	r.Reset()
	penv.resetting = false
	p.mu.Lock()
	p.runners = append(p.runners, r)
	p.mu.Unlock()
	return r, nil
}

// runInteractive runs a shell's standard input statement by statement as it
// arrives, as sh does from a terminal or a pipe: `kubectl exec -it POD --
// sh` in a real container answers each line at once, not at end of input. A
// terminal gets busybox's prompts on stderr.
func (p *Proc) runInteractive(c *cmdCtx, sh string, opts []string) error {
	depth := depthOf(c.ctx)
	if depth >= maxDepth {
		fmt.Fprintf(c.stderr, "%s: too many nested shells\n", sh)
		return interp.ExitStatus(2)
	}
	ctx := context.WithValue(c.ctx, depthKey{}, depth+1)
	r, err := p.newRunner(sh, exportedEnv(c.env), c.dir, c.stdinFile, c.stdout, c.stderr, opts, nil)
	if err != nil {
		return err
	}
	defer p.mem.forget(r)
	tty := c.stdinFile != nil && term.IsTerminal(int(c.stdinFile.Fd()))
	prompt := func(s string) {
		if tty {
			io.WriteString(c.stderr, s)
		}
	}
	ps1 := func() { prompt(r.Dir + " # ") }
	in := &promptReader{r: c.stdin}
	// ^C at the prompt: the terminal dropped the line; a fresh prompt, and
	// a statement begun on earlier lines is dropped too. It is made while
	// no line runs, so it reads nothing a line may change.
	atPrompt := func() func() {
		ps := "\n" + r.Dir + " # "
		return func() {
			in.dropping.Store(true)
			prompt(ps)
		}
	}
	if tty {
		outer := p.setInterrupt(atPrompt())
		defer func() { p.setInterrupt(outer) }() // a nested sh gives the outer one's back
	}
	var last error
	ps1()
	// A terminal's shell goes on after a syntax error or a ^C in the middle
	// of a statement, with a parser of its own: the library's cannot be
	// trusted to go on after an error.
	for fresh := true; fresh; {
		fresh = false
		parser := syntax.NewParser(syntax.Variant(syntax.LangBash))
	input:
		for stmts, err := range parser.InteractiveSeq(in) {
			switch {
			case errors.Is(err, errDropped):
				fresh = true
				break input
			case err != nil && tty:
				fmt.Fprintf(c.stderr, "%s: syntax error: %v\n", sh, err)
				last = r.Run(ctx, syntaxErrorStatus)
				ps1()
				fresh = true
				break input
			case err != nil:
				fmt.Fprintf(c.stderr, "%s: syntax error: %v\n", sh, err)
				return interp.ExitStatus(2)
			}
			if parser.Incomplete() {
				prompt("> ")
				continue
			}
			if p.mem.limit != 0 {
				for _, st := range stmts {
					addMemChecks(st)
				}
			}
			interrupted := false
			if tty {
				last, interrupted = p.runLine(ctx, r, stmts)
			} else {
				for _, st := range stmts {
					if last = r.Run(ctx, st); r.Exited() || ctx.Err() != nil {
						break
					}
				}
			}
			switch {
			case interrupted:
				// ^C stops the line, not the shell; the runner's next Run
				// forgets the cancellation it took for an exit.
				prompt("\n")
				last = r.Run(ctx, interruptedStatus) // $? is 130, as after ^C in sh
			case r.Exited() || ctx.Err() != nil:
				break input
			}
			if tty {
				in.dropping.Store(false)
				p.setInterrupt(atPrompt())
			}
			ps1()
		}
	}
	if !r.Exited() {
		prompt("\n") // ^D leaves the cursor after the prompt
	}
	if _, ok := errors.AsType[interp.ExitStatus](last); ok || last == nil || ctx.Err() != nil {
		return last
	}
	fmt.Fprintf(c.stderr, "%s: %v\n", sh, last)
	return interp.ExitStatus(2)
}

// interruptedStatus sets $? as a command killed by SIGINT leaves it;
// syntaxErrorStatus as a syntax error does.
var interruptedStatus, syntaxErrorStatus = exitStatusStmt(130), exitStatusStmt(2)

func exitStatusStmt(code int) *syntax.Stmt {
	f, err := syntax.NewParser().Parse(strings.NewReader(fmt.Sprintf("(exit %d)", code)), "")
	if err != nil {
		panic(err)
	}
	return f.Stmts[0]
}

// errDropped ends a parse whose statement ^C dropped.
var errDropped = errors.New("statement dropped by ^C")

// promptReader is a terminal shell's input. When ^C at a prompt drops
// what was typed, the next read ends the parse (errDropped) and keeps
// what it read for the fresh parser.
type promptReader struct {
	r        io.Reader
	dropping atomic.Bool
	kept     []byte
}

func (pr *promptReader) Read(p []byte) (int, error) {
	if len(pr.kept) > 0 {
		n := copy(p, pr.kept)
		pr.kept = pr.kept[n:]
		return n, nil
	}
	n, err := pr.r.Read(p)
	if n > 0 && pr.dropping.Swap(false) {
		pr.kept = append(pr.kept[:0], p[:n]...)
		return 0, errDropped
	}
	return n, err
}

// runLine runs a line typed at a terminal; SIGINT (^C) cancels it alone,
// and interrupted says it did. The line's context is cancelled by ^C
// only: background jobs it started go on after it, as in sh.
func (p *Proc) runLine(ctx context.Context, r *interp.Runner, stmts []*syntax.Stmt) (last error, interrupted bool) {
	line, cancel := context.WithCancel(ctx)
	p.setInterrupt(cancel)
	for _, st := range stmts {
		if last = r.Run(line, st); r.Exited() || line.Err() != nil {
			break
		}
	}
	return last, line.Err() != nil && ctx.Err() == nil
}

// reap waits for the background jobs of every shell of the process once it is
// over, so that no goroutine outlives it. The process context is cancelled by
// then, so the jobs stop at their next statement. Shells are reaped in the
// order they were made: a shell's own Run finished before any later one is
// reaped, since it ran inside an earlier shell's script or jobs.
func (p *Proc) reap() {
	p.reaping.Store(true) // its `wait` is no command of the script's, for set -x
	wait := &syntax.Stmt{Cmd: &syntax.CallExpr{Args: []*syntax.Word{{Parts: []syntax.WordPart{&syntax.Lit{Value: "wait"}}}}}}
	for i := 0; ; i++ {
		p.mu.Lock()
		if i >= len(p.runners) {
			p.runners = nil
			p.mu.Unlock()
			return
		}
		r := p.runners[i]
		p.mu.Unlock()
		r.Funcs = nil // so a function named wait can't run instead
		_ = r.Run(context.Background(), wait)
	}
}

// runScript runs shell source as a child shell of the command in c.
func (p *Proc) runScript(c *cmdCtx, sh, src, zero string, opts, params []string) error {
	depth := depthOf(c.ctx)
	if depth >= maxDepth {
		fmt.Fprintf(c.stderr, "%s: too many nested shells\n", sh)
		return interp.ExitStatus(2)
	}
	file, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), zero)
	if err != nil {
		fmt.Fprintf(c.stderr, "%s: syntax error: %v\n", sh, err)
		return interp.ExitStatus(2)
	}
	if strings.Contains(src, "$$") || strings.Contains(src, "PPID") || strings.Contains(src, "RANDOM") {
		rewriteSpecials(file)
	}
	if p.mem.limit != 0 {
		addMemChecks(file)
	}
	err = p.runFile(context.WithValue(c.ctx, depthKey{}, depth+1), sh, file, exportedEnv(c.env),
		c.dir, c.stdinFile, c.stdout, c.stderr, opts, params, strings.Contains(src, "RANDOM"))
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[interp.ExitStatus](err); ok || c.ctx.Err() != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "%s: %v\n", sh, err)
	return interp.ExitStatus(2)
}

// rewriteSpecials replaces $$ and $PPID, which the interpreter takes from the
// host process, with what they are for a container's main process; and
// $RANDOM with a draw from the process's seeded generator, because the
// interpreter's is seeded per shell and subshells start unseeded.
func rewriteSpecials(file *syntax.File) {
	fix := func(parts []syntax.WordPart) {
		for i, wp := range parts {
			pe, ok := wp.(*syntax.ParamExp)
			if !ok || !pe.Short || pe.Param == nil {
				continue
			}
			switch pe.Param.Value {
			case "$":
				parts[i] = &syntax.Lit{ValuePos: pe.Dollar, ValueEnd: pe.Param.End(), Value: "1"}
			case "PPID":
				parts[i] = &syntax.Lit{ValuePos: pe.Dollar, ValueEnd: pe.Param.End(), Value: "0"}
			case "RANDOM":
				call := &syntax.CallExpr{Args: []*syntax.Word{{Parts: []syntax.WordPart{&syntax.Lit{Value: "\x00random"}}}}}
				parts[i] = &syntax.CmdSubst{Left: pe.Dollar, Right: pe.Param.End(), Stmts: []*syntax.Stmt{{Cmd: call}}}
			}
		}
	}
	syntax.Walk(file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Word:
			fix(n.Parts)
		case *syntax.DblQuoted:
			fix(n.Parts)
		}
		return true
	})
}

// exportedEnv is what a child process inherits: the exported variables.
func exportedEnv(env expand.Environ) expand.Environ {
	vars := map[string]string{}
	env.Each(func(name string, vr expand.Variable) bool {
		if vr.Exported && vr.IsSet() && vr.Kind == expand.String {
			vars[name] = vr.Str
		} else {
			delete(vars, name) // a later unexported or unset entry shadows it
		}
		return true
	})
	pairs := make([]string, 0, len(vars))
	for k, v := range vars {
		pairs = append(pairs, k+"="+v)
	}
	return expand.ListEnviron(pairs...)
}

// callHandler sees every simple command, builtins included. It redirects
// the few builtins that would look at the host (PATH lookups, symlinks) and
// takes the signal traps the interpreter does not support.
func (p *Proc) callHandler(ctx context.Context, args []string) ([]string, error) {
	if !p.mem.check(interp.HandlerCtx(ctx), args) {
		return []string{":"}, nil // killed: the next statement stops
	}
	switch {
	case args[0] == memCheck:
		return args, nil
	case args[0] == shellEnd:
		hc := interp.HandlerCtx(ctx)
		p.mem.ended(hc)
		return []string{"exit", strconv.Itoa(hc.LastExitStatus)}, nil
	case strings.HasPrefix(args[0], memReplace+" "):
		if err := p.mem.askReplace(replaceLengths(args[0])); err != nil {
			return nil, err // fails the expansion: the process is being killed
		}
		return []string{":"}, nil
	case strings.HasPrefix(args[0], replBegin+" "):
		p.mu.Lock()
		p.replacing[interp.HandlerCtx(ctx).Stdout] = replaceLengths(args[0])
		p.mu.Unlock()
		return []string{":"}, nil
	case args[0] == replEnd:
		if err := p.replaced(interp.HandlerCtx(ctx)); err != nil {
			return nil, err // fails the expansion: the process is being killed
		}
		return []string{"exit", strconv.Itoa(interp.HandlerCtx(ctx).LastExitStatus)}, nil
	}
	i := 0
	for i < len(args)-1 && (args[i] == "builtin" || (args[i] == "command" && !strings.HasPrefix(args[i+1], "-"))) {
		i++
	}
	if writingBuiltins[args[i]] && brokenPipe(interp.HandlerCtx(ctx).Stdout) {
		// SIGPIPE kills the shell that writes: a pipeline stage ends.
		return []string{"exit", strconv.Itoa(sigpipeStatus)}, nil
	}
	switch args[i] {
	case "echo", "printf":
		// Ours, not the interpreter's, which drop write errors: a full
		// disk or a closed pipe must fail them.
		return append([]string{"\x00" + args[i]}, args[i+1:]...), nil
	}
	switch args[i] {
	case "eval":
		if p.mem.limit != 0 {
			return append(args[:i+1:i+1], withMemChecks(strings.Join(args[i+1:], " "))), nil
		}
	case "trap":
		return p.trap(args[i+1:]), nil
	case "command":
		if i+1 < len(args) && (args[i+1] == "-v" || args[i+1] == "-V") {
			return append([]string{"\x00which", args[i+1]}, args[i+2:]...), nil
		}
	case "type":
		return append([]string{"\x00which", "-V"}, args[i+1:]...), nil
	case "pwd":
		out := []string{"pwd"}
		for _, a := range args[i+1:] {
			if a == "-P" {
				a = "-L" // -P resolves symlinks on the host; MemFS has none
			}
			out = append(out, a)
		}
		return out, nil
	case "source", ".":
		// A NUL suffix makes the builtin's PATH search fail without a
		// syscall; openHandler strips it.
		if i+1 < len(args) && !strings.HasSuffix(args[i+1], "\x00") {
			out := append([]string(nil), args...)
			out[i+1] += "\x00"
			return out, nil
		}
	}
	return args, nil
}

// trap records handlers for signals, which the interpreter's trap only knows
// as EXIT and ERR; those it still handles.
func (p *Proc) trap(args []string) []string {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && args[0] != "-") {
		return append([]string{"trap"}, args...)
	}
	action, sigs := "-", args
	if len(args) > 1 {
		action, sigs = args[0], args[1:]
	}
	var keep []string
	for _, s := range sigs {
		sig, ok := signalByName(s)
		if !ok {
			if s == "0" {
				s = "EXIT"
			}
			keep = append(keep, s)
			continue
		}
		p.mu.Lock()
		if action == "-" {
			delete(p.traps, sig)
		} else {
			p.traps[sig] = action
		}
		p.mu.Unlock()
	}
	if len(keep) == 0 {
		return []string{":"}
	}
	return append([]string{"trap", action}, keep...)
}

func signalByName(s string) (syscall.Signal, bool) {
	s = strings.TrimPrefix(strings.ToUpper(s), "SIG")
	switch s {
	case "HUP", "1":
		return syscall.SIGHUP, true
	case "INT", "2":
		return syscall.SIGINT, true
	case "QUIT", "3":
		return syscall.SIGQUIT, true
	case "USR1", "10":
		return syscall.SIGUSR1, true
	case "USR2", "12":
		return syscall.SIGUSR2, true
	case "TERM", "15":
		return syscall.SIGTERM, true
	}
	return 0, false
}

// runTrap runs the action trapped for sig, in the shell that was sleeping.
func (p *Proc) runTrap(c *cmdCtx, sig syscall.Signal) error {
	p.mu.Lock()
	action := p.traps[sig]
	p.mu.Unlock()
	if action != "" {
		if err := c.hc.Builtin(c.ctx, []string{"eval", action}); err != nil {
			return err // e.g. the action ran exit
		}
	}
	// The interrupted command fails as if the signal had killed it.
	return interp.ExitStatus(128 + uint8(sig))
}

// sleep hands control to the engine for d of virtual time, or waits d of
// real time when the process runs on the wall clock.
func (p *Proc) sleep(c *cmdCtx, d time.Duration) error {
	if d <= 0 {
		return nil // yielding for nothing would let a spinning loop dodge the step budget
	}
	if p.cfg.RealTime {
		return p.sleepReal(c, d)
	}
	wake := make(chan syscall.Signal, 1)
	select {
	case p.ev <- sleepReq{d: d, wake: wake}:
	case <-c.ctx.Done():
		return c.ctx.Err()
	}
	select {
	case sig := <-wake:
		if sig != 0 {
			return p.runTrap(c, sig)
		}
		return nil
	case <-c.ctx.Done():
		return c.ctx.Err()
	}
}

func (p *Proc) sleepReal(c *cmdCtx, d time.Duration) error {
	defer p.ctx.refill(d) // as a Step does
	var timeUp <-chan time.Time
	if d != Forever {
		t := time.NewTimer(d)
		defer t.Stop()
		timeUp = t.C
	}
	select {
	case <-timeUp:
		return nil
	case sig := <-p.realSig:
		return p.runTrap(c, sig)
	case <-c.ctx.Done():
		return c.ctx.Err()
	}
}

func resolve(dir, name string) string {
	if !strings.HasPrefix(name, "/") {
		name = dir + "/" + name
	}
	return path.Clean(name)
}

func (p *Proc) openHandler(sh string) interp.OpenHandlerFunc {
	return func(ctx context.Context, name string, flag int, perm os.FileMode) (io.ReadWriteCloser, error) {
		hc := interp.HandlerCtx(ctx)
		switch {
		case name == stdinLine || name == stdinLineRaw || name == stdinAll:
			return p.budgetedStdin(ctx, hc.Stdin, name)
		case strings.HasPrefix(name, memReplaceVars+" "):
			if err := p.mem.askReplace(varLengths(hc.Env, name)); err != nil {
				return nil, err // fails the expansion: the process is being killed
			}
			return devNull{}, nil
		}
		sourcing := strings.HasSuffix(name, "\x00") // see callHandler
		name = strings.TrimSuffix(name, "\x00")
		abs := resolve(hc.Dir, name)
		switch abs {
		case "/dev/null", "/dev/zero":
			return devNull{}, nil
		case "/dev/stdout":
			return devWriter{hc.Stdout}, nil
		case "/dev/stderr":
			return devWriter{hc.Stderr}, nil
		case "/dev/stdin":
			return devReader{stdinOf(hc.Stdin)}, nil
		}
		h, err := p.cfg.FS.open(abs, flag, perm)
		if err != nil {
			// The interpreter prints a *fs.PathError as is; shape it so
			// it reads as busybox's.
			if flag&os.O_CREATE != 0 {
				return nil, &fs.PathError{Op: sh + ":", Path: "can't create " + name, Err: errors.New(errText(err))}
			}
			return nil, &fs.PathError{Op: sh + ":", Path: "can't open '" + name + "'", Err: errors.New(errText(err))}
		}
		if sourcing && p.mem.limit != 0 {
			return p.sourced(h)
		}
		return h, nil
	}
}

func (p *Proc) statHandler(ctx context.Context, name string, _ bool) (fs.FileInfo, error) {
	return p.cfg.FS.Stat(resolve(interp.HandlerCtx(ctx).Dir, strings.TrimSuffix(name, "\x00")))
}

func (p *Proc) readDirHandler(ctx context.Context, name string) ([]fs.DirEntry, error) {
	return p.cfg.FS.ReadDir(resolve(interp.HandlerCtx(ctx).Dir, name))
}

func (p *Proc) accessHandler(ctx context.Context, name string, mode interp.AccessMode) error {
	fi, err := p.cfg.FS.Stat(resolve(interp.HandlerCtx(ctx).Dir, name))
	if err != nil {
		return err
	}
	// Containers run as root: only the execute bit matters.
	if mode&interp.AccessExec != 0 && fi.Mode().Perm()&0o111 == 0 {
		return &fs.PathError{Op: "access", Path: name, Err: fs.ErrPermission}
	}
	return nil
}

// errText words a file error as busybox does.
func errText(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "No such file or directory"
	case errors.Is(err, errNoDir):
		return "nonexistent directory"
	case errors.Is(err, errIsDir):
		return "Is a directory"
	case errors.Is(err, errNotDir):
		return "Not a directory"
	case errors.Is(err, errNotEmpty):
		return "Directory not empty"
	case errors.Is(err, errReadOnly):
		return "Read-only file system"
	case errors.Is(err, ErrNoSpace):
		return "No space left on device"
	case errors.Is(err, fs.ErrExist):
		return "File exists"
	case errors.Is(err, fs.ErrPermission):
		return "Permission denied"
	}
	return err.Error()
}

// stdinOf turns the interpreter's stdin, which may be a nil *os.File, into a
// reader that is never nil.
func stdinOf(r io.Reader) io.Reader {
	if f, ok := r.(*os.File); r == nil || (ok && f == nil) {
		return devNull{}
	}
	return r
}

type devNull struct{}

func (devNull) Read([]byte) (int, error)    { return 0, io.EOF }
func (devNull) Write(b []byte) (int, error) { return len(b), nil }
func (devNull) Close() error                { return nil }

type devWriter struct{ w io.Writer }

func (d devWriter) Read([]byte) (int, error)    { return 0, fs.ErrPermission }
func (d devWriter) Write(b []byte) (int, error) { return d.w.Write(b) }
func (d devWriter) Close() error                { return nil }

type devReader struct{ r io.Reader }

func (d devReader) Read(b []byte) (int, error) { return d.r.Read(b) }
func (d devReader) Write([]byte) (int, error)  { return 0, fs.ErrPermission }
func (d devReader) Close() error               { return nil }
