package common

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/korean"
)

// Every label and help text is written in both languages: a text with
// one of them empty fails here, named by its id.
func TestEveryTextInBothLanguages(t *testing.T) {
	for _, id := range IDs() {
		if tx := catalogue[id]; tx.EN == "" || tx.KO == "" {
			t.Errorf("message %q is not in both languages: %+v", id, tx)
		}
	}
}

// Every message id the UI's source names is in the catalogue: a
// misspelt id would show as itself ("pane.flw") on the screen. An id is a
// string literal starting with one of the catalogue's prefixes (pane.,
// key., …) followed by a dotted lower-case word.
func TestEveryIDInTheCatalogue(t *testing.T) {
	prefixes := map[string]bool{}
	for _, id := range IDs() {
		p, _, _ := strings.Cut(id, ".")
		prefixes[p] = true
	}
	idLike := regexp.MustCompile(`^[a-z]+\.[a-z]+(\.[a-z]+)*$`)
	n := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(node ast.Node) bool {
			lit, ok := node.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if p, _, _ := strings.Cut(s, "."); err == nil && idLike.MatchString(s) && prefixes[p] {
				n++
				if _, ok := catalogue[s]; !ok {
					t.Errorf("%s: message id %q is not in the catalogue", path, s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("found %d message ids in ui's source; the scan is broken", n)
	}
}

// Korean messages write each particle on the word before it, in the form
// that fits it ("-f로", not "-f 로"); a particle after a filled-in %s is
// left to the code that fills it.
func TestKoreanParticlesOnTheirWord(t *testing.T) {
	spaced := regexp.MustCompile(`[A-Za-z0-9)"'\]` + "`" + `] (이|가|을|를|은|는|와|과|으로|로|의|에|에서|도|이나|나)([\s.,)!?:;]|$)`)
	for id, tx := range catalogue {
		s := tx.KO
		if m := spaced.FindString(s); m != "" {
			t.Errorf("%s: particle apart from its word (%q) in %q", id, m, s)
		}
		if fixed := korean.Fix(s); fixed != s && !strings.Contains(s, "%") {
			t.Errorf("%s: particles that do not fit:\n  %s\n  %s", id, s, fixed)
		}
	}
}
