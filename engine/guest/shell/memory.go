package shell

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// memBudget is a process's memory limit, in bytes it can be seen to hold:
// the variables of the shell that runs (strings and arrays, its own and
// those it inherits), the output a command substitution has collected so
// far, and the buffers the commands hold (a pipe read to its end, a
// line, what read and mapfile are reading: budgetedStdin). A process over
// it is OOM-killed, as a container over its memory limit is. Go has no per-goroutine heap accounting, and the engine's heap
// holds every other process's garbage too, so the budget counts what the
// process holds rather than watching the heap.
//
// It is checked before every command and at every round of a loop (the
// scripts the shell parses get a check at the top of each loop), so a
// loop that grows a string (`x=$x$x`) is stopped at the round that crosses
// the limit: what it holds then is at most the limit plus what that one
// round made.
//
// What it does not see: each shell of a process is measured with what it
// can reach (a background job or pipeline stage copies its parent's
// variables), not summed over the shells that run at once; a loop that
// runs no command, or a read or mapfile, in code the shell did not parse
// itself (eval, source, a trap's action) is checked only at its next
// command; and an expansion that multiplies a string is seen once made,
// unless it is a ${NAME//pattern/with} whose with is literals and plain
// $VARs (boundReplace).
type memBudget struct {
	limit int64        // 0: no budget (RealTime)
	held  atomic.Int64 // bytes commands hold in buffers
	seen  atomic.Int64 // what the last check saw the shell hold
	peak  atomic.Int64 // the most the process was seen to hold
	oom   atomic.Bool  // killed for holding more than limit
	told  atomic.Bool  // the kill's message was printed (errExpansionTooLarge)
	kill  func()       // ends the process
	// pool, when set, is shared with other processes; reported is what
	// this one counts in it.
	pool        *MemPool
	reported    atomic.Int64
	poolWasFull atomic.Bool // the pool, not the limit, was what ran out
}

// MemPool is memory shared by many processes, as a node's is by its
// containers: a process that asks for more while they hold more than its
// size together is OOM-killed, as by the kernel's OOM killer.
type MemPool struct {
	size int64
	used atomic.Int64
}

// NewMemPool returns a pool of size bytes.
func NewMemPool(size int64) *MemPool { return &MemPool{size: size} }

// Used is what the processes in the pool hold together.
func (m *MemPool) Used() int64 { return m.used.Load() }

// leave takes the process's memory out of its pool once it has ended.
func (m *memBudget) leave() {
	if m.pool != nil {
		m.pool.used.Add(-m.reported.Swap(0))
	}
}

// check compares what the shell of hc holds, with the arguments of the
// command it is about to run, with the limit, and kills the process when
// it is over.
func (m *memBudget) check(hc interp.HandlerContext, args []string) bool {
	if m.limit == 0 {
		return true
	}
	n := envBytes(hc.Env) + collectedBytes(hc.Stdout)
	for _, a := range args {
		n += int64(len(a))
	}
	m.seen.Store(n)
	return m.fits(n, true)
}

// fits says whether inUse bytes, plus the buffers commands hold, are
// within the limit; if not, the process is killed. held says the bytes
// exist already (the peak counts them), rather than being asked for.
func (m *memBudget) fits(inUse int64, held bool) bool {
	total := inUse + m.held.Load()
	fits := total <= m.limit
	for held || fits {
		peak := m.peak.Load()
		if total <= peak || m.peak.CompareAndSwap(peak, total) {
			break
		}
	}
	if m.pool != nil {
		delta := total - m.reported.Swap(total)
		if used := m.pool.used.Add(delta); delta > 0 && used > m.pool.size {
			m.poolWasFull.Store(true)
			fits = false
		}
	}
	if fits {
		return true
	}
	if m.oom.CompareAndSwap(false, true) {
		m.kill()
	}
	return false
}

// formatNeeds is about what printf's format asks for besides its
// arguments: the widths and precisions it pads to (`%1000000000d` would
// otherwise make a string of a gigabyte in one go).
func formatNeeds(format string, args []string) int64 {
	var need int64
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		num := int64(0)
		for i++; i < len(format) && strings.IndexByte("-+ #0123456789.*", format[i]) >= 0; i++ {
			switch c := format[i]; {
			case c >= '0' && c <= '9':
				num = min(num*10+int64(c-'0'), 1<<40)
			case c == '*':
				for _, a := range args {
					var w int64
					if _, err := fmt.Sscan(a, &w); err == nil {
						num = max(num, min(w, 1<<40), -w)
					}
				}
			default:
				need += num
				num = 0
			}
		}
		need += num
	}
	return need
}

// errOutOfMemory ends a command whose buffer would go over the budget.
var errOutOfMemory = errors.New("out of memory")

// hold counts n more bytes a command keeps (made already), and fails
// when they do not fit; ask does so for bytes it is about to make. The
// caller gives them back with release either way.
func (m *memBudget) hold(n int64) error { return m.add(n, true) }

func (m *memBudget) ask(n int64) error { return m.add(n, false) }

func (m *memBudget) add(n int64, made bool) error {
	m.held.Add(n)
	if m.limit != 0 && !m.fits(m.seen.Load(), made) {
		return errOutOfMemory
	}
	return nil
}

func (m *memBudget) release(n int64) { m.held.Add(-n) }

// envBytes is what a shell's variables hold.
func envBytes(env expand.Environ) int64 {
	var n int64
	env.Each(func(name string, vr expand.Variable) bool {
		n += int64(len(name) + len(vr.Str))
		for _, s := range vr.List {
			n += int64(len(s)) + 16
		}
		for k, v := range vr.Map {
			n += int64(len(k)+len(v)) + 32
		}
		return true
	})
	return n
}

// collectedBytes is what a command substitution has collected, when w is
// one's buffer.
func collectedBytes(w io.Writer) int64 {
	if b, ok := w.(*strings.Builder); ok {
		return int64(b.Cap())
	}
	return 0
}

// oomMessage is what a process killed for its memory prints.
func oomMessage(limit int64) string {
	return fmt.Sprintf("sh: killed: out of memory (the shell held more than %s, its memory limit)\n", formatBytes(limit))
}

// poolOOMMessage is what a process killed because its pool ran out prints.
func poolOOMMessage(size int64) string {
	return fmt.Sprintf("sh: killed: out of memory (the simulated containers hold more than %s together, the node's memory)\n", formatBytes(size))
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// memCheck is the command the shell runs at the top of every loop round
// (its name can be no command of a script's, having a NUL).
const memCheck = "\x00memcheck"

// lit is a word of one literal, for the commands the shell adds.
func lit(s string) *syntax.Word { return &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: s}}} }

// isInternalTrace says whether b is a line `set -x` prints for a command
// the shell added, not the script: a memory check, a $RANDOM draw (their
// names have a NUL, which no script can write), or the `wait` that reaps a
// process's jobs once it is over.
func isInternalTrace(b []byte, reaping bool) bool {
	line := bytes.TrimLeft(b, "+")
	if len(line) == len(b) || !bytes.HasSuffix(line, []byte("\n")) {
		return false
	}
	return bytes.HasPrefix(line, []byte(" \x00")) || (reaping && string(line) == " wait\n")
}

// addMemChecks puts a memory check at the top of every loop of file: a
// loop that runs no command (`for ((;;)); do x=$x$x; done`) would not be
// checked otherwise. A while or until loop gets it in its condition, whose
// status it does not change; a for loop at the top of its body. read,
// mapfile and readarray read their input through budgetedStdin. And a
// replacement that can multiply a string is asked for before it is made
// (boundReplace).
func addMemChecks(file *syntax.File) {
	check := func() *syntax.Stmt {
		return &syntax.Stmt{Cmd: &syntax.CallExpr{Args: []*syntax.Word{lit(memCheck)}}}
	}
	syntax.Walk(file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.WhileClause:
			n.Cond = append([]*syntax.Stmt{check()}, n.Cond...)
		case *syntax.ForClause:
			n.Do = append([]*syntax.Stmt{check()}, n.Do...)
		case *syntax.ParamExp:
			boundReplace(n)
		case *syntax.Stmt:
			if path := stdinReadBy(n); path != "" {
				n.Redirs = append(n.Redirs, &syntax.Redirect{Op: syntax.RdrIn, Word: lit(path)})
			}
		}
		return true
	})
}

// memReplace asks the budget for what a ${NAME//pattern/with} can make:
// its arguments are the length of NAME's value, then the lengths whose
// sum is with's.
const memReplace = "\x00memreplace"

// errExpansionTooLarge fails an expansion the budget refused, before it
// is made. The interpreter prints it as the expansion's error: it is the
// OOM kill's message, which the process then does not print again.
type errExpansionTooLarge struct{ limit int64 }

func (e errExpansionTooLarge) Error() string { return strings.TrimSuffix(oomMessage(e.limit), "\n") }

// boundReplace makes ${NAME//pattern/with} ask for what it can make
// first: every character of NAME's value may be replaced by with, so one
// expansion can square a string (`${x//?/$x}` of a 64 KiB x is 4 GiB),
// which no check after it is made could stop. with's expansion gets a
// command substitution in front, $(memReplace ${#NAME} LENGTHS…), which
// fails the expansion when the budget refuses. Only with of literals and
// plain $VARs is bounded: one that runs commands must not run twice. (A
// `$?` after an assignment whose $(false) comes before such a replacement
// says 0: the added substitution ran last.)
func boundReplace(pe *syntax.ParamExp) {
	if pe.Repl == nil || !pe.Repl.All || pe.Repl.With == nil || pe.Param == nil || pe.Index != nil || pe.Excl ||
		pe.Param.Value == "@" || pe.Param.Value == "*" {
		return
	}
	length := func(name string) *syntax.Word {
		return &syntax.Word{Parts: []syntax.WordPart{&syntax.ParamExp{Param: &syntax.Lit{Value: name}, Length: true}}}
	}
	args := []*syntax.Word{lit(memReplace), length(pe.Param.Value)}
	fixed := 0
	var parts func([]syntax.WordPart) bool
	parts = func(ps []syntax.WordPart) bool {
		for _, part := range ps {
			switch part := part.(type) {
			case *syntax.Lit:
				fixed += len(part.Value)
			case *syntax.SglQuoted:
				fixed += len(part.Value)
			case *syntax.DblQuoted:
				if !parts(part.Parts) {
					return false
				}
			case *syntax.ParamExp:
				if !part.Short && (part.Exp != nil || part.Repl != nil || part.Slice != nil || part.Index != nil || part.Excl || part.Length || part.Names != 0) {
					return false
				}
				args = append(args, length(part.Param.Value))
			default:
				return false
			}
		}
		return true
	}
	if !parts(pe.Repl.With.Parts) {
		return
	}
	args = append(args, lit(strconv.Itoa(fixed)))
	check := &syntax.CmdSubst{Stmts: []*syntax.Stmt{{Cmd: &syntax.CallExpr{Args: args}}}}
	pe.Repl.With.Parts = append([]syntax.WordPart{check}, pe.Repl.With.Parts...)
}

// askReplace is memReplace: the bytes the replacement can make, asked
// for and given back at once (what is made is seen by the next check).
func (m *memBudget) askReplace(args []string) error {
	var n [2]int64 // NAME's length, with's
	for i, a := range args {
		v, _ := strconv.ParseInt(a, 10, 64)
		n[min(i, 1)] += v
	}
	need := int64(1 << 62) // more than any budget, and no overflow
	if n[1] == 0 || n[0] <= (1<<62)/n[1] {
		need = n[0] + n[0]*n[1]
	}
	err := m.ask(need)
	m.release(need)
	if err != nil {
		m.told.Store(true)
		return errExpansionTooLarge{m.limit}
	}
	return nil
}

// The input read, mapfile and readarray are given, as a redirection
// after the statement's own: the builtins fill their buffer out of the
// shell's sight, so budgetedStdin reads what they will read first,
// counting it, and hands it on. (A redirection drops a NUL, so the
// names start with a byte a script would have to go out of its way to
// write; one that does reads its standard input, counted.)
const (
	stdinLine    = "\x01stdin-line"     // read: a line, going on after a backslash-newline
	stdinLineRaw = "\x01stdin-line-raw" // read -r
	stdinAll     = "\x01stdin-all"      // mapfile, readarray: all of it
)

// stdinReadBy is the input to give st, a read or a mapfile; "" for any
// other statement, and for a read that prompts (-p: the prompt must come
// before the wait) or reads a terminal without echo (-s), which read
// must do itself.
func stdinReadBy(st *syntax.Stmt) string {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 {
		return ""
	}
	switch call.Args[0].Lit() {
	case "mapfile", "readarray":
		return stdinAll
	case "read":
	default:
		return ""
	}
	raw := false
	for _, arg := range call.Args[1:] {
		flag := arg.Lit()
		if flag == "--" || !strings.HasPrefix(flag, "-") {
			break
		}
		if strings.ContainsAny(flag, "ps") {
			return ""
		}
		raw = raw || strings.Contains(flag, "r")
	}
	if raw {
		return stdinLineRaw
	}
	return stdinLine
}

// budgetedStdin reads from the shell's standard input what the read or
// mapfile of the statement will read (see stdinReadBy), counting it
// against the budget while it grows, and returns a pipe it is written
// into. The count is given back once the builtin has it: from then on
// it is a variable, which the checks see.
func (p *Proc) budgetedStdin(ctx context.Context, in io.Reader, which string) (io.ReadWriteCloser, error) {
	if f, ok := in.(*os.File); ok && f != nil {
		// A step that waits too long is stopped through ctx, as the
		// interpreter's read is.
		stopped := make(chan struct{})
		stop := context.AfterFunc(ctx, func() {
			_ = f.SetReadDeadline(time.Now())
			close(stopped)
		})
		defer func() {
			if !stop() {
				<-stopped
				_ = f.SetReadDeadline(time.Time{})
			}
		}()
	}
	in = stdinOf(in)
	var data []byte
	var counted int64
	chunk := make([]byte, 1) // a byte at a time, as read takes no more than its line
	if which == stdinAll {
		chunk = make([]byte, 32<<10)
	}
	esc := false
	for ended := false; !ended; {
		n, err := in.Read(chunk)
		for _, b := range chunk[:n] {
			data = append(data, b)
			switch {
			case which == stdinAll:
			case b == '\\' && which == stdinLine:
				esc = !esc
			case b == '\n' && !esc:
				ended = true
			default:
				esc = false
			}
		}
		if grow := int64(cap(data)) - counted; grow > 0 {
			counted += grow
			if herr := p.mem.hold(grow); herr != nil {
				p.mem.release(counted)
				return nil, herr
			}
		}
		ended = ended || err != nil
	}
	r, w, err := os.Pipe()
	if err != nil {
		p.mem.release(counted)
		return nil, err
	}
	go func() {
		defer p.mem.release(counted)
		_, _ = w.Write(data)
		_ = w.Close()
	}()
	return r, nil
}

// readAll reads r to its end, counting what it holds against the budget.
// The caller releases the count with c.p.mem.release(int64(cap(data)))
// once done.
func (c *cmdCtx) readAll(r io.Reader) ([]byte, error) {
	var data []byte
	var counted int64
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		data = append(data, buf[:n]...)
		if grow := int64(cap(data)) - counted; grow > 0 {
			counted += grow
			if herr := c.p.mem.hold(grow); herr != nil {
				c.p.mem.release(counted)
				return nil, herr
			}
		}
		if err == io.EOF {
			c.held += counted
			return data, nil
		}
		if err != nil {
			c.held += counted
			return data, err
		}
	}
}

// readLine reads one line (with its newline, unless the input ends),
// counting it against the budget: a line that never ends cannot fill the
// engine's memory.
func (c *cmdCtx) readLine(br *bufio.Reader) (string, error) {
	var line []byte
	var counted int64
	defer func() { c.p.mem.release(counted) }()
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if grow := int64(cap(line)) - counted; grow > 0 {
			counted += grow
			if herr := c.p.mem.hold(grow); herr != nil {
				return "", herr
			}
		}
		if err != bufio.ErrBufferFull {
			return string(line), err
		}
	}
}
