package shell

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// kb1 sets y to a string of 1 KiB.
const kb1 = "y=0123456789abcdef; y=$y$y$y$y; y=$y$y$y$y; y=$y$y$y$y; "

// Scripts that grow without end are OOM-killed at their memory limit,
// whatever grows: a variable (with or without commands in the loop), the
// output a command substitution collects, or a command's buffer. What
// they were seen to hold stays within one round's growth of the limit.
func TestMemoryLimitKills(t *testing.T) {
	const limit = 4 << 20
	for _, script := range []string{
		"x=a; while :; do x=$x$x; done",
		"x=a; for ((;;)); do x=$x$x; done",
		"x=a; while [[ 1 ]]; do x=$x$x; done",
		"x=a; until false; do x=$x$x$x; done",
		"f() { x=$x$x; f; }; x=a; f",
		"a=(x); while :; do a=(${a[@]} ${a[@]}); done",
		"x=a; (while :; do x=$x$x; done) & wait",
		"x=a; while :; do x=$x$x; done | cat",
		kb1 + "x=$(while :; do echo $y; done)",
		kb1 + "while :; do echo $y; done | tail -n 1",
		kb1 + "while :; do printf %s $y; done | grep x",
		kb1 + "while :; do printf %s $y; done | head -n 1",
		kb1 + "while :; do echo $y; done | wc -l",
		kb1 + "while :; do echo $y; done | sh",
		"printf '%1000000000d' 1",
		"printf '%*s' 1000000000 x",
		kb1 + "x=$y; while :; do x=$x$x; done | cat",
	} {
		var errb strings.Builder
		p := Start(Config{Argv: sh(script), MaxMemory: limit, Stderr: &errb})
		st := p.Step()
		if !st.Exited || st.ExitCode != 137 || !st.OOMKilled || !strings.Contains(errb.String(), oomMessage(limit)) {
			t.Errorf("%q: %+v, stderr %.300q", script, st, errb.String())
		}
		// A printf refused what it asked for: it never held it.
		asked := strings.HasPrefix(script, "printf")
		if peak := p.MemoryPeak(); (peak <= limit && !asked) || peak > 3*limit+64<<10 {
			t.Errorf("%q: peak %d, want just over the limit %d", script, peak, limit)
		}
	}
}

// Work within the limit runs to its end, and the limit is the process's
// own: a process killed before leaves nothing the next one pays for
// (issue 13: each kill used to let the next process grow twice as large).
func TestMemoryLimitAllowsWorkAndDoesNotRatchet(t *testing.T) {
	const limit = 4 << 20
	r := runAll(t, Config{Argv: sh(kb1 + "x=$y; while [ ${#x} -lt 2000000 ]; do x=$x$x; done; echo ${#x}; unset x; i=0; while [ $i -lt 2000 ]; do echo $y; i=$((i+1)); done | tail -n 1 | wc -c"),
		MaxMemory: limit})
	if r.code != 0 || r.out != "2097152\n1025\n" {
		t.Fatalf("exit %d, out %q, err %q", r.code, r.out, r.err)
	}
	var peaks []int64
	for range 5 {
		p := Start(Config{Argv: sh("x=a; while :; do x=$x$x; done"), MaxMemory: limit})
		if st := p.Step(); !st.OOMKilled {
			t.Fatalf("not OOM-killed: %+v", st)
		}
		peaks = append(peaks, p.MemoryPeak())
	}
	for _, peak := range peaks[1:] {
		if peak != peaks[0] {
			t.Fatalf("peaks %v: each process must be killed at the same size", peaks)
		}
	}
}

// Processes on one pool share it, as a node's containers share its
// memory: one that grows while the others hold most of it is OOM-killed
// at the pool's size, and an ended process's memory is the pool's again.
func TestMemoryPool(t *testing.T) {
	const limit = 4 << 20
	pool := NewMemPool(3 << 20)
	hold3 := kb1 + "x=$y; while [ ${#x} -lt 2000000 ]; do x=$x$x; done; sleep 3600"
	first := Start(Config{Argv: sh(hold3), MaxMemory: limit, MemPool: pool})
	if st := first.Step(); st.Exited || pool.Used() < 2<<20 {
		t.Fatalf("first: %+v, pool holds %d", st, pool.Used())
	}
	var errb strings.Builder
	second := Start(Config{Argv: sh(hold3), MaxMemory: limit, MemPool: pool, Stderr: &errb})
	if st := second.Step(); !st.OOMKilled || errb.String() != poolOOMMessage(3<<20) {
		t.Fatalf("second: %+v %q", st, errb.String())
	}
	first.Signal(syscall.SIGKILL)
	if pool.Used() != 0 {
		t.Fatalf("the pool holds %d once both ended", pool.Used())
	}
	third := Start(Config{Argv: sh(hold3), MaxMemory: limit, MemPool: pool})
	if st := third.Step(); st.Exited {
		t.Fatalf("third: %+v", st)
	}
	third.Signal(syscall.SIGKILL)
}

// The memory checks in loops are the shell's, not the script's: set -x
// does not show them.
func TestMemoryChecksAreNotTraced(t *testing.T) {
	r := runAll(t, Config{Argv: sh("set -x; for i in 1 2; do echo $i; done; while false; do :; done; x=$RANDOM")})
	want := "+ for i in 1 2\n+ echo 1\n+ for i in 1 2\n+ echo 2\n+ false\n+ x=1807\n" // $RANDOM, seed 0
	if r.code != 0 || r.out != "1\n2\n" || r.err != want {
		t.Fatalf("exit %d, out %q, err %q; want err %q", r.code, r.out, r.err, want)
	}
}

// read and mapfile fill buffers of their own, which the checks between
// commands never see: their input is counted as they read it, and one
// that grows without end is OOM-killed at the limit (it used to grow
// until the loop guard stopped the step).
func TestMemoryLimitCountsReadAndMapfile(t *testing.T) {
	const limit = 32 << 10
	for _, script := range []string{
		"while :; do printf %s 0123456789abcdef; done | read x",
		"while :; do printf %s 0123456789abcdef; done | read -r x",
		kb1 + "while :; do echo $y; done | mapfile a",
		kb1 + "while :; do echo $y; done | readarray -t a",
	} {
		var errb strings.Builder
		p := Start(Config{Argv: sh(script), MaxMemory: limit, MaxStepTime: time.Minute, Stderr: &errb})
		st := p.Step()
		if !st.Exited || !st.OOMKilled || errb.String() != oomMessage(limit) {
			t.Errorf("%q: %+v, stderr %.300q", script, st, errb.String())
		}
		if peak := p.MemoryPeak(); peak > 2*limit+64<<10 {
			t.Errorf("%q: peak %d, want about the limit %d", script, peak, limit)
		}
	}
}

// Counting what read and mapfile read changes nothing of what they do.
func TestReadAndMapfileUnderABudget(t *testing.T) {
	for _, script := range []string{
		`printf 'a b\\\nc d\ne f\n' | { read x y; read z; echo "$x|$y|$z"; }`,
		`printf 'a\\\nb\n' | { read -r x; echo "$x"; }`,
		`printf 'no newline' | { read x; echo "$? $x"; }`,
		`printf 'one\ntwo\n' > /tmp/f; while read l; do echo "<$l>"; done < /tmp/f`,
		`printf 'one\ntwo\n' | { mapfile -t a; echo "${#a[@]} ${a[1]}"; }`,
		`printf 'x y z\n' | { read -a w; echo "${w[2]}"; }`,
		`read x <<EOF
here
EOF
echo "$x"`,
		`read x < /dev/null; echo "$? [$x]"`,
	} {
		want := runAll(t, Config{Argv: sh(script)})
		got := runAll(t, Config{Argv: sh(script), MaxMemory: 1 << 20})
		if got.code != want.code || got.out != want.out || got.err != want.err || want.out == "" {
			t.Errorf("%q: with a budget %+v, without %+v", script, got, want)
		}
	}
}

// One replacement can square a string, and no check after it is made
// could stop it: it asks the budget first, and is OOM-killed instead of
// made (${x//?/$x} of a 64 KiB x used to make 4 GiB at once). Smaller
// ones, and those with nothing to multiply, are made as ever.
func TestReplacementIsBoundedBeforeItIsMade(t *testing.T) {
	const limit = 1 << 20
	x := kb1 + "x=$y$y$y$y; " // 4 KiB
	for _, script := range []string{
		x + "z=${x//?/$x}",                          // 16 MiB
		x + `echo "${x//?/"<$x>"}"`,                 // in quotes
		x + "f() { echo ${1//[0-9a-f]/$1}; }; f $x", // a parameter
		x + "w=ab; z=${x//?/'12345678'$w$x$w}",
		x + "z=${x//?/${u:-$x}}",                   // a default value
		x + `z="${x//?/"${x:+<$x>}"}"`,             // an alternative value
		x + "z=${x//?/${u:=$(echo $x)}}",           // a command in a default
		x + "f() { echo ${1//?/${u:-$1}}; }; f $x", // a default, for a parameter
	} {
		var errb strings.Builder
		p := Start(Config{Argv: sh(script), MaxMemory: limit, Stderr: &errb})
		st := p.Step()
		if !st.Exited || !st.OOMKilled || errb.String() != oomMessage(limit) {
			t.Errorf("%q: %+v, stderr %.300q", script, st, errb.String())
		}
		if peak := p.MemoryPeak(); peak > limit {
			t.Errorf("%q: peak %d, over the limit %d: the string was made", script, peak, limit)
		}
	}
	r := runAll(t, Config{Argv: sh(`x=abc; y=-; echo "${x//?/$y}" ${x//b/"<$x>"} ${x/?/$x$x} ${x//?/$(echo 1)}`), MaxMemory: limit})
	if r.code != 0 || r.out != "--- a<abc>c abcabcbc 111\n" {
		t.Fatalf("small replacements: exit %d, out %q, err %q", r.code, r.out, r.err)
	}
	r = runAll(t, Config{Argv: sh(`x=abc; echo ${x//b/${u:-<$x>}} ${x//b/${x:+Y}} ${x//?/${x#a}} ${x//b/${u=1}}$u`), MaxMemory: limit})
	if r.code != 0 || r.out != "a<abc>c aYc bcbcbc a1c1\n" {
		t.Fatalf("small replacements with ${y:-…}: exit %d, out %q, err %q", r.code, r.out, r.err)
	}
}
