package board

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/present"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// An HPA shows its current/desired replicas within its bounds, kubectl's
// TARGETS and its measures over time, in both languages.
func TestBoardHPA(t *testing.T) {
	var b present.Board
	b.HPAs = []present.HPARow{{Name: "php-apache", Target: "Deployment/php-apache", Current: 4, Desired: 5, Min: 1, Max: 10,
		Metric: "cpu: 208%/50%", History: []int32{1, 236, 208}, TargetUtilization: 50}}
	for lang, want := range map[bilingual.Lang]string{
		"en": "hpa/php-apache → Deployment/php-apache  replicas 4/5  (min 1 · max 10)  cpu: 208%/50% ▁█▇",
		"ko": "hpa/php-apache → Deployment/php-apache  레플리카 4/5  (최소 1 · 최대 10)  cpu: 208%/50% ▁█▇",
	} {
		m := New(common.New(lang, theme.NoColor, true))
		m.SetSize(120, 12)
		m.SetBoard(b)
		if got := strings.ReplaceAll(ansi.Strip(strings.Join(m.Lines(), "\n")), common.NBSP, " "); !strings.Contains(got, want) {
			t.Errorf("%s board lacks %q:\n%s", lang, want, got)
		}
	}
}
