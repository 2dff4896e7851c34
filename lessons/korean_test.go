package lessons

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/korean"
)

// spacedParticle is a particle written apart from the name before it:
// "node-1 의", "get pods 로". Korean writes particles on the word.
var spacedParticle = regexp.MustCompile(`[A-Za-z0-9)"'\]] (이|가|을|를|은|는|와|과|으로|로|의|에|에서|에는|도|이나|나|이라는|라는)([\s.,)!?:;]|$)`)

// TestKoreanParticlesFitNames reads every Korean text of every lesson as
// the pane shows it (a paragraph's lines joined) and holds each particle
// after a name to the name's last sound, written on the name.
func TestKoreanParticlesFitNames(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		for i, s := range l.Steps {
			texts := []Text{s.Text}
			texts = append(texts, s.Hints...)
			for _, p := range s.PauseOn {
				texts = append(texts, p.Explain)
			}
			if s.Check != nil && s.Check.MovedOn != nil {
				texts = append(texts, *s.Check.MovedOn)
			}
			for _, text := range texts {
				for _, para := range strings.Split(text.KO, "\n\n") {
					para = strings.Join(strings.Fields(para), " ")
					if m := spacedParticle.FindString(para); m != "" {
						t.Errorf("%s step %d: particle apart from its name (%q) in %q", l.ID, i+1, m, para)
					}
					if fixed := korean.Fix(para); fixed != para {
						t.Errorf("%s step %d: particles that do not fit:\n  %s\n  %s", l.ID, i+1, para, fixed)
					}
				}
			}
		}
	}
}
