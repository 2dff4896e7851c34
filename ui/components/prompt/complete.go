package prompt

import (
	"sort"
	"strings"

	"github.com/kubeplay/kubeplay/engine/console"
)

// tuiWords are the words only the TUI's prompt takes, beside the
// command tree's: edit opens the manifest editor.
var tuiWords = []string{"edit"}

// Candidates are the completions of the last word of line, and that word:
// what the shell's command tree offers (console.Complete: kubectl's and
// kubeplay's own words, sub-commands, flags, resource types, names) and
// the TUI's own words. names holds object names by resource ("pods":
// [...]).
func Candidates(line string, names map[string][]string) ([]string, string) {
	cands, word := console.Complete(line, names)
	if len(strings.Fields(line)) <= 1 && !strings.HasSuffix(line, " ") {
		for _, w := range tuiWords {
			if strings.HasPrefix(w, word) {
				cands = append(cands, w)
			}
		}
		sort.Strings(cands)
	}
	return cands, word
}
