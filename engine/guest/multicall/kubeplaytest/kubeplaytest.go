// Package kubeplaytest builds a kubeplay binary for tests that need a real
// one: to run it as a process, or to put it in an image. The running binary
// of a test is the test binary, which has no kubeplay main.
package kubeplaytest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	mu     sync.Mutex
	dir    string
	builds = map[bool]string{} // by static
)

// Binary returns the path of a kubeplay binary holding the in-container
// modes only (multicall.Main), built once per test binary: dynamically
// linked when cgo is available, as a default `go build` is, or static
// (CGO_ENABLED=0).
func Binary(tb testing.TB, static bool) string {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if p, ok := builds[static]; ok {
		return p
	}
	if dir == "" {
		d, err := os.MkdirTemp("", "kubeplaytest-")
		if err != nil {
			tb.Fatal(err)
		}
		dir = d
	}
	name := "kubeplay"
	if static {
		name = "static/kubeplay"
	}
	out := filepath.Join(dir, name)
	_, file, _, _ := runtime.Caller(0)
	cmd := exec.Command("go", "build", "-o", out, "./testdata/kubeplay")
	cmd.Dir = filepath.Dir(file)
	cmd.Env = os.Environ()
	if static {
		cmd.Env = append(cmd.Env, "CGO_ENABLED=0")
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("building kubeplay for the test: %v\n%s", err, b)
	}
	builds[static] = out
	return out
}

// Main is a TestMain for packages that use Binary: it runs the tests, then
// removes the builds.
func Main(m *testing.M) {
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

// Cleanup removes the builds; TestMain calls it once the tests are done.
func Cleanup() {
	mu.Lock()
	defer mu.Unlock()
	if dir != "" {
		os.RemoveAll(dir)
	}
	dir, builds = "", map[bool]string{}
}
