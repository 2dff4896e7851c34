// Package demoapp is the behaviour of kubeplay's demo application: one HTTP
// server whose health, readiness, start-up and shutdown are set by its
// image tag and environment, so that lessons can show probes, rollouts and
// graceful shutdown. It is pure: the simulated runtime drives it on the
// virtual clock, and `kubeplay demo-app` serves it for real.
//
// Its routes (any method; anything else is answered as /, whose answer
// to a method other than GET and HEAD says what came: "… from pod
// HOSTNAME: POST / with N bytes"; a HEAD is answered as a GET without
// the body; the nginx stand-in answers methods other than GET and HEAD
// with nginx's 405 page, as nginx does for a static file):
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
var standInPorts = map[string]int{"nginx": 80, "httpd": 80, "redis": 6379, PHPApache: 80, metricsServer: 10250, KubeProxy: 10256}

// metricsServer is metrics-server's image; its stand-in listens on the
// port of its manifest's --secure-port.
const metricsServer = "registry.k8s.io/metrics-server/metrics-server"

// KubeProxy is kube-proxy's image; its stand-in listens on kube-proxy's
// healthz port, 10256.
const KubeProxy = "registry.k8s.io/kube-proxy"

// standInExtraPorts are further ports a stand-in listens on, by
// repository, where the real image serves its probes: CoreDNS's health
// (8080), ready (8181) and metrics (9153) plugins, which kubeadm's
// Deployment probes — on Docker, where no container port list is passed
// to the stand-in, without them the coredns pods would never be ready.
// realNotes say, in a real container's log, what a stand-in does not do
// that the image it stands for would (Serve is the real-network app: on
// Docker).
var realNotes = map[string]string{
	"registry.k8s.io/coredns/coredns": "kubeplay: this container stands in for CoreDNS and answers no DNS queries itself: on Docker the cluster DNS (10.96.0.10) is answered inside each pod's own sandbox by kubeplay's pause, with the answers CoreDNS's kubernetes plugin gives",
	KubeProxy:                         "kubeplay: this container stands in for kube-proxy and writes no rules itself: kubeplay's own kube-proxy keeps the Services' rules, which each pod's sandbox (kubeplay's pause) writes into the pod's own network namespace; it answers plain HTTP on 10256, kube-proxy's healthz port, in a network namespace of its own, not the node's",
	metricsServer:                     "kubeplay: this container stands in for metrics-server and scrapes nothing itself: kubeplay reads each kubelet's figures of the containers (their cgroups on Docker) and serves them as the metrics API while this pod is ready; it speaks plain HTTP on 10250, not metrics-server's HTTPS",
}

var standInExtraPorts = map[string][]int{"registry.k8s.io/coredns/coredns": {8181, 9153}}

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
	// Environ, when Env is nil, makes the environment when /env is
	// asked: a map of a dozen variables for each of a hundred thousand
	// containers was a tenth of a big cluster's memory.
	Environ func() map[string]string
}

// environ is the app's whole environment.
func (c Config) environ() map[string]string {
	if c.Env == nil && c.Environ != nil {
		return c.Environ()
	}
	return c.Env
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
	cfg, err := ParseLookup(image, func(name string) string { return env[name] })
	cfg.Env = env
	return cfg, err
}

// ParseLookup is Parse with the environment read through lookup (""
// when unset); the Config's Env or Environ is the caller's to set.
func ParseLookup(image string, lookup func(name string) string) (Config, error) {
	cfg := Config{Port: DefaultPort, Version: tagOf(image)}
	if !strings.HasPrefix(image, "kubeplay/demo") {
		cfg.StandIn = image
		if p, ok := standInPorts[Repository(image)]; ok {
			cfg.Port = p
		}
		cfg.Ports = append(cfg.Ports, standInExtraPorts[Repository(image)]...)
	}
	if cfg.Version == "broken" {
		cfg.Broken = true
	}
	if v := lookup("VERSION"); v != "" {
		cfg.Version = v
	}
	if v := lookup("PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p <= 0 || p > 65535 {
			return cfg, fmt.Errorf("PORT=%q is not a port number", v)
		}
		cfg.Port = p
	}
	if v := lookup("PORTS"); v != "" {
		ports, err := parsePorts(v)
		if err != nil {
			return cfg, err
		}
		cfg.Ports = append(cfg.Ports, ports...)
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
		if v := lookup(name); v != "" {
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

// Request is one HTTP request to the app.
type Request struct {
	Method string // "" is GET
	URI    string // a path, with or without a query
	Body   string
}

// Response is the app's answer; the server adds Content-Length and
// Date, and leaves the body out of the answer to a HEAD.
type Response struct {
	Status      int
	ContentType string
	Body        string
}

// TextPlain is the demo app's Content-Type.
const TextPlain = "text/plain; charset=utf-8"

// nginxNotAllowed is nginx's page for a method a static file does not
// take, signed as the stand-in it is.
const nginxNotAllowed = "<html>\r\n<head><title>405 Not Allowed</title></head>\r\n<body>\r\n<center><h1>405 Not Allowed</h1></center>\r\n" +
	"<hr><center>nginx (kubeplay stand-in)</center>\r\n</body>\r\n</html>\r\n"

// Handle answers req at now, as the app or the image it stands in for
// would. crash is true when the request makes the app exit (/crash).
func (a *App) Handle(req Request, now time.Time) (resp Response, crash bool) {
	method := req.Method
	if method == "" {
		method = "GET"
	}
	plain := method == "GET" || method == "HEAD"
	if !plain && Repository(a.cfg.StandIn) == "nginx" {
		return Response{Status: 405, ContentType: "text/html", Body: nginxNotAllowed}, false
	}
	status, body, crash := a.Serve(req.URI, now)
	if !plain && status == 200 && strings.HasPrefix(body, "kubeplay demo ") {
		p, _, _ := strings.Cut(req.URI, "?")
		body = fmt.Sprintf("%s: %s %s with %d bytes\n", strings.TrimSuffix(body, "\n"), method, p, len(req.Body))
	}
	return Response{Status: status, ContentType: TextPlain, Body: body}, crash
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
		env := a.cfg.environ()
		kvs := make([]string, 0, len(env))
		for name, v := range env {
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
	if Repository(a.cfg.StandIn) == PHPApache {
		return 200, "OK!", false // index.php's answer, without a newline
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
