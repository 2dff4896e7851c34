package shell

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Pinger is a Net that carries ICMP echo requests, for ping.
type Pinger interface {
	// Echo sends one echo request (seq, size data bytes) to the IPv4
	// address addr and waits up to wait for its reply. An error says
	// the request could not be sent at all.
	Echo(addr string, seq, size int, wait time.Duration) (Echo, error)
}

// Echo is what came of one echo request.
type Echo struct {
	Replied bool
	RTT     time.Duration // the reply's round trip
	TTL     int           // the reply's TTL; 0 when unknown
	// Waited is how long Echo took, on the clock ping sleeps on: a
	// simulated network answers without the clock moving.
	Waited time.Duration
}

// pingOpts are busybox ping's options.
type pingOpts struct {
	count, size       int
	quiet             bool
	interval          time.Duration
	timeout, deadline time.Duration // -W (default 10 s), -w (0: none)
}

// ping is busybox 1.36's ping: [-c CNT] [-s SIZE] [-i SECS] [-W SEC]
// [-w SEC] [-q] HOST, one echo request a second. It prints each reply,
// then the statistics once -c's requests are sent and the last is
// answered or -W has passed without an answer (or at -w's deadline);
// status 1 when nothing came back. A cluster IP gets no reply, as on a
// real cluster: kube-proxy's rules translate TCP and UDP ports only.
func (c *cmdCtx) ping(args []string) int {
	o := pingOpts{size: 56, interval: time.Second, timeout: 10 * time.Second}
	var host string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || len(a) < 2 {
			if host != "" {
				return c.pingUsage()
			}
			host = a
			continue
		}
		for j := 1; j < len(a); j++ {
			f := a[j]
			switch f {
			case 'q':
				o.quiet = true
				continue
			case '4', 'n':
				continue
			case 'c', 's', 'i', 'W', 'w':
			default:
				c.errf("ping: invalid option -- '%c'\n", f)
				return c.pingUsage()
			}
			v := a[j+1:]
			if v == "" {
				if i+1 >= len(args) {
					c.errf("ping: option requires an argument -- '%c'\n", f)
					return c.pingUsage()
				}
				i++
				v = args[i]
			}
			if !o.set(f, v) {
				c.errf("ping: invalid number '%s'\n", v)
				return 1
			}
			break
		}
	}
	if host == "" {
		return c.pingUsage()
	}
	pinger, _ := c.p.cfg.Net.(Pinger)
	addr, err := c.resolveHost(host)
	if err == nil {
		if a, perr := netip.ParseAddr(addr); perr != nil || !a.Is4() {
			err = errNoHost
		}
	}
	if err != nil || pinger == nil {
		c.errf("ping: bad address '%s'\n", host)
		return 1
	}
	fmt.Fprintf(c.stdout, "PING %s (%s): %d data bytes\n", host, addr, o.size)
	var sent, got int
	var rtts []time.Duration
	var elapsed time.Duration
	stats := func() int {
		loss := 0
		if sent > 0 {
			loss = (sent - got) * 100 / sent
		}
		fmt.Fprintf(c.stdout, "\n--- %s ping statistics ---\n%d packets transmitted, %d packets received, %d%% packet loss\n", host, sent, got, loss)
		if got > 0 {
			lo, hi, sum := time.Duration(math.MaxInt64), time.Duration(0), time.Duration(0)
			for _, r := range rtts {
				lo, hi, sum = min(lo, r), max(hi, r), sum+r
			}
			fmt.Fprintf(c.stdout, "round-trip min/avg/max = %s/%s/%s ms\n", millis(lo), millis(sum/time.Duration(got)), millis(hi))
		}
		if got == 0 || (o.deadline > 0 && o.count > 0 && got < o.count) {
			return 1
		}
		return 0
	}
	for seq := 0; o.count == 0 || seq < o.count; seq++ {
		if o.deadline > 0 && elapsed >= o.deadline {
			return stats()
		}
		last := o.count > 0 && seq == o.count-1
		wait := o.interval
		if last {
			// After the last request: -W for a first answer, else about
			// two round trips (busybox waits at least a second).
			wait = o.timeout
			if got > 0 {
				wait = time.Second
			}
		}
		if o.deadline > 0 {
			wait = min(wait, o.deadline-elapsed)
		}
		e, err := pinger.Echo(addr, seq, o.size, wait)
		if err != nil {
			c.errf("ping: %v\n", err)
			return 1
		}
		sent++
		if e.Replied {
			got++
			rtts = append(rtts, e.RTT)
			if !o.quiet {
				fmt.Fprintf(c.stdout, "%d bytes from %s: seq=%d ttl=%d time=%s ms\n", o.size+8, addr, seq, e.TTL, millis(e.RTT))
			}
			if last {
				return stats()
			}
		}
		// Sleep out the rest of the interval (or of the wait, after the
		// last request).
		if rest := wait - e.Waited; rest > 0 && !(last && e.Replied) {
			if err := c.p.sleep(c, rest); err != nil {
				return 130
			}
		}
		elapsed += max(wait, e.Waited)
	}
	return stats()
}

func (o *pingOpts) set(f byte, v string) bool {
	switch f {
	case 'c', 's':
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return false
		}
		if f == 'c' {
			o.count = n
		} else {
			o.size = n
		}
	default:
		secs, err := strconv.ParseFloat(v, 64)
		if err != nil || secs < 0 || secs > 1e6 {
			return false
		}
		d := time.Duration(secs * float64(time.Second))
		switch f {
		case 'i':
			o.interval = d
		case 'W':
			o.timeout = d
		case 'w':
			o.deadline = d
		}
	}
	return true
}

// millis is a duration in milliseconds as busybox prints it: %u.%03u.
func millis(d time.Duration) string {
	us := d.Microseconds()
	return fmt.Sprintf("%d.%03d", us/1000, us%1000)
}

func (c *cmdCtx) pingUsage() int {
	c.errf("BusyBox v1.36.1 (kubeplay) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUESTs to HOST\n\n" +
		"\t-4,-6\t\tForce IP or IPv6 name resolution\n\t-c CNT\t\tSend only CNT pings\n\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)\n" +
		"\t-i SECS\t\tInterval\n\t-W SEC\t\tSeconds to wait for the first response (default 10)\n\t\t\t(after all -c CNT packets are sent)\n" +
		"\t-w SEC\t\tSeconds until ping exits (default:infinite)\n\t\t\t(can exit earlier with -c CNT)\n\t-q\t\tQuiet, only display output at start/finish\n")
	return 1
}

// errNoICMP is why a real container's ping cannot send: no ICMP socket
// is allowed (ping_group_range) and no raw one (CAP_NET_RAW).
var errNoICMP = errors.New("permission denied (are you root?)")
