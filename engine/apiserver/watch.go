package apiserver

import (
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"
)

// Watcher is a component's watch on the apiserver: Filter picks the
// changes it cares about (and says in a few words what changed), Handle
// receives them as hops.
type Watcher struct {
	Component string
	// Filter returns what the hop's label should say, and false to skip.
	Filter func(ev store.Event) (summary string, ok bool)
	Handle func(ev store.Event)
}

// Watch subscribes w: every stored change it accepts reaches it as a hop
// from the apiserver, after Latency.
func (s *Server) Watch(w Watcher) {
	s.st.Watch(func(ev store.Event) {
		summary, ok := w.Filter(ev)
		if !ok {
			return
		}
		object := ev.Key
		if res, err := ResourceOf(ev.Object); err == nil {
			object = res.Name + "/" + nameOf(ev.Object)
		}
		s.k.Send(Latency, sim.Hop{From: Name, To: w.Component, Verb: "watch", Object: object, Summary: summary}, func() {
			w.Handle(ev)
		})
	})
}
