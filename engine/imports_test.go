package engine_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
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

// TestRoomsImportDownward keeps rooms from reaching back up: the
// runtimes (their tests too) sit under everything that drives them, the
// HTTP API serves the cluster without the built-in kubectl (its tests
// may drive the cluster through the shell, as a learner would), the front
// ends depend on no embedded engine, and the TUI, which main hands its
// clusters started and served, depends on no launcher and no server.
func TestRoomsImportDownward(t *testing.T) {
	const mod = "github.com/kubeplay/kubeplay/"
	rules := []struct {
		pkgs    string
		tests   bool     // the pkgs' tests' dependencies count too
		allowed []string // module packages the pkgs may depend on, by prefix
		denied  []string // or, instead, the ones they must not
	}{
		// The cluster DNS's answers (engine/dns, a leaf) run inside Docker pods;
		// a runtime's own messages (an OOM kill, a full node) are said in the
		// learner's language through the word leaves (bilingual, korean),
		// which import nothing of kubeplay's; the apiserver's /version, which
		// a Docker pod's proxy answers for the kubernetes Service, is the
		// version leaf's (engine/version, which imports nothing of kubeplay's
		// either), and the certificate it answers with is made by the leaf
		// that makes the HTTP API's (engine/selfsigned, likewise).
		{pkgs: mod + "engine/runtime/...", tests: true, allowed: []string{"engine/runtime", "engine/guest/", "engine/sim", "engine/dns", "engine/bilingual", "engine/korean", "engine/version", "engine/selfsigned"}},
		{pkgs: mod + "engine/httpapi", denied: []string{"engine/kubectl", "engine/console"}},
		// Where kubeplay's files are is paths alone, so that knowing it
		// starts nothing: the TUI (through the lessons and engine/serve)
		// reaches no runtime and no launcher, even indirectly.
		{pkgs: mod + "engine/configdir", allowed: []string{"engine/configdir"}},
		// The front ends reach a cluster through the front door
		// (engine/backend), never the embedded engine behind it, not even
		// for its version (engine/version). The TUI takes the clusters
		// main started and served (ui.Clusters, ui.Served): it reaches
		// neither the launcher nor the server, even indirectly.
		{pkgs: mod + "lessons/... " + mod + "engine/console/... " + mod + "engine/kubectl/... " + mod + "engine/httpapi/...",
			denied: []string{"engine/cluster", "engine/launch"}},
		{pkgs: mod + "ui/...", denied: []string{"engine/launch", "engine/runtime/docker", "engine/serve", "engine/httpapi", "engine/cluster"}},
	}
	for _, r := range rules {
		args := []string{"list", "-deps"}
		if r.tests {
			args = append(args, "-test")
		}
		args = append(args, strings.Fields(r.pkgs)...)
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

const module = "github.com/kubeplay/kubeplay/"

// imports maps each package matching pattern to the kubeplay and
// third-party packages its non-test files import directly.
func imports(t *testing.T, pattern string) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, pattern).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		m[f[0]] = f[1:]
	}
	return m
}

// TestFrontEndsUseTheFrontDoor keeps the front ends on the front door
// (engine/backend), so that a real cluster can stand in for the embedded
// one: the TUI reaches none of the embedded engine's parts, and the HTTP
// API does not borrow the built-in kubectl. (That nothing outside
// engine/cluster names a field of the cluster the compiler keeps: they
// are unexported.)
func TestFrontEndsUseTheFrontDoor(t *testing.T) {
	rules := []struct {
		pattern   string
		forbidden []string
		why       string
	}{
		{"github.com/kubeplay/kubeplay/ui/...", []string{"engine/httpapi", "engine/apiserver", "engine/store", "engine/kubelet", "engine/controller", "engine/scheduler"},
			"the TUI drives a cluster through engine/backend, never the embedded engine's parts"},
		{"github.com/kubeplay/kubeplay/ui/...", []string{"github.com/spf13/cobra"},
			"the command line is main's: the TUI takes its options"},
		{"github.com/kubeplay/kubeplay/ui/...", []string{"engine/launch", "engine/cluster"},
			"main starts the clusters (ui.Clusters): the TUI knows no runtime and no embedded engine"},
		{"github.com/kubeplay/kubeplay/engine/httpapi", []string{"engine/kubectl"},
			"the HTTP API serves what the apiserver holds; kubectl is a client of it"},
	}
	for _, r := range rules {
		for pkg, imps := range imports(t, r.pattern) {
			for _, imp := range imps {
				for _, f := range r.forbidden {
					if strings.HasPrefix(f, "engine/") {
						f = module + f
					}
					if imp == f || strings.HasPrefix(imp, f+"/") {
						t.Errorf("%s imports %s: %s", pkg, imp, r.why)
					}
				}
			}
		}
	}
}

// TestTUIUsesOnlyTheHopTypesOfSim: engine/sim is the kernel (kernel.go,
// clock.go) and the hops; the TUI may name the hops' types and formatting
// and nothing of the kernel, which is the embedded engine's alone.
func TestTUIUsesOnlyTheHopTypesOfSim(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join("sim", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{}
	for _, name := range files {
		if base := filepath.Base(name); base == "kernel.go" || base == "clock.go" || strings.HasSuffix(base, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for name := range f.Scope.Objects {
			allowed[name] = ast.IsExported(name)
		}
	}
	err = filepath.WalkDir(filepath.Join("..", "ui"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if imp.Path.Value != `"`+module+`engine/sim"` {
				continue
			}
			local := "sim"
			if imp.Name != nil {
				local = imp.Name.Name
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == local && x.Obj == nil && !allowed[sel.Sel.Name] {
						t.Errorf("%s: %s.%s is no hop type: the TUI drives the cluster's time through engine/backend", fset.Position(sel.Pos()), local, sel.Sel.Name)
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
