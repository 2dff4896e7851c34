// Command helper is the one binary of the docker runtime's test image,
// standing in for kubeplay's own multi-call binary until the image package
// provides it: it is demo-app, pause, sh, cat, touch, sleep, wget and hog
// (eats memory), chosen by the name it is called by.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/kubeplay/kubeplay/engine/demoapp"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

var applets = map[string]func(args []string) int{
	"demo-app": demoApp, "pause": pause, "sh": sh, "cat": cat, "touch": touch,
	"sleep": sleep, "wget": wget, "hog": hog,
}

func main() {
	name, args := filepath.Base(os.Args[0]), os.Args[1:]
	if applets[name] == nil && len(args) > 0 {
		name, args = args[0], args[1:]
	}
	run := applets[name]
	if run == nil {
		fmt.Fprintf(os.Stderr, "%s: unknown applet\n", name)
		os.Exit(127)
	}
	os.Exit(run(args))
}

func terminated() chan os.Signal {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM, syscall.SIGINT)
	return c
}

// pause holds a pod's namespaces until it is stopped.
func pause([]string) int {
	<-terminated()
	return 0
}

// demoApp serves the demo app for real, as the sim runtime plays it.
func demoApp([]string) int {
	image := os.Getenv("KUBEPLAY_IMAGE")
	if image == "" {
		image = "kubeplay/demo:latest"
	}
	env := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	cfg, err := demoapp.Parse(image, env)
	if err != nil {
		fmt.Printf("demo-app: %v\n", err)
		return 2
	}
	host, _ := os.Hostname()
	app := demoapp.New(cfg, host, time.Now())
	fmt.Println(app.Banner())
	if cfg.Broken {
		return 1
	}
	var mu sync.Mutex // App is not safe for concurrent use
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		status, body, crash := app.Serve(r.URL.Path, time.Now())
		mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, body)
		if crash {
			fmt.Println("demo-app: GET /crash: exiting with code 1")
			go func() { time.Sleep(50 * time.Millisecond); os.Exit(1) }()
		}
	})
	sig := terminated()
	go func() {
		time.Sleep(cfg.StartupDelay)
		for _, p := range append([]int{cfg.Port}, cfg.Ports...) {
			go func() {
				if err := http.ListenAndServe(":"+strconv.Itoa(p), handler); err != nil {
					fmt.Printf("demo-app: %v\n", err)
					os.Exit(1)
				}
			}()
		}
	}()
	if cfg.CrashAfter > 0 {
		time.AfterFunc(cfg.CrashAfter, func() {
			fmt.Printf("demo-app: CRASH_AFTER=%s reached, exiting with code 1\n", cfg.CrashAfter)
			os.Exit(1)
		})
	}
	<-sig
	mu.Lock()
	drain := app.Terminate()
	mu.Unlock()
	fmt.Printf("demo-app: SIGTERM received, draining for %s then exiting\n", drain)
	time.Sleep(drain)
	fmt.Println("demo-app: drained, bye")
	return 0
}

// sh runs `sh -c SCRIPT`; commands that are not shell builtins run as
// programs from PATH, that is, as this binary again.
func sh(args []string) int {
	if len(args) < 2 || args[0] != "-c" {
		return 0
	}
	file, err := syntax.NewParser().Parse(strings.NewReader(args[1]), "sh")
	if err != nil {
		fmt.Fprintf(os.Stderr, "sh: %v\n", err)
		return 2
	}
	r, err := interp.New(interp.StdIO(os.Stdin, os.Stdout, os.Stderr))
	if err != nil {
		fmt.Fprintf(os.Stderr, "sh: %v\n", err)
		return 2
	}
	err = r.Run(context.Background(), file)
	var status interp.ExitStatus
	switch {
	case errors.As(err, &status):
		return int(status)
	case err != nil:
		fmt.Fprintf(os.Stderr, "sh: %v\n", err)
		return 1
	}
	return 0
}

func cat(args []string) int {
	code := 0
	for _, name := range args {
		b, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "cat: can't open '%s': No such file or directory\n", name)
			code = 1
			continue
		}
		os.Stdout.Write(b)
	}
	return code
}

func touch(args []string) int {
	for _, name := range args {
		f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintf(os.Stderr, "touch: %s: %v\n", name, err)
			return 1
		}
		f.Close()
	}
	return 0
}

func sleep(args []string) int {
	if len(args) == 0 {
		return 1
	}
	d, err := demoapp.ParseDuration(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "sleep: invalid number '%s'\n", args[0])
		return 1
	}
	time.Sleep(d)
	return 0
}

// wget is `wget -q -O- URL`: the body on stdout.
func wget(args []string) int {
	if len(args) == 0 {
		return 1
	}
	resp, err := http.Get(args[len(args)-1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "wget: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	io.Copy(os.Stdout, resp.Body)
	if resp.StatusCode >= 400 {
		return 1
	}
	return 0
}

// hog takes memory and touches it until it is killed.
func hog([]string) int {
	var keep [][]byte
	for {
		b := make([]byte, 8<<20)
		for i := range b {
			b[i] = 1
		}
		keep = append(keep, b)
		time.Sleep(time.Millisecond)
	}
}
