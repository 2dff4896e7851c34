//go:build unix

package ui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// BenchmarkPacketAnimationRun is a packet's animation as the program
// runs it — Bubble Tea's renderer, the clock's and the frames' timers, the
// cluster in PACED mode — on a 160×48 terminal, 10 nodes scaling a
// Deployment to 200 pods: each iteration a second of it on the wall
// clock, and the CPU the process used meanwhile, as "core%" (goal < 5 %
// of one core). BenchmarkPacketFrame in ui/pages/playground is the page's
// View alone. The goal is the 160×48 one's; 120×36 and 200×50 show how
// the cost grows with the screen: most of it is the renderer's, which
// parses and compares the whole screen for each frame that moved the
// packet.
func BenchmarkPacketAnimationRun(b *testing.B) {
	for _, size := range [][2]int{{160, 48}, {120, 36}, {200, 50}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) { animationRun(b, size[0], size[1], false) })
	}
}

// BenchmarkPacketAnimationLineRenderer is BenchmarkPacketAnimationRun at
// 160×48 with Bubble Tea's renderer off, and the screen drawn instead by
// lineScreen, which redraws only the lines that changed: what a renderer
// of kubeplay's own would cost. It is a measure, not a renderer: it sets
// none of the terminal's modes, and its output goes nowhere.
func BenchmarkPacketAnimationLineRenderer(b *testing.B) { animationRun(b, 160, 48, true) }

func animationRun(b *testing.B, width, height int, lines bool) {
	b.Setenv(configdir.Env, b.TempDir())
	o := testOptions(Options{Lang: "en", Nodes: 10, Theme: theme.Auto}, launch.Sim, "")
	o.Notices = discard{}
	var st stages
	started := st.add(onStart)
	opened := st.add(func(a *App) bool { return a.onPlayground })
	paced := st.add(func(a *App) bool { return a.play.Mode() == 1 })
	var hops atomic.Int64
	hk := hooks{
		wrap: func(a *App) tea.Model {
			return probe{a, func(a *App, msg tea.Msg) {
				st.check(a, msg)
				if p := a.activePlayground(); p != nil {
					hops.Store(int64(p.Moments()))
				}
			}}
		},
		options: []tea.ProgramOption{tea.WithWindowSize(width, height)},
	}
	if lines {
		screen := newLineScreen(width, height)
		defer screen.run()()
		inner := hk.wrap
		hk.wrap = func(a *App) tea.Model { return drawnBy{inner(a), screen} }
		hk.options = append(hk.options, tea.WithoutRenderer())
	}
	r, w := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, o, r, discard{}, hk) }()
	wait := func(ch <-chan struct{}, what string) {
		select {
		case <-ch:
		case <-time.After(time.Minute):
			b.Fatalf("no %s within a minute", what)
		}
	}
	wait(started, "first frame")
	io.WriteString(w, "\r")
	wait(opened, "playground")
	io.WriteString(w, "\x14") // ctrl+t: paced
	wait(paced, "paced mode")
	io.WriteString(w, "create deployment web --image=kubeplay/demo:v1 --replicas=200\r")
	time.Sleep(2 * time.Second) // the first packets on their way
	from := hops.Load()
	before, start := processCPU(), time.Now()
	b.ResetTimer()
	for range b.N {
		time.Sleep(time.Second)
	}
	cpu, wall := processCPU()-before, time.Since(start)
	b.StopTimer()
	if hops.Load() == from {
		b.Fatal("no hop came while measuring: nothing was animated")
	}
	b.ReportMetric(float64(cpu)/float64(wall)*100, "core%")
	b.ReportMetric(float64(hops.Load()-from)/wall.Seconds(), "hops/s")
	io.WriteString(w, "\x11y") // ctrl+q, yes
	select {
	case err := <-done:
		if err != nil {
			b.Fatal(err)
		}
	case <-time.After(time.Minute):
		b.Fatal("the program did not end")
	}
}

// processCPU is the CPU time the process has used (user and system):
// on a machine shared with other work the wall clock counts theirs too.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// lineScreen draws the views it is given on a kept cell buffer, sixty
// times a second, parsing again only the lines that changed, and renders
// them with ultraviolet's renderer (Bubble Tea's) to nowhere. Bubble
// Tea's own renderer clears its buffer and parses the whole screen for
// every frame that changed, which is most of what a packet's animation
// costs.
type lineScreen struct {
	mu    sync.Mutex
	view  string // the last view given
	drawn string // the view on the buffer
	rows  []string
	buf   uv.ScreenBuffer
	scr   *uv.TerminalRenderer
}

func newLineScreen(width, height int) *lineScreen {
	s := &lineScreen{buf: uv.NewScreenBuffer(width, height)}
	s.scr = uv.NewTerminalRenderer(io.Discard, []string{"TERM=xterm-256color"})
	s.scr.SetColorProfile(colorprofile.TrueColor)
	s.scr.SetFullscreen(true)
	s.scr.SetScrollOptim(true)
	return s
}

func (s *lineScreen) show(view string) {
	s.mu.Lock()
	s.view = view
	s.mu.Unlock()
}

// run draws at sixty frames a second until the func it returns is called.
func (s *lineScreen) run() (stop func()) {
	done, quit := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Second / 60)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
				s.draw()
			}
		}
	}()
	return func() { close(quit); <-done }
}

func (s *lineScreen) draw() {
	s.mu.Lock()
	view := s.view
	s.mu.Unlock()
	if view == s.drawn {
		return
	}
	s.drawn = view
	rows := strings.Split(view, "\n")
	for y := range s.buf.Height() {
		row := ""
		if y < len(rows) {
			row = rows[y]
		}
		if y < len(s.rows) && s.rows[y] == row {
			continue
		}
		line := uv.Rect(0, y, s.buf.Width(), 1)
		s.buf.ClearArea(line)
		uv.NewStyledString(row).Draw(&s.buf, line)
	}
	s.rows = rows
	s.scr.Render(s.buf.RenderBuffer)
	_ = s.scr.Flush()
}

// drawnBy is a model whose views a lineScreen draws.
type drawnBy struct {
	tea.Model
	screen *lineScreen
}

func (d drawnBy) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := d.Model.Update(msg)
	d.Model = m
	return d, cmd
}

func (d drawnBy) View() tea.View {
	v := d.Model.View()
	d.screen.show(v.Content)
	return v
}
