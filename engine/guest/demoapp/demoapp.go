// Package demoapp is the behaviour of kubeplay's demo application: one HTTP
// server whose health, readiness, start-up and shutdown are set by its
// image tag and environment, so that lessons can show probes, rollouts and
// graceful shutdown. It is pure: the simulated runtime drives it on the
// virtual clock, and `kubeplay demo-app` serves it for real.
//
// Its routes (GET; anything else is answered as /):
//
//	/                 "kubeplay demo VERSION from pod HOSTNAME"
//	/healthz          200 ok, or 500 once FAIL_HEALTH_AFTER has passed or after /fail/health
//	/ready, /readyz   200 ready, or 503 after SIGTERM, FAIL_READY_AFTER or /fail/ready
//	/fail/health      make /healthz fail from now on
//	/fail/ready       make /ready fail from now on
//	/recover          make both answer 200 again
//	/crash            answer 500, then exit with code 1
//	/env              the process's environment, NAME=value per line, sorted:
//	                  what env, envFrom, ConfigMaps and Secrets put there
//	                  (Secrets' values too: it is a playground)
//	/files/PATH       the file at /PATH in the container, or, for a folder,
//	                  its entries, one per line, folders ending in /;
//	                  404 when there is none. /files?path=/PATH says the same
//
// On the simulated runtime /env and /files read the pod's own environment and
// volumes (ConfigMap, Secret, emptyDir, hostPath); in a container, the real ones.
package demoapp

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DefaultPort is where the demo app listens unless PORT says otherwise,
// or the image it stands in for listens elsewhere (nginx on 80).
const DefaultPort = 8080

// standInPorts are the ports the images the demo app stands in for
// listen on, by repository, so that a manifest written for the real image
// (nginx's containerPort: 80) reaches the stand-in on both runtimes.
var standInPorts = map[string]int{"nginx": 80, "httpd": 80, "redis": 6379}

// Repository is an image reference without tag or digest, and without the
// docker.io/library prefix.
func Repository(image string) string {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		image = image[:i]
	}
	image = strings.TrimPrefix(image, "docker.io/")
	return strings.TrimPrefix(image, "library/")
}

// Config is what an instance of the demo app was asked to do.
type Config struct {
	Version         string
	Port            int
	Ports           []int // extra ports it answers on (the container's ports)
	StartupDelay    time.Duration
	FailHealthAfter time.Duration // 0: never
	FailReadyAfter  time.Duration // 0: never
	CrashAfter      time.Duration // 0: never
	ShutdownDelay   time.Duration // how long it drains after SIGTERM
	Broken          bool          // the :broken tag: exits 1 at start
	StandIn         string        // the image it stands in for, if not kubeplay/demo
	// Env is its whole environment, which /env lists: kept as given, not
	// spelt out, since few of a big cluster's containers are ever asked.
	Env map[string]string
}

// Files is what the app reads of its container's file system for /files:
// kubeplay's shell file systems have these methods, and so has OSFiles.
type Files interface {
	ReadDir(name string) ([]fs.DirEntry, error)
	ReadFile(name string) ([]byte, error)
}

// Parse reads a demo app's configuration from its image and environment:
// VERSION, PORT, PORTS (extra ports, separated by commas), STARTUP_DELAY, FAIL_HEALTH_AFTER, FAIL_READY_AFTER,
// CRASH_AFTER, SHUTDOWN_DELAY (Go durations or plain seconds).
func Parse(image string, env map[string]string) (Config, error) {
	cfg := Config{Port: DefaultPort, Version: tagOf(image), Env: env}
	if !strings.HasPrefix(image, "kubeplay/demo") {
		cfg.StandIn = image
		if p, ok := standInPorts[Repository(image)]; ok {
			cfg.Port = p
		}
	}
	if cfg.Version == "broken" {
		cfg.Broken = true
	}
	if v := env["VERSION"]; v != "" {
		cfg.Version = v
	}
	if v := env["PORT"]; v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p <= 0 || p > 65535 {
			return cfg, fmt.Errorf("PORT=%q is not a port number", v)
		}
		cfg.Port = p
	}
	if v := env["PORTS"]; v != "" {
		ports, err := parsePorts(v)
		if err != nil {
			return cfg, err
		}
		cfg.Ports = ports
	}
	// A list, not a map: every container start parses, and the first bad
	// setting reported is the same on every run.
	for _, d := range [...]struct {
		name string
		dst  *time.Duration
	}{
		{"STARTUP_DELAY", &cfg.StartupDelay}, {"FAIL_HEALTH_AFTER", &cfg.FailHealthAfter},
		{"FAIL_READY_AFTER", &cfg.FailReadyAfter}, {"CRASH_AFTER", &cfg.CrashAfter}, {"SHUTDOWN_DELAY", &cfg.ShutdownDelay},
	} {
		name, dst := d.name, d.dst
		if v := env[name]; v != "" {
			d, err := ParseDuration(v)
			if err != nil {
				return cfg, fmt.Errorf("%s=%q is not a duration (try 10s or 2m)", name, v)
			}
			*dst = d
		}
	}
	return cfg, nil
}

// parsePorts reads PORTS: port numbers separated by commas or spaces.
func parsePorts(v string) ([]int, error) {
	var ports []int
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		p, err := strconv.Atoi(f)
		if err != nil || p <= 0 || p > 65535 {
			return nil, fmt.Errorf("PORTS=%q: %q is not a port number", v, f)
		}
		ports = append(ports, p)
	}
	return ports, nil
}

// ParseDuration accepts Go durations and plain seconds.
func ParseDuration(s string) (time.Duration, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Second, nil
	}
	return time.ParseDuration(s)
}

func tagOf(image string) string {
	name := image[strings.LastIndexByte(image, '/')+1:]
	if i := strings.IndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return "latest"
}

// App is one running instance.
type App struct {
	cfg           Config
	started       time.Time
	hostname      string
	files         Files // nil: /files finds nothing
	healthBroken  bool
	readyBroken   bool
	stopRequested bool
}

// New starts an instance at now, reading its container's files from files
// (nil for none).
func New(cfg Config, hostname string, files Files, now time.Time) *App {
	return &App{cfg: cfg, started: now, hostname: hostname, files: files}
}

// Config is the instance's configuration.
func (a *App) Config() Config { return a.cfg }

// Banner is its first log line.
func (a *App) Banner() string {
	if a.cfg.Broken {
		return fmt.Sprintf("kubeplay demo-app %s: this image is broken on purpose; exiting with code 1", a.cfg.Version)
	}
	s := "kubeplay demo-app " + a.cfg.Version + " listening on :" + strconv.Itoa(a.cfg.Port)
	if a.cfg.StandIn != "" {
		s += " (standing in for " + a.cfg.StandIn + ")"
	}
	return s
}

// Listens reports whether the app accepts connections on port at now.
func (a *App) Listens(port int, now time.Time) bool {
	if a.cfg.Broken || now.Sub(a.started) < a.cfg.StartupDelay {
		return false
	}
	if port == a.cfg.Port {
		return true
	}
	for _, p := range a.cfg.Ports {
		if p == port {
			return true
		}
	}
	return false
}

// Serve answers a GET of uri (a path, with or without a query) at now.
// crash is true when the request makes the app exit (GET /crash).
func (a *App) Serve(uri string, now time.Time) (status int, body string, crash bool) {
	up := now.Sub(a.started)
	failing := func(after time.Duration, broken bool) bool {
		return broken || (after > 0 && up >= after)
	}
	p, query := uri, url.Values{}
	if u, err := url.ParseRequestURI(uri); err == nil {
		p, query = u.Path, u.Query()
	}
	if file, ok := strings.CutPrefix(p, "/files"); ok && (file == "" || file[0] == '/') {
		if q := query.Get("path"); q != "" {
			file = q
		}
		status, body = a.file(file)
		return status, body, false
	}
	switch p {
	case "/env":
		kvs := make([]string, 0, len(a.cfg.Env))
		for name, v := range a.cfg.Env {
			kvs = append(kvs, name+"="+v)
		}
		sort.Strings(kvs)
		var b strings.Builder
		for _, kv := range kvs {
			b.WriteString(kv + "\n")
		}
		return 200, b.String(), false
	case "/healthz":
		if failing(a.cfg.FailHealthAfter, a.healthBroken) {
			return 500, "unhealthy\n", false
		}
		return 200, "ok\n", false
	case "/ready", "/readyz":
		if a.stopRequested || failing(a.cfg.FailReadyAfter, a.readyBroken) {
			return 503, "not ready\n", false
		}
		return 200, "ready\n", false
	case "/fail/health":
		a.healthBroken = true
		return 200, "/healthz will fail from now on\n", false
	case "/fail/ready":
		a.readyBroken = true
		return 200, "/ready will fail from now on\n", false
	case "/recover":
		a.healthBroken, a.readyBroken = false, false
		return 200, "healthy again\n", false
	case "/crash":
		return 500, "crashing on request\n", true
	}
	return 200, fmt.Sprintf("kubeplay demo %s from pod %s\n", a.cfg.Version, a.hostname), false
}

// file answers /files: the file at name, or the entries of the folder.
func (a *App) file(name string) (int, string) {
	name = path.Clean("/" + name)
	if a.files == nil {
		return 404, fmt.Sprintf("%s: no such file or directory\n", name)
	}
	entries, err := a.files.ReadDir(name)
	if err == nil {
		var b strings.Builder
		for _, e := range entries {
			b.WriteString(e.Name())
			if e.IsDir() {
				b.WriteString("/")
			}
			b.WriteString("\n")
		}
		return 200, b.String()
	}
	data, ferr := a.files.ReadFile(name)
	if ferr == nil {
		return 200, string(data)
	}
	if errors.Is(ferr, fs.ErrNotExist) || errors.Is(err, fs.ErrNotExist) {
		return 404, fmt.Sprintf("%s: no such file or directory\n", name)
	}
	return 500, fmt.Sprintf("%s: %v\n", name, ferr)
}

// Terminate is SIGTERM: the app stops being ready and exits after its
// shutdown delay. It returns how long it will take to exit.
func (a *App) Terminate() time.Duration {
	a.stopRequested = true
	return a.cfg.ShutdownDelay
}
