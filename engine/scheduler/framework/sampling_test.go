package framework

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestNumFeasibleNodesToFind(t *testing.T) {
	// Upstream's table: every node up to 100, then 50% less a point per
	// 125 nodes, never under 5% nor under 100 nodes.
	for _, tt := range []struct{ all, want int }{
		{0, 0}, {3, 3}, {99, 99}, {100, 100}, {101, 100}, {250, 120}, {500, 230}, {1000, 420}, {5000, 500}, {10000, 500},
	} {
		if got := numFeasibleNodesToFind(tt.all); got != tt.want {
			t.Errorf("numFeasibleNodesToFind(%d) = %d, want %d", tt.all, got, tt.want)
		}
	}
}

// TestScheduleSamplesBigClusters: in a cluster of 1,000 nodes a cycle
// looks at 420 feasible ones and the next cycle carries on from where it
// stopped, so every node gets its turn (upstream's nextStartNodeIndex).
func TestScheduleSamplesBigClusters(t *testing.T) {
	var nodes []*NodeInfo
	for i := range 1000 {
		nodes = append(nodes, plainNamed(fmt.Sprintf("node-%04d", i)))
	}
	s := seeded(1)
	for cycle := range 3 {
		r := s.Schedule(makePod("web", "100m", "100Mi"), nodes)
		if r.Feasible != 420 || len(r.Filtered) != 0 {
			t.Fatalf("cycle %d scored %d nodes and filtered %d, want 420 and 0", cycle, r.Feasible, len(r.Filtered))
		}
		// Every node is empty and scores the same: all tie, and the pick
		// is one of those this cycle looked at.
		if r.Tied != 419 {
			t.Errorf("cycle %d: %d nodes tied with the pick, want 419", cycle, r.Tied)
		}
		var picked int
		fmt.Sscanf(r.Node, "node-%d", &picked)
		if from := cycle * 420 % 1000; (picked-from+1000)%1000 >= 420 {
			t.Errorf("cycle %d picked %s, outside the 420 nodes from node-%04d", cycle, r.Node, from)
		}
		if want := (cycle + 1) * 420 % 1000; s.nextStart != want {
			t.Errorf("after cycle %d the search starts at %d, want %d", cycle, s.nextStart, want)
		}
	}
	// With 100 nodes or fewer every node is looked at, from the first.
	s = seeded(1)
	for range 3 {
		if r := s.Schedule(makePod("web", "100m", "100Mi"), nodes[:100]); r.Feasible != 100 || s.nextStart != 0 {
			t.Fatalf("100 nodes: scored %d, next start %d", r.Feasible, s.nextStart)
		}
	}
}

// TestOrderByTotalIsAStableSort checks the counting sort against the
// standard library's stable sort, over narrow and wide ranges of totals.
func TestOrderByTotalIsAStableSort(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	var counts []int32
	for _, span := range []int64{1, 7, 700, 1 << 40} {
		for n := range 60 {
			totals := make([]int64, n)
			for i := range totals {
				totals[i] = rnd.Int64N(span) - span/3
			}
			want := make([]int32, n)
			for i := range want {
				want[i] = int32(i)
			}
			slices.SortStableFunc(want, func(a, b int32) int { return cmp.Compare(totals[b], totals[a]) })
			if got := orderByTotal(totals, make([]int32, n), &counts); !slices.Equal(got, want) {
				t.Fatalf("span %d, totals %v: order %v, want %v", span, totals, got, want)
			}
		}
	}
}

// TestScoresListTheTop: with ten nodes of different loads, Result.Scores
// holds the best five, best first, which is all the trace line reads.
func TestScoresListTheTop(t *testing.T) {
	var nodes []*NodeInfo
	for i := range 10 {
		nodes = append(nodes, filledNode(makeNode(fmt.Sprintf("node-%d", i), "4", "8Gi"), makePod(fmt.Sprintf("p%d", i), fmt.Sprintf("%dm", 100*i), "")))
	}
	r := seeded(1).Schedule(makePod("web", "100m", "100Mi"), nodes)
	if r.Feasible != 10 || len(r.Scores) != 5 {
		t.Fatalf("Feasible %d, %d scores listed; want 10 and 5", r.Feasible, len(r.Scores))
	}
	for i := 1; i < len(r.Scores); i++ {
		if r.Scores[i].Total > r.Scores[i-1].Total {
			t.Errorf("scores not best first: %+v", r.Scores)
		}
	}
	if r.Node != "node-0" || !strings.HasSuffix(r.Why, "; node-1 493, node-2 490, node-3 488 …") {
		t.Errorf("picked %s, why %q", r.Node, r.Why)
	}
}
