package httpapi

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Benchmarks of the inputs a learner (or a page) controls that once made
// kubeplay's memory grow without bound (issue 13). Each reports the
// process's peak resident memory (VmHWM: run one benchmark a process,
// -run '^$' -bench NAME -benchtime 1x) and how long `kubectl get nodes`'s
// request took meanwhile. Goals: peak < 1 GB, get nodes < 100 ms.

// nodeProbe asks for the nodes as `kubectl get nodes` does, again and
// again until stopped, and keeps how long each answer took.
type nodeProbe struct {
	mu     sync.Mutex
	took   []time.Duration
	phases []probePhase // reported by done
	stop   chan struct{}
	ended  chan struct{}
}

// probePhase is a phase's answers, slowest last.
type probePhase struct {
	name string
	took []time.Duration
}

func (sv *served) probeNodes(b *testing.B) *nodeProbe {
	p := &nodeProbe{stop: make(chan struct{}), ended: make(chan struct{})}
	client := sv.client()
	go func() {
		defer close(p.ended)
		for {
			select {
			case <-p.stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			req, _ := http.NewRequest("GET", sv.base+"/api/v1/nodes?limit=500", nil)
			req.Header.Set("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			p.mu.Lock()
			p.took = append(p.took, time.Since(start))
			p.mu.Unlock()
		}
	}()
	return p
}

// phase ends a phase: the answers since the last one are reported by
// done as get-nodes-{max,p99,p50}-ms-PHASE (ReportMetric's values do not
// live through b.Loop's start, so they wait until the end).
func (p *nodeProbe) phase(b *testing.B, name string) {
	p.mu.Lock()
	took := p.took
	p.took = nil
	p.mu.Unlock()
	if len(took) == 0 {
		b.Fatalf("get nodes was never answered during %s", name)
	}
	slices.Sort(took)
	p.phases = append(p.phases, probePhase{name, took})
}

// idle measures get nodes for a second before the load starts: what the
// machine gives at all (other work may keep it busy), to read the other
// phases against.
func (p *nodeProbe) idle(b *testing.B) {
	time.Sleep(time.Second)
	p.phase(b, "idle")
}

// done stops the probe, ends the last phase and reports them all.
func (p *nodeProbe) done(b *testing.B, name string) {
	close(p.stop)
	<-p.ended
	p.phase(b, name)
	for _, ph := range p.phases {
		took := ph.took
		b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "get-nodes-max-ms-"+ph.name)
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "get-nodes-p99-ms-"+ph.name)
		b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "get-nodes-p50-ms-"+ph.name)
	}
}

// BenchmarkHostilePatch sends the 1.9 KB JSON patch of 30 copy
// operations, each of which doubles the Deployment: unbounded, 2^30
// copies of its spec.
func BenchmarkHostilePatch(b *testing.B) {
	sv := serve(b)
	if code, body := sv.do(b, "POST", "/apis/apps/v1/namespaces/default/deployments", "application/json", deployment("web", 1)); code != 201 {
		b.Fatalf("create: %d %s", code, body)
	}
	var ops []string
	for i := range 30 {
		ops = append(ops, fmt.Sprintf(`{"op":"copy","from":"/spec","path":"/spec/another_copy_%02d"}`, i))
	}
	patch := "[" + strings.Join(ops, ", ") + "]"
	probe := sv.probeNodes(b)
	probe.idle(b)
	for b.Loop() {
		code, body := sv.do(b, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web", "application/json-patch+json", patch)
		if code != 422 {
			b.Fatalf("the hostile patch: %d %.300s", code, body)
		}
	}
	time.Sleep(100 * time.Millisecond)
	probe.done(b, "patch")
	b.ReportMetric(float64(len(patch)), "patch-bytes")
	b.ReportMetric(float64(peakRSS(b))/1e6, "peak-RSS-MB")
}

// watchersEnv carries, to the child process that plays the watchers,
// where to connect: "URL TOKEN CAFILE COUNT".
const watchersEnv = "KUBEPLAY_BENCH_WATCHERS"

// BenchmarkWatchersOfALargeObject: 5,000 watches of ConfigMaps (another
// process holds them, as 5,000 kubectls would) get a 1 MiB ConfigMap as
// they start, then its change; get nodes is asked meanwhile.
func BenchmarkWatchersOfALargeObject(b *testing.B) {
	const watchers = 5000
	sv := serve(b)
	sv.makeNamespace(b, "big")
	if code, body := sv.do(b, "POST", "/api/v1/namespaces/big/configmaps", "application/json", bigConfigMap("big", 1<<20, 'a')); code != 201 {
		b.Fatalf("create: %d %.200s", code, body)
	}
	ca := filepath.Join(b.TempDir(), "ca.crt")
	if err := os.WriteFile(ca, sv.s.CACert(), 0o600); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		probe := sv.probeNodes(b)
		probe.idle(b)
		cmd := exec.Command(os.Args[0], "-test.run=^TestWatcherClients$", "-test.count=1")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %s %s %d", watchersEnv, sv.base, sv.s.Token(), ca, watchers))
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		stdin, err := cmd.StdinPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		expect := func(word string) {
			for lines.Scan() {
				if strings.HasPrefix(lines.Text(), word) {
					return
				}
			}
			b.Fatalf("the watchers never said %q", word)
		}
		start := time.Now()
		expect("added") // every watcher has the 1 MiB object
		b.ReportMetric(time.Since(start).Seconds(), "s-to-start-watchers")
		probe.phase(b, "start")
		start = time.Now()
		if code, body := sv.do(b, "PATCH", "/api/v1/namespaces/big/configmaps/big", "application/merge-patch+json", bigData(1<<20, 'b')); code != 200 {
			b.Fatalf("update: %d %.200s", code, body)
		}
		expect("modified") // and its change
		b.ReportMetric(time.Since(start).Seconds(), "s-to-fan-out-change")
		probe.done(b, "change")
		_ = stdin.Close() // the watchers go
		_ = cmd.Wait()
	}
	b.ReportMetric(float64(peakRSS(b))/1e6, "peak-RSS-MB")
}

// TestWatcherClients is the other process of
// BenchmarkWatchersOfALargeObject: it opens the watches, says "added"
// when each has its first event and "modified" when each has its second,
// and ends when its standard input does.
func TestWatcherClients(t *testing.T) {
	spec := os.Getenv(watchersEnv)
	if spec == "" {
		t.Skip("run by BenchmarkWatchersOfALargeObject")
	}
	var base, token, caFile string
	var n int
	if _, err := fmt.Sscan(spec, &base, &token, &caFile, &n); err != nil {
		t.Fatal(err)
	}
	ca, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	// One connection a watch, as separate kubectls have.
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
		MaxIdleConnsPerHost: -1}
	client := &http.Client{Transport: bearer{token, tr}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var added, modified atomic.Int64
	var wg sync.WaitGroup
	opening := make(chan struct{}, 64) // handshakes at once
	for range n {
		wg.Add(1)
		opening <- struct{}{}
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/namespaces/big/configmaps?watch=true", nil)
			resp, err := client.Do(req)
			<-opening
			if err != nil {
				if !errors.Is(err, context.Canceled) {
					t.Error(err)
				}
				return
			}
			defer resp.Body.Close()
			r := bufio.NewReaderSize(resp.Body, 4096)
			for events := 0; ; {
				_, err := r.ReadSlice('\n')
				switch {
				case err == nil:
					events++
					if events == 1 && added.Add(1) == int64(n) {
						fmt.Println("added")
					}
					if events == 2 && modified.Add(1) == int64(n) {
						fmt.Println("modified")
					}
				case errors.Is(err, bufio.ErrBufferFull):
				default:
					return
				}
			}
		}()
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	cancel()
	wg.Wait()
}
