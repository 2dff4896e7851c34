// Package demoapp is the behaviour of kubeplay's demo application: one HTTP
// server whose health, readiness, start-up and shutdown are set by its
// image tag and environment, so that lessons can show probes, rollouts and
// graceful shutdown. It is pure: the simulated runtime drives it on the
// virtual clock, and `kubeplay demo-app` serves it for real.
package demoapp

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultPort is where the demo app listens unless PORT says otherwise.
const DefaultPort = 8080

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
}

// Parse reads a demo app's configuration from its image and environment:
// VERSION, PORT, PORTS (extra ports, separated by commas), STARTUP_DELAY, FAIL_HEALTH_AFTER, FAIL_READY_AFTER,
// CRASH_AFTER, SHUTDOWN_DELAY (Go durations or plain seconds).
func Parse(image string, env map[string]string) (Config, error) {
	cfg := Config{Port: DefaultPort, Version: tagOf(image)}
	if !strings.HasPrefix(image, "kubeplay/demo") {
		cfg.StandIn = image
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
	for name, dst := range map[string]*time.Duration{
		"STARTUP_DELAY": &cfg.StartupDelay, "FAIL_HEALTH_AFTER": &cfg.FailHealthAfter,
		"FAIL_READY_AFTER": &cfg.FailReadyAfter, "CRASH_AFTER": &cfg.CrashAfter, "SHUTDOWN_DELAY": &cfg.ShutdownDelay,
	} {
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
	healthBroken  bool
	readyBroken   bool
	stopRequested bool
}

// New starts an instance at now.
func New(cfg Config, hostname string, now time.Time) *App {
	return &App{cfg: cfg, started: now, hostname: hostname}
}

// Config is the instance's configuration.
func (a *App) Config() Config { return a.cfg }

// Banner is its first log line.
func (a *App) Banner() string {
	if a.cfg.Broken {
		return fmt.Sprintf("kubeplay demo-app %s: this image is broken on purpose; exiting with code 1", a.cfg.Version)
	}
	s := fmt.Sprintf("kubeplay demo-app %s listening on :%d", a.cfg.Version, a.cfg.Port)
	if a.cfg.StandIn != "" {
		s += fmt.Sprintf(" (standing in for %s)", a.cfg.StandIn)
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

// Serve answers a GET of path at now. crash is true when the request
// makes the app exit (GET /crash).
func (a *App) Serve(path string, now time.Time) (status int, body string, crash bool) {
	up := now.Sub(a.started)
	failing := func(after time.Duration, broken bool) bool {
		return broken || (after > 0 && up >= after)
	}
	switch path {
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

// Terminate is SIGTERM: the app stops being ready and exits after its
// shutdown delay. It returns how long it will take to exit.
func (a *App) Terminate() time.Duration {
	a.stopRequested = true
	return a.cfg.ShutdownDelay
}
