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
				// A hop's summary is English: quoted, never a part of a
				// Korean sentence.
				if n := strings.Count(text.KO, "{summary}"); n != strings.Count(text.KO, `"{summary}"`) {
					t.Errorf("%s step %d: {summary} not in quotes in %q", l.ID, i+1, text.KO)
				}
				for _, para := range paragraphs(text.KO) {
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

// paragraphs are the runs of text the lesson pane joins into one: lines
// up to a blank line, an indented line (set off) on its own.
func paragraphs(text string) []string {
	var out, run []string
	flush := func() {
		if len(run) > 0 {
			out = append(out, strings.Join(strings.Fields(strings.Join(run, " ")), " "))
		}
		run = nil
	}
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		switch trimmed := strings.TrimLeft(l, " "); {
		case trimmed == "":
			flush()
		case trimmed != l:
			flush()
			out = append(out, trimmed)
		default:
			run = append(run, l)
		}
	}
	flush()
	return out
}
