// Package multicall is what the kubeplay binary does inside a container. The
// Docker runtime has no registry to pull from, so its images hold nothing but
// the kubeplay binary (and, when it is dynamically linked, its loader and
// libraries); every program a pod runs is kubeplay in one of these modes:
//
//	kubeplay demo-app        the demo app, over real HTTP (engine/guest/demoapp)
//	kubeplay pause           the pod sandbox: waits for SIGTERM; on Docker
//	                         also the pod's kube-proxy and cluster DNS
//	kubeplay sh [-c S|FILE]  kubeplay's shell on the container's files
//	kubeplay perl ARGS       the perl stand-in: only the documentation's pi
//	                         example (engine/guest/perlpi)
//
// and, busybox style, invoked through a link named sh, cat, ls, wget, … it is
// that command (through a link named perl, the perl stand-in), run by the same shell the simulated runtime uses, so exec
// probes and `kubectl exec POD -- sh` behave alike on both runtimes.
package multicall

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/kubeplay/kubeplay/engine/guest/demoapp"
	"github.com/kubeplay/kubeplay/engine/guest/kubeproxy"
	"github.com/kubeplay/kubeplay/engine/guest/perlpi"
	"github.com/kubeplay/kubeplay/engine/guest/shell"
)

// Modes are the sub-commands Main serves.
var Modes = []string{"demo-app", "pause", "sh", "perl"}

// EnvImage is the variable that tells the demo app which image it runs as,
// so that a stand-in says what it stands in for; the image sets it.
const EnvImage = "KUBEPLAY_IMAGE"

// Applets are the names under which the binary runs a shell command: every
// command kubeplay's shell has. The image links each to the binary.
func Applets() []string { return shell.Commands() }

// Main runs kubeplay as one of its in-container programs when args (as in
// os.Args) ask for one, and reports handled=false otherwise, when main goes on
// with the command line interface.
func Main(args []string, stdin *os.File, stdout, stderr io.Writer) (code int, handled bool) {
	if len(args) == 0 {
		return 0, false
	}
	if name := filepath.Base(args[0]); isApplet(name) {
		return Shell(append([]string{name}, args[1:]...), stdin, stdout, stderr), true
	}
	if filepath.Base(args[0]) == perlpi.Repository {
		return Perl(args, stdout, stderr), true
	}
	if len(args) < 2 {
		return 0, false
	}
	switch args[1] {
	case "demo-app":
		return DemoApp(stdout, stderr), true
	case "pause":
		return Pause(), true
	case "sh":
		return Shell(args[1:], stdin, stdout, stderr), true
	case "perl":
		return Perl(args[1:], stdout, stderr), true
	}
	return 0, false
}

func isApplet(name string) bool {
	for _, a := range Applets() {
		if a == name {
			return true
		}
	}
	return false
}

// notify relays the signals a container's process gets.
func notify(sigs ...os.Signal) (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, sigs...)
	return ch, func() { signal.Stop(ch) }
}

// Pause is the pod sandbox: it holds the pod's namespaces and exits 0 on
// SIGTERM or SIGINT, as Kubernetes' pause container does. On Docker it is
// also the pod's kube-proxy and cluster DNS (engine/guest/kubeproxy) when
// the runtime names the node's snapshot folder; what keeps it from that
// goes to its log, and the pod runs on without cluster IPs.
func Pause() int {
	sigs, stop := notify(syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if dir := os.Getenv(kubeproxy.EnvDir); dir != "" {
		p, err := kubeproxy.Start(dir, os.Stderr)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s%v: cluster IPs and the cluster DNS do not answer in this pod (its sandbox needs CAP_NET_ADMIN over its own network namespace and a kernel with nf_tables)\n", kubeproxy.LogPrefix, err)
		} else {
			fmt.Println(kubeproxy.Ready)
			defer p.Close()
		}
	}
	<-sigs
	return 0
}

// DemoApp serves the demo app as configured by the environment (VERSION,
// PORT, PORTS, STARTUP_DELAY, …; KUBEPLAY_IMAGE for stand-ins) until it exits.
func DemoApp(stdout, stderr io.Writer) int {
	env := environ()
	image := env[EnvImage]
	if image == "" {
		image = "kubeplay/demo:latest"
	}
	cfg, err := demoapp.Parse(image, env)
	if err != nil {
		fmt.Fprintf(stderr, "demo-app: %v\n", err)
		return 2
	}
	host, _ := os.Hostname()
	sigs, stop := notify(syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	return demoapp.Serve(context.Background(), cfg, demoapp.ServeOptions{Hostname: host, Log: stdout, Signals: sigs, Files: demoapp.OSFiles{}})
}

// Shell runs argv (["sh","-c","…"], ["cat","/tmp/x"], …) with kubeplay's
// shell on the real file system, the wall clock and the real network.
func Shell(argv []string, stdin *os.File, stdout, stderr io.Writer) int {
	env := environ()
	// The image the pod asked for is the runtime's word to kubeplay, not
	// part of the pod's environment: `env` in a container does not show it.
	image := env[EnvImage]
	delete(env, EnvImage)
	if env["HOSTNAME"] == "" {
		if h, err := os.Hostname(); err == nil {
			env["HOSTNAME"] = h
		}
	}
	dir, err := os.Getwd()
	if err != nil {
		dir = "/"
	}
	sigs, stop := notify(syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2)
	defer stop()
	host, _ := os.Hostname()
	return shell.Run(shell.Config{
		Argv: argv, Env: env, Dir: dir, FS: shell.NewOSFS("/"), PID1: os.Getpid() == 1,
		Stdin: stdin, Stdout: stdout, Stderr: stderr,
		Net: shell.HTTPNet{}, DNS: shell.UDPDNS{}, Hostname: host, Seed: time.Now().UnixNano(),
		// The image the pod asked for (the runtime sets it): busybox:1.28's
		// stand-in has that busybox's nslookup, as on the simulated runtime.
		Image: image,
	}, sigs)
}

// Perl is the perl stand-in: argv (["perl","-Mbignum=bpi","-wle","print
// bpi(2000)"]) prints π's digits and exits 0 when it is the documentation's
// pi example; any other perl program gets, on stderr, that this perl plays
// only that example, and exit code 2.
func Perl(argv []string, stdout, stderr io.Writer) int {
	n, ok := perlpi.Match(argv)
	if !ok {
		fmt.Fprintf(stderr, "kubeplay: this perl is kubeplay's stand-in for the perl image; it runs only the Kubernetes documentation's pi example: %s\n", perlpi.Example)
		return 2
	}
	fmt.Fprintln(stdout, perlpi.Pi(n))
	return 0
}

func environ() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}
