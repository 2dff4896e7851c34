package playground

import (
	"testing"

	"github.com/kubeplay/kubeplay/ui/components/prompt"
)

// The flow shows the hop a key press delivered, also the press that
// hands the cluster back to the waiting command: the command runs on
// while the flow is drawn, so the hop must come from the press, not
// from what the command leaves behind when it waits again.
func TestStepShowsTheHopItDelivered(t *testing.T) {
	r := newClockRig(t)
	r.run(r.m.Update(prompt.SubmitMsg{Line: "create deployment web --image=nginx"}))
	released := 0
	for i := 0; i < 200 && r.m.d.Running(); i++ {
		next, ok := r.m.d.Next()
		cmd := r.m.step()
		if ok {
			if shown, has := r.m.flow.Hop(); !has || shown.ID != next.ID {
				t.Fatalf("press %d delivered hop %d (%s %s %s); the flow shows hop %d (%s %s %s), holding=%v",
					i, next.ID, next.From, next.Verb, next.To, shown.ID, shown.From, shown.Verb, shown.To, r.m.d.Holding())
			}
			if !r.m.d.Holding() {
				released++
			}
		}
		r.run(cmd)
	}
	if r.m.d.Running() {
		t.Fatal("stepping never ended the command")
	}
	if released == 0 {
		t.Fatal("no press handed the cluster back to the command: the test would prove nothing")
	}
}
