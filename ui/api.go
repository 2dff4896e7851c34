package ui

import (
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/pages/playground"

	tea "charm.land/bubbletea/v2"
)

// Served is how main serves the clusters it starts to the learner's own
// kubectl (engine/serve.API): each one as it starts, in place of the one
// before, on the same address with the same token. The UI only says what
// it is told, when a cluster opens, and listens for requests from outside
// while a cluster is served.
type Served interface {
	// Banner is what to tell the learner of the cluster served last, in
	// lang: how to reach its API, or why it is not served; "" for nothing.
	Banner(lang bilingual.Lang) string
	// Serving reports whether a cluster's API is served now.
	Serving() bool
}

// Overheard is a Served that tells of each request from outside that
// names a resource, as it comes (engine/serve.API is one): a recording
// keeps them, so that its replay can say that it cannot send them again.
type Overheard interface {
	// Overhear has fn told of each request, on the request's goroutine;
	// nil stops it.
	Overhear(fn func(method, path, query string, body []byte))
}

// apiBanner is what the playground opening on the cluster started last
// tells the learner of its API.
func (a *App) apiBanner() string {
	if a.opts.API == nil {
		return ""
	}
	return a.opts.API.Banner(a.c.Lang)
}

// listenOutside is what lets a page on a simulated cluster notice a
// request from outside (kubeplay's API, a NodePort): only when the API is
// served, for nothing else can arrive unasked then that matters.
func (a *App) listenOutside(p *playground.Model) tea.Cmd {
	if a.opts.API == nil || !a.opts.API.Serving() {
		return nil
	}
	return p.ListenOutside()
}
