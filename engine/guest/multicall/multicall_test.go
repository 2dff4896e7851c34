package multicall_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/guest/multicall"
	"github.com/kubeplay/kubeplay/engine/guest/multicall/kubeplaytest"
)

func TestMain(m *testing.M) { kubeplaytest.Main(m) }

// links makes a bin directory of applet links to the binary, as the image has.
func links(t *testing.T, bin string) string {
	t.Helper()
	dir := t.TempDir()
	for _, a := range multicall.Applets() {
		if err := os.Symlink(bin, filepath.Join(dir, a)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func run(t *testing.T, stdin string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

func TestShellMode(t *testing.T) {
	bin := kubeplaytest.Binary(t, false)
	dir := t.TempDir()
	out, code := run(t, "", bin, "sh", "-c", fmt.Sprintf("echo hi > %s/x; cat %s/x; ls %s; exit 7", dir, dir, dir))
	if out != "hi\nx\n" || code != 7 {
		t.Errorf("kubeplay sh -c: %q, exit %d", out, code)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "x")); err != nil || string(b) != "hi\n" {
		t.Errorf("the file is not on the real file system: %q %v", b, err)
	}
	script := filepath.Join(dir, "script")
	os.WriteFile(script, []byte("echo from file $1\n"), 0o644)
	if out, code := run(t, "", bin, "sh", script, "arg"); out != "from file arg\n" || code != 0 {
		t.Errorf("kubeplay sh FILE: %q, exit %d", out, code)
	}
	if out, code := run(t, "echo from stdin\n", bin, "sh"); out != "from stdin\n" || code != 0 {
		t.Errorf("kubeplay sh < script: %q, exit %d", out, code)
	}
}

func TestApplets(t *testing.T) {
	bin := links(t, kubeplaytest.Binary(t, false))
	dir := t.TempDir()
	x := filepath.Join(dir, "x")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "pong\n") }))
	defer srv.Close()

	steps := []struct {
		stdin string
		argv  []string
		out   string
		code  int
	}{
		{"", []string{"touch", x}, "", 0},
		{"", []string{"test", "-f", x}, "", 0},
		{"", []string{"sh", "-c", "echo hi > " + x}, "", 0},
		{"", []string{"cat", x}, "hi\n", 0},
		{"piped\n", []string{"cat"}, "piped\n", 0},
		{"", []string{"echo", "a", "b"}, "a b\n", 0},
		{"", []string{"ls", dir}, "x\n", 0},
		{"", []string{"mkdir", "-p", dir + "/d/e"}, "", 0},
		{"", []string{"rm", x}, "", 0},
		{"", []string{"cat", x}, "cat: can't open '" + x + "': No such file or directory\n", 1},
		{"", []string{"test", "-f", x}, "", 1},
		{"", []string{"wget", "-q", "-O", "-", srv.URL}, "pong\n", 0},
		{"", []string{"env", "-i", "A=1", "env"}, "A=1\n", 0},
		{"", []string{"hostname"}, hostname(t) + "\n", 0},
	}
	for _, s := range steps {
		out, code := run(t, s.stdin, filepath.Join(bin, s.argv[0]), s.argv[1:]...)
		if out != s.out || code != s.code {
			t.Errorf("%v: %q, exit %d; want %q, exit %d", s.argv, out, code, s.out, s.code)
		}
	}
	start := time.Now()
	if _, code := run(t, "", filepath.Join(bin, "sleep"), "0.3"); code != 0 || time.Since(start) < 300*time.Millisecond {
		t.Errorf("sleep 0.3: exit %d after %v", code, time.Since(start))
	}
}

func hostname(t *testing.T) string {
	if h := os.Getenv("HOSTNAME"); h != "" {
		return h
	}
	h, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// started is a kubeplay process running in the background.
type started struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan error
}

func startBin(t *testing.T, env []string, args ...string) *started {
	t.Helper()
	cmd := exec.Command(kubeplaytest.Binary(t, false), args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &started{cmd: cmd, out: &out, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.done
	})
	return s
}

func (s *started) wait(t *testing.T) int {
	t.Helper()
	select {
	case err := <-s.done:
		s.done <- err
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(10 * time.Second):
		t.Fatal("the process did not exit")
	}
	return -1
}

func TestPauseMode(t *testing.T) {
	p := startBin(t, nil, "pause")
	select {
	case <-p.done:
		t.Fatal("pause exited on its own")
	case <-time.After(300 * time.Millisecond):
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Errorf("pause exited %d on SIGTERM, want 0", code)
	}
}

func TestDemoAppMode(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	p := startBin(t, []string{"PORT=" + port, "VERSION=v7", "SHUTDOWN_DELAY=300ms", "HOSTNAME=web-1"}, "demo-app")
	var body string
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get("http://127.0.0.1:" + port + "/")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo app never answered: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.HasPrefix(body, "kubeplay demo v7 from pod ") {
		t.Errorf("GET /: %q", body)
	}
	sent := time.Now()
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Errorf("exit %d after SIGTERM, want 0\n%s", code, p.out)
	}
	if el := time.Since(sent); el < 300*time.Millisecond {
		t.Errorf("exited %v after SIGTERM, before SHUTDOWN_DELAY", el)
	}
	want := "kubeplay demo-app v7 listening on :" + port + "\nGET / 200 from 127.0.0.1\n" +
		"demo-app: SIGTERM received, draining for 300ms then exiting\ndemo-app: drained, bye\n"
	if p.out.String() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", p.out, want)
	}
}

func TestMainLeavesOtherArgs(t *testing.T) {
	for _, args := range [][]string{{"kubeplay"}, {"kubeplay", "shell"}, {"/usr/local/bin/kubeplay", "lessons"}, {}} {
		if _, handled := multicall.Main(args, nil, io.Discard, io.Discard); handled {
			t.Errorf("%q was taken as an in-container mode", args)
		}
	}
}

func TestPerlMode(t *testing.T) {
	pi := []string{"-Mbignum=bpi", "-wle", "print bpi(20)"}
	for _, args := range [][]string{append([]string{"/usr/local/bin/perl"}, pi...), append([]string{"/kubeplay", "perl"}, pi...)} {
		var out, errOut bytes.Buffer
		code, handled := multicall.Main(args, nil, &out, &errOut)
		if !handled || code != 0 || out.String() != "3.1415926535897932385\n" || errOut.Len() != 0 {
			t.Errorf("%q: handled %v, exit %d, stdout %q, stderr %q", args, handled, code, out.String(), errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	code, handled := multicall.Main([]string{"perl", "-e", "print 1"}, nil, &out, &errOut)
	if !handled || code != 2 || out.Len() != 0 || !strings.Contains(errOut.String(), "kubeplay's stand-in for the perl image; it runs only the Kubernetes documentation's pi example: perl -Mbignum=bpi -wle 'print bpi(2000)'\n") {
		t.Errorf("another perl program: handled %v, exit %d, stdout %q, stderr %q", handled, code, out.String(), errOut.String())
	}
}

// In a container the shell knows its pod's image from KUBEPLAY_IMAGE, as
// the Docker runtime sets it: busybox:1.28's nslookup is that busybox's
// (the documentation's StatefulSet DNS step depends on it), a newer
// busybox's is 1.36's.
func TestShellKnowsItsImage(t *testing.T) {
	bin := kubeplaytest.Binary(t, false)
	for image, want := range map[string]string{"busybox:1.28": "BusyBox v1.28.4", "busybox:1.36": "BusyBox v1.36"} {
		cmd := exec.Command(bin, "sh", "-c", "nslookup")
		cmd.Env = append(os.Environ(), multicall.EnvImage+"="+image)
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), want) {
			t.Errorf("%s: nslookup without a host says %q, want %q", image, out, want)
		}
	}
}
