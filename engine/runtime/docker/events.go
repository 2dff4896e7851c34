package docker

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/events"
	"github.com/moby/moby/client"
)

// resubscribeDelay is the pause before following events again after the
// stream broke (the daemon restarted, say).
const resubscribeDelay = time.Second

// follow subscribes to the daemon's events for this node's containers and
// reports their exits from a goroutine. It returns once the subscription
// is live, so no exit of a container started afterwards is missed.
func (r *Runtime) follow() error {
	filters := make(client.Filters).Add("type", "container").
		Add("label", LabelCluster+"="+r.cfg.ClusterID, LabelNode+"="+r.cfg.Node).
		Add("event", string(events.ActionDie), string(events.ActionOOM), string(events.ActionDestroy))
	loop, stop := context.WithCancel(context.Background())
	sub := r.cli.Events(loop, client.EventsListOptions{Filters: filters})
	// Events returns once the daemon answered; a failure is already queued.
	select {
	case err := <-sub.Err:
		stop()
		return fmt.Errorf("docker: follow container events: %w", err)
	default:
	}
	r.stop, r.done = stop, make(chan struct{})
	go func() {
		defer close(r.done)
		last := time.Now()
		for {
			select {
			case m := <-sub.Messages:
				last = time.Unix(0, m.TimeNano)
				r.handle(m)
				continue
			case <-sub.Err:
			}
			r.checkHealth() // a broken stream is often a daemon gone
			// The stream broke: follow again from the last event seen, so
			// exits in between are replayed (handle drops repeats).
			select {
			case <-loop.Done():
				return
			case <-time.After(resubscribeDelay):
			}
			since := strconv.FormatInt(last.Unix(), 10) + "." + fmt.Sprintf("%09d", last.Nanosecond())
			sub = r.cli.Events(loop, client.EventsListOptions{Filters: filters, Since: since})
			// A restarted daemon has no events of before: it stopped our
			// containers without telling anyone, so look at each.
			r.recheck()
		}
	}()
	return nil
}

// handle turns a die event into one runtime.Exit for an app container or
// a sandbox.
func (r *Runtime) handle(m events.Message) {
	id := m.Actor.ID
	if m.Action == events.ActionDie {
		code, _ := strconv.Atoi(m.Actor.Attributes["exitCode"])
		r.sandboxDied(id, code, time.Unix(0, m.TimeNano))
	}
	r.mu.Lock()
	c := r.containers[id]
	switch {
	case c == nil: // a sandbox, or a container of an earlier run
		r.mu.Unlock()
		return
	case m.Action == events.ActionDestroy:
		delete(r.containers, id)
		r.mu.Unlock()
		return
	case m.Action == events.ActionOOM:
		c.oom = true // the die that follows says OOMKilled
		r.mu.Unlock()
		return
	case c.exited:
		r.mu.Unlock()
		return
	}
	oom := c.oom
	r.mu.Unlock()

	st, err := r.Status(id)
	if err != nil || st.Running {
		// Removed already (a forced remove): the event has the exit code.
		code, _ := strconv.Atoi(m.Actor.Attributes["exitCode"])
		st = runtime.ContainerStatus{ID: id, ExitCode: code, Reason: reason(code, false), FinishedAt: time.Unix(0, m.TimeNano)}
	}
	if oom {
		st.Reason = "OOMKilled"
	}
	r.mu.Lock()
	c.exited = true
	fn := r.onExit
	r.mu.Unlock()
	fn(runtime.Exit{ContainerID: id, Status: st})
}

// sandboxDied reports the end of one of this runtime's sandboxes, once.
func (r *Runtime) sandboxDied(id string, code int, at time.Time) {
	r.mu.Lock()
	sb := r.sandboxes[id]
	report := sb != nil && !sb.dead
	if report {
		sb.dead = true
	}
	fn := r.onExit
	r.mu.Unlock()
	if report {
		fn(runtime.Exit{ContainerID: id, Sandbox: true, Status: runtime.ContainerStatus{ID: id, ExitCode: code, Reason: reason(code, false), FinishedAt: at}})
	}
}

// recheck reports the sandboxes and containers that stopped while no
// event could say so; sandboxes first, so that the kubelet does not
// restart a container into a dead one. A container the daemon cannot
// inspect now (it is still down) is left for the next recheck.
func (r *Runtime) recheck() {
	r.mu.Lock()
	var sandboxes, containers []string
	for id, sb := range r.sandboxes {
		if !sb.dead {
			sandboxes = append(sandboxes, id)
		}
	}
	for id, c := range r.containers {
		if !c.exited {
			containers = append(containers, id)
		}
	}
	r.mu.Unlock()
	for _, id := range sandboxes {
		st, err := r.Status(id)
		switch {
		case cerrdefs.IsNotFound(err):
			r.sandboxDied(id, 137, time.Now())
		case err == nil && !st.Running:
			r.sandboxDied(id, st.ExitCode, st.FinishedAt)
		}
	}
	for _, id := range containers {
		if st, err := r.Status(id); err == nil && !st.Running {
			r.handle(events.Message{Action: events.ActionDie, Actor: events.Actor{ID: id, Attributes: map[string]string{"exitCode": strconv.Itoa(st.ExitCode)}}, TimeNano: st.FinishedAt.UnixNano()})
		}
	}
}
