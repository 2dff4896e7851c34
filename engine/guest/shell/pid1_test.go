package shell

import (
	"io"
	"syscall"
	"testing"
)

func TestPID1IgnoresSignalsItDoesNotTrap(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script string
		pid1   bool
		sig    syscall.Signal
		exited bool
		code   int
	}{
		{"plain sh ends on SIGTERM", "sleep 600", false, syscall.SIGTERM, true, 143},
		{"PID 1 ignores SIGTERM", "sleep 600", true, syscall.SIGTERM, false, 0},
		{"PID 1 still dies of SIGKILL", "sleep 600", true, syscall.SIGKILL, true, 137},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Start(Config{Argv: []string{"sh", "-c", tc.script}, PID1: tc.pid1, Stdout: io.Discard, Stderr: io.Discard})
			if st := p.Step(); st.Exited {
				t.Fatalf("exited before the signal: %+v", st)
			}
			st := p.Signal(tc.sig)
			if st.Exited != tc.exited || (tc.exited && st.ExitCode != tc.code) {
				t.Fatalf("after %v: %+v, want exited=%v code %d", tc.sig, st, tc.exited, tc.code)
			}
			p.Signal(syscall.SIGKILL)
		})
	}
	// A trap makes PID 1 hear SIGTERM: the usual fix for slow shutdowns.
	p := Start(Config{Argv: []string{"sh", "-c", "trap 'exit 0' TERM; sleep 600"}, PID1: true, Stdout: io.Discard, Stderr: io.Discard})
	p.Step()
	st := p.Signal(syscall.SIGTERM)
	if !st.Exited {
		st = p.Step()
	}
	if !st.Exited || st.ExitCode != 0 {
		t.Fatalf("trapped SIGTERM on PID 1: %+v, want exit 0", st)
	}
}
