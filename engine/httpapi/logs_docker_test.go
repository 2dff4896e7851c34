package httpapi

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// chattyPod writes lines as fast as kubeplay's shell can, from "line 0";
// with a count it stops after that many, else it never stops.
func chattyPod(lines int) string {
	loop := "while :"
	if lines > 0 {
		loop = fmt.Sprintf("while [ $i -lt %d ]", lines)
	}
	return `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"chatty"},"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox",
"command":["sh","-c","sleep 2; i=0; ` + loop + `; do echo line $i; i=$((i+1)); done"]}]}}`
}

// runningPod creates a pod and waits until it runs.
func (sv *served) runningPod(tb testing.TB, manifest string) {
	tb.Helper()
	if code, body := sv.do(tb, "POST", "/api/v1/namespaces/default/pods", "application/json", manifest); code != http.StatusCreated {
		tb.Fatalf("create: %d %s", code, body)
	}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var got corev1.Pod
		_, body := sv.do(tb, "GET", "/api/v1/namespaces/default/pods/chatty", "", "")
		if json.Unmarshal([]byte(body), &got) == nil && got.Status.Phase != corev1.PodPending {
			return
		}
	}
	tb.Fatal("pod chatty never ran")
}

// TestLogsFollowOnDocker: `kubectl logs -f` through the API of a
// container writing 200,000 lines (its log rotating on the way) gets every
// line once, in order, and its stream ends with the container; tailLines
// and limitBytes are the daemon's answer, cut as kubectl asks.
func TestLogsFollowOnDocker(t *testing.T) {
	sv := serveOnDocker(t)
	const lines = 200000
	sv.runningPod(t, chattyPod(lines))
	resp, err := sv.client().Get(sv.base + "/api/v1/namespaces/default/pods/chatty/log?follow=true")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	ended := make(chan int, 1)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		n := 0
		for sc.Scan() {
			if sc.Text() != "line "+strconv.Itoa(n) {
				t.Errorf("line %d is %q", n, sc.Text())
				break
			}
			n++
		}
		ended <- n
	}()
	select {
	case n := <-ended:
		if n != lines {
			t.Errorf("followed %d lines, want %d", n, lines)
		}
	case <-time.After(3 * time.Minute):
		t.Fatal("the follow did not end with the container")
	}
	for query, want := range map[string]string{"tailLines=1": "line 199999\n", "limitBytes=9": "line 0\nli"} {
		if code, body := sv.do(t, "GET", "/api/v1/namespaces/default/pods/chatty/log?"+query, "", ""); code != 200 || body != want {
			t.Errorf("log?%s = %d %q, want %q", query, code, body, want)
		}
	}
}

// BenchmarkFiftyLogFollowers: fifty `kubectl logs -f` of a container that
// writes without pause (its log rotating at 10 MiB), while `get nodes`
// is asked again and again. Goals: RSS < 1 GB, `get nodes` < 100 ms
// (p99). Reported: get-nodes latency, the process's peak RSS, and what
// the followers received.
func BenchmarkFiftyLogFollowers(b *testing.B) {
	sv := serveOnDocker(b)
	sv.runningPod(b, chattyPod(0))
	getNodes := func(n int) []time.Duration {
		var took []time.Duration
		for range n {
			t0 := time.Now()
			if code, body := sv.do(b, "GET", "/api/v1/nodes", "", ""); code != 200 {
				b.Fatalf("get nodes: %d %s", code, body)
			}
			took = append(took, time.Since(t0))
			time.Sleep(10 * time.Millisecond)
		}
		slices.Sort(took)
		return took
	}
	// The same with nobody following: what the machine gives at all.
	idle := getNodes(100)
	const followers = 50
	var received atomic.Int64
	var wg sync.WaitGroup
	var bodies []io.Closer
	client := sv.client()
	for range followers {
		resp, err := client.Get(sv.base + "/api/v1/namespaces/default/pods/chatty/log?follow=true")
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, resp.Body)
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 32<<10)
			for {
				n, err := resp.Body.Read(buf)
				received.Add(int64(n))
				if err != nil {
					return
				}
			}
		}()
	}
	time.Sleep(2 * time.Second) // the followers read what was written before them
	start := time.Now()
	b.ResetTimer()
	took := getNodes(b.N)
	b.StopTimer()
	elapsed := time.Since(start)
	for _, body := range bodies {
		body.Close()
	}
	wg.Wait()
	p99 := took[len(took)*99/100]
	rss := peakRSS(b)
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-get-nodes-ms")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "max-get-nodes-ms")
	b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
	b.ReportMetric(float64(received.Load())/(1<<20)/elapsed.Seconds(), "followed-MB/s")
	b.Logf("%d followers, %d get nodes: p50 %s, p99 %s, max %s (with none following: p50 %s, p99 %s); peak RSS %d MB; followed %.1f MB/s in all",
		followers, len(took), took[len(took)/2], p99, took[len(took)-1], idle[len(idle)/2], idle[len(idle)*99/100], rss>>20, float64(received.Load())/(1<<20)/elapsed.Seconds())
	b.ReportMetric(float64(idle[len(idle)*99/100].Microseconds())/1000, "p99-idle-get-nodes-ms")
	if rss >= 1<<30 {
		b.Errorf("peak RSS %d MB, want under 1 GB", rss>>20)
	}
	if p99 >= 100*time.Millisecond {
		b.Errorf("get nodes took %s (p99) with %d followers, want under 100 ms", p99, followers)
	}
}

// peakRSS is the process's peak resident set (VmHWM), in bytes.
func peakRSS(tb testing.TB) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	tb.Skip("no VmHWM in /proc/self/status")
	return 0
}
