package playground

import (
	"testing"

	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/present"
)

// A long session: the timeline keeps the newest maxMoments hops and
// drops what the hops carried; the events of a kept hop are still its.
func TestTimelineBounded(t *testing.T) {
	tl := newTimeline()
	for i := range maxMoments + maxMoments/5 {
		tl.record([]sim.Hop{{ID: uint64(i + 1), Payload: i}}, present.Board{}, i == 0, []present.EventRow{{Reason: "r"}})
	}
	if len(tl.frames) > maxMoments || len(tl.events) > maxMoments {
		t.Errorf("kept %d moments and %d events, more than %d", len(tl.frames), len(tl.events), maxMoments)
	}
	last := tl.frames[len(tl.frames)-1]
	if last.hop.Payload != nil || last.hop.ID != uint64(maxMoments+maxMoments/5) {
		t.Errorf("the newest moment is hop %d with payload %v", last.hop.ID, last.hop.Payload)
	}
	if got := last.events - tl.eventsGone; got != len(tl.events) {
		t.Errorf("the newest hop sees %d of the %d events kept", got, len(tl.events))
	}
	if tl.gone+len(tl.frames) != maxMoments+maxMoments/5 {
		t.Errorf("gone %d + kept %d is not every hop", tl.gone, len(tl.frames))
	}
}
