package docker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/moby/moby/client"
)

// Daemon health: the runtime pings the daemon every healthInterval, and at
// once when its events stream breaks; the kubelet hears of each change
// through OnHealth and marks its node NotReady while the daemon is gone.
const (
	healthInterval = 2 * time.Second
	healthTimeout  = 2 * time.Second
)

// OnHealth implements runtime.HealthReporter. fn is called from the
// runtime's health goroutine.
func (r *Runtime) OnHealth(fn func(err error)) {
	r.mu.Lock()
	r.onHealth = fn
	r.mu.Unlock()
}

// checkHealth asks for a ping now, without waiting for it.
func (r *Runtime) checkHealth() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// watchHealth pings the daemon until ctx ends and reports each change.
func (r *Runtime) watchHealth(ctx context.Context) {
	defer close(r.healthDone)
	tick := time.NewTicker(healthInterval)
	defer tick.Stop()
	var down error
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-r.kick:
		}
		pctx, cancel := context.WithTimeout(ctx, healthTimeout)
		_, err := r.cli.Ping(pctx, client.PingOptions{})
		cancel()
		if ctx.Err() != nil {
			return
		}
		if (err == nil) == (down == nil) {
			continue
		}
		if err != nil {
			down = daemonDown(r.cli.DaemonHost(), err)
		} else {
			down = nil
		}
		r.mu.Lock()
		fn := r.onHealth
		r.mu.Unlock()
		if fn != nil {
			fn(down)
		}
	}
}

// daemonDown says that the daemon stopped answering mid-run, and what to
// do; kubeplay carries on and reconnects by itself.
func daemonDown(host string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("no answer within %s", healthTimeout)
	}
	where, hint := explain(host, err)
	return fmt.Errorf("the Docker daemon is unreachable at %s: %v — %s; kubeplay reconnects when it answers again", where, err, hint)
}
