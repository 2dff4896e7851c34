package cluster

import (
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"
)

// The cluster DNS of nodes whose pods answer it themselves (Docker): the
// view they answer from, and their queries as hops.

// dnsViewPrefixes are the keys of what the DNS answers from.
var dnsViewPrefixes = []string{apiserver.PrefixOf(resServices), apiserver.PrefixOf(resEndpointSlices), apiserver.PrefixOf(resNamespaces)}

// watchDNSView follows the store as CoreDNS's informer follows the
// apiserver: each change of a Service, an EndpointSlice or a namespace
// hands a new view to the nodes that answer the DNS in their pods, at
// once, not at kube-proxy's next sync, and without a hop to wait for (a
// kubectl exec holds the engine while its command runs): a Service's
// name answers as soon as it is created. The nodes write the views of a
// moment together (docker.Runtime.SyncDNS). A cluster without such nodes
// (the simulated runtime, which answers from the store itself) does
// nothing more.
func (c *Cluster) watchDNSView() {
	c.st.Watch(func(ev store.Event) {
		for _, p := range dnsViewPrefixes {
			if strings.HasPrefix(ev.Key, p) && c.hasServiceSyncers() {
				c.publishDNS() // the store has applied the change: the view is read now
				return
			}
		}
	})
}

func (c *Cluster) hasServiceSyncers() bool {
	for _, rt := range c.runtimes {
		if _, ok := rt.(runtime.ServiceSyncer); ok {
			return true
		}
	}
	return false
}

// publishDNS hands the nodes that answer the cluster DNS in their pods
// the cluster's Services and EndpointSlices as they are now.
func (c *Cluster) publishDNS() {
	var b []byte
	for _, rt := range c.runtimes {
		if s, ok := rt.(runtime.ServiceSyncer); ok {
			if b == nil {
				b = c.servicesSnapshot()
			}
			_ = s.SyncDNS(b) // a node that cannot write keeps its pods' last view
		}
	}
}

// reportDNS makes each query a node's pods answered (runtime.DNSReporter)
// two hops, pod → coredns pod and back, as the simulated runtime sends
// them, while SetDNSHops says so. It runs on the runtime's goroutine.
func (c *Cluster) reportDNS(q runtime.DNSQuery) {
	if !c.dnsHops.Load() {
		return
	}
	query, reply := sim.DNSQuery(sim.KindPod.On(q.Pod), sim.KindPod.On(q.CoreDNS), q.Server, q.Question, q.Answer)
	c.k.Inject(query, nil)
	c.k.Inject(reply, nil)
}
