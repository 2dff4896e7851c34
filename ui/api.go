package ui

import (
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/serve"
	"github.com/kubeplay/kubeplay/ui/pages/playground"

	tea "charm.land/bubbletea/v2"
)

// The UI serves the API of the cluster on screen to the learner's own
// kubectl: the first one Run starts, then each one a lesson or free play
// starts instead, on the same address with the same token, so the
// kubeconfig never changes.

// serveOn serves c's API in place of the cluster served before. It must
// run before anything runs c (the server subscribes to it). A failure is
// shown, not fatal: the playground works without the API.
func (a *App) serveOn(c backend.Cluster) {
	if a.api == nil || c == a.api.Served() {
		return
	}
	banner, err := a.api.Serve(c, a.c.Lang)
	if err != nil {
		banner = serve.NotServing(err)
	}
	a.apiBanner = banner
}

// listenOutside is what lets a page on a simulated cluster notice a
// request from outside (kubeplay's API, a NodePort): only when the API is
// served, for nothing else can arrive unasked then that matters.
func (a *App) listenOutside(p *playground.Model) tea.Cmd {
	if a.api == nil || !a.api.Serving() {
		return nil
	}
	return p.ListenOutside()
}

// closeAPI stops serving, on quit, and takes away the kubeconfig
// written for the API.
func (a *App) closeAPI() {
	if a.api != nil {
		a.api.Close()
	}
}
