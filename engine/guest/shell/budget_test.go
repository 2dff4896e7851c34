package shell

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// A pipeline stage whose reader has gone dies of SIGPIPE at its next
// write (status 141), as in sh: the producer of `producer | head -n1`
// stops instead of spinning until the loop guard kills the container.
func TestSigpipeStopsTheProducer(t *testing.T) {
	tests := []struct{ script, out string }{
		{"while :; do echo y; done | head -n 1; echo status $?", "y\nstatus 0\n"},
		{"set -o pipefail; while :; do echo y; done | head -n 1; echo status $?", "y\nstatus 141\n"},
		{"set -o pipefail; while :; do printf 'a\\nb\\n'; done | head -n 3 | wc -l; echo status $?", "3\nstatus 141\n"},
		{"set -o pipefail; { while :; do echo y; done; } | grep y | head -n 2; echo status $?", "y\ny\nstatus 141\n"},
		{"i=0; while [ $i -lt 10000 ]; do echo line $i; i=$((i+1)); done > /tmp/big; set -o pipefail; cat /tmp/big | head -n 1; echo status $?",
			"line 0\nstatus 141\n"},
		{"f() { while :; do echo $1; done; }; f z | head -n 1; echo after", "z\nafter\n"},
	}
	for _, tt := range tests {
		r := runAll(t, Config{Argv: sh(tt.script), MaxSteps: 200_000})
		if r.code != 0 || r.out != tt.out {
			t.Errorf("%q: exit %d, out %q, err %q; want %q", tt.script, r.code, r.out, r.err, tt.out)
		}
	}
}

// A legitimate loop of 100,000 rounds runs to its end on the default
// budget; a spinning one is still stopped.
func TestStepBudgetAllowsRealWork(t *testing.T) {
	// The wall clock's guard is not what this is about (with -race on a
	// busy machine the loops take long).
	r := runAll(t, Config{Argv: sh("i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; echo $i"), MaxStepTime: time.Hour})
	if r.code != 0 || r.out != "100000\n" {
		t.Fatalf("exit %d, out %q, err %q", r.code, r.out, r.err)
	}
	r = runAll(t, Config{Argv: sh("while :; do :; done"), MaxStepTime: time.Hour})
	if r.code != 137 || r.err != killMessage(DefaultMaxSteps, DefaultStepsPerSecond) {
		t.Fatalf("spinning loop: exit %d, err %q", r.code, r.err)
	}
}

// The budget is earned back by sleeping, at StepsPerSecond: a loop that
// works more than its sleeps earn is stopped, one that sleeps enough runs
// on.
func TestStepBudgetIsEarnedBySleeping(t *testing.T) {
	const work = "i=0; while [ $i -lt 100 ]; do i=$((i+1)); done"
	run := func(sleep string) State {
		var errb strings.Builder
		p := Start(Config{Argv: sh("while :; do " + work + "; sleep " + sleep + "; done"),
			MaxSteps: 1000, StepsPerSecond: 100, Stderr: &errb})
		defer p.Signal(syscall.SIGKILL)
		var st State
		for range 100 {
			if st = p.Step(); st.Exited {
				break
			}
		}
		return st
	}
	if st := run("1"); !st.Exited || st.ExitCode != 137 {
		t.Errorf("300 statements a round, 100 earned a round: %+v, want killed", st)
	}
	if st := run("10"); st.Exited {
		t.Errorf("300 statements a round, 1000 earned a round: %+v, want running", st)
	}
}

// A step stuck where no statement runs (read waits for a line that never
// ends) is stopped on the wall clock, so that the engine goes on.
func TestStepTimeStopsAStuckProcess(t *testing.T) {
	var errb strings.Builder
	p := Start(Config{Argv: sh("while :; do printf %s 0123456789; done | read x; echo after"), MaxSteps: 1 << 40,
		MaxMemory: 1 << 40, MaxStepTime: 500 * time.Millisecond, Stderr: &errb})
	st := p.Step()
	if !st.Exited || st.ExitCode != 137 || errb.String() != "sh: killed: a step took more than 500ms of the engine's time (kubeplay's loop guard)\n" {
		t.Fatalf("%+v %q", st, errb.String())
	}
}
