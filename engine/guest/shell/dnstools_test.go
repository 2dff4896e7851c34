package shell

import (
	"errors"
	"fmt"
	"testing"
	"time"

	wire "github.com/miekg/dns"
)

// zoneDNS answers from a table of names (A records); an unknown name is
// NXDOMAIN, and a server other than 10.96.0.10 does not answer.
type zoneDNS map[string]string

func (z zoneDNS) Exchange(server string, q *wire.Msg) (*wire.Msg, error) {
	if server != "10.96.0.10" {
		return nil, errors.New("timeout")
	}
	m := new(wire.Msg)
	m.SetReply(q)
	m.Authoritative = true
	name := q.Question[0].Name
	ip, ok := z[name]
	switch {
	case !ok:
		m.Rcode = wire.RcodeNameError
	case q.Question[0].Qtype == wire.TypeA:
		rr, _ := wire.NewRR(name + " 30 IN A " + ip)
		m.Answer = append(m.Answer, rr)
	case q.Question[0].Qtype == wire.TypePTR:
		rr, _ := wire.NewRR(name + " 30 IN PTR " + ip + ".")
		m.Answer = append(m.Answer, rr)
	}
	return m, nil
}

// The name tools of a pod's container: the search path and ndots of its
// resolv.conf, its hosts file first, and busybox's and glibc's outputs.
func TestNameTools(t *testing.T) {
	fs := NewMemFS()
	_ = fs.WriteFile("/etc/resolv.conf", []byte("search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"), 0o644)
	_ = fs.WriteFile("/etc/hosts", []byte("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.244.1.2\tc\n10.244.1.6\tdb-0.db.default.svc.cluster.local\tdb-0\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\tbar.remote\n"), 0o644)
	dns := zoneDNS{"web.default.svc.cluster.local.": "10.96.7.8", "web-0.nginx.default.svc.cluster.local.": "10.244.1.7",
		"10.0.96.10.in-addr.arpa.": "kube-dns.kube-system.svc.cluster.local", "7.1.244.10.in-addr.arpa.": "web-0.nginx.default.svc.cluster.local"}
	for _, tt := range []struct {
		name     string
		script   string
		image    string
		code     int
		out, err string
	}{
		{name: "getent through the search path", script: "getent hosts web web.default.svc.cluster.local",
			out: "10.96.7.8       web.default.svc.cluster.local\n10.96.7.8       web.default.svc.cluster.local\n"},
		{name: "getent from the hosts file, IPv6 first", script: "getent hosts bar.remote localhost c",
			out: "10.1.2.3        foo.remote bar.remote\n::1             localhost ip6-localhost ip6-loopback\n10.244.1.2      c\n"},
		{name: "getent of an address", script: "getent hosts 10.244.1.2", out: "10.244.1.2      c\n"},
		{name: "getent of nothing", script: "getent hosts nope", code: 2},
		{name: "getent ahosts through the search path", script: "getent ahosts web",
			out: "10.96.7.8       STREAM web.default.svc.cluster.local\n10.96.7.8       DGRAM  \n10.96.7.8       RAW    \n"},
		{name: "getent ahosts from the hosts file", script: "getent ahosts db-0 nope; echo $?",
			out: "10.244.1.6      STREAM db-0.db.default.svc.cluster.local\n10.244.1.6      DGRAM  \n10.244.1.6      RAW    \n2\n"},
		{name: "nslookup of a full name", script: "nslookup web.default.svc.cluster.local",
			out: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.7.8\n\n\n"},
		{name: "nslookup with a server that does not answer", script: "nslookup web 10.0.0.9", code: 1,
			out: ";; connection timed out; no servers could be reached\n\n"},
		{name: "nslookup of a bad type", script: "nslookup -type=nope web", code: 1, err: "nslookup: invalid query type \"nope\"\n"},
		{name: "wget of a name nobody has", script: "wget -qO- http://nope", code: 1, err: "wget: bad address 'nope'\n"},
		{name: "hostname is the container's", script: "hostname", out: "db-0\n"},
		{name: "hostname -f is its hosts file line's first name", script: "hostname -f; hostname -s; hostname -d; hostname -i",
			out: "db-0.db.default.svc.cluster.local\ndb-0\ndb.default.svc.cluster.local\n10.244.1.6\n"},
		{name: "busybox 1.36's nslookup does not search a dotted name", script: "nslookup web-0.nginx", image: "busybox:1.36", code: 1,
			out: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find web-0.nginx: NXDOMAIN\n\n** server can't find web-0.nginx: NXDOMAIN\n\n"},
		{name: "busybox 1.28's nslookup goes through the search list", script: "nslookup web-0.nginx", image: "busybox:1.28",
			out: "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n" +
				"Name:      web-0.nginx\nAddress 1: 10.244.1.7 web-0.nginx.default.svc.cluster.local\n"},
		{name: "busybox 1.28's nslookup of a name nobody has", script: "nslookup nope", image: "docker.io/library/busybox:1.27.2-glibc", code: 1,
			out: "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n", err: "nslookup: can't resolve 'nope'\n"},
		{name: "busybox 1.28's nslookup with a server that does not answer", script: "nslookup web 10.0.0.9", image: "busybox:1.28", code: 1,
			out: "Server:    10.0.0.9\nAddress 1: 10.0.0.9\n\n", err: "nslookup: can't resolve 'web'\n"},
		{name: "busybox 1.28's nslookup finds the hosts file", script: "nslookup db-0", image: "busybox:1.28",
			out: "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n" +
				"Name:      db-0\nAddress 1: 10.244.1.6 db-0.db.default.svc.cluster.local\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runAll(t, Config{Argv: []string{"sh", "-c", tt.script}, FS: fs, DNS: dns, Hostname: "db-0", Image: tt.image, Env: map[string]string{"HOSTNAME": "other"}})
			if r.code != tt.code || r.out != tt.out || r.err != tt.err {
				t.Errorf("got code %d\nstdout %q\nstderr %q\nwant code %d\nstdout %q\nstderr %q", r.code, r.out, r.err, tt.code, tt.out, tt.err)
			}
		})
	}
}

// pingNet: a pod at 10.244.1.7 on another node replies; nothing else
// does.
type pingNet struct{ fakeNet }

func (pingNet) Echo(addr string, _, _ int, _ time.Duration) (Echo, error) {
	if addr == "10.244.1.7" {
		return Echo{Replied: true, RTT: 100 * time.Microsecond, TTL: 63}, nil
	}
	return Echo{}, nil
}

// TestPing: busybox's ping, one request a second: a pod answers, a
// cluster IP does not (-W after the last request), -w ends it early.
func TestPing(t *testing.T) {
	fs := NewMemFS()
	_ = fs.WriteFile("/etc/resolv.conf", []byte("search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"), 0o644)
	dns := zoneDNS{"web.default.svc.cluster.local.": "10.96.7.8", "web-0.nginx.default.svc.cluster.local.": "10.244.1.7"}
	for _, tt := range []struct {
		name, script string
		code         int
		out, err     string
		sleeps       []time.Duration
	}{
		{name: "a pod replies", script: "ping -c 2 web-0.nginx",
			out: "PING web-0.nginx (10.244.1.7): 56 data bytes\n64 bytes from 10.244.1.7: seq=0 ttl=63 time=0.100 ms\n64 bytes from 10.244.1.7: seq=1 ttl=63 time=0.100 ms\n" +
				"\n--- web-0.nginx ping statistics ---\n2 packets transmitted, 2 packets received, 0% packet loss\nround-trip min/avg/max = 0.100/0.100/0.100 ms\n",
			sleeps: []time.Duration{time.Second}},
		{name: "a cluster IP does not", script: "ping -c 3 -W 2 web", code: 1,
			out:    "PING web (10.96.7.8): 56 data bytes\n\n--- web ping statistics ---\n3 packets transmitted, 0 packets received, 100% packet loss\n",
			sleeps: []time.Duration{time.Second, time.Second, 2 * time.Second}},
		{name: "quiet, size and deadline", script: "ping -q -s 100 -w 2 10.244.1.7",
			out: "PING 10.244.1.7 (10.244.1.7): 100 data bytes\n\n--- 10.244.1.7 ping statistics ---\n2 packets transmitted, 2 packets received, 0% packet loss\n" +
				"round-trip min/avg/max = 0.100/0.100/0.100 ms\n",
			sleeps: []time.Duration{time.Second, time.Second}},
		{name: "a name nobody has", script: "ping -c1 nope", code: 1, err: "ping: bad address 'nope'\n"},
		{name: "a bad count", script: "ping -c x web", code: 1, err: "ping: invalid number 'x'\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runAll(t, Config{Argv: []string{"sh", "-c", tt.script}, FS: fs, DNS: dns, Net: pingNet{}})
			if r.code != tt.code || r.out != tt.out || r.err != tt.err || fmt.Sprint(r.sleeps) != fmt.Sprint(tt.sleeps) {
				t.Errorf("got code %d sleeps %v\nstdout %q\nstderr %q\nwant code %d sleeps %v\nstdout %q\nstderr %q", r.code, r.sleeps, r.out, r.err, tt.code, tt.sleeps, tt.out, tt.err)
			}
		})
	}
}

func TestOldBusybox(t *testing.T) {
	for image, want := range map[string]bool{"busybox:1.28": true, "busybox:1.28.4": true, "docker.io/library/busybox:1.27.2-glibc": true,
		"busybox:1.28-uclibc": true, "busybox:1.29": false, "busybox:1.36.1": false, "busybox": false, "busybox:latest": false,
		"busybox:1.28@sha256:abc": true, "example.com/busybox:1.28": false, "alpine:3.8": false, "registry:5000/busybox": false} {
		if got := oldBusybox(image); got != want {
			t.Errorf("oldBusybox(%q) = %v, want %v", image, got, want)
		}
	}
}
