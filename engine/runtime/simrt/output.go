package simrt

import (
	"bytes"
	"fmt"
)

// Bounds of what the simulated runtime keeps of a container's output, in
// the engine's memory.
const (
	// LogMax is how much of a container's log is kept: like the kubelet,
	// which rotates a container's log at 10 MiB, the runtime keeps the
	// latest output and drops the oldest.
	LogMax = 10 << 20
	// ExecOutputMax is how much of an exec's output is kept: a real exec
	// streams its output, the simulated one collects it until the command
	// ends.
	ExecOutputMax = 16 << 20
)

// rotatingLog is a container's log: at most LogMax bytes, the latest.
type rotatingLog struct{ buf []byte }

func (l *rotatingLog) Write(p []byte) (int, error) {
	if len(p) >= LogMax {
		l.buf = append(l.buf[:0], p[len(p)-LogMax/2:]...)
		return len(p), nil
	}
	if len(l.buf)+len(p) > LogMax {
		// Rotate: keep the newer half, from a line's start.
		keep := l.buf[len(l.buf)-LogMax/2:]
		if i := bytes.IndexByte(keep, '\n'); i >= 0 {
			keep = keep[i+1:]
		}
		l.buf = append(make([]byte, 0, LogMax), keep...)
	}
	l.buf = append(l.buf, p...)
	return len(p), nil
}

// Bytes is the log as kept.
func (l *rotatingLog) Bytes() []byte { return l.buf }

// execOutput collects an exec's output up to ExecOutputMax; past it the
// rest is dropped and a line says so.
type execOutput struct {
	buf     bytes.Buffer
	dropped int64
}

func (o *execOutput) Write(p []byte) (int, error) {
	if room := ExecOutputMax - o.buf.Len(); len(p) > room {
		o.dropped += int64(len(p) - room)
		o.buf.Write(p[:room])
		return len(p), nil
	}
	return o.buf.Write(p)
}

// Bytes is the output kept, with a last line when some was dropped.
func (o *execOutput) Bytes() []byte {
	if o.dropped > 0 {
		fmt.Fprintf(&o.buf, "\nkubeplay: the simulated runtime kept the first %d MiB of this command's output and dropped %d bytes\n",
			ExecOutputMax>>20, o.dropped)
		o.dropped = 0
	}
	return o.buf.Bytes()
}
