package record

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/kubeplay/kubeplay/engine/sim"
)

// HopJSON is a hop as a hop log export writes it, for trainers' tools.
type HopJSON struct {
	ID       uint64  `json:"id"`
	At       float64 `json:"at"` // seconds of cluster time
	From     string  `json:"from"`
	To       string  `json:"to"`
	Verb     string  `json:"verb"`
	Object   string  `json:"object,omitempty"`
	Summary  string  `json:"summary,omitempty"`
	Origin   string  `json:"origin,omitempty"`
	Internal bool    `json:"internal,omitempty"`
	Evidence string  `json:"evidence,omitempty"`
}

// WriteHops writes hops as JSON (an array, asJSON) or as text: the
// shell's trace lines, one a hop.
func WriteHops(w io.Writer, hops []sim.Hop, asJSON bool) error {
	if !asJSON {
		var b strings.Builder
		for _, h := range hops {
			fmt.Fprintf(&b, "%5d %s\n", h.ID, h.Trace())
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	out := make([]HopJSON, len(hops))
	for i, h := range hops {
		out[i] = HopJSON{ID: h.ID, At: h.At.Seconds(), From: string(h.From), To: string(h.To), Verb: string(h.Verb),
			Object: h.Object, Summary: h.Summary, Internal: h.Internal, Evidence: h.Evidence.String()}
		if h.Origin != sim.OriginInside {
			out[i].Origin = h.Origin.String()
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
