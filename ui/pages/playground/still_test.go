package playground

import (
	"testing"
	"time"
	"unsafe"

	"github.com/kubeplay/kubeplay/ui/components/prompt"
)

// TestStillPanesAreFresh plays a deployment's hops in paced mode, each
// packet animated frame by frame, and after every message compares the
// page drawn with the panes kept since the last frame (still.go) with
// the page drawn afresh: what is kept is never what has gone. A notice
// and a resize come while a packet travels.
func TestStillPanesAreFresh(t *testing.T) {
	r := newClockRig(t)
	m := r.m
	m.SetInstant(false)
	check := func(what string) {
		t.Helper()
		kept := m.View()
		m.still, m.head = still{}, keptHeader{} // nothing kept: all drawn afresh
		if fresh := m.View(); kept != fresh {
			t.Fatalf("after %s the page with the kept panes:\n%s\ndiffers from the page drawn afresh:\n%s", what, kept, fresh)
		}
	}
	r.run(m.SetMode(Paced))
	check("paced mode")
	r.run(m.Update(prompt.SubmitMsg{Line: "create deployment web --image=kubeplay/demo:v1 --replicas=3"}))
	check("the command")
	frames, landed := 0, 0
	limit := r.wall.Now().Add(20 * time.Second)
	for range 20000 {
		msg, ok := r.wall.Next(limit)
		if !ok {
			break
		}
		id := m.anim.id
		r.run(m.Update(msg))
		if _, f := msg.(frameMsg); f {
			frames++
			if m.anim.id != id || !m.anim.on {
				landed++ // and the next hop's packet may be on its way
			}
		}
		check("a message")
		if m.anim.on {
			switch frames {
			case 30:
				m.Notice("a notice while a packet travels")
				check("a notice")
			case 60:
				m.SetSize(100, 30)
				check("a resize")
			}
		}
	}
	if frames < 100 || landed < 5 {
		t.Fatalf("%d frames, %d packets landed: the test saw too few", frames, landed)
	}
}

// TestStillFrameIsTheSamePage: a frame whose packet stayed on its cell
// gets the very page drawn before, not a copy: the renderer compares the
// page with itself then, at no cost.
func TestStillFrameIsTheSamePage(t *testing.T) {
	r := newClockRig(t)
	m := r.m
	m.SetInstant(false)
	r.run(m.SetMode(Paced))
	r.run(m.Update(prompt.SubmitMsg{Line: "create deployment web --image=kubeplay/demo:v1 --replicas=2"}))
	same, moved := 0, 0
	limit := r.wall.Now().Add(10 * time.Second)
	for range 5000 {
		msg, ok := r.wall.Next(limit)
		if !ok {
			break
		}
		before := m.View()
		r.run(m.Update(msg))
		if _, f := msg.(frameMsg); !f {
			continue
		}
		after := m.View()
		if after != before {
			moved++
			continue
		}
		same++
		if unsafe.StringData(after) != unsafe.StringData(before) {
			t.Fatalf("frame %d drew the page unchanged as another string", same+moved)
		}
	}
	if same == 0 || moved == 0 {
		t.Fatalf("%d frames left the page as it was, %d moved the packet: the test saw too few", same, moved)
	}
}
