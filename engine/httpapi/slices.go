package httpapi

import (
	"context"
	"io"
	"runtime"
	"sync"
	"time"
)

// Streams (watches, followed logs) write in slices, a few at a time: at
// most one slice per core but one is written at once, so that a core is
// left to everything else. 5,000 watchers writing a 1 MiB change each
// keep two cores busy for many seconds, and Go's scheduler runs runnable
// goroutines in turn: a `kubectl get` (its connection's goroutine, its
// handler, the kernel's) queued behind thousands of writers once for
// each goroutine it passes through, and took up to 41 s. A writer
// waiting for its turn is parked, not runnable: the rest of the API
// waits behind at most a slice per core.
//
// A client that stops reading (a kubectl stopped with ^Z) must not hold
// a place for ever: a slice not written within the gate's stall time
// gives its place up, and finishes on its own when it can.
const (
	streamSlice = 32 << 10
	sliceStall  = 10 * time.Millisecond
)

// sliceGate holds the places of the slices being written.
type sliceGate struct {
	places chan struct{}
	stall  time.Duration
}

func newSliceGate() sliceGate {
	return sliceGate{places: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1)), stall: sliceStall}
}

// sliceWriter is one stream's way through the gate.
type sliceWriter struct {
	gate  sliceGate
	ctx   context.Context
	w     io.Writer
	stall *time.Timer // gives up the place of a slice that stalls

	mu    sync.Mutex
	held  bool      // a place in the gate
	since time.Time // when it was taken
}

// writer is a stream's writer to w, until ctx is done; close it once
// the stream ends.
func (g sliceGate) writer(ctx context.Context, w io.Writer) *sliceWriter {
	sw := &sliceWriter{gate: g, ctx: ctx, w: w}
	sw.stall = time.AfterFunc(time.Hour, sw.stalled)
	sw.stall.Stop()
	return sw
}

// Write writes p slice by slice, each once it has a place.
func (sw *sliceWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		select {
		case sw.gate.places <- struct{}{}:
		case <-sw.ctx.Done():
			return written, sw.ctx.Err()
		}
		sw.mu.Lock()
		sw.held, sw.since = true, time.Now()
		sw.mu.Unlock()
		sw.stall.Reset(sw.gate.stall)
		n, err := sw.w.Write(p[:min(len(p), streamSlice)])
		sw.stall.Stop()
		sw.release()
		written += n
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}

// stalled gives up the place of a slice that is taking too long; the
// timer of an earlier slice, late, leaves a new one alone.
func (sw *sliceWriter) stalled() {
	sw.mu.Lock()
	giveUp := sw.held && time.Since(sw.since) >= sw.gate.stall
	sw.held = sw.held && !giveUp
	sw.mu.Unlock()
	if giveUp {
		<-sw.gate.places
	}
}

func (sw *sliceWriter) release() {
	sw.mu.Lock()
	held := sw.held
	sw.held = false
	sw.mu.Unlock()
	if held {
		<-sw.gate.places
	}
}

// close stops the stall timer.
func (sw *sliceWriter) close() { sw.stall.Stop() }
