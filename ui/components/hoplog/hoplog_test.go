package hoplog

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/theme"
)

func hops(from, n int) []sim.Hop {
	var out []sim.Hop
	for i := from; i < from+n; i++ {
		out = append(out, sim.Hop{ID: uint64(i), At: time.Duration(i) * time.Millisecond, From: "apiserver", To: "kubelet/node-1",
			Verb: "watch", Object: "pods/web-5bd49bcdd5-r295v"})
	}
	return out
}

func press(code rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: code} }

// The log follows the newest hop; moving up stops that and says how many
// came since; End follows again.
func TestHopLogFollowsUntilMovedAndEndFollowsAgain(t *testing.T) {
	m := New(common.New("en", theme.NoColor, true))
	m.SetSize(60, 8)
	m.Add(hops(0, 20))
	if !m.Following() || m.cursor != 19 {
		t.Fatalf("cursor %d, following %v: want the newest hop, following", m.cursor, m.Following())
	}
	m.Update(press(tea.KeyUp))
	m.Update(press(tea.KeyPgUp))
	m.Add(hops(20, 5))
	if m.Following() || m.cursor >= 19 {
		t.Fatalf("after moving up, new hops moved the cursor to %d", m.cursor)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "more · end") {
		t.Errorf("the pane does not say that newer hops are below:\n%s", v)
	}
	m.Update(press(tea.KeyEnd))
	m.Add(hops(25, 3))
	if !m.Following() || m.cursor != 27 {
		t.Errorf("after End the cursor is at %d, following %v: want 27, following", m.cursor, m.Following())
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "0.027") {
		t.Errorf("the newest hop is not in view after End:\n%s", v)
	}
}

// A hop wider than the pane wraps, whole.
func TestHopLogWrapsLongHops(t *testing.T) {
	m := New(common.New("en", theme.NoColor, true))
	m.SetSize(40, 8)
	m.Add(hops(0, 1))
	v := ansi.Strip(m.View())
	if strings.Contains(v, "…") || !strings.Contains(v, "pods/web-5bd49bcdd5-r295v") {
		t.Errorf("the hop is cut:\n%s", v)
	}
}

// Hops past 1000 s of cluster time keep the log in columns: every row's
// arrow stands in one column, an early hop's as a late one's.
func TestHopLogColumnsPast1000s(t *testing.T) {
	m := New(common.New("en", theme.NoColor, true))
	m.SetSize(80, 8)
	for _, at := range []time.Duration{568 * time.Millisecond, 601 * time.Second, 1203 * time.Second, 12345 * time.Second} {
		m.Add([]sim.Hop{{At: at, From: "apiserver", To: "etcd", Verb: "put", Object: "/registry/pods/default/web"}})
	}
	cols := map[int]bool{}
	for _, l := range strings.Split(ansi.Strip(m.Body()), "\n") {
		if i := strings.Index(l, "→"); i >= 0 {
			cols[ansi.StringWidth(l[:i])] = true
		}
	}
	if len(cols) != 1 {
		t.Errorf("the hops' arrows stand in %d columns:\n%s", len(cols), ansi.Strip(m.Body()))
	}
	if v := ansi.Strip(m.Body()); !strings.Contains(v, "12345.000") {
		t.Errorf("the late hop's time is not whole:\n%s", v)
	}
}

// TestHopLogMarksHowARealClustersHopIsKnown: each hop of a real cluster
// ends with its mark, observed or inferred, in the screen's language
// (Korean screens read no English), and its details say it too; the
// embedded engine's hops carry none.
func TestHopLogMarksHowARealClustersHopIsKnown(t *testing.T) {
	hs := []sim.Hop{
		{ID: 1, At: time.Millisecond, From: "controller-manager", To: "apiserver", Verb: sim.VerbCreate, Object: "pods/web-1", Evidence: sim.Observed},
		{ID: 2, At: 2 * time.Millisecond, From: "apiserver", To: "etcd", Verb: sim.VerbPut, Object: "/registry/pods/default/web-1", Evidence: sim.Inferred},
		{ID: 3, At: 3 * time.Millisecond, From: "apiserver", To: "scheduler", Verb: sim.VerbWatch, Object: "pods/web-1"},
	}
	for lang, want := range map[bilingual.Lang][3]string{bilingual.English: {"[observed]", "[inferred]", ""}, bilingual.Korean: {"[관찰]", "[추정]", ""}} {
		m := New(common.New(lang, theme.NoColor, true))
		m.SetSize(100, 8)
		m.Add(hs)
		rows := strings.Split(ansi.Strip(m.Body()), "\n")
		if len(rows) != 3 {
			t.Fatalf("%s: %d rows:\n%s", lang, len(rows), strings.Join(rows, "\n"))
		}
		for i, w := range want {
			row := strings.TrimSpace(rows[i])
			switch {
			case w != "" && !strings.HasSuffix(row, w):
				t.Errorf("%s: row %q does not end with %q", lang, row, w)
			case w == "" && strings.Contains(row, "["):
				t.Errorf("%s: the embedded engine's hop is marked: %q", lang, row)
			}
			if lang == bilingual.Korean && (strings.Contains(row, "observed") || strings.Contains(row, "inferred")) {
				t.Errorf("English on a Korean screen: %q", row)
			}
		}
		m.SetList(hs[1], "")
		if d := ansi.Strip(m.Body()); !strings.Contains(d, want[1]) {
			t.Errorf("%s: the details of an inferred hop do not say so:\n%s", lang, d)
		}
	}
}

// TestHopLogNamesTheLearnersOwnKubectl: a request from the learner's own
// kubectl (over the HTTP API) is named as the flow's kubectl box names
// it, in its row and in its details, in both languages; the built-in
// prompt's is plain kubectl. The row stays on one line of the pane at 80
// columns, as at 200, and no line of the pane is wider than the pane.
func TestHopLogNamesTheLearnersOwnKubectl(t *testing.T) {
	const why = "external kubectl (kubectl create): POST /apis/apps/v1/namespaces/default/deployments"
	own := sim.Hop{ID: 1, At: 118 * time.Millisecond, From: "kubectl", To: "apiserver", Verb: sim.VerbCreate,
		Object: "deployments/web", Summary: why, Origin: sim.OriginExternal}
	prompt := sim.Hop{ID: 2, At: 1203 * time.Second, From: "kubectl", To: "apiserver", Verb: sim.VerbCreate, Object: "deployments/web"}
	for _, c := range []struct {
		lang          bilingual.Lang
		route, reason string
	}{
		{bilingual.English, "external kubectl → apiserver", "why: external kubectl (kubectl create): POST"},
		{bilingual.Korean, "내 kubectl → apiserver", "이유: 내 kubectl (kubectl create): POST"},
	} {
		for _, w := range []int{80, 200} {
			m := New(common.New(c.lang, theme.NoColor, true))
			m.SetSize(w, 8)
			m.Add([]sim.Hop{own, prompt})
			rows := strings.Split(ansi.Strip(m.View()), "\n")
			for _, r := range rows {
				if ansi.StringWidth(r) > w {
					t.Errorf("%s, %d columns: a line is %d cells wide: %q", c.lang, w, ansi.StringWidth(r), r)
				}
			}
			body := strings.Split(ansi.Strip(m.Body()), "\n")
			if len(body) != 2 || !strings.Contains(body[0], c.route+"  create deployments/web") {
				t.Errorf("%s, %d columns: the learner's own kubectl's hop is not one row naming it %q:\n%s", c.lang, w, c.route, strings.Join(body, "\n"))
			}
			if len(body) == 2 && (!strings.Contains(body[1], " kubectl → apiserver") || strings.Contains(body[1], c.route)) {
				t.Errorf("%s, %d columns: the built-in prompt's hop is not plain kubectl: %q", c.lang, w, body[1])
			}
			m.SetDetails(own, "kind: Deployment\n", true, true)
			d := ansi.Strip(m.Body())
			if !strings.Contains(d, c.route) || !strings.Contains(d, c.reason) {
				t.Errorf("%s, %d columns: the details do not name the learner's own kubectl (%q, %q):\n%s", c.lang, w, c.route, c.reason, d)
			}
			if c.lang == bilingual.Korean && strings.Contains(d, "external") {
				t.Errorf("English on a Korean screen:\n%s", d)
			}
		}
	}
}
