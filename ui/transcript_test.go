package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// paneText is the output pane's text as a transcript says it: each
// command "$ LINE" (the pane shows "$ kubectl LINE"), its output, and
// not kubeplay's own lines (⧗ a line queued).
func paneText(lines []string) string {
	var out []string
	for _, l := range lines {
		l = ansi.Strip(l)
		if strings.HasPrefix(l, "⧗") {
			continue
		}
		out = append(out, strings.Replace(l, "$ kubectl ", "$ ", 1))
	}
	return strings.Join(out, "\n")
}

// TestReplayShellPrintsWhatTheScreensShowed: `kubeplay replay --shell`
// prints each command's output as the session's output pane showed it,
// and as the TUI's replay shows it, whatever mode the session was in: in
// step mode the cluster moved one hop a key, so `get pods` two keys after
// `create deployment` finds no pod yet, and after twenty the pods
// Pending; in paced mode it moved with the animation, in free mode with
// the clock.
func TestReplayShellPrintsWhatTheScreensShowed(t *testing.T) {
	// timed: ctrl+t pressed modes times, then create deployment and get
	// pods twice, each followed by its wait.
	timed := func(modes int, waits ...time.Duration) func(s *session) {
		return func(s *session) {
			for range modes {
				s.key("ctrl+t")
			}
			for i, line := range []string{"create deployment web --image=kubeplay/demo:v1 --replicas=2", "get pods", "get pods"} {
				s.typeLine(line)
				s.wait(waits[i])
			}
		}
	}
	sessions := map[string]func(s *session){
		"step": func(s *session) {
			steps := func(key string, n int) {
				for range n {
					s.key(key)
				}
			}
			s.typeLine("create deployment web --image=kubeplay/demo:v1 --replicas=2")
			steps("ctrl+n", 3)
			s.typeLine("get pods")
			steps("ctrl+n", 20)
			s.typeLine("get pods")
			steps("enter", 30)
			s.typeLine("get deploy")
			steps("enter", 6)
		},
		// ctrl+t once: paced; twice: free. The waits are the wall's.
		"paced": timed(1, 1500*time.Millisecond, 4*time.Second, 8*time.Second),
		"free":  timed(2, 300*time.Millisecond, 1200*time.Millisecond, time.Second),
	}
	for _, mode := range []string{"step", "paced", "free"} {
		t.Run(mode, func(t *testing.T) {
			s := newSession(t, Options{Lang: "en", Nodes: 3, Theme: theme.NoColor}, 120, 36)
			s.key("enter")
			sessions[mode](s)
			shown := paneText(s.app.play.OutputLines())
			_, r := s.replayed()
			var out strings.Builder
			tr, err := r.Transcript(&out)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimRight(out.String(), "\n"); got != shown {
				t.Errorf("replay --shell printed:\n%s\n\nthe session's output pane showed:\n%s", got, shown)
			}
			if replayed := paneText(r.app.play.OutputLines()); replayed != shown {
				t.Errorf("the TUI's replay showed:\n%s\n\nthe session:\n%s", replayed, shown)
			}
			if !tr.Same() || tr.Running != "" || len(tr.Commands) < 3 || tr.Code != 0 {
				t.Errorf("transcript %+v: want the recorded commands, all ended, status 0", tr)
			}
			if mode == "step" && (!strings.Contains(shown, "No resources found") || !strings.Contains(shown, "Pending")) {
				t.Errorf("the step session's pane shows no empty get pods then pods Pending: the test steps too far or too little\n%s", shown)
			}
		})
	}
}
