package ui

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/record"
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

// TestReplayShellPrintsHereDocs: a command that read a here-document —
// typed line by line, pasted, or applied from the editor — is printed
// by replay --shell whole, as a shell's transcript shows it: the line
// that opened it, then its body and its marker line after "> ", so the
// text says what was applied and can be typed again. In English and
// Korean alike (the lines are the learner's, no words of kubeplay's).
func TestReplayShellPrintsHereDocs(t *testing.T) {
	typed := []string{"kubectl apply -f - <<EOF", "apiVersion: v1", "kind: Pod", "metadata:", "", "  name: web",
		"spec:", "  containers:", "  - name: web", "    image: nginx", "EOF"}
	pasted := []string{"apply -f - <<'END'", "apiVersion: v1", "kind: Pod", "metadata:", "  name: api",
		"spec:", "  containers:", "  - name: api", "    image: nginx", "END"}
	edited := []string{"apiVersion: v1", "kind: Pod", "metadata:", "  name: db",
		"spec:", "  containers:", "  - name: db", "    image: nginx"}
	var want strings.Builder
	shell := func(lines []string, output string) {
		want.WriteString("$ " + lines[0] + "\n")
		for _, l := range lines[1:] {
			want.WriteString("> " + l + "\n")
		}
		want.WriteString(output + "\n")
	}
	shell(typed, "pod/web created")
	shell(pasted, "pod/api created")
	// The editor's text runs as the here-document the output pane says it
	// is ("apply -f - <<EOF (editor)").
	shell(append(append([]string{"apply -f - <<EOF"}, edited...), "EOF"), "pod/db created")

	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		t.Run(string(lang), func(t *testing.T) {
			s := newSession(t, Options{Lang: lang, Nodes: 3, Theme: theme.NoColor}, 120, 36)
			s.key("enter")
			s.key("ctrl+t")
			s.key("ctrl+t") // free mode: each command ends with the clock
			for _, l := range typed {
				s.typeLine(l)
			}
			s.wait(2 * time.Second)
			s.send(tea.PasteMsg{Content: strings.Join(pasted, "\r") + "\r"})
			s.wait(2 * time.Second)
			s.send(tea.PasteMsg{Content: strings.Join(edited, "\n") + "\n"})
			s.key("ctrl+s")
			s.wait(2 * time.Second)
			_, r := s.replayed()
			var out strings.Builder
			tr, err := r.Transcript(&out)
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != want.String() {
				t.Errorf("replay --shell printed:\n%s\nwant:\n%s", out.String(), want.String())
			}
			if !tr.Same() || tr.Code != 0 || len(tr.Commands) != 3 {
				t.Errorf("transcript %+v: want the three recorded commands, ended, status 0", tr)
			}
			if lang == bilingual.English {
				exportedHereDocs(t, s)
			}
		})
	}
}

// exportedHereDocs checks the cast and the hop log of s's here-documents:
// the cast is the session's screens, which showed the typed body on the
// prompt a line at a time ("> " before it); the pasted body and the
// editor's text were never on the screen, nor in the cast. The hop log
// has no command lines, but each apply's create.
func exportedHereDocs(t *testing.T, s *session) {
	t.Helper()
	_, r := s.replayed()
	var cast, hops bytes.Buffer
	if _, err := r.Export(Export{Cast: &cast, Hops: &hops, HopsJSON: true}); err != nil {
		t.Fatal(err)
	}
	var screens strings.Builder
	for _, l := range strings.Split(cast.String(), "\n")[1:] {
		var ev []any
		if json.Unmarshal([]byte(l), &ev) == nil && len(ev) == 3 {
			data, _ := ev[2].(string)
			screens.WriteString(ansi.Strip(data) + "\n")
		}
	}
	for _, want := range []string{"$ kubectl apply -f - <<EOF", "> apiVersion: v1", ">   name: web", "> EOF", "pod/web created", "pod/db created"} {
		if !strings.Contains(screens.String(), want) {
			t.Errorf("the cast never shows %q", want)
		}
	}
	var hj []record.HopJSON
	if err := json.Unmarshal(hops.Bytes(), &hj); err != nil {
		t.Fatal(err)
	}
	created := map[string]bool{}
	for _, h := range hj {
		if h.From == "kubectl" && h.Verb == "create" {
			created[h.Object] = true
		}
	}
	if !created["pods/web"] || !created["pods/api"] || !created["pods/db"] {
		t.Errorf("the hop log's creates from kubectl: %v, want pods web, api and db", created)
	}
}
