package engine_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEngineImportsNoFrontEnd keeps the rule that makes kubeplay easy to
// change: the engine never imports the TUI, the lessons or a charm library;
// they talk to it only through its public API.
func TestEngineImportsNoFrontEnd(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/kubeplay/kubeplay/engine/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := []string{
		"github.com/kubeplay/kubeplay/ui", "github.com/kubeplay/kubeplay/lessons",
		"charm.land/", "github.com/charmbracelet/",
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if strings.HasPrefix(pkg, f) {
				t.Errorf("engine depends on %s; engine/ must not import ui/, lessons/ or charm libraries", pkg)
			}
		}
	}
}

// TestRoomsImportDownward keeps two rooms from reaching back up: the
// runtimes (their tests too) sit under everything that drives them, and
// the HTTP API serves the cluster without the built-in kubectl (its tests
// may drive the cluster through the shell, as a learner would).
func TestRoomsImportDownward(t *testing.T) {
	const mod = "github.com/kubeplay/kubeplay/"
	rules := []struct {
		pkgs    string
		tests   bool     // the pkgs' tests' dependencies count too
		allowed []string // module packages the pkgs may depend on, by prefix
		denied  []string // or, instead, the ones they must not
	}{
		{pkgs: mod + "engine/runtime/...", tests: true, allowed: []string{"engine/runtime", "engine/guest/", "engine/sim"}},
		{pkgs: mod + "engine/httpapi", denied: []string{"engine/kubectl", "engine/console"}},
	}
	for _, r := range rules {
		args := []string{"list", "-deps", r.pkgs}
		if r.tests {
			args = []string{"list", "-deps", "-test", r.pkgs}
		}
		out, err := exec.Command("go", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			rel, ok := strings.CutPrefix(dep, mod)
			if !ok {
				continue
			}
			// A test's own packages (p.test, p_test) are the pkgs' own.
			if r.allowed != nil && !hasAnyPrefix(rel, r.allowed) && !strings.HasSuffix(rel, ".test") {
				t.Errorf("%s depends on %s, above it", r.pkgs, rel)
			}
			if hasAnyPrefix(rel, r.denied) {
				t.Errorf("%s depends on %s", r.pkgs, rel)
			}
		}
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
