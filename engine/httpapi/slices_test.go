package httpapi

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"
)

// heldWriter is a response whose writes wait until the test lets them
// through, and which counts how many are under way at once.
type heldWriter struct {
	mu            sync.Mutex
	now, most     int
	got           bytes.Buffer
	entered, pass chan struct{}
}

func (h *heldWriter) Write(p []byte) (int, error) {
	h.mu.Lock()
	h.now++
	h.most = max(h.most, h.now)
	h.mu.Unlock()
	h.entered <- struct{}{}
	<-h.pass
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now--
	h.got.Write(p)
	return len(p), nil
}

// TestStreamsWriteASliceAtATime: however many streams have something to
// write, no more slices are written at once than the gate has places,
// and each stream's bytes all arrive, in order, in slices.
func TestStreamsWriteASliceAtATime(t *testing.T) {
	gate := sliceGate{places: make(chan struct{}, 1), stall: time.Hour}
	const streams = 8
	event := bytes.Repeat([]byte("0123456789abcdef"), 3*streamSlice/16+1) // 3 slices and a bit
	out := &heldWriter{entered: make(chan struct{}), pass: make(chan struct{})}
	var wg sync.WaitGroup
	for range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sw := gate.writer(context.Background(), out)
			defer sw.close()
			if n, err := sw.Write(event); n != len(event) || err != nil {
				t.Errorf("wrote %d of %d: %v", n, len(event), err)
			}
		}()
	}
	for range streams * 4 { // each write, one after the other
		<-out.entered
		out.pass <- struct{}{}
	}
	wg.Wait()
	if out.most != 1 || out.got.Len() != streams*len(event) {
		t.Fatalf("%d slices written at once (the gate has 1 place); %d bytes of %d arrived", out.most, out.got.Len(), streams*len(event))
	}
}

// TestAStalledStreamGivesItsPlaceUp: a client that stops reading holds
// its own stream up, not the others'.
func TestAStalledStreamGivesItsPlaceUp(t *testing.T) {
	gate := sliceGate{places: make(chan struct{}, 1), stall: time.Millisecond}
	stuck := &heldWriter{entered: make(chan struct{}, 1), pass: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stuckDone := make(chan struct{})
	go func() {
		defer close(stuckDone)
		sw := gate.writer(ctx, stuck)
		defer sw.close()
		_, _ = sw.Write([]byte("never read"))
	}()
	<-stuck.entered // it holds the only place, and never gets on
	var other bytes.Buffer
	sw := gate.writer(ctx, &other)
	defer sw.close()
	if _, err := sw.Write([]byte("line\n")); err != nil || other.String() != "line\n" {
		t.Fatalf("the other stream wrote %q: %v", other.String(), err)
	}
	close(stuck.pass)
	<-stuckDone
}
