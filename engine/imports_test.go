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
