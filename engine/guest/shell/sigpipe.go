package shell

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"mvdan.cc/sh/v3/interp"
)

// A pipeline stage whose reader has gone (`producer | head -n1` once head
// has its line) is killed by SIGPIPE at its next write, as in a real
// shell: exit status 141, no message. The interpreter's pipes are real
// pipes, so a write to one gets EPIPE; these helpers turn that into the
// signal's effect.

// sigpipeStatus is the status of a process SIGPIPE killed.
const sigpipeStatus = 128 + int(syscall.SIGPIPE)

// writingBuiltins are the interpreter's builtins that write to stdout:
// the shell itself dies when one of them meets a broken pipe.
var writingBuiltins = map[string]bool{"echo": true, "printf": true, "pwd": true}

// brokenPipe reports whether w is a pipe whose reading end is closed.
func brokenPipe(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	return readerGone(f)
}

// pipeOut is a command's stdout: it remembers a write that met a broken
// pipe, so that the command ends as SIGPIPE would end it, or a full disk,
// which fails the command with busybox's message on stderr.
type pipeOut struct {
	w      io.Writer
	name   string    // the command, for its message
	stderr io.Writer // where the message goes
	broken bool
	full   bool
}

var errBrokenPipe = syscall.EPIPE

func (p *pipeOut) Write(b []byte) (int, error) {
	if p.broken {
		return 0, errBrokenPipe
	}
	n, err := p.w.Write(b)
	p.broken = p.broken || errors.Is(err, syscall.EPIPE)
	if errors.Is(err, ErrNoSpace) && !p.full {
		p.full = true
		fmt.Fprintf(p.stderr, "%s: write error: %s\n", p.name, errText(err))
	}
	return n, err
}

// status is the status of a command whose output met a broken
// pipe, whatever it returned.
func (p *pipeOut) status(err error) error {
	switch {
	case p.broken:
		return interp.ExitStatus(sigpipeStatus)
	case p.full && err == nil:
		return interp.ExitStatus(1)
	}
	return err
}
