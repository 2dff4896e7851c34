package logview

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/theme"
)

func lines(from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	return b.String()
}

// The log follows its last line until scrolled up; End follows again.
func TestLogFollowsUntilScrolledUp(t *testing.T) {
	m := New(common.New("en", theme.NoColor, true), "pane.output", "out.none")
	m.SetSize(40, 7) // five rows
	m.Append(lines(0, 20))
	if !strings.Contains(m.Body(), "line 19") {
		t.Fatalf("the last line is not in view:\n%s", m.Body())
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyPgUp})
	m.Append(lines(20, 3))
	if strings.Contains(m.Body(), "line 22") || m.Following() {
		t.Fatalf("scrolled up, the log still jumped to new lines:\n%s", m.Body())
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "↓ 7 more · end") {
		t.Errorf("the border does not say what is below:\n%s", v)
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	m.Append(lines(23, 1))
	if !strings.Contains(m.Body(), "line 23") {
		t.Errorf("after End the log does not follow:\n%s", m.Body())
	}
	m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if m.Following() {
		t.Error("the wheel up did not stop following")
	}
}

// A line wider than the pane wraps at spaces, every word kept; a resize
// wraps again.
func TestLogWrapsAndRewraps(t *testing.T) {
	m := New(common.New("en", theme.NoColor, true), "pane.output", "out.none")
	m.SetSize(30, 10)
	long := `Error from server (BadRequest): unknown field "spec.template.spec.containers[0].imagePullPolicyy"`
	m.Append(long)
	for _, w := range []int{60, 80, 120} {
		m.SetSize(w, 10)
		if got := strings.Join(strings.Fields(m.Body()), " "); got != long {
			t.Errorf("at %d columns the pane shows %q", w, got)
		}
	}
	m.SetLast("done")
	if strings.TrimSpace(m.Body()) != "done" {
		t.Errorf("SetLast left %q", m.Body())
	}
}

// A CR before a line feed (curl -i's header lines, a Docker exec's error)
// ends the line: none reaches the screen, where it would send the cursor
// back over the line.
func TestCRLFEndsALine(t *testing.T) {
	m := New(common.New("en", theme.NoColor, true), "pane.output", "out.none")
	m.SetSize(60, 7)
	m.Append("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
	if v := m.View(); strings.Contains(v, "\r") || !strings.Contains(v, "│HTTP/1.1 200 OK ") || len(m.Lines()) != 4 {
		t.Errorf("lines %q, view:\n%q", m.Lines(), v)
	}
}
