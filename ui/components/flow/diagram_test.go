package flow

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/present"
	"github.com/kubeplay/kubeplay/ui/theme"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// The flow pane's sizes in the playground on an 80×24, a 120×36 and a
// 200×50 terminal (playground's geometry).
var paneSizes = []struct{ w, h int }{{80, 8}, {120, 16}, {200, 22}}

const pod = "web-7d4b9c8f5-xk2pq"

// creation is a pod's creation, hop by hop, as the cluster sends it,
// with the board as it is while each hop travels.
func creation() []struct {
	hop   sim.Hop
	board present.Board
} {
	nodes := func(on string, st present.PodState) present.Board {
		b := present.Board{}
		for _, n := range []string{"node-1", "node-2", "node-3"} {
			col := present.NodeColumn{Name: n, Ready: true}
			if n == on {
				col.Pods = []present.Chip{{Name: pod, State: st, Ready: "0/1", Left: -1}}
			}
			b.Nodes = append(b.Nodes, col)
		}
		if on == "" && st == present.Pending {
			b.Unscheduled = []present.Chip{{Name: pod, State: present.Pending, Ready: "0/1", Left: -1}}
		}
		return b
	}
	none := nodes("", present.Ready)
	pending := nodes("", present.Pending)
	bound := nodes("node-2", present.Pending)
	return []struct {
		hop   sim.Hop
		board present.Board
	}{
		{sim.Hop{From: "kubectl", To: "apiserver", Verb: sim.VerbCreate, Object: "pods/" + pod, Summary: "kubectl run web: POST /api/v1/namespaces/default/pods"}, none},
		{sim.Hop{From: "apiserver", To: "etcd", Verb: sim.VerbPut, Object: "/registry/pods/default/" + pod, Summary: "admitted, defaults set → store it"}, pending},
		{sim.Hop{From: "apiserver", To: "scheduler", Verb: sim.VerbWatch, Object: "pods/" + pod, Summary: "pod added (no node) → schedule it"}, pending},
		{sim.Hop{From: "scheduler", To: "apiserver", Verb: sim.VerbBind, Object: "pods/" + pod, Summary: "bind → node-2 (least allocated: node-2 83, node-1 61)"}, pending},
		{sim.Hop{From: "apiserver", To: "kubelet/node-2", Verb: sim.VerbWatch, Object: "pods/" + pod, Summary: "pod bound to node-2 → start it"}, bound},
		{sim.Hop{From: "kubelet/node-2", To: "runtime/node-2", Verb: sim.VerbRunSandbox, Object: "pods/" + pod, Summary: "no sandbox yet → run one"}, bound},
	}
}

// TestDiagramGolden draws the six hops of a pod's creation at the three
// sizes, the packet halfway along each hop's edge, without colour.
func TestDiagramGolden(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		for _, sz := range paneSizes {
			m := New(common.New(lang, theme.NoColor, true))
			m.SetSize(sz.w, sz.h)
			var screens []string
			for i, c := range creation() {
				m.SetBoard(c.board)
				m.SetHop(c.hop)
				m.SetPos(0.5)
				v := ansi.Strip(m.View())
				for j, l := range strings.Split(v, "\n") {
					if ansi.StringWidth(l) != sz.w {
						t.Errorf("%dx%d hop %d line %d is %d cells wide: %q", sz.w, sz.h, i+1, j, ansi.StringWidth(l), l)
					}
				}
				screens = append(screens, fmt.Sprintf("hop %d: %s → %s %s\n%s", i+1, c.hop.From, c.hop.To, c.hop.Label(), v))
			}
			golden(t, fmt.Sprintf("creation-%dx%d-%s", sz.w, sz.h, lang), strings.Join(screens, "\n\n")+"\n")
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./ui/components/flow -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
}

// TestDiagramMarksSenderAndReceiver: without colour (and in high
// contrast, read the same way), the sender's box is heavy, the
// receiver's double, the edge between them heavy with the packet on it,
// and every other edge light — at each size, for each hop.
func TestDiagramMarksSenderAndReceiver(t *testing.T) {
	for _, kind := range []theme.Kind{theme.NoColor, theme.HighContrast} {
		markedByShape(t, kind)
	}
}

func markedByShape(t *testing.T, kind theme.Kind) {
	for _, sz := range paneSizes[1:] {
		m := New(common.New(bilingual.English, kind, true))
		m.SetSize(sz.w, sz.h)
		for _, c := range creation() {
			m.SetBoard(c.board)
			m.SetHop(c.hop)
			m.SetPos(0.5)
			v := ansi.Strip(m.View())
			if strings.Count(v, "●") < 1 || !strings.ContainsAny(v, "━┃") {
				t.Errorf("%v %dx%d %s: no packet on a heavy edge:\n%s", kind, sz.w, sz.h, c.hop.Label(), v)
			}
			if !strings.Contains(v, "┏") || !strings.Contains(v, "╔") && !strings.Contains(v, "<runtime>") {
				t.Errorf("%v %dx%d %s: sender (heavy) or receiver (double) not drawn:\n%s", kind, sz.w, sz.h, c.hop.Label(), v)
			}
		}
	}
	// Compact: [sender] and <receiver>.
	m := New(common.New(bilingual.English, kind, true))
	m.SetSize(80, 8)
	m.SetHop(sim.Hop{From: "apiserver", To: "etcd", Verb: sim.VerbPut, Object: "/registry/pods/default/web"})
	m.SetPos(0.5)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "[kube-apiserver]━") || !strings.Contains(v, "▶<etcd>") && !strings.Contains(v, "●<etcd>") {
		t.Errorf("%v compact: the sender and receiver are not marked:\n%s", kind, v)
	}
}

// TestPacketTravels: the packet moves along the edge as pos goes from 0
// to 1, from the sender's end to the receiver's.
func TestPacketTravels(t *testing.T) {
	m := New(common.New(bilingual.English, theme.NoColor, true))
	m.SetSize(120, 16)
	m.SetHop(sim.Hop{From: "kubectl", To: "apiserver", Verb: sim.VerbCreate, Object: "pods/web"})
	col := func(p float64) int {
		m.SetPos(p)
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if i := strings.Index(l, "●"); i >= 0 {
				return ansi.StringWidth(l[:i])
			}
		}
		t.Fatal("no packet")
		return 0
	}
	a, b, c := col(0), col(0.5), col(1)
	if !(a < b && b < c) {
		t.Errorf("kubectl → apiserver: the packet at %d, %d, %d for 0, 0.5, 1; want it moving right", a, b, c)
	}
	m.SetHop(sim.Hop{From: "apiserver", To: "kubectl", Verb: sim.VerbAnswer, Object: "pods/web"})
	if a, c := col(0), col(1); a <= c {
		t.Errorf("apiserver → kubectl: the packet at %d then %d; want it moving left", a, c)
	}
}

// TestManyNodesFold: nodes that do not fit fold into "+N", keeping the
// busiest and the one the hop in flight involves.
func TestManyNodesFold(t *testing.T) {
	b := bigBoard(10, 200)
	b.Nodes[9].Pods = append(b.Nodes[9].Pods, b.Nodes[0].Pods...) // node-10 the busiest
	for _, sz := range paneSizes {
		m := New(common.New(bilingual.English, theme.NoColor, true))
		m.SetSize(sz.w, sz.h)
		m.SetBoard(b)
		m.SetHop(sim.Hop{From: "apiserver", To: "kubelet/node-4", Verb: sim.VerbWatch, Object: "pods/x"})
		v := ansi.Strip(m.View())
		if !strings.Contains(v, "node-10") || !strings.Contains(v, "node-4") || !strings.Contains(v, "+") {
			t.Errorf("%dx%d: the busiest node, the one in flight or the fold are missing:\n%s", sz.w, sz.h, v)
		}
	}
}

func bigBoard(nodes, pods int) present.Board {
	var b present.Board
	for i := range nodes {
		b.Nodes = append(b.Nodes, present.NodeColumn{Name: fmt.Sprintf("node-%d", i+1), Ready: true})
	}
	for i := range pods {
		n := &b.Nodes[i%nodes]
		n.Pods = append(n.Pods, present.Chip{Name: fmt.Sprintf("web-7d4b9c8f5-%05d", i), State: present.PodState(i % 5), Left: -1})
	}
	return b
}

// BenchmarkDiagramView draws the flow with 10 nodes and 200 pods, a
// packet halfway: the budget is 2 ms a frame.
func BenchmarkDiagramView(b *testing.B) {
	for _, sz := range paneSizes {
		b.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(b *testing.B) {
			m := New(common.New(bilingual.English, theme.New(theme.Auto, true).Kind, true))
			m.SetSize(sz.w, sz.h)
			m.SetBoard(bigBoard(10, 200))
			m.SetHop(sim.Hop{From: "apiserver", To: "kubelet/node-2", Verb: sim.VerbWatch, Object: "pods/web-7d4b9c8f5-00001"})
			for i := 0; b.Loop(); i++ {
				m.SetPos(float64(i%60) / 60)
				_ = m.View()
			}
		})
	}
}

// BenchmarkDiagramViewAfresh is BenchmarkDiagramView with nothing kept
// from the frame before (the board changed): the whole picture laid out
// and drawn, as when a hop or the board changes.
func BenchmarkDiagramViewAfresh(b *testing.B) {
	for _, sz := range paneSizes {
		b.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(b *testing.B) {
			m := New(common.New(bilingual.English, theme.New(theme.Auto, true).Kind, true))
			m.SetSize(sz.w, sz.h)
			board := bigBoard(10, 200)
			m.SetHop(sim.Hop{From: "apiserver", To: "kubelet/node-2", Verb: sim.VerbWatch, Object: "pods/web-7d4b9c8f5-00001"})
			for i := 0; b.Loop(); i++ {
				m.SetBoard(board)
				m.SetPos(float64(i%60) / 60)
				_ = m.View()
			}
		})
	}
}

// TestNarrowNodesNameTheirParts: however many nodes share the width,
// each box drawn names its kubelet and its runtime whole.
func TestNarrowNodesNameTheirParts(t *testing.T) {
	for _, n := range []int{3, 5, 8, 12} {
		m := New(common.New(bilingual.English, theme.NoColor, true))
		m.SetSize(120, 16)
		m.SetBoard(bigBoard(n, 0))
		v := ansi.Strip(m.View())
		boxes := strings.Count(v, "╭ node-")
		if got := strings.Count(v, "kubelet ─"); got != boxes || !strings.Contains(v, "─ runtime ") && !strings.Contains(v, "─ runtime│") {
			t.Errorf("%d nodes: %d boxes, %d name their kubelet and runtime whole:\n%s", n, boxes, got, v)
		}
		if strings.Contains(v, "runtim│") || strings.Contains(v, "runtim ") {
			t.Errorf("%d nodes: runtime cut:\n%s", n, v)
		}
	}
}
