package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// stepsAt finds "0/4" — the steps done of a lesson — on a list row.
var stepsAt = regexp.MustCompile(`\d+/\d+`)

// TestLessonListAligned: on the lesson list the steps done start in one
// column, by display width, in both languages — the levels differ in
// length ("beginner", "intermediate") and Korean titles are two cells a
// syllable.
func TestLessonListAligned(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		s := newLessonStory(t, lang)
		s.key("down")
		s.key("enter")
		cols := map[int][]string{}
		for _, line := range strings.Split(s.screen(), "\n") {
			loc := stepsAt.FindStringIndex(line)
			if loc == nil {
				continue
			}
			col := ansi.StringWidth(line[:loc[0]])
			cols[col] = append(cols[col], strings.TrimSpace(line))
		}
		if len(cols) != 1 {
			t.Errorf("%s: the steps start in %d columns: %v", lang, len(cols), cols)
		}
	}
}
