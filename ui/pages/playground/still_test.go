package playground

import (
	"testing"
	"time"

	"github.com/charmbracelet/harmonica"
	"github.com/charmbracelet/x/ansi"
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
		m.dropStill()
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

// TestFramesOnlyWhenThePacketMoves: a packet's frames are the spring's
// sixtieths of a second, but a frame that would draw the packet where it
// is already is not sent (the page drawn again for nothing): every frame
// sent moves it, and it lands when the spring lands, as when every
// sixtieth was a frame (a packet's first frame excepted: it was asked for
// before its edge was drawn; and one frame stands for maxSkip at most).
func TestFramesOnlyWhenThePacketMoves(t *testing.T) {
	r := newClockRig(t)
	m := r.m
	m.SetInstant(false)
	r.run(m.SetMode(Paced))
	r.run(m.Update(prompt.SubmitMsg{Line: "create deployment web --image=kubeplay/demo:v1 --replicas=3"}))
	// The spring's own count: a sixtieth of a second a step, to landing.
	spring := harmonica.NewSpring(harmonica.FPS(fps)*speeds[m.speed], 12.0, 1.0)
	steps := 0
	for p, v := 0.0, 0.0; steps == 0 || moving(p, v); steps++ {
		p, v = spring.Update(p, v, 1)
	}
	want := time.Duration(steps) * time.Second / fps
	var start time.Time
	id, frames, packets, saved := -1, 0, 0, 0
	last := ""
	limit := r.wall.Now().Add(20 * time.Second)
	for range 20000 {
		if m.anim.on && m.anim.id != id {
			id, start, frames, last = m.anim.id, r.wall.Now(), 0, ansi.Strip(m.flow.View())
		}
		msg, ok := r.wall.Next(limit)
		if !ok {
			break
		}
		_, frame := msg.(frameMsg)
		was, skipped := m.anim.id, m.anim.steps
		r.run(m.Update(msg))
		view := ansi.Strip(m.flow.View()) // the program draws after each message
		if !frame || was != id {
			continue
		}
		frames++
		if m.anim.id == id && m.anim.on {
			// The first frame comes before the new hop's edge was drawn:
			// nothing said where its packet would stand; and a frame stands
			// for a tenth of a second at most.
			if view == last && frames > 1 && skipped < maxSkip {
				t.Fatalf("packet %d: frame %d draws the flow as the frame before:\n%s", packets+1, frames, view)
			}
			last = view
			continue
		}
		// Landed.
		packets++
		saved += steps - frames
		if d := r.wall.Now().Sub(start); d < want-time.Millisecond || d > want+time.Millisecond {
			t.Errorf("packet %d landed after %v, the spring's %d sixtieths are %v", packets, d, steps, want)
		}
	}
	if packets < 5 || saved < packets*steps/4 {
		t.Errorf("%d packets landed, %d frames of %d×%d not sent: want at least a quarter fewer", packets, saved, packets, steps)
	}
}
