package realcluster

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"
)

// orderWindow is how long a watch event waits for others that came
// before it: each kind is watched on its own connection, so a pod's
// Added can arrive before its ReplicaSet's, and what the flow shows must
// follow cause before effect. resourceVersions order every write of one
// etcd; events are held this long and handed on in that order.
const orderWindow = 15 * time.Millisecond

// traceOrder, when a test sets it (before Attach), hears each watch event
// as it reaches the orderer ("arrive") and as the orderer hands it to the
// kernel ("release"), with its resourceVersion and the hop's object: where
// a change's way to the board spends its time. It is called from the
// watches' goroutines and the orderer's.
var traceOrder func(stage string, rv uint64, object string, at time.Time)

// orderer hands the watches' events to the kernel in resourceVersion
// order, each after orderWindow.
type orderer struct {
	k    *sim.Kernel
	mu   sync.Mutex
	held []held
	last uint64 // the highest resourceVersion seen
	wake chan struct{}
}

type held struct {
	rv      uint64
	at      time.Time
	hop     sim.Hop
	deliver func()
}

func newOrderer(k *sim.Kernel) *orderer {
	return &orderer{k: k, wake: make(chan struct{}, 1)}
}

// add holds a hop whose object is at resourceVersion rv ("" for a
// deletion, whose final version is not the deleting write's: it counts as
// the latest seen).
func (o *orderer) add(rv string, h sim.Hop, deliver func()) {
	o.mu.Lock()
	n, err := strconv.ParseUint(rv, 10, 64)
	if err != nil || n == 0 {
		n = o.last
	}
	o.last = max(o.last, n)
	now := time.Now()
	o.held = append(o.held, held{rv: n, at: now, hop: h, deliver: deliver})
	o.mu.Unlock()
	if traceOrder != nil {
		traceOrder("arrive", n, h.Object, now)
	}
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// run hands on what has waited orderWindow, in resourceVersion order,
// until ctx ends.
func (o *orderer) run(ctx context.Context) {
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-o.wake:
		case <-t.C:
		}
		next := o.flush(time.Now())
		if next > 0 {
			t.Reset(next)
		}
	}
}

// flush injects what is due at now, oldest resourceVersion first, and
// says how long until the next is due (0: nothing held).
func (o *orderer) flush(now time.Time) time.Duration {
	o.mu.Lock()
	slices.SortStableFunc(o.held, func(a, b held) int {
		switch {
		case a.rv < b.rv:
			return -1
		case a.rv > b.rv:
			return 1
		}
		return 0
	})
	// Everything up to the last one due goes, in order: what came later
	// with a lower version is its cause, and goes first.
	due := -1
	var next time.Duration
	for i, h := range o.held {
		if wait := h.at.Add(orderWindow).Sub(now); wait <= 0 {
			due = i
		} else if next == 0 || wait < next {
			next = wait
		}
	}
	out := slices.Clone(o.held[:due+1])
	o.held = slices.Delete(o.held, 0, due+1)
	if len(o.held) > 0 && next == 0 {
		next = orderWindow
	}
	o.mu.Unlock()
	for _, h := range out {
		if traceOrder != nil {
			traceOrder("release", h.rv, h.hop.Object, time.Now())
		}
		o.k.Inject(h.hop, h.deliver)
	}
	return next
}
