package prompt

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// A line runs as the shell runs it and is shown as what runs: kubectl
// is optional, never doubled, and kubeplay's own words after it run as
// kubeplay's (the prompt shows `$ kubectl sleep 75s` for a suggestion).
func TestCommand(t *testing.T) {
	for _, tc := range []struct{ line, run, shown string }{
		{"get nodes", "get nodes", "$ kubectl get nodes"},
		{"kubectl get nodes", "kubectl get nodes", "$ kubectl get nodes"},
		{"k get nodes", "k get nodes", "$ kubectl get nodes"},
		{"  kubectl   get nodes ", "kubectl   get nodes", "$ kubectl get nodes"},
		{"sleep 75s", "sleep 75s", "$ sleep 75s"},
		{"kubectl sleep 75s", "sleep 75s", "$ sleep 75s"},
		{"kubectl curl svc/web", "curl svc/web", "$ curl svc/web"},
		{"kubectl help", "kubectl help", "$ kubectl help"},
		{"kubectl", "kubectl", "$ kubectl "},
	} {
		run, shown := Command(tc.line)
		if run != tc.run || shown != tc.shown {
			t.Errorf("Command(%q) = %q, %q; want %q, %q", tc.line, run, shown, tc.run, tc.shown)
		}
	}
}

// The prompt reads as what will run while the learner types.
func TestPromptShowsWhatRuns(t *testing.T) {
	c := common.New("en", theme.NoColor, true)
	m := New(c)
	m.SetSize(80, 1)
	for _, tc := range []struct{ typed, want string }{
		{"get pods", "$ kubectl get pods"},
		{"kubectl get pods", "$ kubectl get pods"},
		{"sleep 5s", "$ sleep 5s"},
		{"k get pods", "$ k get pods"},
		{"kube", "$ kubectl kube"},
	} {
		m.SetValue("")
		for _, r := range tc.typed {
			m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		if got := ansi.Strip(m.View()); len(got) < len(tc.want) || got[:len(tc.want)] != tc.want {
			t.Errorf("typed %q, the prompt shows %q, want %q…", tc.typed, got, tc.want)
		}
	}
}

const longWait = "wait --for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=CrashLoopBackOff pod/liveness --timeout=3m"

// A suggestion too long for the prompt reads from its first word and is
// cut at its end: the trial's prompt showed `$ kubectl -for=jsonpath=…`
// and `$ kubectl [0].state.waiting.reason}=…`, a command that is not one.
func TestSuggestionShowsFromItsStart(t *testing.T) {
	c := common.New("en", theme.NoColor, true)
	m := New(c)
	m.SetSize(60, 1)
	m.Suggest(longWait)
	got := ansi.Strip(m.View())
	if !strings.HasPrefix(got, "$ kubectl wait --for=jsonpath=") || !strings.HasSuffix(got, "…") || ansi.StringWidth(got) > 60 {
		t.Errorf("a long suggestion shows as %q, want it from `wait` on, cut at its end with …, in 60 columns", got)
	}
	// A key that edits takes it up where the cursor is, at its end.
	m.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	got = ansi.Strip(m.View())
	if !strings.HasPrefix(got, "$ kubectl …") || !strings.Contains(got, "--timeout=3") || ansi.StringWidth(got) > 60 {
		t.Errorf("after backspace the line shows as %q, want its end, where the cursor is, and … for its start", got)
	}
}

// The learner's own long line scrolls as readline's does: the cursor is
// in view, and "…" says the line goes on before or after what shows.
func TestLongLineScrolls(t *testing.T) {
	c := common.New("en", theme.NoColor, true)
	m := New(c)
	m.SetSize(40, 1)
	for _, r := range longWait {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	got := ansi.Strip(m.View())
	if !strings.HasPrefix(got, "$ kubectl …") || !strings.HasSuffix(strings.TrimRight(got, " "), "--timeout=3m") || ansi.StringWidth(got) > 40 {
		t.Errorf("typed a long line, the prompt shows %q, want … then its end, in 40 columns", got)
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyHome})
	got = ansi.Strip(m.View())
	if !strings.HasPrefix(got, "$ kubectl wait --for=") || !strings.HasSuffix(got, "…") || ansi.StringWidth(got) > 40 {
		t.Errorf("home on a long line, the prompt shows %q, want its start then …, in 40 columns", got)
	}
	// The cursor walks right to the end without the line jumping back.
	for range len(longWait) {
		m.Update(tea.KeyPressMsg{Code: tea.KeyRight})
	}
	if got = ansi.Strip(m.View()); !strings.HasSuffix(strings.TrimRight(got, " "), "--timeout=3m") {
		t.Errorf("at the end again, the prompt shows %q", got)
	}
}

// A here-document's command says the lines it was entered as, its body
// as typed, while its stdin is the body as the command reads it (a
// `<<-` body without its leading tabs).
func TestHereDocEntered(t *testing.T) {
	m := New(common.New("en", theme.NoColor, true))
	subs := m.Paste("apply -f - <<-END\n\tkind: Pod\n\n  \tEND\n")
	if len(subs) != 1 {
		t.Fatalf("%d commands ran, want 1", len(subs))
	}
	sub := subs[0]
	want := []string{"apply -f - <<-END", "\tkind: Pod", "", "  \tEND"}
	if sub.Line != "apply -f -" || sub.Body != "kind: Pod\n\n" || sub.Marker != "END" || strings.Join(sub.Entered, "|") != strings.Join(want, "|") {
		t.Errorf("got %+v, want Line apply -f -, Body %q, Marker END, Entered %q", sub, "kind: Pod\n\n", want)
	}
	// The next here-document's lines are its own.
	if subs = m.Paste("get pods <<X\nX\n"); len(subs) != 1 || strings.Join(subs[0].Entered, "|") != "get pods <<X|X" {
		t.Errorf("the second here-document: %+v", subs)
	}
}

// The editor's text as a here-document: its marker is one no line of
// the text is, which would end it early.
func TestAsHereDoc(t *testing.T) {
	for _, tc := range []struct {
		body string
		want []string
	}{
		{"kind: Pod\nmetadata: {}\n", []string{"apply -f - <<EOF", "kind: Pod", "metadata: {}", "EOF"}},
		{"a: |\n  EOF\n EOF_\n", []string{"apply -f - <<EOF__", "a: |", "  EOF", " EOF_", "EOF__"}},
		{"kind: Pod", []string{"apply -f - <<EOF", "kind: Pod", "EOF"}},
		{"", []string{"apply -f - <<EOF", "EOF"}},
	} {
		if got := AsHereDoc("apply -f -", tc.body); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("AsHereDoc(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}
