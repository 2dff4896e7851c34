package shell

import (
	"fmt"
	"io"
	"io/fs"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// newOSRoot is a directory laid out as NewMemFS lays out its root.
func newOSRoot(t *testing.T) *OSFS {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"bin", "dev", "etc", "proc", "root", "tmp", "usr/bin", "var"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return NewOSFS(root)
}

// TestOSFSParity runs the same scripts over MemFS and over a real directory:
// a container's commands must read alike on both runtimes.
func TestOSFSParity(t *testing.T) {
	scripts := []string{
		"echo hi > /tmp/x; cat /tmp/x; echo more >> /tmp/x; cat /tmp/x; wc -l /tmp/x",
		"cat /nope",
		"echo x > /nodir/f",
		"mkdir /tmp/d; mkdir /tmp/d",
		"mkdir /a/b/c",
		"mkdir -p /a/b/c && test -d /a/b/c && echo dir; rm /a; rm -r /a && ls /",
		"touch /tmp/t; ls /tmp; rm /tmp/t; rm /tmp/t; rm -f /tmp/t",
		"cd /tmp && echo rel > f && cat /tmp/f && [ -f f ] && echo yes",
		"cat /tmp; echo x > /tmp",
		"touch /tmp/f/g",
		"for f in /tmp/a /tmp/b; do echo $f > $f; done; cat /tmp/*; ls /tmp | grep -c .",
		"echo '#!/bin/sh\necho script $1' > /tmp/s; /tmp/s 1; chmod 2>/dev/null; sh /tmp/s 2",
		"rm -rf /; echo $?",
		"head -n 1 /etc/none; tail /etc/none",
		"touch /tmp/f; ls -d /tmp /bin; ls -d /tmp/f; ls /tmp",
	}
	for _, s := range scripts {
		mem := runAll(t, Config{Argv: sh(s), FS: NewMemFS()})
		real := runAll(t, Config{Argv: sh(s), FS: newOSRoot(t)})
		if mem.code != real.code || mem.out != real.out || mem.err != real.err {
			t.Errorf("%q:\nMemFS: %d %q %q\nOSFS:  %d %q %q", s, mem.code, mem.out, mem.err, real.code, real.out, real.err)
		}
	}
}

func TestLsMode(t *testing.T) {
	for m, want := range map[fs.FileMode]string{
		0o644:                                     "-rw-r--r--",
		fs.ModeDir | 0o755:                        "drwxr-xr-x",
		fs.ModeDir | fs.ModeSticky | 0o777:        "drwxrwxrwt",
		fs.ModeDir | fs.ModeSticky | 0o770:        "drwxrwx--T",
		fs.ModeSymlink | 0o777:                    "lrwxrwxrwx",
		fs.ModeSetuid | 0o755:                     "-rwsr-xr-x",
		fs.ModeDevice | fs.ModeCharDevice | 0o666: "crw-rw-rw-",
	} {
		if got := lsMode(m); got != want {
			t.Errorf("lsMode(%v) = %s, want %s", m, got, want)
		}
	}
}

func TestOSFSWritesRealFiles(t *testing.T) {
	fsys := newOSRoot(t)
	r := runAll(t, Config{Argv: sh("echo written > /tmp/out; mkdir -p /var/lib/x; touch /var/lib/x/y"), FS: fsys})
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	b, err := os.ReadFile(filepath.Join(fsys.root, "tmp/out"))
	if err != nil || string(b) != "written\n" {
		t.Fatalf("tmp/out = %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(fsys.root, "var/lib/x/y")); err != nil {
		t.Fatal(err)
	}
}

func TestRealTimeSleep(t *testing.T) {
	var out strings.Builder
	start := time.Now()
	code := Run(Config{Argv: sh("sleep 0.2; date +%Y"), Stdout: &out}, nil)
	if el := time.Since(start); el < 200*time.Millisecond {
		t.Errorf("sleep 0.2 took %v of wall time", el)
	}
	if code != 0 || out.String() != fmt.Sprintf("%d\n", time.Now().UTC().Year()) {
		t.Errorf("code %d, out %q: date should read the real clock", code, out.String())
	}
}

// TestRealTimeGuards: on the wall clock a long loop or a big heap is no
// threat to the engine, so neither is bounded unless asked.
func TestRealTimeGuards(t *testing.T) {
	p := Start(Config{RealTime: true})
	if p.ctx.limit != math.MaxInt64 || p.mem.limit != 0 {
		t.Errorf("RealTime: step limit %d, memory limit %d; want none", p.ctx.limit, p.mem.limit)
	}
	var errb strings.Builder
	code := Run(Config{Argv: sh("while :; do :; done"), MaxSteps: 500, Stderr: &errb}, nil)
	if code != 137 || errb.String() != killMessage(500, DefaultStepsPerSecond) {
		t.Errorf("an explicit MaxSteps still applies: %d %q", code, errb.String())
	}
}

// lineWriter hands the test each complete line the script prints.
type lineWriter struct {
	mu    sync.Mutex
	buf   string
	lines chan string
}

func (w *lineWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf += string(b)
	for {
		line, rest, ok := strings.Cut(w.buf, "\n")
		if !ok {
			return len(b), nil
		}
		w.lines <- line
		w.buf = rest
	}
}

func TestRealTimeSignals(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		sig          syscall.Signal
		code         int
		after        string
	}{
		{"trapped", "trap 'echo bye; exit 0' TERM; echo ready; sleep 30", syscall.SIGTERM, 0, "bye\n"},
		{"untrapped", "echo ready; sleep infinity", syscall.SIGTERM, 143, ""},
		{"ignored", "trap '' TERM; echo ready; sleep 0.3; echo done", syscall.SIGTERM, 0, "done\n"},
		{"kill", "trap 'echo no' KILL TERM; echo ready; sleep 30", syscall.SIGKILL, 137, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := &lineWriter{lines: make(chan string, 10)}
			sigs := make(chan os.Signal, 1)
			done := make(chan int, 1)
			go func() { done <- Run(Config{Argv: sh(tc.script), Stdout: w}, sigs) }()
			if l := <-w.lines; l != "ready" {
				t.Fatalf("first line %q", l)
			}
			sigs <- tc.sig
			select {
			case code := <-done:
				if code != tc.code {
					t.Errorf("exit %d, want %d", code, tc.code)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the process did not end")
			}
			close(w.lines)
			var rest strings.Builder
			for l := range w.lines {
				rest.WriteString(l + "\n")
			}
			if rest.String() != tc.after {
				t.Errorf("after the signal: %q, want %q", rest.String(), tc.after)
			}
		})
	}
}

func TestHTTPNet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		if r.URL.Path == "/slow" {
			time.Sleep(3 * time.Second)
		}
		fmt.Fprint(w, "hello from "+r.URL.Path+"\n")
	}))
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()

	for _, tc := range []struct {
		script, out, err string
		code             int
	}{
		{"wget -q -O - " + srv.URL + "/x", "hello from /x\n", "", 0},
		{"wget -q -O - " + srv.URL + "/bad", "", "wget: server returned error: HTTP/1.1 500 Internal Server Error\n", 1},
		{"wget -q -O - http://" + refused + "/", "", "wget: can't connect to remote host (127.0.0.1): Connection refused\n", 1},
		{"wget -q -O - http://no-such-host.invalid/", "", "wget: bad address 'no-such-host.invalid'\n", 1},
		{"wget -q -T 1 -O - " + srv.URL + "/slow", "", "wget: download timed out\n", 1},
		{"wget -q -T x " + srv.URL, "", "wget: invalid number 'x'\n", 1},
	} {
		var out, errb strings.Builder
		code := Run(Config{Argv: sh(tc.script), Stdout: &out, Stderr: &errb, Net: HTTPNet{Timeout: 5 * time.Second}}, nil)
		if code != tc.code || out.String() != tc.out || errb.String() != tc.err {
			t.Errorf("%s: %d %q %q, want %d %q %q", tc.script, code, out.String(), errb.String(), tc.code, tc.out, tc.err)
		}
	}
}

// TestInteractive: sh reading its standard input on the wall clock answers
// each statement as it arrives (`kubectl exec -i POD -- sh`).
func TestInteractive(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := &lineWriter{lines: make(chan string, 10)}
	done := make(chan int, 1)
	go func() { done <- Run(Config{Argv: []string{"sh"}, Stdin: r, Stdout: out, Stderr: out}, nil) }()
	io.WriteString(w, "x=1; echo first $x\n")
	select {
	case l := <-out.lines:
		if l != "first 1" {
			t.Fatalf("first line %q", l)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no answer before the end of input: the shell waits for EOF")
	}
	io.WriteString(w, "false\nif true\nthen echo multi; fi\ncat /nope\necho $x $?\nexit 4\necho never\n")
	w.Close()
	select {
	case code := <-done:
		if code != 4 {
			t.Errorf("exit %d, want 4", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the shell did not exit")
	}
	close(out.lines)
	var rest []string
	for l := range out.lines {
		rest = append(rest, l)
	}
	if got := strings.Join(rest, "|"); got != "multi|cat: can't open '/nope': No such file or directory|1 1" {
		t.Errorf("then: %q", got)
	}
}
