// Command netbench measures, from inside a pod, what a program there
// waits for: name lookups through the pod's resolver, and HTTP requests on
// a new connection each (as wget makes them). It prints the latencies'
// median and 99th percentile in microseconds. The Docker benchmarks copy it
// into a container and run it there.
//
//	netbench dns NAME N          N lookups of NAME (Go's resolver: resolv.conf, search
//	                             path, A and AAAA at once)
//	netbench query NAME N        N A queries for NAME to resolv.conf's nameserver, one
//	                             UDP exchange each, as dnsperf times them
//	netbench http URLS1 URLS2 N  N GETs of each, interleaved (one, the other, the other,
//	                             one, …), so both see the same load; URLS is a comma
//	                             separated list of URLs taken in turn
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	wire "github.com/miekg/dns"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: netbench dns NAME N | netbench http URL1 URL2 N")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[len(os.Args)-1])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "netbench: N must be a positive number")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "dns":
		r := &net.Resolver{PreferGo: true}
		var took []time.Duration
		for range n {
			start := time.Now()
			if _, err := r.LookupHost(context.Background(), os.Args[2]); err != nil {
				fail(err)
			}
			took = append(took, time.Since(start))
		}
		report("dns", took)
	case "query":
		server := nameserver()
		q := new(wire.Msg)
		q.SetQuestion(wire.Fqdn(os.Args[2]), wire.TypeA)
		c := &wire.Client{Net: "udp", Timeout: 2 * time.Second}
		var took []time.Duration
		for range n {
			start := time.Now()
			r, _, err := c.Exchange(q, server)
			if err != nil || len(r.Answer) == 0 {
				fail(fmt.Errorf("query %s at %s: %v %v", os.Args[2], server, r, err))
			}
			took = append(took, time.Since(start))
		}
		report("query", took)
	case "http":
		urls := [][]string{strings.Split(os.Args[2], ","), strings.Split(os.Args[3], ",")}
		c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil}}
		took := make([][]time.Duration, len(urls))
		for k := range n {
			order := []int{0, 1}
			if k%2 == 1 {
				order = []int{1, 0}
			}
			for _, i := range order {
				u := urls[i][k%len(urls[i])]
				start := time.Now()
				resp, err := c.Get(u)
				if err != nil {
					fail(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				took[i] = append(took[i], time.Since(start))
			}
		}
		for i := range urls {
			report("http"+strconv.Itoa(i+1), took[i])
		}
	default:
		fail(fmt.Errorf("unknown mode %q", os.Args[1]))
	}
}

// nameserver is resolv.conf's first nameserver, port 53.
func nameserver() string {
	conf, err := wire.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil || len(conf.Servers) == 0 {
		fail(fmt.Errorf("no nameserver in /etc/resolv.conf: %v", err))
	}
	return net.JoinHostPort(conf.Servers[0], "53")
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "netbench:", err)
	os.Exit(1)
}

// report prints "NAME p50=MICROS p99=MICROS n=N".
func report(name string, took []time.Duration) {
	slices.Sort(took)
	at := func(q float64) int64 { return took[min(len(took)-1, int(q*float64(len(took))))].Microseconds() }
	fmt.Printf("%s p50=%d p99=%d n=%d\n", name, at(0.50), at(0.99), len(took))
}
