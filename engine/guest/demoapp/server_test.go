package demoapp

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// freePort is a port nothing listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// safeLog is the app's stdout, read while it runs.
type safeLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *safeLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *safeLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// running is one Serve in a goroutine.
type running struct {
	log       *safeLog
	sigs      chan os.Signal
	listening chan net.Addr
	done      chan int
	cancel    context.CancelFunc
	started   time.Time
}

func start(t *testing.T, image string, env map[string]string) *running {
	t.Helper()
	cfg, err := Parse(image, env)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{log: &safeLog{}, sigs: make(chan os.Signal, 1), listening: make(chan net.Addr, 4),
		done: make(chan int, 1), cancel: cancel, started: time.Now()}
	go func() {
		r.done <- Serve(ctx, cfg, ServeOptions{Hostname: "web-1", Host: "127.0.0.1", Log: r.log, Signals: r.sigs, Files: OSFiles{},
			Listening: func(a net.Addr) { r.listening <- a }})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return after its context ended")
		}
	})
	return r
}

func (r *running) addr(t *testing.T) string {
	t.Helper()
	select {
	case a := <-r.listening:
		return a.String()
	case <-time.After(5 * time.Second):
		t.Fatal("the demo app never listened")
	}
	return ""
}

func (r *running) exit(t *testing.T) int {
	t.Helper()
	select {
	case code := <-r.done:
		r.done <- code // for Cleanup
		return code
	case <-time.After(5 * time.Second):
		t.Fatal("the demo app did not exit")
	}
	return 0
}

func get(t *testing.T, addr, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServe(t *testing.T) {
	port, extra := freePort(t), freePort(t)
	r := start(t, "kubeplay/demo:v2", map[string]string{"PORT": itoa(port), "PORTS": itoa(extra) + "," + itoa(port)})
	a1, a2 := r.addr(t), r.addr(t)
	for _, a := range []string{a1, a2} {
		if code, body := get(t, a, "/"); code != 200 || body != "kubeplay demo v2 from pod web-1\n" {
			t.Errorf("GET %s/: %d %q", a, code, body)
		}
	}
	if code, body := get(t, a1, "/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	get(t, a1, "/fail/ready")
	if code, _ := get(t, a1, "/ready"); code != 503 {
		t.Errorf("/ready after /fail/ready: %d", code)
	}
	want := "kubeplay demo-app v2 listening on :" + itoa(port) + "\n" +
		"GET / 200 from 127.0.0.1\nGET / 200 from 127.0.0.1\nGET /fail/ready 200 from 127.0.0.1\n"
	if got := r.log.String(); got != want {
		t.Errorf("log (probes are not logged):\n%s\nwant:\n%s", got, want)
	}
}

// dialOnFirstLine dials addr when the first line is written to it, and
// keeps whether that connected.
type dialOnFirstLine struct {
	addr      string
	once      sync.Once
	connected chan bool
}

func (d *dialOnFirstLine) Write(p []byte) (int, error) {
	d.once.Do(func() {
		c, err := net.Dial("tcp", d.addr)
		if err == nil {
			c.Close()
		}
		d.connected <- err == nil
	})
	return len(p), nil
}

// Without a STARTUP_DELAY the app listens before its first line: the
// Docker runtime reports its container started once that line is written,
// and a request sent then must not be refused (lesson 15's curl through
// the ingress controller was, on CI, to a pod Ready before its app
// listened).
func TestServeListensBeforeItsFirstLine(t *testing.T) {
	port := freePort(t)
	cfg, err := Parse("kubeplay/demo:v1", map[string]string{"PORT": itoa(port)})
	if err != nil {
		t.Fatal(err)
	}
	log := &dialOnFirstLine{addr: "127.0.0.1:" + itoa(port), connected: make(chan bool, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- Serve(ctx, cfg, ServeOptions{Hostname: "web-1", Host: "127.0.0.1", Log: log}) }()
	defer func() {
		cancel()
		<-done
	}()
	select {
	case ok := <-log.connected:
		if !ok {
			t.Error("the app's first line came before it listened")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the app wrote no line")
	}
}

func TestServeStartupDelay(t *testing.T) {
	port := freePort(t)
	r := start(t, "kubeplay/demo:v1", map[string]string{"PORT": itoa(port), "STARTUP_DELAY": "300ms"})
	if c, err := net.Dial("tcp", "127.0.0.1:"+itoa(port)); err == nil {
		c.Close()
		t.Fatal("listening before STARTUP_DELAY")
	}
	r.addr(t)
	if el := time.Since(r.started); el < 300*time.Millisecond {
		t.Errorf("listening after %v, before STARTUP_DELAY", el)
	}
}

func TestServeGracefulShutdown(t *testing.T) {
	port := freePort(t)
	r := start(t, "kubeplay/demo:v1", map[string]string{"PORT": itoa(port), "SHUTDOWN_DELAY": "400ms"})
	a := r.addr(t)
	sent := time.Now()
	r.sigs <- syscall.SIGTERM
	// Draining: still serving, no longer ready.
	deadline := time.Now().Add(time.Second)
	for {
		code, _ := get(t, a, "/ready")
		if code == 503 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("/ready still 200 after SIGTERM")
		}
	}
	if code, _ := get(t, a, "/"); code != 200 {
		t.Errorf("GET / while draining: %d", code)
	}
	if code := r.exit(t); code != 0 {
		t.Errorf("exit %d after draining, want 0", code)
	}
	if el := time.Since(sent); el < 400*time.Millisecond {
		t.Errorf("exited %v after SIGTERM, before SHUTDOWN_DELAY", el)
	}
	if !strings.HasSuffix(r.log.String(), "demo-app: SIGTERM received, draining for 400ms then exiting\nGET / 200 from 127.0.0.1\ndemo-app: drained, bye\n") {
		t.Errorf("log:\n%s", r.log.String())
	}
}

func TestServeCrashes(t *testing.T) {
	t.Run("GET /crash", func(t *testing.T) {
		r := start(t, "kubeplay/demo:v1", map[string]string{"PORT": itoa(freePort(t))})
		if code, body := get(t, r.addr(t), "/crash"); code != 500 || body != "crashing on request\n" {
			t.Errorf("/crash: %d %q", code, body)
		}
		if code := r.exit(t); code != 1 {
			t.Errorf("exit %d", code)
		}
	})
	t.Run("CRASH_AFTER", func(t *testing.T) {
		r := start(t, "kubeplay/demo:v1", map[string]string{"PORT": itoa(freePort(t)), "CRASH_AFTER": "200ms"})
		if code := r.exit(t); code != 1 || !strings.Contains(r.log.String(), "CRASH_AFTER=200ms reached") {
			t.Errorf("exit %d, log %q", code, r.log.String())
		}
	})
	t.Run("broken", func(t *testing.T) {
		r := start(t, "kubeplay/demo:broken", nil)
		if code := r.exit(t); code != 1 || !strings.Contains(r.log.String(), "broken on purpose") {
			t.Errorf("exit %d, log %q", code, r.log.String())
		}
	})
	t.Run("FAIL_HEALTH_AFTER", func(t *testing.T) {
		r := start(t, "nginx:1.25", map[string]string{"PORT": itoa(freePort(t)), "FAIL_HEALTH_AFTER": "200ms"})
		a := r.addr(t)
		if code, _ := get(t, a, "/healthz"); code != 200 {
			t.Errorf("/healthz at start: %d", code)
		}
		time.Sleep(250 * time.Millisecond)
		if code, _ := get(t, a, "/healthz"); code != 500 {
			t.Errorf("/healthz after FAIL_HEALTH_AFTER: %d", code)
		}
		if !strings.Contains(r.log.String(), "(standing in for nginx:1.25)") {
			t.Errorf("banner: %q", r.log.String())
		}
	})
}

func TestParsePorts(t *testing.T) {
	cfg, err := Parse("kubeplay/demo:v1", map[string]string{"PORTS": "80, 443 9000"})
	if err != nil || len(cfg.Ports) != 3 || cfg.Ports[0] != 80 || cfg.Ports[2] != 9000 {
		t.Errorf("%v %v", cfg.Ports, err)
	}
	if _, err := Parse("kubeplay/demo:v1", map[string]string{"PORTS": "80,http"}); err == nil {
		t.Error("PORTS=80,http accepted")
	}
}

var itoa = strconv.Itoa
