package board

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/kubeplay/kubeplay/ui/common"
)

// serviceLines are each Service: a head with what a client connects to
// (type, cluster IP, ports as port→target port), then where it lands,
// the endpoints of its EndpointSlices, each an address and its pod,
// ready ones first: on the head's line when they fit, else under it, side
// by side as many as fit. A headless Service says
// that the DNS answers with those addresses, and a Service without a
// ready endpoint says what a client meets then.
func (m *Model) serviceLines(w int) []string {
	t := m.c.Theme
	var out []string
	for _, s := range m.b.Services {
		head := t.Title.Render("svc/"+s.Name) + " " + t.Dim.Render(s.Type)
		switch {
		case s.ExternalName != "":
			head += " " + t.Dim.Render("→") + " " + s.ExternalName
		case s.Headless():
			head += " " + t.NotReady.Render(m.c.T("board.headless"))
		case s.ClusterIP != "":
			head += " " + s.ClusterIP
		}
		if len(s.Ports) > 0 {
			head += "  " + strings.Join(s.Ports, " ")
		}
		if s.Namespace != "" && s.Namespace != "default" {
			head += "  " + t.Dim.Render("-n"+common.NBSP+s.Namespace)
		}
		if s.ExternalName != "" {
			out = append(out, common.Wrap(head, w)...)
			continue
		}
		var cells []string
		for _, e := range s.Endpoints {
			cells = append(cells, m.ChipStyle(e.State).Render(strings.ReplaceAll(e.Text(), " ", common.NBSP)))
		}
		if s.More > 0 {
			cells = append(cells, t.Dim.Render(strings.ReplaceAll(fmt.Sprintf(m.c.T("board.more"), s.More), " ", common.NBSP)))
		}
		if s.Ready() == 0 {
			why := "board.noendpoints"
			if s.Headless() {
				why = "board.nohostnames"
			}
			if !s.Selector {
				why = "board.noselector"
			}
			cells = append(cells, t.Failed.Render("✕ "+m.c.T(why)))
		}
		// One line when it all fits (a wide screen); else the head, and
		// the endpoints under it.
		if line := head + " " + t.Dim.Render("→") + " " + strings.Join(cells, "  "); lipgloss.Width(line) <= w {
			out = append(out, line)
			continue
		}
		out = append(out, common.Wrap(head, w)...)
		out = append(out, grid(cells, w, 2)...)
	}
	return out
}
