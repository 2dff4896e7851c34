package common

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/korean"
)

// Every label and help text must exist in both languages.
func TestEveryMessageHasKorean(t *testing.T) {
	for _, id := range IDs() {
		if !HasKorean(id) {
			t.Errorf("message %q has no Korean text", id)
		}
	}
	for id := range ko {
		if _, ok := en[id]; !ok {
			t.Errorf("Korean message %q has no English one", id)
		}
	}
}

// Korean messages write each particle on the word before it, in the form
// that fits it ("-f로", not "-f 로"); a particle after a filled-in %s is
// left to the code that fills it.
func TestKoreanParticlesOnTheirWord(t *testing.T) {
	spaced := regexp.MustCompile(`[A-Za-z0-9)"'\]` + "`" + `] (이|가|을|를|은|는|와|과|으로|로|의|에|에서|도|이나|나)([\s.,)!?:;]|$)`)
	for id, s := range ko {
		if m := spaced.FindString(s); m != "" {
			t.Errorf("%s: particle apart from its word (%q) in %q", id, m, s)
		}
		if fixed := korean.Fix(s); fixed != s && !strings.Contains(s, "%") {
			t.Errorf("%s: particles that do not fit:\n  %s\n  %s", id, s, fixed)
		}
	}
}
