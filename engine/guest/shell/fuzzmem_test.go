package shell

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"mvdan.cc/sh/v3/syntax"
)

// FuzzMemoryBudget runs random container scripts with a byte budget: what
// a process holds (as its budget counts it, summed over its shells:
// background jobs, pipeline stages, eval's and source's code) may pass the
// budget only by what one statement can make before the next check, which
// is at most one copy of the budget for each expansion and each shell in
// the script; what its file system holds never passes its quota.
func FuzzMemoryBudget(f *testing.F) {
	for _, s := range []string{
		"x=a; while :; do x=$x$x; done",
		"x=a; for ((;;)); do x=$x$x; done",
		"f() { x=$x$x; f; }; x=a; f",
		"x=a; (while :; do x=$x$x; done) & wait",
		"a=(x); while :; do a=(${a[@]} ${a[@]}); done",
		kb1 + "x=$(while :; do echo $y; done)",
		kb1 + "while :; do echo $y; done | tail -n 1",
		kb1 + "while :; do printf %s $y; done | grep x",
		kb1 + "while :; do printf %s $y; done | head -n 1",
		kb1 + "while :; do echo $y; done | sh",
		kb1 + "while :; do echo $y >> /tmp/f || break; done; cat /tmp/f /tmp/f > /tmp/g",
		"echo 0123456789abcdef > /a; while :; do cat /a /a > /b || exit 1; cat /b /b > /a || exit 2; done",
		"while :; do echo y; done | head -n1",
		"i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done",
		"i=0; while touch /tmp/f$i; do i=$((i+1)); done",
		"x=a; while :; do x=$x$x; sleep 1; done",
		"read x < /dev/zero; mapfile a < /dev/zero",
		"x=ab; while :; do x=${x//?/$x}; done",
		"while :; do printf %s 0123456789; done | read x",
		"for i in 1 2 3; do (x=a; while :; do x=$x$x; sleep 1; done) & done; wait",
		"x=a; while :; do x=$x$x; done | cat & wait",
		"x=ab; (while :; do x=$x$x; done) | (while :; do x=$x$x; done)",
		"x=a; sh -c 'x=a; while :; do x=$x$x; done' & while :; do x=$x$x; sleep 1; done",
		"eval 'x=a; while :; do x=$x$x; done'",
		"eval 'for i in 1 2; do (x=a; while :; do x=$x$x; done) & done'; wait",
		"while :; do printf %s 0123456789; done | eval 'read x'",
		"echo 'read x; mapfile a' > /s; while :; do printf %s 0123456789; done | . /s",
		"echo 'x=a; while :; do x=$x$x; done' > /s; source /s & . /s",
		"x=ab; while :; do x=${x//?/$(echo $x)}; done",
		"x=ab; while :; do x=${x//?/${u:-$x}}; done",
		"x=ab; y=$(false)${x//b/c}; echo $?",
	} {
		f.Add(s, uint8(4))
	}
	f.Fuzz(func(t *testing.T, script string, steps uint8) {
		const budget, quota = 1 << 20, 1 << 20
		fsys := NewMemFS()
		fsys.SetQuota(quota+fsys.Used(), nil)
		var out countingWriter
		p := Start(Config{Argv: sh(script), FS: fsys, Stdout: &out, Stderr: &out, MaxSteps: 20000, MaxMemory: budget, Net: fakeNet{}})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for range int(steps % 8) {
				if p.Step().Exited {
					return
				}
			}
			p.Signal(syscall.SIGKILL)
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("hung on %q", script)
		}
		if bound := int64(expansions(script)+2)*budget + 64<<10; p.MemoryPeak() > bound {
			t.Errorf("%q held %d bytes, more than %d (budget %d)", script, p.MemoryPeak(), bound, budget)
		}
		if used := fsys.Used(); used > quota+NewMemFS().Used() {
			t.Errorf("%q left %d bytes in a file system of %d", script, used, quota)
		}
	})
}

// expansions counts the parameter expansions and command substitutions
// of a script, each of which can copy at most what the budget allows, and
// its shells (background jobs, pipeline stages, eval's and source's code),
// each of which can make one round's growth after its last check.
func expansions(script string) int {
	file, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(script), "")
	if err != nil {
		return 0
	}
	n := 0
	syntax.Walk(file, func(node syntax.Node) bool {
		switch node := node.(type) {
		case *syntax.ParamExp, *syntax.CmdSubst:
			n++
		case *syntax.Stmt:
			if node.Background {
				n++
			}
		case *syntax.BinaryCmd:
			if node.Op == syntax.Pipe || node.Op == syntax.PipeAll {
				n++
			}
		case *syntax.CallExpr:
			if len(node.Args) == 0 {
				break
			}
			switch node.Args[0].Lit() {
			case "eval", "source", ".", "sh", "bash":
				// Its code runs in the shell's sight too: what it holds
				// once more, and its own expansions and shells.
				n += 2
				for _, arg := range node.Args[1:] {
					for _, part := range arg.Parts {
						if q, ok := part.(*syntax.SglQuoted); ok {
							n += expansions(q.Value)
						}
					}
				}
			}
		}
		return true
	})
	return n
}

// countingWriter drops what it is given and counts it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(b []byte) (int, error) {
	w.n += int64(len(b))
	return len(b), nil
}
