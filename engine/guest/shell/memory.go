package shell

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/kubeplay/kubeplay/engine/bilingual"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// memBudget is a process's memory limit, in bytes it can be seen to hold:
// the variables of its shells (strings and arrays, their own and those
// they inherit), the output a command substitution has collected so far,
// and the buffers the commands hold (a pipe read to its end, a line, what
// read and mapfile are reading: budgetedStdin). A process over it is
// OOM-killed, as a container over its memory limit is. Go has no
// per-goroutine heap accounting, and the engine's heap holds every other
// process's garbage too, so the budget counts what the process holds
// rather than watching the heap.
//
// Every shell of the process draws from the one budget, as every process
// of a container does from its cgroup: the script's, each background job,
// each pipeline stage, each nested sh. A check records what the shell it
// runs in holds (shellOf says which shell that is) and compares the sum
// over the shells with the limit. A string a shell shares with another
// (a background job's copy of its parent's variables, which a fork
// shares until written) is counted once. A shell's share is dropped when
// it ends: a job's and a pipeline stage's by the command the shell adds
// at their end (markJobs), a nested shell's when its script returns, all
// of them when the process ends.
//
// It is checked before every command and at every round of a loop (the
// scripts the shell parses, eval's and source's included, get a check at
// the top of each loop), so a loop that grows a string (`x=$x$x`) is
// stopped at the round that crosses the limit: what it holds then is at
// most the limit plus what that one round made.
//
// What it does not see: a loop that runs no command in a trap's action is
// checked only at its next command; and an expansion that multiplies a
// string is seen once made, unless it is a ${NAME//pattern/with}
// (boundReplace).
type memBudget struct {
	*Memory               // the container's, which its other processes share
	kill     func()       // ends the process
	oom      atomic.Bool  // killed for holding more than limit
	told     atomic.Bool  // the kill's message was printed (errExpansionTooLarge)
	procHeld atomic.Int64 // what of Memory.held is this process's
	left     atomic.Bool  // the process has ended: what it held is settled
	// poolWasFull says the pool, not the limit, was what ran out.
	poolWasFull atomic.Bool
	lang        bilingual.Lang // of the kill's message
}

// Memory is the memory of one container's processes, as its cgroup
// counts it: every process started with it (Config.Memory) draws from its
// one limit, with its shells. A process that asks for more while they
// hold more than the limit together is OOM-killed; the kernel's OOM
// killer would pick the largest process of the cgroup, kubeplay the one
// that asked.
type Memory struct {
	limit int64        // 0: no budget (RealTime)
	held  atomic.Int64 // bytes commands hold in buffers
	seen  atomic.Int64 // what the shells were last seen to hold together
	peak  atomic.Int64 // the most they were seen to hold
	// pool, when set, is shared with other containers; reported is what
	// these processes count in it.
	pool     *MemPool
	reported atomic.Int64

	mu     sync.Mutex
	shells map[unsafe.Pointer]shellUse // what each shell was last seen to hold
	shared map[*byte]sharedString      // the large strings they hold, each counted once
	sum    int64                       // their total: small bytes, and each large string once
}

// NewMemory is the memory of a container whose processes may hold limit
// bytes together, on the node's pool (nil: none).
func NewMemory(limit int64, pool *MemPool) *Memory {
	return &Memory{limit: max(limit, 0), pool: pool}
}

// shellUse is what one shell was seen to hold: small is the bytes of its
// short strings and buffers, large its long strings, which other shells
// may share.
type shellUse struct {
	owner *memBudget // the process the shell is of
	small int64
	large []string
}

// largeString is the length from which a string is counted once however
// many shells hold it (shorter ones are counted for each shell: sharing
// them is not worth the bookkeeping).
const largeString = 4 << 10

// sharedString is a large string's length and how many shells hold it.
type sharedString struct {
	size  int64
	users int
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

// leave takes the process's memory out of its container's, and out of
// its pool, once it has ended.
func (m *memBudget) leave() {
	m.left.Store(true)
	m.held.Add(-m.procHeld.Swap(0)) // what a killed command did not give back
	m.mu.Lock()
	for key, use := range m.shells {
		if use.owner == m {
			m.recordLocked(key, shellUse{})
		}
	}
	total := m.sum + m.held.Load()
	m.mu.Unlock()
	if m.pool != nil {
		m.pool.used.Add(total - m.reported.Swap(total))
	}
}

// check records what the shell of hc holds, with the arguments of the
// command it is about to run, and kills the process when its shells hold
// more than the limit together.
func (m *memBudget) check(hc interp.HandlerContext, args []string) bool {
	if m.limit == 0 {
		return true
	}
	var use shellUse
	count := func(s string) {
		if len(s) >= largeString {
			use.large = append(use.large, s)
		} else {
			use.small += int64(len(s))
		}
	}
	hc.Env.Each(func(name string, vr expand.Variable) bool {
		use.small += int64(len(name))
		count(vr.Str)
		for _, s := range vr.List {
			use.small += 16
			count(s)
		}
		for k, v := range vr.Map {
			use.small += 32
			count(k)
			count(v)
		}
		return true
	})
	use.small += collectedBytes(hc.Stdout)
	for _, a := range args {
		count(a)
	}
	return m.fits(m.record(shellOf(hc.Env), use), true)
}

// record sets what the shell key holds and returns what the shells hold
// together. A nil use forgets the shell, which has ended.
func (m *memBudget) record(key unsafe.Pointer, use shellUse) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	use.owner = m
	return m.recordLocked(key, use)
}

func (m *Memory) recordLocked(key unsafe.Pointer, use shellUse) int64 {
	if old, ok := m.shells[key]; ok {
		m.sum -= old.small
		for _, s := range old.large {
			p := unsafe.StringData(s)
			sh := m.shared[p]
			if sh.users--; sh.users == 0 {
				m.sum -= sh.size
				delete(m.shared, p)
			} else {
				m.shared[p] = sh
			}
		}
		delete(m.shells, key)
	}
	if use.small != 0 || use.large != nil {
		if m.shells == nil {
			m.shells, m.shared = map[unsafe.Pointer]shellUse{}, map[*byte]sharedString{}
		}
		m.sum += use.small
		for _, s := range use.large {
			p := unsafe.StringData(s)
			sh := m.shared[p]
			if sh.users == 0 {
				sh.size = int64(len(s))
				m.sum += sh.size
			} else if int64(len(s)) > sh.size { // a longer string from the same start
				m.sum += int64(len(s)) - sh.size
				sh.size = int64(len(s))
			}
			sh.users++
			m.shared[p] = sh
		}
		m.shells[key] = use
	}
	m.seen.Store(m.sum)
	return m.sum
}

// ended forgets what the shell of hc held: it has run its last command.
func (m *memBudget) ended(hc interp.HandlerContext) {
	if m.limit != 0 {
		m.fits(m.record(shellOf(hc.Env), shellUse{}), true)
	}
}

// forget forgets what the shell r held: its script has returned.
func (m *memBudget) forget(r *interp.Runner) {
	if pe, ok := r.Env.(*procEnv); ok && m.limit != 0 {
		m.fits(m.record(unsafe.Pointer(pe), shellUse{}), true)
	}
}

// fits says whether inUse bytes, plus the buffers commands hold, are
// within the limit; if not, the process is killed. held says the bytes
// exist already (the peak counts them), rather than being asked for.
func (m *memBudget) fits(inUse int64, held bool) bool {
	total := inUse + m.held.Load()
	fits := total <= m.limit
	if !fits && !held {
		// Refused before it is made: it never reaches the pool, and the
		// limit, not the pool, is what ran out.
		if m.oom.CompareAndSwap(false, true) {
			m.kill()
		}
		return false
	}
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

// shellOf says which shell of the process an environment belongs to: the
// interpreter gives each handler an overlay over its shell's variables,
// and a subshell's and a function's variables are overlays over their
// parent's, up to the shell's own. That is a background job's or a
// pipeline stage's copy (an overlay over nothing: they run beside their
// parent), or the overlay over the procEnv a script's shell was made with
// (newRunner). A command substitution, a ( ) subshell or a function runs
// while its parent waits, and counts as its parent. The interpreter does
// not export these, so they are read with reflect; TestShellOfTellsShells
// fails if an upgrade changes them.
func shellOf(env expand.Environ) unsafe.Pointer {
	v := reflect.ValueOf(env)
	for v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
		parent := v.Elem().FieldByName("parent")
		if !parent.IsValid() || parent.Kind() != reflect.Interface {
			return nil
		}
		if parent.IsNil() {
			return v.UnsafePointer() // a background copy
		}
		next := parent.Elem()
		if next.Type() == reflect.TypeFor[*procEnv]() {
			return next.UnsafePointer()
		}
		v = next
	}
	return nil
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
	if !m.count(n) {
		return errOutOfMemory // the process has ended
	}
	if m.limit != 0 && !m.fits(m.seen.Load(), made) {
		return errOutOfMemory
	}
	return nil
}

func (m *memBudget) release(n int64) { m.count(-n) }

// count adds n to what the process holds, unless it has ended (leave
// settled its count then: a goroutine of it that gives back later must
// not give back twice).
func (m *memBudget) count(n int64) bool {
	for !m.left.Load() {
		if cur := m.procHeld.Load(); m.procHeld.CompareAndSwap(cur, cur+n) {
			m.held.Add(n)
			return true
		}
	}
	return false
}

// collectedBytes is what a command substitution has collected, when w is
// one's buffer.
func collectedBytes(w io.Writer) int64 {
	if b, ok := w.(*strings.Builder); ok {
		return int64(b.Cap())
	}
	return 0
}

// oomMessage is what a process killed for its memory prints, in English.
func oomMessage(limit int64) string { return oomText(limit).EN }

// oomText is what a process killed for its memory prints. The limit is
// the container's, and what counts against it is every process in the
// container together (its main process, background jobs, pipeline
// stages, kubectl exec's), as in a cgroup: the process killed is the one
// that asked last, not necessarily the one that holds the most.
func oomText(limit int64) bilingual.Text {
	size := formatBytes(limit)
	return bilingual.Text{
		EN: "sh: killed: out of memory (the processes of this container held more than " + size + " together, the container's memory limit)\n",
		KO: "sh: killed: 메모리 부족 (이 컨테이너의 프로세스들이 합쳐서 " + size + "보다 많이 썼어요. 컨테이너의 메모리 한도예요)\n",
	}
}

// poolOOMMessage is what a process killed because its pool ran out
// prints, in English.
func poolOOMMessage(size int64) string { return poolOOMText(size).EN }

// poolOOMText is what a process killed because its pool ran out prints.
func poolOOMText(size int64) bilingual.Text {
	return bilingual.Text{
		EN: "sh: killed: out of memory (the simulated containers hold more than " + formatBytes(size) + " together, the node's memory)\n",
		KO: "sh: killed: 메모리 부족 (시뮬레이션 컨테이너들이 합쳐서 " + formatBytes(size) + "보다 많이 쓰고 있어요. 노드의 메모리예요)\n",
	}
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

// memCheck is the command the shell runs at the top of every loop round.
// The names of the commands and files the shell adds start with \x01, a
// byte no script writes by chance, and not with a NUL, which the parser
// drops: eval's and source's code is printed with them and parsed again.
const memCheck = "\x01memcheck"

// lit is a word of one literal, for the commands the shell adds.
func lit(s string) *syntax.Word { return &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: s}}} }

// call is a statement running the command args, for the ones the shell adds.
func call(args ...*syntax.Word) *syntax.Stmt { return &syntax.Stmt{Cmd: &syntax.CallExpr{Args: args}} }

// isInternalTrace says whether b is a line `set -x` prints for a command
// the shell added, not the script: a memory check, a $RANDOM draw (their
// names start with a NUL or \x01), or the `wait` that reaps a process's
// jobs once it is over.
func isInternalTrace(b []byte, reaping bool) bool {
	line := bytes.TrimLeft(b, "+")
	if len(line) == len(b) || !bytes.HasSuffix(line, []byte("\n")) {
		return false
	}
	return bytes.HasPrefix(line, []byte(" \x00")) || bytes.HasPrefix(line, []byte(" \x01")) ||
		(reaping && string(line) == " wait\n")
}

// addMemChecks puts a memory check at the top of every loop of node: a
// loop that runs no command (`for ((;;)); do x=$x$x; done`) would not be
// checked otherwise. A while or until loop gets it in its condition, whose
// status it does not change; a for loop at the top of its body. read,
// mapfile and readarray read their input through budgetedStdin. A
// replacement that can multiply a string is asked for before it is made
// (boundReplace). Background jobs and pipeline stages say when they end
// (markEnd).
func addMemChecks(node syntax.Node) {
	syntax.Walk(node, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.WhileClause:
			n.Cond = append([]*syntax.Stmt{call(lit(memCheck))}, n.Cond...)
		case *syntax.ForClause:
			n.Do = append([]*syntax.Stmt{call(lit(memCheck))}, n.Do...)
		case *syntax.ParamExp:
			boundReplace(n)
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				n.X = &syntax.Stmt{Position: n.X.Position, Cmd: markEnd(n.X)}
			}
		case *syntax.Stmt:
			if n.Background || n.Disown {
				job := *n
				job.Background, job.Disown = false, false
				*n = syntax.Stmt{Position: n.Position, Semicolon: n.Semicolon, Background: n.Background, Disown: n.Disown,
					Cmd: markEnd(&job)}
			}
			if path := stdinReadBy(n); path != "" {
				n.Redirs = append(n.Redirs, &syntax.Redirect{Op: syntax.RdrIn, Word: lit(path)})
			}
		}
		return true
	})
}

// shellEnd is the command a background job or a pipeline stage runs last:
// its shell ends, and what it held is given back (memBudget.ended). It
// exits with the status of what the job ran.
const shellEnd = "\x01end"

// markEnd is st run so that its shell's last command is shellEnd, however
// it ends: `if ( st ); then END; else END; fi` (an exit in st leaves the
// ( ), and set -e does not stop an if's condition).
func markEnd(st *syntax.Stmt) *syntax.IfClause {
	return &syntax.IfClause{
		Cond: []*syntax.Stmt{{Position: st.Position, Cmd: &syntax.Subshell{Lparen: st.Position, Stmts: []*syntax.Stmt{st}}}},
		Then: []*syntax.Stmt{call(lit(shellEnd))},
		Else: &syntax.IfClause{Then: []*syntax.Stmt{call(lit(shellEnd))}},
	}
}

// memReplace and memReplaceVars ask the budget for what a
// ${NAME//pattern/with} can make. memReplaceVars is the file a $(<file)
// reads, which, unlike a command, leaves $? as it was: its name has
// with's fixed length, then the names of NAME and of with's variables,
// whose lengths are looked up when it is opened. memReplace, for
// positional and special parameters, which are no variables, is a command
// given the lengths: NAME's, then those whose sum is with's. (Being a
// command, it sets $?: after `y=$(false)${1//b/c}` $? is 0, not 1.)
const (
	memReplace     = "\x01memreplace"
	memReplaceVars = "\x01memreplace-vars"
)

// errExpansionTooLarge fails an expansion the budget refused, before it
// is made. The interpreter prints it as the expansion's error: it is the
// OOM kill's message, which the process then does not print again.
type errExpansionTooLarge struct {
	limit int64
	lang  bilingual.Lang
}

func (e errExpansionTooLarge) Error() string {
	return strings.TrimSuffix(oomText(e.limit).In(e.lang), "\n")
}

// The commands that bound a with that runs commands: replBegin is the
// first command of each command substitution in with, given the lengths
// known before it runs (NAME's, then those of with's other parts);
// replEnd its last, which asks for the replacement with what the
// substitution has printed added (memBudget.askReplace).
const (
	replBegin = "\x01replbegin"
	replEnd   = "\x01replend"
)

// boundReplace makes ${NAME//pattern/with} ask for what it can make
// first: every character of NAME's value may be replaced by with, so one
// expansion can square a string (`${x//?/$x}` of a 64 KiB x is 4 GiB),
// which no check after it is made could stop. A with of literals and
// plain $VARs gets a $(<"memReplace ${#NAME} LENGTHS…") in front, which
// fails the expansion when the budget refuses. A with with command
// substitutions gets, in each of them, replBegin before the commands and
// replEnd after, which asks once the substitution's output is known, and
// before the replacement is made. (With several substitutions each asks
// for its own output: at most one budget each.)
func boundReplace(pe *syntax.ParamExp) {
	if pe.Repl == nil || !pe.Repl.All || pe.Repl.With == nil || pe.Param == nil || pe.Index != nil || pe.Excl ||
		pe.Param.Value == "@" || pe.Param.Value == "*" {
		return
	}
	length := func(name string) syntax.WordPart {
		return &syntax.ParamExp{Param: &syntax.Lit{Value: name}, Length: true}
	}
	lengths := []syntax.WordPart{length(pe.Param.Value)}
	names := []string{pe.Param.Value}
	allNames := syntax.ValidName(pe.Param.Value)
	fixed := 0
	var substs []*syntax.CmdSubst
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
			case *syntax.CmdSubst:
				substs = append(substs, part)
			case *syntax.ParamExp:
				if !part.Short && (part.Repl != nil || part.Slice != nil || part.Index != nil || part.Excl || part.Length || part.Names != 0) {
					return false
				}
				var word *syntax.Word
				alternative := false
				if part.Exp != nil {
					// ${y:-WORD} and the like are y's value or WORD's:
					// at most both (${y:+WORD} only WORD's); ${y#pat},
					// ${y^^}… at most y's.
					switch part.Exp.Op {
					case syntax.AlternateUnset, syntax.AlternateUnsetOrNull:
						word, alternative = part.Exp.Word, true
					case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.ErrorUnset, syntax.ErrorUnsetOrNull,
						syntax.AssignUnset, syntax.AssignUnsetOrNull:
						word = part.Exp.Word
					}
				}
				if !alternative {
					lengths = append(lengths, length(part.Param.Value))
					names = append(names, part.Param.Value)
					allNames = allNames && syntax.ValidName(part.Param.Value)
				}
				if word != nil && !parts(word.Parts) {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	if !parts(pe.Repl.With.Parts) {
		return
	}
	lengths = append(lengths, &syntax.Lit{Value: strconv.Itoa(fixed)})
	args := func(name string) []syntax.WordPart {
		ps := []syntax.WordPart{&syntax.Lit{Value: name}}
		for _, l := range lengths {
			ps = append(ps, &syntax.Lit{Value: " "}, l)
		}
		return ps
	}
	if len(substs) == 0 && allNames {
		// One part: a word of several would be joined in the expander's
		// buffer, which $(<file) then writes the file after. Quoted, so
		// that eval's printed code reads it as one word again.
		path := &syntax.Word{Parts: []syntax.WordPart{&syntax.SglQuoted{
			Value: memReplaceVars + " " + strconv.Itoa(fixed) + " " + strings.Join(names, " ")}}}
		read := &syntax.Stmt{Redirs: []*syntax.Redirect{{Op: syntax.RdrIn, Word: path}}}
		pe.Repl.With.Parts = append([]syntax.WordPart{&syntax.CmdSubst{Stmts: []*syntax.Stmt{read}}}, pe.Repl.With.Parts...)
		return
	}
	if len(substs) == 0 {
		check := call(&syntax.Word{Parts: []syntax.WordPart{&syntax.DblQuoted{Parts: args(memReplace)}}})
		pe.Repl.With.Parts = append([]syntax.WordPart{&syntax.CmdSubst{Stmts: []*syntax.Stmt{check}}}, pe.Repl.With.Parts...)
		return
	}
	for _, cs := range substs {
		begin := call(&syntax.Word{Parts: []syntax.WordPart{&syntax.DblQuoted{Parts: args(replBegin)}}})
		run := &syntax.Stmt{Cmd: &syntax.IfClause{
			Cond: []*syntax.Stmt{{Cmd: &syntax.Subshell{Stmts: cs.Stmts}}},
			Then: []*syntax.Stmt{call(lit(replEnd))},
			Else: &syntax.IfClause{Then: []*syntax.Stmt{call(lit(replEnd))}},
		}}
		cs.Stmts = []*syntax.Stmt{begin, run}
	}
}

// askReplace asks for what a replacement can make, given the lengths
// (NAME's, then those whose sum is with's), and gives it back at once
// (what is made is seen by the next check).
func (m *memBudget) askReplace(lengths []int64) error {
	var n [2]int64 // NAME's length, with's
	for i, v := range lengths {
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
		return errExpansionTooLarge{m.limit, m.lang}
	}
	return nil
}

// replaceLengths reads the lengths of a memReplace or replBegin.
func replaceLengths(s string) []int64 {
	fields := strings.Fields(s)
	out := make([]int64, 0, len(fields))
	for _, f := range fields[1:] {
		v, _ := strconv.ParseInt(f, 10, 64)
		out = append(out, max(v, 0))
	}
	return out
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
	// A process killed before the builtin has read it all reads no more:
	// the write ends with it.
	stop := context.AfterFunc(p.ctx, func() { _ = w.Close() })
	go func() {
		defer p.mem.release(counted)
		defer stop()
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

// replaced is replEnd: the command substitution that replBegin began, in a
// with, has printed what it prints; ask for the replacement it can make.
func (p *Proc) replaced(hc interp.HandlerContext) error {
	p.mu.Lock()
	lengths, ok := p.replacing[hc.Stdout]
	delete(p.replacing, hc.Stdout)
	p.mu.Unlock()
	if !ok {
		return nil
	}
	if b, isBuilder := hc.Stdout.(*strings.Builder); isBuilder {
		lengths = append(lengths, int64(b.Len()))
	}
	return p.mem.askReplace(lengths)
}

// withMemChecks is the code eval runs, with the checks a script the shell
// parses gets (addMemChecks); src itself when it does not parse, for eval
// to say why.
func withMemChecks(src string) string {
	file, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	if err != nil {
		return src
	}
	addMemChecks(file)
	var b strings.Builder
	if err := syntax.NewPrinter().Print(&b, file); err != nil {
		return src
	}
	return b.String()
}

// sourced is a file source or . reads, with the checks of withMemChecks.
func (p *Proc) sourced(f io.ReadWriteCloser) (io.ReadWriteCloser, error) {
	defer f.Close()
	var c cmdCtx
	c.p = p
	data, err := c.readAll(f)
	defer p.mem.release(c.held)
	if err != nil {
		return nil, err
	}
	return devReader{strings.NewReader(withMemChecks(string(data)))}, nil
}

// varLengths reads the lengths of a memReplaceVars: with's fixed length,
// NAME's value's, those of with's variables, as env holds them.
func varLengths(env expand.Environ, name string) []int64 {
	fields := strings.Fields(name)[1:]
	if len(fields) < 2 {
		return nil
	}
	fixed, _ := strconv.ParseInt(fields[0], 10, 64)
	out := make([]int64, 0, len(fields))
	for _, v := range fields[1:] {
		_, vr := env.Get(v).Resolve(env)
		out = append(out, int64(len(vr.String())))
	}
	return append(out, max(fixed, 0))
}
