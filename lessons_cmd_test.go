package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/lessons"

	corev1 "k8s.io/api/core/v1"
)

// A learner's round: the list, a lesson played to the end as text, the
// list again with the lesson ticked, then --reset.
func TestLessonsCommands(t *testing.T) {
	t.Setenv(configdir.Env, t.TempDir())
	out, errOut, code := runMain(t, "", "lessons", "--lang", "en")
	if code != 0 || !strings.Contains(out, "replicasets-heal") || !strings.Contains(out, "0/4") {
		t.Fatalf("lessons: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = runMain(t, "try\ntry\ntry\ntry\n", "lesson", "replicasets-heal", "--shell", "--runtime", "sim", "--lang", "ko")
	if code != 0 || !strings.Contains(out, "레슨 완료") {
		t.Fatalf("lesson --shell: exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = runMain(t, "", "lessons", "--lang", "ko")
	if !strings.Contains(out, "✓ replicasets-heal") || !strings.Contains(out, "4/4") {
		t.Errorf("lessons after playing:\n%s", out)
	}
	out, _, _ = runMain(t, "", "lessons", "--reset", "--lang", "en")
	if strings.Contains(out, "✓") || !strings.Contains(out, "cleared") {
		t.Errorf("lessons --reset:\n%s", out)
	}
	if _, _, code := runMain(t, "quit\n", "lesson", "replicasets-heal", "--shell", "--runtime", "sim"); code != 1 {
		t.Errorf("a lesson left before the end exits %d, want 1", code)
	}
}

func TestLessonUnknownAndCorruptProgress(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(configdir.Env, dir)
	if err := os.WriteFile(filepath.Join(dir, "progress.json"), []byte("]["), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runMain(t, "", "lessons")
	if code != 0 || !strings.Contains(errOut, "progress.json.corrupt-1") || !strings.Contains(out, "replicasets-heal") {
		t.Errorf("corrupt progress: exit %d\n%s%s", code, out, errOut)
	}
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		_, errOut, code = runMain(t, "", "lesson", "--lang", string(lang))
		if want := lessons.Message(lang, "need-id"); code == 0 || !strings.Contains(errOut, want) {
			t.Errorf("lesson without an ID (%s): exit %d, %q, want %q", lang, code, errOut, want)
		}
	}
	_, errOut, code = runMain(t, "", "lesson", "no-such-lesson", "--shell")
	if code == 0 || !strings.Contains(errOut, "what-happens-when-you-create-a-pod") {
		t.Errorf("unknown lesson: exit %d, %s", code, errOut)
	}
}

// TestLessonTUIClustersAreTheFlags: the TUI of `kubeplay lesson` plays
// on clusters the flags describe, --node-cpu and --node-memory too (it
// took --shell's flags and left those two out).
func TestLessonTUIClustersAreTheFlags(t *testing.T) {
	f := flags{runtime: "sim", nodes: 2, seed: 1, nodeCPU: "2", nodeMemory: "3Gi", lang: "en"}
	o, stop, err := f.tui(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c, _, err := o.Clusters.Fresh()
	if err != nil {
		t.Fatal(err)
	}
	res, _ := apiserver.ResourceFor("nodes")
	nodes := c.List(res, "")
	if len(nodes) != 2 {
		t.Fatalf("%d nodes, want 2", len(nodes))
	}
	for _, o := range nodes {
		n := o.(*corev1.Node)
		if cpu, mem := n.Status.Allocatable.Cpu().String(), n.Status.Allocatable.Memory().String(); cpu != "2" || mem != "3Gi" {
			t.Errorf("node %s: allocatable cpu %s memory %s, want 2 and 3Gi", n.Name, cpu, mem)
		}
	}
}
