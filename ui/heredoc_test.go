package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// The here-document every tutorial has the learner paste.
var heredocBlock = []string{
	"kubectl apply -f - <<EOF",
	"apiVersion: v1",
	"kind: Pod",
	"metadata:",
	"  name: web",
	"spec:",
	"  containers:",
	"  - name: web",
	"    image: nginx",
	"EOF",
}

// Typed line by line, as in a shell: the line with <<EOF waits for its
// body (the prompt says "> "), the marker line runs it.
func TestStoryHereDocTyped(t *testing.T) {
	s := newStory(t, 120, 36)
	s.open()
	p := s.app.Playground()
	s.typeLine(heredocBlock[0])
	s.contains("> ")
	for _, l := range heredocBlock[1:4] {
		s.typeLine(l)
	}
	s.key("enter") // an empty line is the body's, not a step
	for _, l := range heredocBlock[4:] {
		s.typeLine(l)
	}
	s.stepUntil("pod/web created", 200)
	out := outputText(p)
	if strings.Contains(out, "cannot read") || !strings.Contains(out, "$ kubectl apply -f - <<EOF") {
		t.Errorf("output:\n%s", out)
	}
}

// Pasted with bracketed paste, lines ending with CR as most terminals
// send them, or LF: the block runs as the shell would run it, and the
// editor stays closed.
func TestStoryHereDocPasted(t *testing.T) {
	for _, end := range []string{"\r", "\n", "\r\n"} {
		s := newStory(t, 120, 36)
		s.open()
		p := s.app.Playground()
		s.send(tea.PasteMsg{Content: strings.Join(heredocBlock, end) + end + "get pods" + end})
		s.stepUntil("pod/web created", 200)
		s.stepUntil("NAME", 200)
		if out := outputText(p); strings.Contains(out, "cannot read") || !strings.Contains(out, "$ kubectl get pods") {
			t.Errorf("%q: output:\n%s", end, out)
		}
		if strings.Contains(s.screen(), "ctrl+s") {
			t.Errorf("%q: the editor opened:\n%s", end, s.screen())
		}
	}
}

// A `<<` with no marker is said in the learner's language; an editor
// applied empty says what kubectl says.
func TestStoryHereDocErrors(t *testing.T) {
	s := &story{t: t, app: testApp(Options{Lang: bilingual.Korean, Nodes: 3, Theme: theme.NoColor})}
	s.send(tea.WindowSizeMsg{Width: 120, Height: 36})
	s.open()
	p := s.app.Playground()
	s.typeLine("apply -f - <<")
	if out := outputText(p); !strings.Contains(out, "히어 문서") || strings.Contains(out, "cannot read") {
		t.Errorf("output:\n%s", out)
	}
	s.typeLine("edit")
	s.key("ctrl+s")
	s.stepUntil("error: no objects passed to apply", 200)
}

// The editor opens over the panes below the board with the focus and
// its own keys on the help line; esc closes it, keeping what it holds,
// and gives the focus back to the pane that had it; ctrl+s applies it.
func TestStoryEditor(t *testing.T) {
	s := newStory(t, 120, 36)
	s.open()
	p := s.app.Playground()
	s.key("shift+tab") // the board
	s.send(tea.PasteMsg{Content: strings.Join(heredocBlock[1:9], "\n")})
	if !p.EditorOpen() || p.FocusedPane() != "pane.editor" {
		t.Fatalf("a pasted manifest did not open the editor with the focus (%s):\n%s", p.FocusedPane(), s.screen())
	}
	s.contains("YAML editor", "ctrl+s apply", "name: web")
	s.key("esc")
	if p.EditorOpen() || p.FocusedPane() != "pane.board" {
		t.Fatalf("esc left the editor open, or the focus on %s:\n%s", p.FocusedPane(), s.screen())
	}
	s.key("esc") // the prompt
	s.typeLine("edit")
	if p.FocusedPane() != "pane.editor" {
		t.Fatalf("edit gave the focus to %s", p.FocusedPane())
	}
	s.contains("name: web") // esc kept what was written
	s.key("ctrl+s")
	if p.EditorOpen() || p.FocusedPane() != "pane.prompt" {
		t.Fatalf("ctrl+s left the editor open, or the focus on %s", p.FocusedPane())
	}
	s.stepUntil("pod/web created", 200)
	s.contains("apply -f - <<EOF (editor)")
}
