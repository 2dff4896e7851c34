package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// built is the kubeplay binary the end-to-end tests run as a process (a
// test binary has no kubeplay main, and kubeplay's images are built from
// the binary that runs): built once per test binary, as each build of the
// whole program takes seconds.
var built struct {
	sync.Mutex
	dir, path string
}

// kubeplayBinary returns the path of a kubeplay built from this package.
func kubeplayBinary(tb testing.TB) string {
	tb.Helper()
	built.Lock()
	defer built.Unlock()
	if built.path != "" {
		return built.path
	}
	dir, err := os.MkdirTemp("", "kubeplay-e2e-")
	if err != nil {
		tb.Fatal(err)
	}
	bin := filepath.Join(dir, "kubeplay")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	built.dir, built.path = dir, bin
	return bin
}

// TestMain runs the tests, then removes the binary they shared.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}
