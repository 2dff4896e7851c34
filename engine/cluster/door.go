package cluster

import (
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/sim"
)

// The embedded engine is a backend.Cluster: the methods below are how
// front ends drive it, each handing on to the part that does the work.
var _ backend.Cluster = (*Cluster)(nil)

// storeReads is backend.StoreReads by a name that keeps the embedded field
// unexported: its methods (Get, List, Watch…) are the Cluster's, reading
// its apiserver and store; the field is not.
type storeReads = backend.StoreReads

// Capabilities: the embedded engine honours every fault; its containers
// are real processes only on Docker.
func (c *Cluster) Capabilities() backend.Capabilities {
	simulated := c.runtimes[0].Info().Simulated
	caps := backend.Capabilities{Faults: true, StreamingExec: !simulated, SimulatedContainers: simulated}
	if c.ingress != nil {
		caps.Addons = append(caps.Addons, backend.AddonIngress)
	}
	return caps
}

// Submit sends req to the apiserver as a hop from a component.
func (c *Cluster) Submit(from sim.Component, req apiserver.Request) { c.api.Submit(from, req) }

// Realtime reports whether the cluster's time is the wall clock.
func (c *Cluster) Realtime() bool { return c.k.Realtime() }

// Now is the cluster's time as a date.
func (c *Cluster) Now() time.Time { return c.k.Now() }

// Elapsed is the cluster's time since it started.
func (c *Cluster) Elapsed() time.Duration { return c.k.Elapsed() }

// Wait runs the cluster until done or limit of its time has passed.
func (c *Cluster) Wait(limit time.Duration, done func() bool) bool { return c.k.RunUntil(limit, done) }

// RunFor runs the cluster for d of its time.
func (c *Cluster) RunFor(d time.Duration) { c.k.RunFor(d) }

// RunLive runs the cluster with its time following the wall clock until
// done.
func (c *Cluster) RunLive(done func() bool) {
	wall := c.opts.Wall
	if wall == nil {
		wall = sim.SystemClock{}
	}
	c.k.RunLive(wall, done)
}

// CatchUp takes in injected hops and, in real time, the wall's time.
func (c *Cluster) CatchUp() { c.k.CatchUp() }

// Wake is signalled when a hop is injected.
func (c *Cluster) Wake() <-chan struct{} { return c.k.Wake() }

// Inject queues a hop from another goroutine.
func (c *Cluster) Inject(h sim.Hop, deliver func()) { c.k.Inject(h, deliver) }

// Observe calls fn with every hop delivered.
func (c *Cluster) Observe(fn func(sim.Hop)) { c.k.Observe(fn) }

// RecordPayloads makes hops carry the object they moved.
func (c *Cluster) RecordPayloads(on bool) { c.k.RecordPayloads(on) }

// Next is the next hop of work to be delivered: the add-ons' routine
// probes (sim.Hop.Background), due every few seconds whatever anyone
// does, are passed over — Step delivers them as time passes.
func (c *Cluster) Next() (sim.Hop, bool) { return c.k.NextWork() }

// Step delivers the next hop.
func (c *Cluster) Step() (sim.Hop, bool) { return c.k.Step() }

// Pending is how many hops of work are queued (background ones aside).
func (c *Cluster) Pending() int { return c.k.Pending() }

// Kubelet is a node's kubelet, as the apiserver's proxy reaches it.
func (c *Cluster) Kubelet(node string) (backend.Kubelet, bool) {
	kl, ok := c.kubelets[node]
	if !ok {
		return nil, false
	}
	return kl, true
}

// Network is kube-proxy, and the ingress controller when installed.
func (c *Cluster) Network() backend.Network { return network{c.proxy, c.ingress} }

// After runs fn once delay of the cluster's time has passed, as a
// component's timer does (it shows as a hop from component, saying why).
// It is no part of the front door: tests use it for something due later.
func (c *Cluster) After(delay time.Duration, component sim.Component, why string, fn func()) {
	c.k.After(delay, component, why, fn)
}
