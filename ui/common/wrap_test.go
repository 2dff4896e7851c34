package common

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// The field path of a misspelt field is the end of a long line: it must
// show whole, on the lines after, never cut off.
func TestWrapKeepsEveryWord(t *testing.T) {
	line := `Error from server (BadRequest): error when creating "web.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containerz"`
	for _, w := range []int{40, 78, 118, 198} {
		got := Wrap(line, w)
		for _, l := range got {
			if lipgloss.Width(l) > w {
				t.Errorf("w=%d: line %q is %d cells wide", w, l, lipgloss.Width(l))
			}
		}
		if strings.Join(strings.Fields(strings.Join(got, " ")), " ") != line {
			t.Errorf("w=%d: words lost or split:\n%s", w, strings.Join(got, "\n"))
		}
	}
}

// A name with a dash stays on one line (ansi.Wrap breaks at the dash).
func TestWrapNeverSplitsAName(t *testing.T) {
	for _, tc := range []struct {
		text string
		w    int
	}{
		{"kubelet/node-1 이 web 파드를 시작해요: node-1 의 컨테이너 런타임이 이미지를 받아요", 24},
		{"0/3 nodes are available: node-1 node-2 node-3 had untolerated taints", 17},
		{"pod web-7d4b9c5f8-xk2pq is running on node-12", 21},
	} {
		for _, l := range Wrap(tc.text, tc.w) {
			if lipgloss.Width(l) > tc.w {
				t.Errorf("%q is wider than %d", l, tc.w)
			}
			if strings.HasSuffix(l, "-") {
				t.Errorf("a name was split after its dash: %q\n%s", l, strings.Join(Wrap(tc.text, tc.w), "\n"))
			}
		}
		for _, name := range []string{"node-1", "web-7d4b9c5f8-xk2pq", "node-12", "kubelet/node-1"} {
			if strings.Contains(tc.text, name+" ") && !strings.Contains(strings.Join(Wrap(tc.text, tc.w), "\n"), name) {
				t.Errorf("%s does not show whole on any line:\n%s", name, strings.Join(Wrap(tc.text, tc.w), "\n"))
			}
		}
	}
}

// Korean takes two cells a syllable: the width, not the rune count, fits.
func TestWrapKoreanByDisplayWidth(t *testing.T) {
	got := Reflow("스케줄러가 파드를 노드에 배정했어요 이제 kubelet이 컨테이너를 시작해요", 20)
	for _, l := range got {
		if w := lipgloss.Width(l); w > 20 {
			t.Errorf("%q is %d cells wide, more than 20", l, w)
		}
	}
	if len(got) < 3 {
		t.Errorf("wrapped into %d lines, want at least 3: %q", len(got), got)
	}
}

// A word wider than the line is the only thing cut; styles survive.
func TestWrapLongWordAndStyles(t *testing.T) {
	got := Wrap("x "+strings.Repeat("a", 25), 10)
	if got[0] != "x" || strings.ReplaceAll(strings.Join(got[1:], ""), " ", "") != strings.Repeat("a", 25) {
		t.Errorf("got %q", got)
	}
	styled := lipgloss.NewStyle().Bold(true).Render("unknown field spec.containerz in the manifest")
	for _, l := range Wrap(styled, 16) {
		if !strings.Contains(l, "\x1b[") {
			t.Errorf("the wrapped line %q lost its style", l)
		}
		if lipgloss.Width(l) > 16 {
			t.Errorf("%q is wider than 16", ansi.Strip(l))
		}
	}
}

// A table row continues indented under its own start.
func TestWrapHangingIndent(t *testing.T) {
	got := Wrap("  Normal  Scheduled  10s  default-scheduler  Successfully assigned default/web to node-1", 40)
	for _, l := range got[1:] {
		if !strings.HasPrefix(l, "    ") {
			t.Errorf("continued line %q is not indented under its row", l)
		}
	}
}

// Words joined by NBSP stay on one line, and show joined by a plain space.
func TestWrapNBSP(t *testing.T) {
	got := Wrap("deploy/web 4/4  rev2"+NBSP+"web-5ddcc9b5dc"+NBSP+"0/0", 26)
	if len(got) != 2 || strings.TrimSpace(got[1]) != "rev2 web-5ddcc9b5dc 0/0" {
		t.Errorf("got %q", got)
	}
}

// A path wider than the line breaks after one of its slashes, between two
// folders, never inside a folder's or the file's name; it starts on the
// line of the command it belongs to.
func TestWrapBreaksAPathAtASlash(t *testing.T) {
	path := "KUBECONFIG=/home/learner/.config/kubeplay/kubeconfig-38343"
	for _, w := range []int{20, 30, 40, 56} {
		got := Wrap("  export "+path, w)
		joined := ""
		for i, l := range got {
			if lipgloss.Width(l) > w {
				t.Errorf("w=%d: line %q is wider than the line", w, l)
			}
			if i < len(got)-1 && strings.Contains(l, "/") && !strings.HasSuffix(l, "/") {
				t.Errorf("w=%d: the path breaks inside a name:\n%s", w, strings.Join(got, "\n"))
			}
			joined += strings.TrimSpace(l)
		}
		if !strings.Contains(joined, path) {
			t.Errorf("w=%d: the path is not whole once joined:\n%s", w, strings.Join(got, "\n"))
		}
		if w >= 30 && !strings.Contains(got[0], "export KUBECONFIG=/") {
			t.Errorf("w=%d: the path left the command it belongs to:\n%s", w, strings.Join(got, "\n"))
		}
	}
}

// A path at the start of a line breaks at its slashes too.
func TestWrapBreaksALeadingPath(t *testing.T) {
	got := Wrap("  /registry/pods/default/web-797596b896-dfrkq", 24)
	for i, l := range got[:len(got)-1] {
		if !strings.HasSuffix(l, "/") {
			t.Errorf("line %d %q breaks inside a name:\n%s", i, l, strings.Join(got, "\n"))
		}
	}
}
