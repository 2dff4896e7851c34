package simrt

// The hosts of a node's pod CIDR, 10.244.<subnet>.0/24, that pods get:
// host-local's default range, all but the network and broadcast
// addresses; gateway, the first, is the node's own end of the pods'
// links and is never handed out.
const (
	firstHost = 1
	lastHost  = 254
	gateway   = firstHost
)

// ipam hands out a node's pod IPs as the host-local CNI plugin does: an
// address is in use from the sandbox's creation to its removal, and the
// next one is the first free address after the last one handed out,
// round-robin over the range, so a just-released address is reused only
// once the others have had their turn.
type ipam struct {
	inUse [lastHost + 1]bool // by host
	last  int                // the last host handed out; 0 before the first
}

// next takes the next free host, or reports that none is.
func (a *ipam) next() (int, bool) {
	const size = lastHost - firstHost + 1
	for i := range size {
		// Before the first, last+1 is firstHost: the range's start.
		h := firstHost + (a.last-firstHost+1+i)%size
		if h == gateway || a.inUse[h] {
			continue
		}
		a.inUse[h], a.last = true, h
		return h, true
	}
	return 0, false
}

// release makes host free again.
func (a *ipam) release(host int) {
	if host >= firstHost && host <= lastHost {
		a.inUse[host] = false
	}
}
