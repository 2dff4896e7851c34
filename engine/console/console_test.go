package console

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/sim"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// A transcript is testdata/NAME.in run through a fresh cluster (seed 1)
// by the shell with Echo, stdout and stderr in one stream, ending with
// the shell's exit status; testdata/NAME.golden is what it must print.
// Inputs run from the repository's root, so they name manifests as a
// learner who cloned it would: assets/examples/… or
// engine/console/testdata/…. Inputs named trace-*.in run with --trace.

// transcripts lists the inputs under testdata, by name.
func transcripts(t *testing.T) (dir string, names []string) {
	t.Helper()
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	ins, err := filepath.Glob(filepath.Join(dir, "*.in"))
	if err != nil || len(ins) == 0 {
		t.Fatalf("no testdata/*.in (%v)", err)
	}
	for _, in := range ins {
		names = append(names, strings.TrimSuffix(filepath.Base(in), ".in"))
	}
	return dir, names
}

// run plays one input on a fresh cluster from the repository's root and
// returns everything the shell printed.
func run(t *testing.T, in string, opts Options) []byte {
	t.Helper()
	input, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(clusterFor(in))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	opts.Echo = true
	status := New(c, &out, &out, opts).Run(bytes.NewReader(input))
	if status != 0 {
		fmt.Fprintf(&out, "# exit status %d\n", status)
	}
	return out.Bytes()
}

// clusterFor is the cluster an input runs on: inputs named ingress-*.in
// get the ingress add-on (its controller not listening on the host).
func clusterFor(in string) cluster.Options {
	o := cluster.Options{Seed: 1}
	if strings.HasPrefix(filepath.Base(in), "ingress-") {
		o.IngressPort = 8080
	}
	return o
}

func optionsFor(name string) Options {
	return Options{Trace: strings.HasPrefix(name, "trace-")}
}

func TestTranscripts(t *testing.T) {
	dir, names := transcripts(t)
	t.Chdir(filepath.Join(dir, "..", "..", ".."))
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			got := run(t, filepath.Join(dir, name+".in"), optionsFor(name))
			golden := filepath.Join(dir, name+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./engine/console -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s differs (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// TestDeterminism runs every input twice: the same input and seed must
// print the same bytes, or a transcript could not be a test at all.
func TestDeterminism(t *testing.T) {
	dir, names := transcripts(t)
	t.Chdir(filepath.Join(dir, "..", "..", ".."))
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			in := filepath.Join(dir, name+".in")
			first := run(t, in, Options{Trace: true})
			second := run(t, in, Options{Trace: true})
			if diff := cmp.Diff(string(first), string(second)); diff != "" {
				t.Errorf("two runs of %s differ (-first +second):\n%s", in, diff)
			}
		})
	}
}

var traceLine = regexp.MustCompile(`^ *(\d+\.\d{3})  \S+ → \S+  \S.*$`)

// TestTraceLines checks that with --trace every hop is printed as
// FormatHop prints it, in order of virtual time, between the commands
// that caused it.
func TestTraceLines(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var hops []sim.Hop
	c.Observe(func(h sim.Hop) { hops = append(hops, h) })
	var out bytes.Buffer
	input := "kubectl create deployment web --image=kubeplay/demo:v1\nsleep 5s\nkubectl get pods\n"
	if status := New(c, &out, &out, Options{Trace: true, Echo: true}).Run(strings.NewReader(input)); status != 0 {
		t.Fatalf("status %d:\n%s", status, out.String())
	}
	var traced []string
	last := -1.0
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if strings.HasPrefix(line, "$ ") || strings.HasPrefix(line, "NAME ") || strings.HasPrefix(line, "web-") ||
			strings.HasPrefix(line, "deployment.apps/") {
			continue
		}
		m := traceLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("not a trace line: %q", line)
		}
		at, err := strconv.ParseFloat(m[1], 64)
		if err != nil || at < last {
			t.Errorf("trace goes back in time at %q (after %.3f)", line, last)
		}
		last = at
		traced = append(traced, line)
	}
	if len(traced) != len(hops) {
		t.Fatalf("printed %d trace lines for %d hops", len(traced), len(hops))
	}
	for i, h := range hops {
		if traced[i] != h.Trace() {
			t.Errorf("line %d: %q, want %q", i, traced[i], h.Trace())
		}
	}
	for _, want := range []string{"kubectl → apiserver  create deployments/web", "scheduler → apiserver  bind pods/web-"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("trace has no %q", want)
		}
	}
}
