package ingress

import (
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/kubeplay/kubeplay/engine/proxy"
	"github.com/kubeplay/kubeplay/engine/sim"
)

// nextUpstreamTries is ingress-nginx's proxy-next-upstream-tries: a
// request that an endpoint did not take (proxy-next-upstream "error
// timeout": refused, reset, unanswered) goes to the endpoint the balancer
// picks next, three tries in all; after the last the controller answers
// itself, 502 Bad Gateway (504 when that try timed out), as nginx does. A
// client never gets an empty reply for it.
const nextUpstreamTries = 3

// tryUpstream is one try of a request: it carries the request to ep,
// after the hop to it, and tells took whether ep took it (nil) or why
// not.
type tryUpstream func(ep proxy.Endpoint, hop sim.Hop, took func(error))

// nextUpstream sends a request for to as ingress-nginx's
// proxy_next_upstream does, on every path a request reaches the
// controller by (Do, Route, serveRealFrom): to the endpoint picked next,
// and, while one does not take it and the request may go again
// (replayable), to the next, nextUpstreamTries in all. failed hears the
// controller's own answer when none took it: the 503 page when to has no
// endpoint, else 502 or 504. A try's answer may come at once or later on
// the kernel's goroutine (Do's), hence took rather than a loop.
func (c *Controller) nextUpstream(to target, method, host, uri string, replayable bool, try tryUpstream, failed func(proxy.Answer)) {
	var attempt func(n int)
	attempt = func(n int) {
		ep, hop, a, ok := c.pickHop(to, method, host, uri)
		if !ok {
			failed(a)
			return
		}
		try(ep, hop, func(err error) {
			switch {
			case err == nil:
			case n < nextUpstreamTries && replayable:
				attempt(n + 1)
			default:
				failed(upstreamFailed(err))
			}
		})
	}
	attempt(1)
}

// upstreamFailed is the controller's page once no try took the request:
// 504 when the last one timed out, 502 otherwise.
func upstreamFailed(err error) proxy.Answer {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return page(http.StatusGatewayTimeout)
	}
	return page(http.StatusBadGateway)
}

// replayable says whether nginx sends a request to the next upstream
// after an error: an idempotent method (not POST, LOCK or PATCH), here
// without a body.
func replayable(r *http.Request) bool {
	switch r.Method {
	case http.MethodPost, http.MethodPatch, "LOCK":
		return false
	}
	return r.ContentLength == 0 && len(r.TransferEncoding) == 0
}
