package kubeproxy

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/google/nftables"
	"github.com/google/nftables/binaryutil"
	"github.com/google/nftables/expr"
	"golang.org/x/sys/unix"
)

// nftTable is the proxy's own table in the pod's namespace, beside the
// nat table Docker writes there for its embedded DNS.
const nftTable = "kubeplay"

// program replaces the proxy's nftables rules in the pod's network
// namespace, in one transaction, as upstream kube-proxy's nftables mode
// writes a node's: in the output nat hook, each routed Service port (TCP
// or UDP) is DNATed to its endpoints in turn (numgen inc, one chain per endpoint),
// under sessionAffinity ClientIP to the endpoint in whose set (flags
// dynamic, timeout) the client is, each new connection renewing its entry,
// as upstream's affinity sets; and the cluster DNS (UDP and TCP) is redirected to the proxy's own
// listeners on 127.0.0.1, and the kubernetes Service's addresses to its
// apiserver answer (apiserver.go); in the output filter hook, whatever else is
// sent to the Service range is refused, TCP with a reset, so a Service
// without endpoints is "connection refused" as upstream's REJECT rule
// makes it, and nothing addressed to a cluster IP leaves the pod.
func program(routes []Route, local Local) error {
	c, err := nftables.New()
	if err != nil {
		return err
	}
	// Added, deleted and added again: the table is made anew whether or
	// not it was there, in the same transaction.
	tbl := &nftables.Table{Family: nftables.TableFamilyIPv4, Name: nftTable}
	kept := affinityEntries(c, tbl)
	c.AddTable(tbl)
	c.DelTable(tbl)
	c.AddTable(tbl)
	nat := c.AddChain(&nftables.Chain{Name: "services", Table: tbl, Type: nftables.ChainTypeNAT,
		Hooknum: nftables.ChainHookOutput, Priority: nftables.ChainPriorityNATDest})
	filter := c.AddChain(&nftables.Chain{Name: "reject", Table: tbl, Type: nftables.ChainTypeFilter,
		Hooknum: nftables.ChainHookOutput, Priority: nftables.ChainPriorityFilter})
	add := func(ch *nftables.Chain, exprs ...[]expr.Any) {
		c.AddRule(&nftables.Rule{Table: tbl, Chain: ch, Exprs: slices.Concat(exprs...)})
	}
	if dnsAt := local.DNS; dnsAt.IsValid() {
		add(nat, daddr(dnsAt.Addr()), l4(unix.IPPROTO_UDP), dport(dnsAt.Port()), redirect(local.DNSUDP))
		add(nat, daddr(dnsAt.Addr()), l4(unix.IPPROTO_TCP), dport(dnsAt.Port()), redirect(local.DNSTCP))
	}
	for _, at := range local.API {
		add(nat, daddr(at.Addr()), l4(unix.IPPROTO_TCP), dport(at.Port()), redirect(local.APIPort))
	}
	for _, at := range local.Ingress {
		add(nat, daddr(at.Addr()), l4(unix.IPPROTO_TCP), dport(at.Port()), redirect(local.IngressPort))
	}
	for i, r := range routes {
		proto := byte(unix.IPPROTO_TCP)
		if r.UDP {
			proto = unix.IPPROTO_UDP
		}
		match := slices.Concat(daddr(r.At.Addr()), l4(proto), dport(r.At.Port()))
		to := nat // the chain that spreads the connections
		var chains []string
		var sticky []*nftables.Set // under affinity, each endpoint's clients
		for j, ep := range r.Targets {
			ch := c.AddChain(&nftables.Chain{Name: fmt.Sprintf("svc%d-ep%d", i, j), Table: tbl})
			if r.Affinity > 0 {
				set := &nftables.Set{Table: tbl, Name: affinitySetName(r, ep), KeyType: nftables.TypeIPAddr,
					HasTimeout: true, Dynamic: true, Timeout: r.Affinity}
				if err := c.AddSet(set, kept[set.Name]); err != nil {
					return err
				}
				sticky = append(sticky, set)
				// A new connection (the nat hook sees only those) renews
				// its client's entry, as upstream's `update @affinity`.
				add(ch, saddr(), []expr.Any{&expr.Dynset{SrcRegKey: 1, SetName: set.Name, SetID: set.ID,
					Operation: unix.NFT_DYNSET_OP_UPDATE, Timeout: r.Affinity}})
			}
			add(ch, l4(proto), dnat(ep))
			chains = append(chains, ch.Name)
		}
		if len(chains) == 1 && r.Affinity == 0 {
			add(nat, match, []expr.Any{&expr.Verdict{Kind: expr.VerdictJump, Chain: chains[0]}})
			continue
		}
		if r.Affinity > 0 {
			// A client whose entry has not expired goes to its endpoint;
			// the others are spread as without affinity.
			svc := c.AddChain(&nftables.Chain{Name: fmt.Sprintf("svc%d", i), Table: tbl})
			for j, set := range sticky {
				add(svc, saddr(), []expr.Any{&expr.Lookup{SourceRegister: 1, SetName: set.Name, SetID: set.ID},
					&expr.Verdict{Kind: expr.VerdictGoto, Chain: chains[j]}})
			}
			add(nat, match, []expr.Any{&expr.Verdict{Kind: expr.VerdictJump, Chain: svc.Name}})
			to, match = svc, nil
		}
		vmap := &nftables.Set{Table: tbl, Anonymous: true, Constant: true, IsMap: true,
			KeyType: nftables.TypeInteger, DataType: nftables.TypeVerdict}
		var elems []nftables.SetElement
		for j, ch := range chains {
			elems = append(elems, nftables.SetElement{Key: binaryutil.NativeEndian.PutUint32(uint32(j)),
				VerdictData: &expr.Verdict{Kind: expr.VerdictJump, Chain: ch}})
		}
		if err := c.AddSet(vmap, elems); err != nil {
			return err
		}
		add(to, match, []expr.Any{
			&expr.Numgen{Register: 1, Modulus: uint32(len(chains)), Type: unix.NFT_NG_INCREMENTAL},
			&expr.Lookup{SourceRegister: 1, SetName: vmap.Name, SetID: vmap.ID, IsDestRegSet: true},
		})
	}
	add(filter, inServiceCIDR(), l4(unix.IPPROTO_TCP), []expr.Any{&expr.Reject{Type: unix.NFT_REJECT_TCP_RST}})
	add(filter, inServiceCIDR(), []expr.Any{&expr.Reject{Type: unix.NFT_REJECT_ICMP_UNREACH, Code: 3}}) // port unreachable
	return c.Flush()
}

// dnat sends the connection to ep, as `dnat to IP:PORT`.
func dnat(ep Endpoint) []expr.Any {
	ip, _ := netip.ParseAddr(ep.IP)
	b := ip.As4()
	return []expr.Any{
		&expr.Immediate{Register: 1, Data: b[:]},
		&expr.Immediate{Register: 2, Data: binaryutil.BigEndian.PutUint16(uint16(ep.Port))},
		&expr.NAT{Type: expr.NATTypeDestNAT, Family: unix.NFPROTO_IPV4, RegAddrMin: 1, RegProtoMin: 2, Specified: true},
	}
}

// The matches below load a field of the packet into register 1 and
// compare it, as `nft` compiles `ip daddr X`, `meta l4proto Y` and
// `th dport Z`.

func daddr(ip netip.Addr) []expr.Any {
	b := ip.As4()
	return []expr.Any{
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 16, Len: 4},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: b[:]},
	}
}

func inServiceCIDR() []expr.Any {
	b := ServiceCIDR.Addr().As4()
	mask := netipMask(ServiceCIDR.Bits())
	return []expr.Any{
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 16, Len: 4},
		&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 4, Mask: mask, Xor: []byte{0, 0, 0, 0}},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: b[:]},
	}
}

func netipMask(bits int) []byte {
	m := uint32(0xffffffff) << (32 - bits)
	return []byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)}
}

func l4(proto byte) []expr.Any {
	return []expr.Any{
		&expr.Meta{Key: expr.MetaKeyL4PROTO, Register: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{proto}},
	}
}

func dport(p uint16) []expr.Any {
	return []expr.Any{
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: binaryutil.BigEndian.PutUint16(p)},
	}
}

func redirect(port uint16) []expr.Any {
	return []expr.Any{
		&expr.Immediate{Register: 1, Data: binaryutil.BigEndian.PutUint16(port)},
		&expr.Redir{RegisterProtoMin: 1},
	}
}

// affinityEntries are the entries of the table's affinity sets now, each
// with the time it has left: the rules are rewritten whole at each sync,
// and a client keeps its endpoint through that, as on a node whose
// kube-proxy changes its rules in place. None when there is no table yet.
func affinityEntries(c *nftables.Conn, tbl *nftables.Table) map[string][]nftables.SetElement {
	sets, err := c.GetSets(tbl)
	if err != nil {
		return nil
	}
	out := map[string][]nftables.SetElement{}
	for _, set := range sets {
		if !strings.HasPrefix(set.Name, "affinity-") {
			continue
		}
		elems, err := c.GetSetElements(set)
		if err != nil {
			continue
		}
		for _, e := range elems {
			if e.Expires > 0 {
				out[set.Name] = append(out[set.Name], nftables.SetElement{Key: e.Key, Timeout: e.Expires})
			}
		}
	}
	return out
}

func saddr() []expr.Any {
	return []expr.Any{&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 12, Len: 4}}
}
