package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
)

// TestSignalUndoesAndExits: a signal while the shell runs (it does not
// wind down) restores the terminal, undoes what was started and exits
// 128+n at once.
func TestSignalUndoesAndExits(t *testing.T) {
	h, codes, undone, _ := signalledHouse(t, syscall.SIGHUP, false)
	defer h.close()
	select {
	case code := <-codes:
		if code != 129 {
			t.Errorf("exit %d, want 129 (128+SIGHUP)", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no exit after SIGHUP")
	}
	if !undone.Load() {
		t.Error("exited without undoing what was started")
	}
}

// TestSignalLetsTheTUIEnd: a signal while the TUI runs ends the house's
// context, the TUI's, and leaves the TUI to end by itself — it gives the
// terminal back and stops its clusters — before anything else is undone;
// run then returns the signal's code.
func TestSignalLetsTheTUIEnd(t *testing.T) {
	h, exited, undone, tuiEnded := signalledHouse(t, syscall.SIGTERM, true)
	defer h.close()
	select {
	case <-h.ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not end the context")
	}
	if err := context.Cause(h.ctx); err == nil || err.Error() != "stopped by terminated" {
		t.Errorf("cause %v, want stopped by terminated", err)
	}
	tuiEnded()
	select {
	case code := <-exited:
		t.Errorf("exited %d under the TUI's run", code)
	case <-time.After(100 * time.Millisecond):
	}
	if undone.Load() {
		t.Error("undone under the TUI, which was ending by itself")
	}
	if code, ok := h.stoppedBy(); !ok || code != 143 {
		t.Errorf("stoppedBy = %d, %v; want 143, true (what run returns then)", code, ok)
	}
}

// signalledHouse is a house whose exit a test hears, with something to
// undo (undone says whether it was) and, when tui, a TUI running, which
// tuiEnded says has ended; then sig comes.
func signalledHouse(t *testing.T, sig syscall.Signal, tui bool) (h *house, exited chan int, undone *atomic.Bool, tuiEnded func()) {
	t.Helper()
	h = newHouse()
	exited = make(chan int, 1)
	h.exit = func(code int) { exited <- code }
	undone = new(atomic.Bool)
	h.exits.Add(func() { undone.Store(true) })
	if tui {
		tuiEnded = h.windsDown()
	}
	if err := syscall.Kill(os.Getpid(), sig); err != nil {
		t.Fatal(err)
	}
	return h, exited, undone, tuiEnded
}

// TestTUIOnSIGTERM runs kubeplay's TUI as a process and sends it SIGTERM:
// it ends, saying why, with the shell's code for the signal (143), as
// `kubeplay shell` does.
func TestTUIOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds kubeplay")
	}
	bin := kubeplayBinary(t)
	cmd := exec.Command(bin, "--runtime", "sim", "--listen", "off", "--nodes", "1")
	cmd.Env = append(os.Environ(), "KUBEPLAY_CONFIG_DIR="+t.TempDir())
	keys, err := cmd.StdinPipe() // no key comes: the TUI waits
	if err != nil {
		t.Fatal(err)
	}
	defer keys.Close()
	var stdout, stderr dockertest.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() // if the test fails before it ends
	// The alternate screen: the program runs (on a pipe it has no size
	// to draw the start page at).
	stdout.Await(t, "\x1b[?1049h", 30*time.Second)
	// With no key and no window size it waits, idle: it once was said
	// to burn seconds of CPU here.
	time.Sleep(2 * time.Second)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 143 {
		t.Errorf("after SIGTERM: %v, want exit status 143", err)
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	t.Logf("CPU from start to exit, 2s of it idle: %v", cpu)
	if cpu > time.Second {
		t.Errorf("the TUI used %v of CPU waiting 2s for a key on a pipe, with no window size", cpu)
	}
	if !strings.Contains(stderr.String(), "kubeplay: stopped by terminated") {
		t.Errorf("stderr %q does not say why it stopped", stderr.String())
	}
}
