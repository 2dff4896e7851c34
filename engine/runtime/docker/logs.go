package docker

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/moby/moby/client"
)

// Logs implements runtime.Runtime: stdout and stderr, demultiplexed.
func (r *Runtime) Logs(id string, w io.Writer) error {
	ctx, cancel := call()
	defer cancel()
	return r.StreamLogs(ctx, id, -1, false, w)
}

// followRetries bounds how often a follow is taken up again after the
// daemon's stream broke off with the container still running.
const followRetries = 10

// StreamLogs implements runtime.LogStreamer with the daemon's own follow:
// one stream per follower, read a frame at a time through a small buffer.
// The daemon (20.10) follows a json-file log across its rotations, but
// may send a rotated file's lines again, or break off ("Error grabbing
// logs: no such file or directory") when files turn fast — and when they
// turn several times a second, skip one (a kubeplay container's log turns
// every 10 MiB, as the kubelet's): every frame
// carries its timestamp, so a line older than the last one written is
// dropped, and a broken follow is taken up again from that timestamp.
func (r *Runtime) StreamLogs(ctx context.Context, id string, tail int, follow bool, w io.Writer) error {
	opts := client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Follow: follow, Timestamps: true, Tail: "all"}
	if tail >= 0 {
		opts.Tail = strconv.Itoa(tail)
	}
	// Lines are read and written in batches of up to 32 KiB, the writes
	// flushed whenever no more has come in: a chatty container costs a
	// write per batch, not per line.
	out := bufio.NewWriterSize(w, 32<<10)
	var f frameCopier
	for try := 0; ; try++ {
		rc, err := r.cli.ContainerLogs(ctx, id, opts)
		if err != nil {
			return fmt.Errorf("docker: logs of container %s: %w", short(id), err)
		}
		in := bufio.NewReaderSize(rc, 32<<10)
		err = f.copy(in, out)
		rc.Close()
		if ferr := out.Flush(); err == nil && ferr != nil {
			err = writeError{ferr}
		}
		var werr writeError
		switch {
		case ctx.Err() != nil:
			return nil // the follower left
		case errors.As(err, &werr):
			return werr.err // the writer wants no more: nothing to take up again
		case !follow || f.lastRaw == nil || try == followRetries:
			return err
		case err == nil && !opts.Follow:
			return nil // caught up after the end
		case err == nil:
			// The container ended. The daemon ends the follow then, even
			// when it has not sent the last lines yet: they are read once
			// more, without following.
			opts.Follow = false
		}
		// Take up again where it broke off: the last line comes again,
		// and is dropped as not newer.
		opts.Since, opts.Tail = string(f.lastRaw), "all"
	}
}

// frameCopier writes the messages of a multiplexed log stream (stdcopy's
// frames: an 8-byte header, then one message after its timestamp and a
// space) to out without their timestamps, skipping messages not newer
// than the last one written.
type frameCopier struct {
	lastRaw []byte // the timestamp of the last message written, for Since
	buf     []byte // the start of each message
}

// writeError is the writer's refusal, as opposed to the stream's end.
type writeError struct{ err error }

func (e writeError) Error() string { return e.err.Error() }

// newer says whether ts, a message's timestamp, is after the last one
// written, and makes it the last one if so; ok is false when ts is no
// timestamp. The daemon writes them all in one fixed-width form, so
// bytes compare as times do; another width is parsed.
func (f *frameCopier) newer(ts []byte) (newer, ok bool) {
	last := f.lastRaw
	if last == nil || len(ts) != len(last) || ts[len(ts)-1] != 'Z' || last[len(last)-1] != 'Z' {
		t, err := time.Parse(time.RFC3339Nano, string(ts))
		if err != nil {
			return false, false
		}
		if last != nil {
			if lt, err := time.Parse(time.RFC3339Nano, string(last)); err == nil && !t.After(lt) {
				return false, true
			}
		}
	} else if bytes.Compare(ts, last) <= 0 {
		return false, true
	}
	f.lastRaw = append(f.lastRaw[:0], ts...)
	return true, true
}

// prefixLen is how much of a message is read to find its timestamp:
// RFC3339Nano with a zone offset and the space.
const prefixLen = len("2006-01-02T15:04:05.000000000+00:00 ")

func (f *frameCopier) copy(r *bufio.Reader, out *bufio.Writer) error {
	var header [8]byte
	if f.buf == nil {
		f.buf = make([]byte, prefixLen)
	}
	for {
		if r.Buffered() == 0 {
			// Nothing more has come in: send what was written.
			if err := out.Flush(); err != nil {
				return writeError{err}
			}
		}
		if _, err := io.ReadFull(r, header[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		size := int64(binary.BigEndian.Uint32(header[4:]))
		if header[0] == 3 { // the daemon's own error, as stdcopy reports it
			msg, _ := io.ReadAll(io.LimitReader(r, min(size, 4096)))
			return fmt.Errorf("error from daemon in stream: %s", msg)
		}
		prefix := f.buf[:min(size, int64(prefixLen))]
		if _, err := io.ReadFull(r, prefix); err != nil {
			return err
		}
		rest := size - int64(len(prefix))
		content := prefix
		if i := bytes.IndexByte(prefix, ' '); i > 0 {
			if newer, ok := f.newer(prefix[:i]); ok {
				if !newer {
					if _, err := r.Discard(int(rest)); err != nil {
						return err
					}
					continue
				}
				content = prefix[i+1:]
			}
		}
		if _, err := out.Write(content); err != nil {
			return writeError{err}
		}
		if _, err := io.CopyN(out, r, rest); err != nil {
			if ferr := out.Flush(); ferr != nil {
				return writeError{ferr} // a write error stays in out
			}
			return err
		}
	}
}
