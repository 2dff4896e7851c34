package shell

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	wire "github.com/miekg/dns"
)

// DNS is how a container's programs reach a nameserver: one query, one
// answer. The simulated runtime answers in process from the cluster's DNS;
// in a real container it is a UDP exchange (UDPDNS).
type DNS interface {
	Exchange(server string, q *wire.Msg) (*wire.Msg, error)
}

// UDPDNS asks real nameservers over UDP on port 53, as a container's
// resolver does.
type UDPDNS struct{}

// Exchange implements DNS.
func (UDPDNS) Exchange(server string, q *wire.Msg) (*wire.Msg, error) {
	c := &wire.Client{Net: "udp", Timeout: 5 * time.Second}
	r, _, err := c.Exchange(q, net.JoinHostPort(server, "53"))
	return r, err
}

// ResolvingNet is a Net that finds hosts by name itself (the real network,
// whose resolver reads the container's /etc/resolv.conf), so wget hands it
// names as they are.
type ResolvingNet interface {
	Net
	ResolvesNames()
}

// ResolvesNames implements ResolvingNet.
func (HTTPNet) ResolvesNames() {}

// resolvConf is what a container's /etc/resolv.conf says.
type resolvConf struct {
	servers, search []string
	ndots           int
}

func (c *cmdCtx) readFile(name string) (string, bool) {
	f, err := c.p.cfg.FS.open(name, os.O_RDONLY, 0)
	if err != nil {
		return "", false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	return string(b), err == nil
}

// resolvConf reads /etc/resolv.conf as libc does: nameservers add up,
// the last search line wins, ndots defaults to 1.
func (c *cmdCtx) resolvConf() resolvConf {
	rc := resolvConf{ndots: 1}
	text, _ := c.readFile("/etc/resolv.conf")
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch f[0] {
		case "nameserver":
			rc.servers = append(rc.servers, f[1])
		case "search", "domain":
			rc.search = f[1:]
		case "options":
			for _, o := range f[1:] {
				if v, ok := strings.CutPrefix(o, "ndots:"); ok {
					if n, err := strconv.Atoi(v); err == nil {
						rc.ndots = min(max(n, 0), 15)
					}
				}
			}
		}
	}
	return rc
}

// hostsEntry is a line of /etc/hosts: an address and its names.
type hostsEntry struct {
	ip    string
	names []string
}

// hostsFile reads /etc/hosts.
func (c *cmdCtx) hostsFile() []hostsEntry {
	text, _ := c.readFile("/etc/hosts")
	var out []hostsEntry
	for _, line := range strings.Split(text, "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) >= 2 {
			out = append(out, hostsEntry{ip: f[0], names: f[1:]})
		}
	}
	return out
}

// errNoHost is a name no source has.
var errNoHost = errors.New("host not found")

// query sends one question to the first nameserver that answers.
func (c *cmdCtx) query(servers []string, name string, qtype uint16) (*wire.Msg, string, error) {
	if c.p.cfg.DNS == nil || len(servers) == 0 {
		return nil, "", errNoHost
	}
	q := new(wire.Msg)
	q.SetQuestion(wire.Fqdn(name), qtype)
	var last error
	for _, s := range servers {
		r, err := c.p.cfg.DNS.Exchange(s, q)
		if err == nil {
			return r, s, nil
		}
		last = err
	}
	return nil, "", last
}

// lookupHost finds the IPv4 addresses of a name as a container's libc
// does: /etc/hosts first, then the nameservers, trying the search domains
// first when the name has fewer dots than ndots (and last otherwise). It
// returns the addresses and the name that answered.
func (c *cmdCtx) lookupHost(name string) ([]string, string, error) {
	return c.lookupHostOn(name, nil)
}

// lookupHostOn is lookupHost asking the given nameservers (those of
// resolv.conf when nil).
func (c *cmdCtx) lookupHostOn(name string, servers []string) ([]string, string, error) {
	if _, err := netip.ParseAddr(name); err == nil {
		return []string{name}, name, nil
	}
	for _, e := range c.hostsFile() {
		if strings.Contains(e.ip, ":") {
			continue
		}
		for _, n := range e.names {
			if strings.EqualFold(n, name) {
				return []string{e.ip}, e.names[0], nil
			}
		}
	}
	if strings.EqualFold(name, "localhost") {
		return []string{"127.0.0.1"}, name, nil // as musl's resolver, hosts file or not
	}
	rc := c.resolvConf()
	if servers != nil {
		rc.servers = servers
	}
	var names []string
	switch {
	case strings.HasSuffix(name, "."):
		names = []string{name}
	case strings.Count(name, ".") < rc.ndots:
		for _, s := range rc.search {
			names = append(names, name+"."+s)
		}
		names = append(names, name)
	default:
		names = append(names, name)
		for _, s := range rc.search {
			names = append(names, name+"."+s)
		}
	}
	for _, n := range names {
		r, _, err := c.query(rc.servers, n, wire.TypeA)
		if err != nil {
			return nil, "", err
		}
		var addrs []string
		for _, rr := range r.Answer {
			if a, ok := rr.(*wire.A); ok {
				addrs = append(addrs, a.A.String())
			}
		}
		if len(addrs) > 0 {
			return addrs, strings.TrimSuffix(wire.Fqdn(n), "."), nil
		}
	}
	return nil, "", errNoHost
}

// ptrName asks the nameservers for an IPv4 address's name.
func (c *cmdCtx) ptrName(servers []string, addr netip.Addr) (string, bool) {
	if !addr.Is4() {
		return "", false
	}
	b := addr.As4()
	r, _, err := c.query(servers, fmt.Sprintf("%d.%d.%d.%d.in-addr.arpa", b[3], b[2], b[1], b[0]), wire.TypePTR)
	if err != nil || r.Rcode != wire.RcodeSuccess {
		return "", false
	}
	for _, rr := range r.Answer {
		if p, ok := rr.(*wire.PTR); ok {
			return strings.TrimSuffix(p.Ptr, "."), true
		}
	}
	return "", false
}

// resolveHost is the address a program in the container connects to for
// host: an address as is, else the first the container's resolver gives
// (lookupHost). A Net that resolves names itself (ResolvingNet) gets the
// name as is when the container's resolver does not know it: the real
// network's libc may still. errNoHost when neither can.
func (c *cmdCtx) resolveHost(host string) (string, error) {
	if c.p.cfg.Net == nil {
		return "", errNoHost
	}
	addrs, _, err := c.lookupHost(host)
	if err == nil {
		return addrs[0], nil
	}
	if _, real := c.p.cfg.Net.(ResolvingNet); real {
		return host, nil
	}
	return "", errNoHost
}
