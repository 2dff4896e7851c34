package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/bilingual"
)

func TestProgressSavesAndReloads(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kubeplay") // not there yet: made on save
	p, notice := LoadProgress(dir, "en")
	if notice != "" {
		t.Fatal(notice)
	}
	for _, step := range []int{2, 0, 2} {
		if err := p.MarkDone("pods", step); err != nil {
			t.Fatal(err)
		}
	}
	q, _ := LoadProgress(dir, "en")
	if got := q.Done("pods", 3); got != 2 || !q.StepDone("pods", 2) || q.StepDone("pods", 1) {
		t.Errorf("reloaded %v", q.Lessons)
	}
	// Steps beyond a lesson's end (it was shortened) are not counted.
	if got := q.Done("pods", 1); got != 1 {
		t.Errorf("Done of a 1-step lesson = %d", got)
	}
	// renameio writes a temporary file and renames it: none is left over.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != progressFile {
		t.Errorf("folder holds %v, want only %s", entries, progressFile)
	}
}

func TestProgressCorruptIsSetAside(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, progressFile)
	for n, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		if err := os.WriteFile(file, []byte("{not json"), 0o644); err != nil {
			t.Fatal(err)
		}
		p, notice := LoadProgress(dir, lang)
		aside := file + ".corrupt-" + string(rune('1'+n))
		if !strings.Contains(notice, aside) {
			t.Errorf("%s notice %q does not name %s", lang, notice, aside)
		}
		if _, err := os.Stat(aside); err != nil {
			t.Errorf("not set aside: %v", err)
		}
		if len(p.Lessons) != 0 {
			t.Errorf("progress from a corrupt file: %v", p.Lessons)
		}
		if err := p.MarkDone("x", 0); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(mustRead(t, file), `"x"`) {
		t.Error("progress not saved after a corrupt file")
	}
}

func TestProgressUnknownVersionIsSetAside(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, progressFile), []byte(`{"version": 9}`), 0o644)
	if _, notice := LoadProgress(dir, "en"); !strings.Contains(notice, "version 9") {
		t.Errorf("notice %q", notice)
	}
}

func TestProgressReset(t *testing.T) {
	dir := t.TempDir()
	p, _ := LoadProgress(dir, "en")
	p.MarkDone("a", 0)
	p.MarkDone("b", 0)
	if err := p.Reset("a"); err != nil {
		t.Fatal(err)
	}
	q, _ := LoadProgress(dir, "en")
	if q.Done("a", 1) != 0 || q.Done("b", 1) != 1 {
		t.Errorf("after reset a: %v", q.Lessons)
	}
	q.Reset("")
	r, _ := LoadProgress(dir, "en")
	if len(r.Lessons) != 0 {
		t.Errorf("after reset all: %v", r.Lessons)
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
