package prompt

import (
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
