package demoapp

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ServeOptions is what a real demo app process gets from its surroundings.
type ServeOptions struct {
	// Hostname is the pod name it reports on /.
	Hostname string
	// Host is the address it listens on; "" for every interface (in a
	// container), "127.0.0.1" in tests.
	Host string
	// Log receives the banner, one line per request that is not a probe,
	// and what it does on signals; the container's stdout.
	Log io.Writer
	// Signals delivers SIGTERM and SIGINT, which start the drain.
	Signals <-chan os.Signal
	// Listening, when set, is told each address once it accepts
	// connections (after STARTUP_DELAY).
	Listening func(addr net.Addr)
	// Files is what /files reads: OSFiles in a container; nil for none.
	Files Files
}

// OSFiles is the real file system, for /files in a container.
type OSFiles struct{}

// ReadDir implements Files.
func (OSFiles) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

// ReadFile implements Files.
func (OSFiles) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// Serve runs the demo app for real — real sockets, the wall clock — until it
// exits, and returns its exit code: 1 for the broken image, a crash (GET
// /crash, CRASH_AFTER) or a port it cannot listen on; 0 once it has drained
// for ShutdownDelay after SIGTERM; 137 if ctx ends first (killed).
func Serve(ctx context.Context, cfg Config, opts ServeOptions) int {
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	s := &server{app: New(cfg, opts.Hostname, opts.Files, time.Now()), log: log, crash: make(chan string, 1)}
	defer s.close()
	// Without a STARTUP_DELAY it listens before its first line, which
	// says so: the Docker runtime reports the container started once that
	// line is written (docker.Image.Announces), as the program it plays
	// would listen within a millisecond of its start.
	var listenErr error
	if cfg.StartupDelay <= 0 && !cfg.Broken {
		listenErr = s.listen(cfg, opts)
	}
	fmt.Fprintln(log, s.app.Banner())
	if note := realNotes[Repository(cfg.StandIn)]; note != "" {
		fmt.Fprintln(log, note)
	}
	if cfg.Broken {
		return 1
	}
	if listenErr != nil {
		fmt.Fprintf(log, "demo-app: %v\n", listenErr)
		return 1
	}

	var startup <-chan time.Time
	if cfg.StartupDelay > 0 {
		t := time.NewTimer(cfg.StartupDelay)
		defer t.Stop()
		startup = t.C
	}
	var crashAfter, drained <-chan time.Time
	drain := time.NewTimer(0)
	drain.Stop()
	defer drain.Stop()
	if cfg.CrashAfter > 0 {
		t := time.NewTimer(cfg.CrashAfter)
		defer t.Stop()
		crashAfter = t.C
	}
	for {
		select {
		case <-startup:
			if err := s.listen(cfg, opts); err != nil {
				fmt.Fprintf(log, "demo-app: %v\n", err)
				return 1
			}
		case sig := <-opts.Signals:
			if drained != nil {
				continue // already draining
			}
			s.mu.Lock()
			d := s.app.Terminate()
			s.mu.Unlock()
			fmt.Fprintf(log, "demo-app: %s received, draining for %s then exiting\n", signalName(sig), d)
			drain.Reset(d)
			drained = drain.C
		case <-drained:
			fmt.Fprintln(log, "demo-app: drained, bye")
			return 0
		case <-crashAfter:
			fmt.Fprintf(log, "demo-app: CRASH_AFTER=%s reached, exiting with code 1\n", cfg.CrashAfter)
			return 1
		case why := <-s.crash:
			fmt.Fprintf(log, "demo-app: %s: exiting with code 1\n", why)
			return 1
		case <-ctx.Done():
			return 137
		}
	}
}

func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGINT:
		return "SIGINT"
	}
	return sig.String()
}

type server struct {
	mu      sync.Mutex // App is not safe for concurrent use; requests are
	app     *App
	log     io.Writer
	crash   chan string
	servers []*http.Server
}

// listen opens the app's port and its extra ports (the container's ports).
func (s *server) listen(cfg Config, opts ServeOptions) error {
	seen := map[int]bool{}
	for _, port := range append([]int{cfg.Port}, cfg.Ports...) {
		if seen[port] {
			continue
		}
		seen[port] = true
		ln, err := net.Listen("tcp", net.JoinHostPort(opts.Host, strconv.Itoa(port)))
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
		s.servers = append(s.servers, srv)
		go func() { _ = srv.Serve(ln) }()
		if opts.Listening != nil {
			opts.Listening(ln.Addr())
		}
	}
	return nil
}

// close stops listening at once: the process is exiting, and whatever is in
// flight is cut as it would be by the kernel.
func (s *server) close() {
	for _, srv := range s.servers {
		_ = srv.Close()
	}
}

// isProbe tells the kubelet's probes (and the probe paths) from traffic, so
// that the log shows what a learner's requests did, not a line per second.
func isProbe(r *http.Request) bool {
	switch r.URL.Path {
	case "/healthz", "/ready", "/readyz":
		return true
	}
	return strings.HasPrefix(r.UserAgent(), "kube-probe/")
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.mu.Lock()
	resp, crash := s.app.Handle(Request{Method: r.Method, URI: r.URL.RequestURI(), Body: string(body)}, time.Now())
	s.mu.Unlock()
	status := resp.Status
	if !isProbe(r) {
		// A real process does the real work, so its cgroup shows it:
		// php-apache's loop of square roots, the demo app's pages the CPU
		// time the simulated runtime charges for them.
		if Repository(s.app.Config().StandIn) == PHPApache {
			SquareRoots()
		} else {
			Burn(RequestCost(s.app.Config(), r.URL.Path))
		}
	}
	w.Header().Set("Content-Type", resp.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(resp.Body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = io.WriteString(w, resp.Body)
	}
	if !isProbe(r) {
		s.mu.Lock() // one writer at a time: lines must not interleave
		fmt.Fprintf(s.log, "%s %s %d from %s\n", r.Method, r.URL.RequestURI(), status, remoteIP(r))
		s.mu.Unlock()
	}
	if crash {
		// The answer goes out before the process dies, as the app would
		// have written it before calling exit.
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		select {
		case s.crash <- r.Method + " " + r.URL.Path:
		default:
		}
	}
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ServeLoopback starts the demo app (v1, reporting hostname) on a free
// port of 127.0.0.1 until ctx ends, and returns its address: a real pod's
// stand-in for benchmarks of the paths that reach pods.
func ServeLoopback(ctx context.Context, hostname string) *net.TCPAddr {
	addr := make(chan net.Addr, 1)
	go Serve(ctx, Config{Port: 0, Version: "v1"}, ServeOptions{Hostname: hostname, Host: "127.0.0.1",
		Listening: func(a net.Addr) { addr <- a }})
	return (<-addr).(*net.TCPAddr)
}
