package ui

import (
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/httpapi"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/ui/pages/playground"

	tea "charm.land/bubbletea/v2"
)

// The UI serves the API of the cluster on screen to the learner's own
// kubectl: the first one Run starts, then each one a lesson or free play
// starts instead, on the same address with the same token, so the
// kubeconfig never changes.

// serving reports whether the API is to be served.
func (o Options) serving() bool { return o.Listen != "" && o.Listen != "off" }

// epoch is when a new cluster's time starts: the wall clock's now when a
// real kubectl, which ages objects by its own clock, will read it.
func (o Options) epoch() time.Time {
	if !o.serving() {
		return time.Time{}
	}
	return time.Now().Truncate(time.Second)
}

// clusterOptions are a new cluster's options.
func (o Options) clusterOptions() cluster.Options {
	return cluster.Options{Seed: o.Seed, Nodes: o.Nodes, Epoch: o.epoch(), Lang: o.Lang}
}

// serveOn serves c's API in place of the cluster served before. It must
// run before anything runs c's kernel (httpapi.New subscribes to it). A
// failure is shown, not fatal: the playground works without the API.
func (a *App) serveOn(c backend.Cluster) {
	if !a.opts.serving() || c == a.served {
		return
	}
	if a.api != nil {
		_ = a.api.Close()
		a.api = nil
	}
	dir, err := launch.ConfigDir()
	if err == nil {
		var access *httpapi.Access
		a.api, access, err = httpapi.Start(c, httpapi.StartOptions{Addr: a.opts.Listen, AnyInterface: a.opts.ListenAny,
			WriteKubeconfig: a.opts.WriteKubeconfig, ConfigDir: dir, Lang: a.c.Lang, Access: a.apiAccess})
		if err == nil {
			a.apiAccess = access
			a.apiBanner = access.Banner(a.c.Lang)
		}
	}
	a.served = c
	if err != nil {
		a.apiBanner = "kubeplay: not serving the API for your own kubectl: " + err.Error() + "\n"
	}
}

// listenOutside is what lets a page on a simulated cluster notice a
// request from outside (kubeplay's API, a NodePort): only when the API is
// served, for nothing else can arrive unasked then that matters.
func (a *App) listenOutside(p *playground.Model) tea.Cmd {
	if a.api == nil {
		return nil
	}
	return p.ListenOutside()
}

// closeAPI stops serving, on quit, and takes away the kubeconfig
// written for the API.
func (a *App) closeAPI() {
	if a.api != nil {
		_ = a.api.Close()
	}
	_ = a.apiAccess.Remove()
}
