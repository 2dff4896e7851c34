// Package events is the events pane: what `kubectl get events -w` prints,
// newest at the bottom.
package events

import (
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/logview"
	"github.com/kubeplay/kubeplay/ui/present"
)

// Model is the events pane.
type Model struct {
	*logview.Model
	c *common.Common
}

// New returns an empty events pane.
func New(c *common.Common) *Model {
	return &Model{Model: logview.New(c, "pane.events", "events.none"), c: c}
}

// Add appends events; warnings stand out.
func (m *Model) Add(rows []present.EventRow) {
	for _, r := range rows {
		line := r.Text()
		if r.Type == "Warning" {
			line = m.c.Theme.Warning.Render(line)
		}
		m.Append(line)
	}
}
