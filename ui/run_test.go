package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/engine/ingress"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// probe runs the app inside the real program and calls check after every
// Update, on the program's goroutine: a test sees the app's state without
// racing it.
type probe struct {
	*App
	check func(*App, tea.Msg)
}

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.App.Update(msg)
	p.check(p.App, msg)
	return p, cmd
}

// stages are conditions on the app a test waits for in turn.
type stages struct {
	mu    sync.Mutex
	conds []func(*App) bool
	hit   []chan struct{}
}

func (s *stages) add(cond func(*App) bool) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan struct{})
	s.conds, s.hit = append(s.conds, cond), append(s.hit, ch)
	return ch
}

func (s *stages) check(a *App, _ tea.Msg) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.conds) > 0 && s.conds[0](a) {
		close(s.hit[0])
		s.conds, s.hit = s.conds[1:], s.hit[1:]
	}
}

func await(t *testing.T, ch <-chan struct{}, d time.Duration, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatalf("no %s within %s", what, d)
	}
}

// harness runs run() on a pipe, with launch wrapped to count stops.
type harness struct {
	t     *testing.T
	end   context.CancelCauseFunc // ends run's context, as main does on a signal
	keys  io.WriteCloser
	stops atomic.Int32
	err   chan error
	st    stages
	// started closes on the first frame with a size.
	started <-chan struct{}
}

func startRun(t *testing.T, o Options, check func(*App, tea.Msg)) *harness {
	t.Helper()
	// An io.Pipe, not an os.Pipe: Bubble Tea's reader of a file races
	// with its own shutdown on a panic (in the library, not here).
	r, w := io.Pipe()
	return startRunReading(t, o, check, r, w, discard{})
}

// startRunOnFile is startRun with keys typed through an os.Pipe, a file
// as a terminal is: a read of it can be cancelled, as lending the
// terminal to kubectl exec -it needs (a read of an io.Pipe cannot be, and
// would take the first keys after the session). What the program writes
// is kept in terminal.
func startRunOnFile(t *testing.T, o Options, check func(*App, tea.Msg), terminal io.Writer) *harness {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return startRunReading(t, o, check, r, w, terminal)
}

func startRunReading(t *testing.T, o Options, check func(*App, tea.Msg), r io.Reader, w io.WriteCloser, out io.Writer) *harness {
	t.Helper()
	t.Cleanup(func() { w.Close() })
	ctx, end := context.WithCancelCause(context.Background())
	t.Cleanup(func() { end(nil) })
	h := &harness{t: t, end: end, keys: w, err: make(chan error, 1)}
	// Registered before the program runs: a stage is checked only when a
	// message arrives, and none may follow the one that satisfies it.
	h.started = h.st.add(onStart)
	o.Notices = testWriter{t}
	first := o.Clusters
	hooked := hookedStart{first, func(ctx context.Context, notice func(string)) (backend.Cluster, func(), string, error) {
		c, stop, why, err := first.Start(ctx, notice)
		if err != nil {
			return nil, nil, "", err
		}
		return c, func() { h.stops.Add(1); stop() }, why, nil
	}}
	o.Clusters = hooked
	if lc, ok := first.(LessonClusters); ok {
		o.Clusters = hookedLessons{hooked, lc}
	}
	hk := hooks{
		wrap: func(a *App) tea.Model {
			return probe{a, func(a *App, msg tea.Msg) {
				h.st.check(a, msg)
				if check != nil {
					check(a, msg)
				}
			}}
		},
		options: []tea.ProgramOption{tea.WithWindowSize(120, 36)},
	}
	go func() { h.err <- run(ctx, o, r, out, hk) }()
	return h
}

func (h *harness) typeKeys(s string) {
	h.t.Helper()
	if _, err := io.WriteString(h.keys, s); err != nil {
		h.t.Fatal(err)
	}
}

// wait is run's error, once it returns.
func (h *harness) wait(d time.Duration) error {
	h.t.Helper()
	select {
	case err := <-h.err:
		return err
	case <-time.After(d):
		h.t.Fatalf("run did not return within %s", d)
		return nil
	}
}

// testOptions are o on the tests' clusters: seed 1, o's nodes, on
// runtime rt with Docker's images built from bin; the ingress add-on
// only where a lesson declares it, as main's --ingress-port would.
func testOptions(o Options, rt, bin string) Options {
	o.Clusters = &launch.Clusters{Runtime: rt, Binary: bin, Cluster: cluster.Options{Seed: 1, Nodes: o.Nodes, Lang: o.Lang},
		IngressPort: ingress.DefaultPort}
	return o
}

// testApp is NewApp on the tests' simulated clusters.
func testApp(o Options) *App { return NewApp(testOptions(o, launch.Sim, "")) }

// hookedStart are clusters whose first a test starts itself.
type hookedStart struct {
	Clusters
	start func(ctx context.Context, notice func(string)) (backend.Cluster, func(), string, error)
}

func (h hookedStart) Start(ctx context.Context, notice func(string)) (backend.Cluster, func(), string, error) {
	return h.start(ctx, notice)
}

// hookedLessons are hookedStart of clusters that start each lesson's.
type hookedLessons struct {
	hookedStart
	LessonClusters
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func onStart(a *App) bool { return a.c.Width > 0 }

// TestRunStopsOnPanic: a panic in Update ends the program (Bubble Tea
// restores the terminal) and the runtime is still stopped.
func TestRunStopsOnPanic(t *testing.T) {
	h := startRun(t, testOptions(Options{Lang: "en", Nodes: 1, Theme: theme.NoColor}, launch.Sim, ""), func(_ *App, msg tea.Msg) {
		if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "!" {
			panic("boom")
		}
	})
	await(t, h.started, 10*time.Second, "first frame")
	h.typeKeys("!")
	err := h.wait(10 * time.Second)
	if !errors.Is(err, tea.ErrProgramPanic) {
		t.Errorf("run returned %v, want a panic", err)
	}
	if n := h.stops.Load(); n != 1 {
		t.Errorf("the runtime was stopped %d times, want once", n)
	}
}

// errSignalled is why main ends run's context on a signal, in the tests.
var errSignalled = errors.New("stopped by terminated")

// TestRunStopsWhenItsContextEnds: the end of run's context (main's, on
// SIGINT, SIGTERM or SIGHUP) ends the program and stops the runtime, and
// run says why the context ended.
func TestRunStopsWhenItsContextEnds(t *testing.T) {
	h := startRun(t, testOptions(Options{Lang: "en", Nodes: 1, Theme: theme.NoColor}, launch.Sim, ""), nil)
	await(t, h.started, 10*time.Second, "first frame")
	h.end(errSignalled)
	if err := h.wait(10 * time.Second); !errors.Is(err, errSignalled) {
		t.Errorf("run returned %v, want %v", err, errSignalled)
	}
	if n := h.stops.Load(); n != 1 {
		t.Errorf("the runtime was stopped %d times, want once", n)
	}
}

// countedClusters are the tests' clusters, remembering which fresh ones
// were stopped.
type countedClusters struct {
	Clusters
	mu      sync.Mutex
	stopped []bool // by the order of Fresh
}

func (cc *countedClusters) Fresh(addons ...string) (backend.Cluster, func(), error) {
	c, stop, err := cc.Clusters.Fresh(addons...)
	if err != nil {
		return nil, nil, err
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	i := len(cc.stopped)
	cc.stopped = append(cc.stopped, false)
	return c, func() {
		cc.mu.Lock()
		cc.stopped[i] = true
		cc.mu.Unlock()
		stop()
	}, nil
}

func (cc *countedClusters) state() []bool {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return slices.Clone(cc.stopped)
}

// TestFreshClustersStopWhenReplacedAndAtTheEnd: free play and each lesson
// past the first get a fresh cluster; a lesson's is stopped when another
// lesson replaces it (its NodePort listeners would hold their ports), and
// every one still running when the UI ends.
func TestFreshClustersStopWhenReplacedAndAtTheEnd(t *testing.T) {
	t.Setenv(configdir.Env, t.TempDir())
	all, err := lessons.All()
	if err != nil || len(all) < 2 {
		t.Fatalf("lessons: %d, %v", len(all), err)
	}
	o := testOptions(Options{Lang: "en", Nodes: 1, Theme: theme.NoColor, Playground: true}, launch.Sim, "")
	cc := &countedClusters{Clusters: o.Clusters}
	o.Clusters = cc
	a := NewApp(o) // free play open: fresh cluster 0
	a.openLesson(all[0])
	a.openLesson(all[1])
	if got, want := cc.state(), []bool{false, true, false}; !slices.Equal(got, want) {
		t.Errorf("after free play and two lessons, fresh clusters stopped: %v, want %v (the first lesson's only)", got, want)
	}
	a.close()
	if got, want := cc.state(), []bool{true, true, true}; !slices.Equal(got, want) {
		t.Errorf("after the end, fresh clusters stopped: %v, want %v", got, want)
	}
}

// running is a pod of web on the board, Running (ready or not yet).
var running = regexp.MustCompile(`[●◐] web-`)

// TestStoryDocker opens the playground on Docker, creates a deployment in
// free mode, waits until the board shows its pod Running, opens a shell in
// its container with kubectl exec -it, and ends — by quitting once the
// shell exits, or by SIGTERM while it runs — and checks that no container
// of the run is left. Without a daemon it skips, unless CI=true, where it
// fails.
func TestStoryDocker(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no Docker story")
	}
	dockertest.Need(t, "the Docker story")
	// The images are built from the kubeplay binary; the test binary is not one.
	bin := filepath.Join(t.TempDir(), "kubeplay")
	build := exec.Command("go", "build", "-o", bin, "github.com/kubeplay/kubeplay")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("quit after the shell exits", func(t *testing.T) { dockerStory(t, bin, false) })
	t.Run("SIGTERM (main ends the context) while the shell runs", func(t *testing.T) { dockerStory(t, bin, true) })
}

func dockerStory(t *testing.T, bin string, signalled bool) {
	var screen atomic.Value
	var terminal dockertest.Buffer
	h := startRunOnFile(t, testOptions(Options{Lang: "en", Nodes: 1, Theme: theme.NoColor}, launch.Docker, bin),
		func(a *App, _ tea.Msg) { screen.Store(ansi.Strip(a.View().Content)) }, &terminal)
	show := func() string { s, _ := screen.Load().(string); return s }
	defer func() {
		if t.Failed() {
			t.Logf("last screen:\n%s", show())
		}
	}()
	// Every stage is registered before the keys that lead to it: see started.
	docker := h.st.add(func(a *App) bool {
		return strings.Contains(ansi.Strip(a.View().Content), "pods are real containers")
	})
	opened := h.st.add(func(a *App) bool { return a.onPlayground })
	free := h.st.add(func(a *App) bool { return a.play.Mode() == 2 })
	var failed atomic.Bool
	podRunning := h.st.add(func(a *App) bool {
		scr := ansi.Strip(a.View().Content)
		if strings.Contains(scr, "✕ web-") {
			failed.Store(true) // the runtime could not run it: no use waiting
			return true
		}
		return !a.driver.Running() && running.MatchString(scr)
	})
	await(t, docker, 5*time.Minute, "start screen saying Docker")
	h.typeKeys("\r")
	await(t, opened, 10*time.Second, "playground")
	h.typeKeys("\x14\x14") // ctrl+t twice: step → paced → free
	await(t, free, 10*time.Second, "free mode")
	h.typeKeys("create deployment web --image=kubeplay/demo:v1\r")
	await(t, podRunning, 2*time.Minute, "pod of web Running on the board")
	if failed.Load() {
		t.Fatalf("the pod of web failed on Docker instead of running (see its events on the last screen)")
	}

	// kubectl exec -it: the screen is given up to a shell in the pod's
	// container, which answers as keys are typed, until it exits.
	execEnded := h.st.add(func(a *App) bool {
		return !a.driver.Running() && strings.Contains(ansi.Strip(a.View().Content), "command terminated with exit code 3")
	})
	h.typeKeys("exec -it deploy/web -- sh\r")
	terminal.Await(t, "/ # ", 20*time.Second)
	h.typeKeys("echo answer-$((6*7))\r")
	terminal.Await(t, "answer-42", 20*time.Second)
	if signalled {
		// The shell has the screen and the UI's loop waits for it: the
		// signal must end the session for the program to stop.
		h.end(errSignalled)
		if err := h.wait(time.Minute); !errors.Is(err, errSignalled) {
			t.Errorf("run returned %v, want %v", err, errSignalled)
		}
	} else {
		h.typeKeys("exit 3\r")
		await(t, execEnded, 20*time.Second, "the playground back, saying the shell's exit code")
		h.typeKeys("\x11y") // ctrl+q, and yes: the cluster has a deployment
		if err := h.wait(time.Minute); err != nil {
			t.Fatalf("run: %v", err)
		}
	}
	if n := h.stops.Load(); n != 1 {
		t.Errorf("the runtime was stopped %d times, want once", n)
	}
	dockertest.NothingLeft(t, os.Getpid())
}
