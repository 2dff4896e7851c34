package shell

import (
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/kubeplay/kubeplay/engine/bilingual"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// grow2m grows x to 2 MiB (after kb1).
const grow2m = "x=$y; while [ ${#x} -lt 2000000 ]; do x=$x$x; done; "

// Every shell of a process draws from its one budget, as every process
// of a container does from its cgroup: background jobs, pipeline stages
// and nested shells that each hold half the limit are OOM-killed
// together (each used to be measured alone, so any number of them could
// each grow to the limit).
func TestShellsShareTheBudget(t *testing.T) {
	const limit = 4 << 20
	// hold keeps what the shell holds: sleeping wakes it in virtual
	// time, and a shell that ended would give it back.
	const hold = "while :; do sleep 1; done"
	for _, script := range []string{
		kb1 + "for i in 1 2 3 4; do (" + grow2m + hold + ") & done; wait",
		kb1 + "(" + grow2m + hold + ") | (" + grow2m + hold + ")",
		kb1 + "eval '(" + grow2m + hold + ") &'; " + grow2m + hold,
		kb1 + grow2m + "sh -c '" + kb1 + grow2m + hold + "'",
		kb1 + grow2m + "echo '" + kb1 + grow2m + hold + "' | sh",
	} {
		var errb strings.Builder
		p := Start(Config{Argv: sh(script), MaxMemory: limit, Stderr: &errb})
		// The shells run side by side, as the goroutines they are: step
		// until the slowest has grown too.
		var st State
		for start := time.Now(); time.Since(start) < 20*time.Second; {
			if st = p.Step(); st.Exited {
				break
			}
		}
		if !st.Exited || st.ExitCode != 137 || !st.OOMKilled || !strings.Contains(errb.String(), oomMessage(limit)) {
			t.Errorf("%q: %+v, stderr %.300q", script, st, errb.String())
		}
		p.Signal(syscall.SIGKILL)
	}
}

// A shell's share is given back when it ends, however it ends, and a
// string a job inherits is counted once, as a fork shares its parent's
// memory: none of these holds more than the limit at once.
func TestShellsGiveBackWhatTheyHeld(t *testing.T) {
	const limit = 4 << 20
	for _, tt := range []struct{ script, out string }{
		{kb1 + "for i in 1 2 3 4 5 6; do (" + grow2m + ") & wait; done; echo ok", "ok\n"},
		{kb1 + "for i in 1 2 3 4 5 6; do (" + grow2m + "exit 3) & wait $!; echo $?; done | tail -n 1", "3\n"},
		{kb1 + "set -e; for i in 1 2 3 4 5 6; do { " + grow2m + "false; } & wait $! || echo $?; done | tail -n 1", "1\n"},
		{kb1 + "for i in 1 2 3 4 5 6; do " + grow2m + "echo ${#x} | cat; unset x; done | tail -n 1", "2097152\n"},
		{kb1 + "for i in 1 2 3 4 5 6; do sh -c '" + kb1 + grow2m + "'; done; echo ok", "ok\n"},
		{kb1 + grow2m + "x=$x$y; for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; wait; echo ${#x} | cat", "2098176\n"},
	} {
		r := runAll(t, Config{Argv: sh(tt.script), MaxMemory: limit})
		if r.code != 0 || r.out != tt.out {
			t.Errorf("%q: exit %d, out %q, err %.300q", tt.script, r.code, r.out, r.err)
		}
	}
}

// Jobs keep what they do with the marks that say when they end: their
// status, $!, set -x's trace (which does not show the marks). The trace
// is compared line by line in any order: a background job's lines and
// the shell's own come in the order the goroutines run, as a real
// shell's jobs' do (under -race, "+ wait g1" came before "+ exit 2" in
// one run and after it in the other).
func TestJobMarksChangeNothing(t *testing.T) {
	for _, script := range []string{
		"(exit 3) & wait $!; echo $?",
		"false & wait $!; echo $?; ! true & wait $!; echo $?",
		"{ echo a; exit 4; echo b; } & wait $!; echo $?",
		"set -o pipefail; (exit 5) | cat; echo $?",
		"set -x; (exit 2) & wait $!; echo $?",
		"x=1; (x=2) & wait; echo $x",
		"echo a | { read v; echo $v; }",
		"set -e; false | true; echo ok",
	} {
		want := runAll(t, Config{Argv: sh(script), MaxMemory: -1, RealTime: true})
		got := runAll(t, Config{Argv: sh(script), MaxMemory: 1 << 20})
		if got.code != want.code || got.out != want.out || !slices.Equal(sortedLines(got.err), sortedLines(want.err)) {
			t.Errorf("%q: with a budget %+v, without %+v", script, got, want)
		}
	}
}

// sortedLines are s's lines in sorted order.
func sortedLines(s string) []string {
	lines := strings.Split(s, "\n")
	slices.Sort(lines)
	return lines
}

// shellOf tells apart the shells of a process as the interpreter makes
// them: it reads the interpreter's unexported environment, so an upgrade
// that changes it fails here rather than leaving every shell one.
func TestShellOfTellsShells(t *testing.T) {
	var mu sync.Mutex
	shells := map[string]unsafe.Pointer{}
	r, err := interp.New(interp.Env(&procEnv{Environ: expand.ListEnviron()}),
		interp.StdIO(nil, io.Discard, io.Discard),
		interp.CallHandler(func(ctx context.Context, args []string) ([]string, error) {
			mu.Lock()
			shells[args[0]] = shellOf(interp.HandlerCtx(ctx).Env)
			mu.Unlock()
			return args, nil
		}),
		interp.ExecHandlers(func(interp.ExecHandlerFunc) interp.ExecHandlerFunc {
			return func(context.Context, []string) error { return nil }
		}))
	if err != nil {
		t.Fatal(err)
	}
	file, err := syntax.NewParser().Parse(strings.NewReader("a; (b); c | d; e & wait; f() { g; }; f; x=$(h); i & j & wait"), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Run(context.Background(), file); err != nil {
		t.Fatal(err)
	}
	main := shells["a"]
	for _, name := range []string{"b", "d", "g", "h"} { // they run while the script's shell waits: its own
		if shells[name] != main || main == nil {
			t.Errorf("%s ran in %p, the script's shell is %p", name, shells[name], main)
		}
	}
	others := map[unsafe.Pointer]bool{main: true}
	for _, name := range []string{"c", "e", "i", "j"} { // a pipeline stage, background jobs: shells of their own
		if others[shells[name]] || shells[name] == nil {
			t.Errorf("%s ran in %p, not a shell of its own", name, shells[name])
		}
		others[shells[name]] = true
	}
}

// read in the code eval and source run is counted as in the script's own
// (it used to fill its buffer out of the budget's sight), and so is a
// replacement whose with runs a command, before the replacement is made.
func TestEvalSourceAndCommandReplacementsAreBounded(t *testing.T) {
	const limit = 1 << 20
	endless := "while :; do printf %s 0123456789abcdef; done | "
	x := kb1 + "x=$y$y$y$y; " // 4 KiB
	for _, tt := range []struct {
		script string
		limit  int64
	}{
		{endless + "eval 'read x'", 32 << 10},
		{endless + "eval 'mapfile a'", 32 << 10},
		{"echo 'read x' > /s; " + endless + ". /s", 32 << 10},
		{"echo 'eval \"read -r x\"' > /s; " + endless + "source /s", 32 << 10},
		{x + "z=${x//?/$(echo $x)}", limit},              // 16 MiB
		{x + `z="${x//?/"<$(printf %s "$x")>"}"`, limit}, // in quotes
		{x + "z=${x//?/$(echo $x; exit 3)}", limit},      // an exit in with
		{x + "eval 'z=${x//?/$x}'", limit},               // in eval
	} {
		var errb strings.Builder
		p := Start(Config{Argv: sh(tt.script), MaxMemory: tt.limit, MaxStepTime: time.Minute, Stderr: &errb})
		st := p.Step()
		if !st.Exited || !st.OOMKilled || errb.String() != oomMessage(tt.limit) {
			t.Errorf("%q: %+v, stderr %.300q", tt.script, st, errb.String())
		}
		if peak := p.MemoryPeak(); peak > 2*tt.limit+64<<10 {
			t.Errorf("%q: peak %d, want about the limit %d", tt.script, peak, tt.limit)
		}
	}
	for _, tt := range []struct{ script, out string }{
		{`p=/a/b/c; echo ${p//\//$(echo -)} ${p//[ab]/"$(echo 1; false)"} $?`, "-a-b-c /1/1/c 0\n"},
		{`x=abc; y=${x//b/$(false)}; echo $?; y=${x//b/$(exit 4)}; echo $?`, "1\n4\n"},
		{`printf 'a b\n' | eval 'read u v; echo "$v $u"'`, "b a\n"},
		{`printf 'f() { echo "in f $1"; }\n' > /lib.sh; . /lib.sh; f 1; eval 'f 2 & wait'`, "in f 1\nin f 2\n"},
		{`eval 'for i in 1 2; do echo $i; done | tail -n 1'`, "2\n"},
	} {
		r := runAll(t, Config{Argv: sh(tt.script), MaxMemory: limit})
		if r.code != 0 || r.out != tt.out {
			t.Errorf("%q: exit %d, out %q, err %.300q; want %q", tt.script, r.code, r.out, r.err, tt.out)
		}
	}
}

// The check before a replacement leaves $? as it was: an assignment's
// status is its last command substitution's, as in bash (issue 13: the
// check ran last and said 0).
func TestReplacementCheckKeepsTheStatus(t *testing.T) {
	r := runAll(t, Config{Argv: sh(`x=abc; y=$(false)${x//b/c}; echo $?; w=-; y=$(exit 3)${x//?/"$w"}; echo $? $y; eval 'y=$(false)${x//b/c}'; echo $?`), MaxMemory: 1 << 20})
	if r.code != 0 || r.out != "1\n3 ---\n1\n" {
		t.Fatalf("exit %d, out %q, err %q", r.code, r.out, r.err)
	}
}

// The processes of one container share its memory, as a cgroup's do: an
// exec'd process that grows while the main one holds most of the limit is
// OOM-killed (the main one goes on), and what an ended process held is
// the container's again.
func TestProcessesOfAContainerShareItsMemory(t *testing.T) {
	const limit = 4 << 20
	pool := NewMemPool(64 << 20)
	mem := NewMemory(limit, pool)
	main := Start(Config{Argv: sh(kb1 + grow2m + "x=$x$y; while :; do sleep 1; done"), Memory: mem})
	if st := main.Step(); st.Exited {
		t.Fatalf("main: %+v", st)
	}
	var errb strings.Builder
	code, _ := Exec(Config{Argv: sh(kb1 + grow2m + "echo grown"), Memory: mem, Stderr: &errb}, time.Minute)
	if code != 137 || errb.String() != oomMessage(limit) {
		t.Errorf("exec beside a main process holding 2 MiB: exit %d, %q; want OOM-killed", code, errb.String())
	}
	var out strings.Builder
	if code, _ := Exec(Config{Argv: sh(kb1 + "x=$y$y$y$y; x=$x$x$x$x; echo ${#x}"), Memory: mem, Stdout: &out}, time.Minute); code != 0 || out.String() != "16384\n" {
		t.Errorf("a small exec after it: exit %d, %q", code, out.String())
	}
	if st := main.Step(); st.Exited {
		t.Errorf("main was killed too: %+v", st)
	}
	// A replacement refused before it is made says the limit ran out (not
	// the node's pool: it never reached it), and an exec killed while read
	// holds its line gives it back.
	before := pool.Used()
	errb.Reset()
	if code, _ := Exec(Config{Argv: sh("x=ab; while :; do x=${x//?/$(echo $x)}; done"), Memory: mem, Stderr: &errb}, time.Minute); code != 137 || errb.String() != oomMessage(limit) {
		t.Errorf("a growing replacement: exit %d, %q", code, errb.String())
	}
	if code, _ := Exec(Config{Argv: sh("while :; do printf %s 0123456789abcdef; done | read x"), Memory: mem, MaxSteps: 20000}, time.Minute); code != 137 {
		t.Errorf("an endless read stopped by the loop guard: exit %d", code)
	}
	if used := pool.Used(); used != before {
		t.Errorf("the pool holds %d after the execs ended, %d before", used, before)
	}
	if used := pool.Used(); used < 2<<20 || used > 3<<20 {
		t.Errorf("the pool holds %d, want the main process's 2 MiB", used)
	}
	main.Signal(syscall.SIGKILL)
	if used := pool.Used(); used != 0 {
		t.Errorf("the pool holds %d once every process ended", used)
	}
}

// The kill's message says what a learner must understand: the limit is
// the container's and its processes count together, so an exec'd process
// may be killed for what the main one holds. In the learner's language.
func TestOOMMessageNamesTheContainersProcessesTogether(t *testing.T) {
	const limit = 4 << 20
	for _, tt := range []struct {
		lang bilingual.Lang
		want string
	}{
		{bilingual.English, "sh: killed: out of memory (the processes of this container held more than 4 MiB together, the container's memory limit)\n"},
		{bilingual.Korean, "sh: killed: 메모리 부족 (이 컨테이너의 프로세스들이 합쳐서 4 MiB보다 많이 썼어요. 컨테이너의 메모리 한도예요)\n"},
	} {
		mem := NewMemory(limit, nil)
		main := Start(Config{Argv: sh(kb1 + grow2m + "x=$x$y; while :; do sleep 1; done"), Memory: mem, Lang: tt.lang})
		if st := main.Step(); st.Exited {
			t.Fatalf("main: %+v", st)
		}
		for _, script := range []string{kb1 + grow2m + "echo grown", "x=ab; while :; do x=${x//?/$x}; done"} {
			var errb strings.Builder
			code, _ := Exec(Config{Argv: sh(script), Memory: mem, Stderr: &errb, Lang: tt.lang}, time.Minute)
			if code != 137 || errb.String() != tt.want {
				t.Errorf("%s, %q: exit %d, %q; want %q", tt.lang, script, code, errb.String(), tt.want)
			}
		}
		main.Signal(syscall.SIGKILL)
	}
}
