package shell

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	wire "github.com/miekg/dns"
)

// nslookupTypes are the query types busybox's nslookup takes (-type=).
var nslookupTypes = map[string]uint16{"soa": wire.TypeSOA, "ns": wire.TypeNS, "a": wire.TypeA, "aaaa": wire.TypeAAAA,
	"cname": wire.TypeCNAME, "mx": wire.TypeMX, "txt": wire.TypeTXT, "srv": wire.TypeSRV, "ptr": wire.TypePTR, "any": wire.TypeANY}

// rcodeNames are the answer codes as busybox's nslookup names them.
var rcodeNames = []string{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"}

// nslookup is busybox 1.36's: [-type=T] [-port=N] HOST [SERVER]. Without a
// type an address asks PTR and a name asks A and AAAA; a name without a
// dot is asked with each search domain. Every answer is printed as it
// comes, the failed ones too, and the status is 1 if any failed.
func (c *cmdCtx) nslookup(args []string) int {
	if oldBusybox(c.p.cfg.Image) {
		return c.nslookupOld(args)
	}
	var types []uint16
	var rest []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") || len(rest) > 0 {
			rest = append(rest, a)
			continue
		}
		opt, val, _ := strings.Cut(a[1:], "=")
		switch opt {
		case "type", "querytype", "q", "query", "t":
			t, ok := nslookupTypes[strings.ToLower(val)]
			if !ok {
				c.errf("nslookup: invalid query type \"%s\"\n", val)
				return 1
			}
			types = append(types, t)
		case "debug", "port", "retry", "timeout":
		default:
			c.nslookupUsage()
			return 1
		}
	}
	if len(rest) == 0 || len(rest) > 2 {
		c.nslookupUsage()
		return 1
	}
	host := rest[0]
	var servers []string
	if len(rest) == 2 {
		servers = []string{rest[1]}
	}
	rc := c.resolvConf()
	if servers == nil {
		servers = rc.servers
	}
	if len(servers) == 0 {
		servers = []string{"127.0.0.1"}
	}
	type query struct {
		name  string
		qtype uint16
	}
	var queries []query
	add := func(t uint16) {
		if t == wire.TypePTR || len(rc.search) == 0 || strings.Contains(host, ".") {
			queries = append(queries, query{host, t})
			return
		}
		for _, s := range rc.search {
			queries = append(queries, query{host + "." + s, t})
		}
	}
	switch {
	case len(types) > 0:
		for _, t := range types {
			add(t)
		}
	default:
		if addr, err := netip.ParseAddr(host); err == nil && addr.Is4() {
			b := addr.As4()
			queries = append(queries, query{fmt.Sprintf("%d.%d.%d.%d.in-addr.arpa", b[3], b[2], b[1], b[0]), wire.TypePTR})
		} else {
			add(wire.TypeA)
			add(wire.TypeAAAA)
		}
	}
	if c.p.cfg.DNS == nil {
		fmt.Fprint(c.stdout, ";; connection timed out; no servers could be reached\n\n")
		return 1
	}
	code := 0
	for _, server := range servers {
		answered := false
		for _, q := range queries {
			m := new(wire.Msg)
			m.SetQuestion(wire.Fqdn(q.name), q.qtype)
			r, err := c.p.cfg.DNS.Exchange(server, m)
			if err != nil {
				continue
			}
			if !answered {
				answered = true
				fmt.Fprintf(c.stdout, "Server:\t\t%s\nAddress:\t%s:53\n\n", server, server)
			}
			if r.Rcode != wire.RcodeSuccess {
				fmt.Fprintf(c.stdout, "** server can't find %s: %s\n\n", q.name, rcodeName(r.Rcode))
				code = 1
				continue
			}
			c.printReply(r)
			fmt.Fprintln(c.stdout)
		}
		if answered {
			return code
		}
	}
	fmt.Fprint(c.stdout, ";; connection timed out; no servers could be reached\n\n")
	return 1
}

func rcodeName(rcode int) string {
	if rcode >= 0 && rcode < len(rcodeNames) {
		return rcodeNames[rcode]
	}
	return strconv.Itoa(rcode)
}

func (c *cmdCtx) nslookupUsage() {
	c.errf("BusyBox v1.36.1 (kubeplay) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\n" +
		"Query DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n")
}

// printReply prints an answer's records as busybox's nslookup does.
func (c *cmdCtx) printReply(r *wire.Msg) {
	if !r.Authoritative {
		fmt.Fprintln(c.stdout, "Non-authoritative answer:")
	}
	for _, rr := range r.Answer {
		name := strings.TrimSuffix(rr.Header().Name, ".")
		switch rr := rr.(type) {
		case *wire.A:
			fmt.Fprintf(c.stdout, "Name:\t%s\nAddress: %s\n", name, rr.A)
		case *wire.AAAA:
			fmt.Fprintf(c.stdout, "Name:\t%s\nAddress: %s\n", name, rr.AAAA)
		case *wire.CNAME:
			fmt.Fprintf(c.stdout, "%s\tcanonical name = %s\n", name, strings.TrimSuffix(rr.Target, "."))
		case *wire.PTR:
			fmt.Fprintf(c.stdout, "%s\tname = %s\n", name, strings.TrimSuffix(rr.Ptr, "."))
		case *wire.NS:
			fmt.Fprintf(c.stdout, "%s\tnameserver = %s\n", name, strings.TrimSuffix(rr.Ns, "."))
		case *wire.MX:
			fmt.Fprintf(c.stdout, "%s\tmail exchanger = %d %s\n", name, rr.Preference, strings.TrimSuffix(rr.Mx, "."))
		case *wire.TXT:
			fmt.Fprintf(c.stdout, "%s\ttext = \"%s\"\n", name, strings.Join(rr.Txt, ""))
		case *wire.SRV:
			fmt.Fprintf(c.stdout, "%s\tservice = %d %d %d %s\n", name, rr.Priority, rr.Weight, rr.Port, strings.TrimSuffix(rr.Target, "."))
		case *wire.SOA:
			fmt.Fprintf(c.stdout, "%s\n\torigin = %s\n\tmail addr = %s\n\tserial = %d\n\trefresh = %d\n\tretry = %d\n\texpire = %d\n\tminimum = %d\n",
				name, strings.TrimSuffix(rr.Ns, "."), strings.TrimSuffix(rr.Mbox, "."), rr.Serial, rr.Refresh, rr.Retry, rr.Expire, rr.Minttl)
		}
	}
}

// getent is glibc's, for the hosts databases: getent hosts [NAME|ADDRESS…],
// each found as "ADDRESS  NAME ALIASES" (the address padded to 15), and
// getent ahosts NAME…, getaddrinfo's answer: each address once per socket
// type, the canonical name on the first line; status 2 when one is not
// found.
func (c *cmdCtx) getent(args []string) int {
	if len(args) == 0 {
		c.errf("Usage: getent [OPTION...] database [key ...]\n")
		return 1
	}
	if args[0] != "hosts" && args[0] != "ahosts" {
		c.errf("Unknown database: %s\nTry `getent --help' or `getent --usage' for more information.\n", args[0])
		return 1
	}
	hosts := c.hostsFile()
	if len(args) == 1 {
		if args[0] == "ahosts" {
			for _, e := range hosts {
				c.ahostLines([]string{e.ip}, e.names[0])
			}
			return 0
		}
		for _, e := range hosts {
			c.hostLine(e.ip, e.names)
		}
		return 0
	}
	code := 0
	for _, key := range args[1:] {
		found := false
		if args[0] == "ahosts" {
			found = c.getentAhosts(key)
		} else {
			found = c.getentHost(hosts, key)
		}
		if !found {
			code = 2
		}
	}
	return code
}

// getentAhosts is getaddrinfo's answer for key (IPv4: the addresses
// lookupHost finds, which reads the hosts file first).
func (c *cmdCtx) getentAhosts(key string) bool {
	addrs, name, err := c.lookupHost(key)
	if err != nil {
		return false
	}
	c.ahostLines(addrs, name)
	return true
}

// ahostLines prints each address for SOCK_STREAM, SOCK_DGRAM and
// SOCK_RAW, as getent ahosts does: "%-15s %-6s %s", the canonical name
// on the first line only.
func (c *cmdCtx) ahostLines(addrs []string, canon string) {
	for i, a := range addrs {
		for j, sock := range []string{"STREAM", "DGRAM", "RAW"} {
			name := ""
			if i == 0 && j == 0 {
				name = canon
			}
			fmt.Fprintf(c.stdout, "%-15s %-6s %s\n", a, sock, name)
		}
	}
}

func (c *cmdCtx) hostLine(ip string, names []string) {
	fmt.Fprintf(c.stdout, "%-15s %s\n", ip, strings.Join(names, " "))
}

// getentHost looks one key up: an address in /etc/hosts, then by PTR; a
// name in /etc/hosts (an IPv6 line first, as glibc asks for AF_INET6
// first), then through the nameservers.
func (c *cmdCtx) getentHost(hosts []hostsEntry, key string) bool {
	if addr, err := netip.ParseAddr(key); err == nil {
		for _, e := range hosts {
			if a, err := netip.ParseAddr(e.ip); err == nil && a == addr {
				c.hostLine(e.ip, e.names)
				return true
			}
		}
		name, ok := c.ptrName(c.resolvConf().servers, addr)
		if ok {
			c.hostLine(key, []string{name})
		}
		return ok
	}
	for _, v6 := range []bool{true, false} {
		for _, e := range hosts {
			if strings.Contains(e.ip, ":") != v6 {
				continue
			}
			for _, n := range e.names {
				if strings.EqualFold(n, key) {
					c.hostLine(e.ip, e.names)
					return true
				}
			}
		}
	}
	addrs, name, err := c.lookupHost(key)
	if err != nil {
		return false
	}
	for _, a := range addrs {
		c.hostLine(a, []string{name})
	}
	return true
}

// oldBusybox says an image is busybox 1.28 or older (busybox:1.28,
// busybox:1.27.2-glibc), whose nslookup is the one before 1.29's rewrite.
func oldBusybox(image string) bool {
	repo, tag := splitImage(image)
	if repo != "busybox" {
		return false
	}
	major, rest, _ := strings.Cut(tag, ".")
	minor := strings.TrimLeft(rest, "0123456789")
	minor = rest[:len(rest)-len(minor)]
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minor)
	return err1 == nil && err2 == nil && (ma < 1 || ma == 1 && mi <= 28)
}

// nslookupOld is busybox 1.28's nslookup: HOST [SERVER], found through the
// libc resolver (the hosts file, then the nameservers through the search
// list) and printed with each address's reverse name; the server is
// printed the same way. A name not found is "can't resolve", status 1.
func (c *cmdCtx) nslookupOld(args []string) int {
	if len(args) == 0 || len(args) > 2 || strings.HasPrefix(args[0], "-") {
		c.errf("BusyBox v1.28.4 (kubeplay) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\n" +
			"Query the nameserver for the IP address of the given HOST\noptionally using a specified DNS server\n")
		return 1
	}
	servers := c.resolvConf().servers
	if len(args) == 2 {
		servers = []string{args[1]}
	}
	if len(servers) == 0 {
		servers = []string{"127.0.0.1"}
	}
	c.printHostOld(servers, servers[0], "Server:")
	fmt.Fprintln(c.stdout)
	if !c.printHostOld(servers, args[0], "Name:") {
		return 1
	}
	return 0
}

// printHostOld is busybox 1.28's print_host: the header and name, then
// "Address N: IP NAME" for each address, NAME its reverse lookup.
func (c *cmdCtx) printHostOld(servers []string, host, header string) bool {
	addrs, _, err := c.lookupHostOn(host, servers)
	if err != nil {
		c.errf("nslookup: can't resolve '%s'\n", host)
		return false
	}
	fmt.Fprintf(c.stdout, "%-10s %s\n", header, host)
	for i, a := range addrs {
		fmt.Fprintf(c.stdout, "Address %d: %s", i+1, a)
		if name, ok := c.reverseName(servers, a); ok {
			fmt.Fprintf(c.stdout, " %s", name)
		}
		fmt.Fprintln(c.stdout)
	}
	return true
}

// reverseName is getnameinfo's name for an address: its hosts file line's
// first name, else the nameservers' PTR.
func (c *cmdCtx) reverseName(servers []string, ip string) (string, bool) {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return "", false
	}
	for _, e := range c.hostsFile() {
		if a, err := netip.ParseAddr(e.ip); err == nil && a == addr {
			return e.names[0], true
		}
	}
	return c.ptrName(servers, addr)
}

// hostnameCmd is busybox's hostname: the container's host name, or with
// -f, -s, -d or -i what gethostbyname says of it (the kubelet's hosts file
// line, whose first name is the fully qualified one for a pod with a
// subdomain).
func (c *cmdCtx) hostnameCmd(args []string) int {
	opts := ""
	for _, a := range args {
		if !strings.HasPrefix(a, "-") || len(a) < 2 {
			c.errf("hostname: sethostname: Operation not permitted\n")
			return 1
		}
		for _, o := range a[1:] {
			if !strings.ContainsRune("dfisv", o) {
				c.errf("hostname: invalid option -- '%c'\nBusyBox v1.36.1 (kubeplay) multi-call binary.\n\nUsage: hostname [-sidf] [HOSTNAME | -F FILE]\n", o)
				return 1
			}
			opts += string(o)
		}
	}
	name := c.hostname()
	if !strings.ContainsAny(opts, "dfi") {
		if strings.Contains(opts, "s") {
			name, _, _ = strings.Cut(name, ".")
		}
		fmt.Fprintln(c.stdout, name)
		return 0
	}
	addrs, full, err := c.lookupHost(name)
	if err != nil {
		c.errf("hostname: %s: Unknown host\n", name)
		return 1
	}
	short, domain, _ := strings.Cut(full, ".")
	switch {
	case strings.Contains(opts, "f"):
		fmt.Fprintln(c.stdout, full)
	case strings.Contains(opts, "s"):
		fmt.Fprintln(c.stdout, short)
	case strings.Contains(opts, "d"):
		if domain != "" {
			fmt.Fprintln(c.stdout, domain)
		}
	default:
		fmt.Fprintln(c.stdout, strings.Join(addrs, " "))
	}
	return 0
}
