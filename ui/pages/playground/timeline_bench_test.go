//go:build unix

package playground

import (
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/ui/bridge"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/components/prompt"
	"github.com/kubeplay/kubeplay/ui/internal/walltest"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// busyPage is the page on 10 nodes scaling a deployment to 200 pods,
// stepped hop by hop until about 2,500 hops have come.
func busyPage(b *testing.B) *Model {
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 10})
	if err != nil {
		b.Fatal(err)
	}
	m := New(common.New("en", theme.Auto, true), bridge.New(c, "en"), "sim")
	b.Cleanup(m.d.Close)
	m.SetSize(160, 48)
	m.SetInstant(true)
	run := func(cmd tea.Cmd) { walltest.Run(m.Update, cmd) }
	run(m.Update(prompt.SubmitMsg{Line: "create deployment web --image=kubeplay/demo:v1 --replicas=200"}))
	for i := 0; i < 20000 && len(m.timeline.frames) < 2500; i++ {
		run(m.step())
	}
	if len(m.timeline.frames) < 1500 {
		b.Fatalf("only %d hops", len(m.timeline.frames))
	}
	return m
}

// BenchmarkPacketFrame is one frame of a packet's animation on that page
// (160×48, a hop in flight, 200 pods in the flow's nodes): the page
// redrawn with the packet one step on. At 60 frames a second its cost
// is the "core%" reported (goal < 5 % of one core).
func BenchmarkPacketFrame(b *testing.B) {
	m := busyPage(b)
	i := 0
	// CPU time, not the wall's: on a machine shared with other work the
	// wall clock counts their time too.
	before := cpuTime()
	for b.Loop() {
		i++
		m.flow.SetPos(float64(i%60) / 60)
		_ = m.View()
	}
	b.ReportMetric(float64((cpuTime()-before).Nanoseconds())/float64(b.N)*60/1e9*100, "core%")
}

// cpuTime is the CPU time the process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkScrubBack1000 goes 1,000 hops back through the timeline of a
// cluster of 10 nodes scaling to 200 pods, stepped hop by hop (each hop
// with its board), and draws the screen: the past on screen (goal
// < 50 ms).
func BenchmarkScrubBack1000(b *testing.B) {
	m := busyPage(b)
	for b.Loop() {
		m.toNow()
		m.scrub(-1000)
		_ = m.View()
	}
	b.ReportMetric(float64(len(m.timeline.frames)), "hops")
}
