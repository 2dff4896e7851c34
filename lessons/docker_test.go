package lessons

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/guest/multicall/kubeplaytest"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
)

// TestMain removes the kubeplay binary the Docker test builds.
func TestMain(m *testing.M) { kubeplaytest.Main(m) }

// onDocker are the lessons whose point is what real containers do: probes
// against a real process, rollouts of real pods, real signals, a Job's
// real exit codes and a CronJob on the wall clock, a pod on every real
// node, a disk that outlives its container, requests an ingress
// controller routes to real containers, an autoscaler driven by the
// CPU real containers spend on requests (their cgroups, measured), and
// real DNS queries from a container, answered in its pod and shown as
// hops.
// The longest first (probes, autoscaling, jobs-and-cronjobs): they start
// in this order, so the short ones fill the other slots meanwhile.
var onDocker = []string{"probes", "autoscaling", "jobs-and-cronjobs", "rollouts", "graceful-shutdown", "daemonsets", "statefulsets", "ingress", "finding-a-service-by-name"}

// dockerLessonsAtOnce is how many lessons TestPlayOnDocker plays at once.
const dockerLessonsAtOnce = 3

// TestPlayOnDocker plays the lessons of onDocker with their suggested
// commands, as TestPlayEveryLesson does, with pods as real Docker
// containers, each lesson on its own cluster, in parallel: the clock is
// real, so each lesson takes the minutes its text says. It logs each
// lesson's wall time and each step's, and checks that no container or
// network of the run is left. Without a Docker daemon it skips, unless
// CI=true, where it fails. One language is enough here (the text is the
// sim test's business), and one run: the race detector's run skips it.
// CI runs it, so keep these lessons' waits short: they run
// dockerLessonsAtOnce at a time, about 6.5 minutes in all under heavy
// load (13 minutes of lessons); probes takes 2–4 minutes,
// jobs-and-cronjobs 2–2.5 (its CronJob fires on the minute, twice),
// autoscaling about 3 (a minute of load, a minute for the 30 s
// scale-down window its step sets). A wait that fits cluster time (a
// progress deadline, a sleep, a schedule) must fit real time too.
func TestPlayOnDocker(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the lessons on Docker take minutes of real time")
	}
	if raceEnabled {
		t.Skip("the race detector's run skips the lessons on Docker: they take minutes of real time and the plain run plays them")
	}
	dockertest.Need(t, "the lessons on Docker")
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	// The images hold a kubeplay binary; the test binary is not one.
	bin := kubeplaytest.Binary(t, false)
	var starting sync.Mutex // one image build at a time
	begin := time.Now()
	t.Run("lessons", func(t *testing.T) {
		// dockerLessonsAtOnce lessons play at a time, whatever -parallel
		// says (GOMAXPROCS, 2 on CI): they mostly wait on the wall clock
		// (probes, a CronJob's minute, an HPA's window), not on the CPU:
		// two at a time took the package to 7.5 of go test's 10 minutes,
		// three (the slots taken in no set order) to 8.3 with lesson 18;
		// four, longest first, 4.9 here but on CI, beside the root
		// package's Docker tests, rollouts missed its 30 s progress
		// deadline: three, longest first.
		var wg sync.WaitGroup
		slots := make(chan struct{}, dockerLessonsAtOnce)
		defer wg.Wait()
		for _, id := range onDocker {
			l, err := Find(all, id, "en")
			if err != nil {
				t.Error(err)
				continue
			}
			slots <- struct{}{} // taken here, so the lessons start in onDocker's order
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-slots }()
				t.Run(id, func(t *testing.T) {
					starting.Lock()
					c, stop, err := launch.Start(context.Background(), launch.Options{
						Runtime: launch.Docker, Binary: bin, Cluster: clusterFor(l),
					})
					starting.Unlock()
					if err != nil {
						t.Fatal(err)
					}
					defer stop()
					clock := &stepClock{start: time.Now(), done: strings.SplitN(msg("en", "step-done"), "%", 2)[0]}
					defer func() {
						if testing.Verbose() {
							t.Logf("%s on Docker, seconds since the start:\n%s", id, clock.transcript())
						}
						t.Logf("%s on Docker: %s", id, clock)
					}()
					playOn(t, c, l, "en", t.TempDir(), clock)
				})
			}()
		}
	})
	t.Logf("the lessons on Docker took %s of wall time", time.Since(begin).Round(time.Second))
	dockertest.NothingLeft(t, os.Getpid())
}

// stepClock hears a lesson's transcript, times its steps by the lines
// that say a step is done, and keeps each line with its time.
type stepClock struct {
	mu    sync.Mutex
	start time.Time
	done  string // what a step-done line starts with
	line  []byte
	last  time.Time
	steps []time.Duration
	log   strings.Builder
}

func (sc *stepClock) Write(p []byte) (int, error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.line = append(sc.line, p...)
	for {
		i := bytes.IndexByte(sc.line, '\n')
		if i < 0 {
			return len(p), nil
		}
		now := time.Now()
		fmt.Fprintf(&sc.log, "%6.1f %s\n", now.Sub(sc.start).Seconds(), sc.line[:i])
		if strings.HasPrefix(string(sc.line[:i]), sc.done) {
			if sc.last.IsZero() {
				sc.last = sc.start
			}
			sc.steps = append(sc.steps, now.Sub(sc.last))
			sc.last = now
		}
		sc.line = sc.line[i+1:]
	}
}

// transcript is every line heard so far, each after its time in seconds.
func (sc *stepClock) transcript() string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.log.String()
}

// String is the wall time so far, then each step's.
func (sc *stepClock) String() string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%s wall time; steps:", time.Since(sc.start).Round(100*time.Millisecond))
	for i, d := range sc.steps {
		fmt.Fprintf(&b, " %d=%s", i+1, d.Round(100*time.Millisecond))
	}
	return b.String()
}
