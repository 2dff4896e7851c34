package start

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// The menu's descriptions start in one column in both languages: Korean
// labels are two columns a letter, and the padding counts columns.
func TestMenuAlignsByDisplayWidth(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		c := common.New(lang, theme.NoColor, true)
		m := New(c, 3)
		screen := ansi.Strip(m.View(100, 30))
		var cols []int
		for _, id := range []string{"start.free.desc", "start.lessons.desc"} {
			desc := common.Text(lang, id)
			for _, line := range strings.Split(screen, "\n") {
				if i := strings.Index(line, desc); i >= 0 {
					cols = append(cols, ansi.StringWidth(line[:i]))
				}
			}
		}
		if len(cols) != 2 || cols[0] != cols[1] {
			t.Errorf("%s: the descriptions start at columns %v, want one column:\n%s", lang, cols, screen)
		}
	}
}

// TestAttachedSaysARealCluster: attached to a real cluster, the start page
// says which one and that commands run there for real, not "Docker", and
// counts that cluster's nodes.
func TestAttachedSaysARealCluster(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		c := common.New(lang, theme.NoColor, true)
		m := New(c, 3)
		m.SetRuntime(true, "")
		m.SetAttached("context kind-kind, https://127.0.0.1:40123", 5)
		screen := ansi.Strip(m.View(140, 30))
		if !strings.Contains(screen, common.Text(lang, "start.attached")+"context kind-kind, https://127.0.0.1:40123") ||
			strings.Contains(screen, "Docker") || !strings.Contains(screen, "5 ") {
			t.Errorf("%s:\n%s", lang, screen)
		}
	}
}
