package apiserver

import (
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"
)

// Watcher is a component's watch on the apiserver: Filter picks the
// changes it cares about (and says in a few words what changed), Handle
// receives them as hops.
type Watcher struct {
	Component sim.Component
	// Filter returns what the hop's label should say, and false to skip.
	Filter func(ev store.Event) (summary string, ok bool)
	Handle func(ev store.Event)
}

// Watch subscribes w: every stored change it accepts reaches it as a hop
// from the apiserver, after Latency.
func (s *Server) Watch(w Watcher) {
	s.st.Watch(func(ev store.Event) { s.deliver(&w, ev) })
}

// WatchRouted subscribes a family of watchers of which route picks the one
// a change concerns, or nil: one subscription for all the kubelets instead
// of one each, so a change costs the same with 3 nodes or 100.
func (s *Server) WatchRouted(route func(ev store.Event) *Watcher) {
	s.st.Watch(func(ev store.Event) {
		if w := route(ev); w != nil {
			s.deliver(w, ev)
		}
	})
}

func (s *Server) deliver(w *Watcher, ev store.Event) {
	summary, ok := w.Filter(ev)
	if !ok {
		return
	}
	// Every watcher of a change gets the same label: build it once.
	if s.label.rev != ev.Rev {
		s.label.rev, s.label.object = ev.Rev, ev.Key
		if res, err := ResourceOf(ev.Object); err == nil {
			s.label.object = res.Name + "/" + nameOf(ev.Object)
		}
	}
	object := s.label.object
	h := sim.Hop{From: Name, To: w.Component, Verb: sim.VerbWatch, Object: object, Summary: summary}
	if s.k.Payloads() {
		h.Payload = ev.Object // stored objects are never changed in place
	}
	d := s.spareDeliveries.Take()
	d.s, d.w, d.ev = s, w, ev
	s.k.SendRunner(Latency, h, d)
}

// delivery is a change on its way to a watcher, the effect of its hop.
// Deliveries are reused, as requests are (inFlight): a pod's life is
// some ten of them.
type delivery struct {
	s  *Server
	w  *Watcher
	ev store.Event
}

func (d *delivery) Run() {
	s, w, ev := d.s, d.w, d.ev
	s.spareDeliveries.Give(d) // before Handle, which may send the next delivery
	w.Handle(ev)
}
