package shell

import (
	"errors"
	"net"
	"os"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
)

var _ Pinger = HTTPNet{}

// Echo implements Pinger over the real network: an unprivileged ICMP
// socket where the kernel allows one (net.ipv4.ping_group_range, which
// Docker opens in its containers), else a raw one (CAP_NET_RAW), as
// busybox's ping tries them.
func (HTTPNet) Echo(addr string, seq, size int, wait time.Duration) (Echo, error) {
	dst := net.ParseIP(addr)
	if dst == nil || dst.To4() == nil {
		return Echo{}, errors.New("bad address '" + addr + "'")
	}
	start := time.Now()
	conn, dgram, err := icmpConn()
	if err != nil {
		return Echo{}, err
	}
	defer conn.Close()
	id := os.Getpid() & 0xffff
	msg := icmp.Message{Type: ipv4.ICMPTypeEcho, Body: &icmp.Echo{ID: id, Seq: seq, Data: make([]byte, size)}}
	b, err := msg.Marshal(nil)
	if err != nil {
		return Echo{}, err
	}
	var to net.Addr = &net.IPAddr{IP: dst}
	if dgram {
		to = &net.UDPAddr{IP: dst}
	}
	p := conn.IPv4PacketConn()
	_ = p.SetControlMessage(ipv4.FlagTTL, true)
	sent := time.Now()
	if _, err := conn.WriteTo(b, to); err != nil {
		// Unreachable and the like: no reply, as ping counts it.
		return Echo{Waited: time.Since(start)}, nil
	}
	_ = conn.SetReadDeadline(start.Add(wait))
	buf := make([]byte, 1500)
	for {
		n, cm, from, err := p.ReadFrom(buf)
		if err != nil {
			return Echo{Waited: time.Since(start)}, nil // timed out
		}
		rtt := time.Since(sent)
		if !sameIP(from, dst) {
			continue
		}
		reply, err := icmp.ParseMessage(1, buf[:n])
		if err != nil || reply.Type != ipv4.ICMPTypeEchoReply {
			continue
		}
		echo, ok := reply.Body.(*icmp.Echo)
		// An unprivileged socket's ID is the kernel's: it only delivers
		// this socket's replies.
		if !ok || echo.Seq != seq || (!dgram && echo.ID != id) {
			continue
		}
		ttl := 0
		if cm != nil {
			ttl = cm.TTL
		}
		return Echo{Replied: true, RTT: rtt, TTL: ttl, Waited: time.Since(start)}, nil
	}
}

// icmpConn opens an ICMP socket: unprivileged when allowed, else raw.
func icmpConn() (*icmp.PacketConn, bool, error) {
	if c, err := icmp.ListenPacket("udp4", "0.0.0.0"); err == nil {
		return c, true, nil
	}
	c, err := icmp.ListenPacket("ip4:icmp", "0.0.0.0")
	if err != nil {
		return nil, false, errNoICMP
	}
	return c, false, nil
}

func sameIP(a net.Addr, ip net.IP) bool {
	switch a := a.(type) {
	case *net.UDPAddr:
		return a.IP.Equal(ip)
	case *net.IPAddr:
		return a.IP.Equal(ip)
	}
	return false
}
