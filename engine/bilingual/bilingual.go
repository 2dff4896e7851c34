// Package bilingual is the two languages kubeplay speaks, English and
// Korean: the Lang a learner chose (--lang, the locale, the TUI's toggle)
// and Text, one text in both. Every layer imports it (engine/, lessons/,
// ui/, main), so it imports nothing of kubeplay's but engine/korean, whose
// particles it fits to the names filled into Korean text.
package bilingual

import (
	"fmt"
	"strings"

	"github.com/kubeplay/kubeplay/engine/korean"
)

// Lang is a language kubeplay's own words are written in. Its value is
// what --lang takes and what progress files and the HTTP API carry.
type Lang string

// The languages. English is the default: every text has it.
const (
	English Lang = "en"
	Korean  Lang = "ko"
)

// Parse reads a language as --lang spells it.
func Parse(s string) (Lang, error) {
	switch l := Lang(s); l {
	case English, Korean:
		return l, nil
	}
	return "", fmt.Errorf("must be en or ko, not %q", s)
}

// FromLocale is the language locale settings ask for (LC_ALL, then LANG,
// as given): Korean when one of them is a Korean locale, else English.
func FromLocale(settings ...string) Lang {
	for _, v := range settings {
		if strings.HasPrefix(v, "ko") {
			return Korean
		}
	}
	return English
}

// Pick is en or ko, whichever is written in l.
func (l Lang) Pick(en, ko string) string {
	if l == Korean {
		return ko
	}
	return en
}

// Other is the language the TUI's toggle switches l to.
func (l Lang) Other() Lang {
	if l == Korean {
		return English
	}
	return Korean
}

// Fix makes each Korean particle in s fit the name it follows, when s is
// Korean text: the one place particles are chosen for a filled-in name.
func (l Lang) Fix(s string) string {
	if l == Korean {
		return korean.Fix(s)
	}
	return s
}

// Sprintf is format filled in with a, its particles made to fit in Korean.
func (l Lang) Sprintf(format string, a ...any) string {
	return l.Fix(fmt.Sprintf(format, a...))
}

// Text is one text in both languages, side by side so that a missing
// translation is seen where the text is written.
type Text struct {
	EN string `json:"en"`
	KO string `json:"ko"`
}

// In is t in l; English when t has no Korean.
func (t Text) In(l Lang) string {
	if l == Korean && t.KO != "" {
		return t.KO
	}
	return t.EN
}

// Empty reports whether t has no text in either language.
func (t Text) Empty() bool { return t.EN == "" && t.KO == "" }
