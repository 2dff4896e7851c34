// Package serve serves a cluster's Kubernetes API to the learner's own
// kubectl, for every front end (the shell, the TUI) and across the
// clusters a front end starts one after another.
package serve

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/engine/httpapi"
)

// DefaultAddr is where the API is served unless --listen says otherwise.
const DefaultAddr = httpapi.DefaultAddr

// Options say where a cluster's API is served for the learner's own
// kubectl: --listen, --listen-any and --write-kubeconfig.
type Options struct {
	Addr            string // "" or "off": nowhere
	AnyInterface    bool   // allow a non-loopback Addr
	WriteKubeconfig bool   // merge a context into the learner's kubeconfig
}

// On reports whether the options ask for the API at all.
func (o Options) On() bool { return o.Addr != "" && o.Addr != "off" }

// Epoch is when the time of a cluster started now, to be served per o,
// starts (cluster.Options.Epoch): the wall clock's now when the API is
// served, for a real kubectl ages objects by its own clock; zero (the
// engine's fixed epoch, repeatable output) when it is not.
func (o Options) Epoch() time.Time {
	if !o.On() {
		return time.Time{}
	}
	return time.Now().Truncate(time.Second)
}

// API serves a cluster's Kubernetes API to the learner's own kubectl. A
// front end that starts another cluster (a lesson, free play) serves it
// in place of the one before, on the same address with the same token,
// so the kubeconfig written the first time stays right. The shell and the
// TUI serve through it alike: main serves each cluster it starts, and the
// TUI reads what to say of it (Banner, Serving). It is safe for
// concurrent use.
type API struct {
	o   Options
	mu  sync.Mutex
	srv *httpapi.Server
	// the run's address, token and kubeconfig, read without mu by
	// RemoveAccess, which must not wait for a server closing
	access atomic.Pointer[httpapi.Access]
	served backend.Cluster
	err    error // why the cluster last asked for is not served
	// heard is told of each request that names a resource, whichever
	// cluster is served (Overhear).
	heard atomic.Pointer[func(method, path, query string, body []byte)]
}

// NewAPI returns an API that serves nothing yet.
func NewAPI(o Options) *API { return &API{o: o} }

// Serve serves c's API in place of the cluster served before, and returns
// the banner that tells the learner how to reach it, in lang. It must run
// before anything runs c (the server subscribes to its changes).
func (a *API) Serve(c backend.Cluster, lang bilingual.Lang) (banner string, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closeServer()
	a.served = c
	a.err = a.serve(c, lang)
	if a.err != nil {
		return "", a.err
	}
	return a.access.Load().Banner(lang), nil
}

func (a *API) serve(c backend.Cluster, lang bilingual.Lang) error {
	dir, err := configdir.Dir()
	if err != nil {
		return err
	}
	srv, access, err := httpapi.Start(c, httpapi.StartOptions{Addr: a.o.Addr, AnyInterface: a.o.AnyInterface,
		WriteKubeconfig: a.o.WriteKubeconfig, ConfigDir: dir, Lang: lang, Access: a.access.Load(), Heard: a.tell})
	if err != nil {
		return err
	}
	a.srv = srv
	a.access.Store(access)
	return nil
}

// Overhear has fn told of each request from outside that names a
// resource (not discovery), on the request's goroutine, before it is
// served, from now on and on every cluster served after: a TUI that
// records the session keeps them. nil stops it.
func (a *API) Overhear(fn func(method, path, query string, body []byte)) {
	if fn == nil {
		a.heard.Store(nil)
		return
	}
	a.heard.Store(&fn)
}

// tell is every server's Heard: it tells the function Overhear set.
func (a *API) tell(method, path, query string, body []byte) {
	if fn := a.heard.Load(); fn != nil {
		(*fn)(method, path, query, body)
	}
}

// Banner is what the learner is told of the API of the cluster served
// last, in lang: how to reach it, or why it is not served (NotServing);
// "" before a cluster is.
func (a *API) Banner(lang bilingual.Lang) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.err != nil:
		return NotServing(a.err)
	case a.srv == nil:
		return ""
	}
	return a.access.Load().Banner(lang)
}

// Serving reports whether a cluster's API is served now.
func (a *API) Serving() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.srv != nil
}

// Unserve stops serving c, if it is the cluster served: before c stops.
// The address, the token and the kubeconfig stay for the next cluster.
func (a *API) Unserve(c backend.Cluster) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.served == c {
		a.closeServer()
		a.served = nil
	}
}

func (a *API) closeServer() {
	if a.srv != nil {
		_ = a.srv.Close()
		a.srv = nil
	}
}

// NotServing is the notice of a front end that goes on without the API
// because Serve failed.
func NotServing(err error) string {
	return "kubeplay: not serving the API for your own kubectl: " + err.Error() + "\n"
}

// Close stops serving and takes away the kubeconfig written for the API.
// It is safe to call more than once.
func (a *API) Close() {
	a.mu.Lock()
	a.closeServer()
	a.mu.Unlock()
	a.RemoveAccess()
}

// RemoveAccess takes away the kubeconfig written for the API, and only
// that: a signal handler's part, which must not wait for requests in
// flight. It is safe to call more than once.
func (a *API) RemoveAccess() { _ = a.access.Load().Remove() }
