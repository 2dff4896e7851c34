package manifest

import (
	"testing"

	"github.com/kubeplay/kubeplay/engine/bilingual"
)

// A hint under an error is labelled in the learner's language: a Korean
// screen says 힌트, not hint, and falls back to English whole.
func TestHintLine(t *testing.T) {
	h := Hint{EN: "check the image name", KO: "이미지 이름을 확인해 보세요"}
	for _, c := range []struct {
		lang bilingual.Lang
		want string
	}{
		{"en", "hint: check the image name"},
		{"ko", "힌트: 이미지 이름을 확인해 보세요"},
	} {
		if got := HintLine(h, c.lang); got != c.want {
			t.Errorf("%s: %q, want %q", c.lang, got, c.want)
		}
	}
	if got := HintLine(Hint{EN: "only English"}, bilingual.Korean); got != "hint: only English" {
		t.Errorf("no Korean: %q", got)
	}
	if got := HintLine(Hint{}, bilingual.Korean); got != "" {
		t.Errorf("empty: %q", got)
	}
}
