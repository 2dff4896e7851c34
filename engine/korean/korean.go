// Package korean puts Korean particles after words that are not Korean:
// names such as node-1, web or kubelet/node-2 read aloud, where the
// particle (이/가, 을/를, 은/는, 와/과, 으로/로…) depends on whether the
// last sound has a final consonant (받침). Text in engine/, lessons/ and
// ui/ that follows a name with a particle goes through here, so a learner
// never reads "node-1 가".
package korean

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pairs are the particles that change with the last sound: the form after
// a final consonant, then the form after a vowel. 으로/로 also takes 로
// after ㄹ, which Ending handles.
var pairs = [][2]string{
	{"이에요", "예요"},
	{"이었", "였"},
	{"이어야", "여야"},
	{"이어서", "여서"},
	{"이라고", "라고"},
	{"이라는", "라는"},
	{"으로는", "로는"},
	{"과는", "와는"},
	{"이라", "라"},
	{"이나", "나"},
	{"이랑", "랑"},
	{"으로", "로"},
	{"이", "가"},
	{"을", "를"},
	{"은", "는"},
	{"과", "와"},
	{"아", "야"},
}

// Final reports how word ends when read aloud: final is true when its last
// sound has a final consonant, rieul when that consonant is ㄹ. Hangul is
// read from its last syllable; digits as Sino-Korean numbers (1 일, 10 십,
// 0 영); Latin letters as the English word or, for a lone letter or an
// acronym, as the letter's name (L 엘, M 엠, N 엔, R 알). Anything else
// after the last letter or digit (quotes, brackets, dots) is skipped.
func Final(word string) (final, rieul bool) {
	rs := []rune(strings.TrimRightFunc(word, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}))
	if len(rs) == 0 {
		return false, false
	}
	last := rs[len(rs)-1]
	switch {
	case last >= 0xAC00 && last <= 0xD7A3:
		jong := (last - 0xAC00) % 28
		return jong != 0, jong == 8
	case last >= '0' && last <= '9':
		return digitFinal(rs)
	case last < unicode.MaxASCII && unicode.IsLetter(last):
		return latinFinal(rs)
	}
	return false, false
}

// digitFinal reads the number at the end of rs: its last non-zero digit
// (일, 이, 삼…), or with trailing zeros its unit (십, 백, 천, 만: all end
// in a consonant), or 영.
func digitFinal(rs []rune) (final, rieul bool) {
	switch rs[len(rs)-1] {
	case '0', '3', '6':
		return true, false
	case '1', '7', '8':
		return true, true
	}
	return false, false
}

// latinFinal reads the Latin word at the end of rs.
func latinFinal(rs []rune) (final, rieul bool) {
	start := len(rs)
	for start > 0 && rs[start-1] < unicode.MaxASCII && unicode.IsLetter(rs[start-1]) {
		start--
	}
	word := string(rs[start:])
	if caps := trailingCapitals(word); len(caps) >= 2 && len(caps) < len(word) {
		// A camel-cased name ending in an acronym (ClusterIP, PodCIDR) is
		// read with the acronym last: 클러스터아이피.
		word = caps
	}
	if len(word) == 1 || (strings.ToUpper(word) == word && len(word) <= 3) {
		// A lone letter or an acronym (PVC, API, SSD) is read letter by
		// letter: only L (엘), M (엠), N (엔) and R (알) end in a consonant.
		// Longer capitals are words (READY, COLOR, YAML).
		switch unicode.ToLower(rs[len(rs)-1]) {
		case 'l', 'r':
			return true, true
		case 'm', 'n':
			return true, false
		}
		return false, false
	}
	w := strings.ToLower(word)
	vowel := func(i int) bool { return i >= 0 && strings.ContainsRune("aeiou", rune(w[i])) }
	n := len(w)
	last := w[n-1]
	// A silent e: name (네임), line (라인), role (롤), table (테이블).
	if last == 'e' && n >= 3 && !vowel(n-2) && vowel(n-3) || last == 'e' && strings.HasSuffix(w, "le") {
		switch w[n-2] {
		case 'l':
			return true, true
		case 'm', 'n':
			return true, false
		}
		return false, false
	}
	switch {
	case last == 'l':
		return true, true
	case last == 'm', last == 'n', strings.HasSuffix(w, "ng"):
		return true, false
	case strings.HasSuffix(w, "ck"):
		// check 체크, rack 랙: the short ones take the consonant.
		return n <= 4, false
	case strings.ContainsRune("bckpt", rune(last)) && vowel(n-2) && !vowel(n-3):
		// web 웹, job 잡, kubelet 쿠블릿, set 셋, app 앱, spec 스펙 — a
		// single short vowel before b, c, k, p or t closes the syllable;
		// pod (파드), seed (시드), start (스타트) do not.
		return true, false
	case strings.HasSuffix(w, "eep"), strings.HasSuffix(w, "eek"), strings.HasSuffix(w, "eet"), strings.HasSuffix(w, "ook"):
		// sleep 슬립, seek 식, sheet 시트… mostly; book 북.
		return !strings.HasSuffix(w, "eet"), false
	case last == 'g' && n == 3 && w[1] == 'i':
		// big 빅, dig 딕; log (로그), tag (태그), config (컨피그) do not.
		return true, false
	}
	return false, false
}

// trailingCapitals is the run of capital letters word ends with.
func trailingCapitals(word string) string {
	i := len(word)
	for i > 0 && word[i-1] >= 'A' && word[i-1] <= 'Z' {
		i--
	}
	return word[i:]
}

// Ending is particle in the form that fits after word: Ending("node-1",
// "가") is "이", Ending("pod", "이") "가", Ending("kubectl", "으로") "로".
// A particle it does not know is returned as it is.
func Ending(word, particle string) string {
	final, rieul := Final(nameBefore(word))
	for _, p := range pairs {
		if particle != p[0] && particle != p[1] {
			continue
		}
		if strings.HasPrefix(p[0], "으로") && rieul {
			return p[1]
		}
		if final {
			return p[0]
		}
		return p[1]
	}
	return particle
}

// With is word followed by the particle that fits it, without a space:
// With("kubelet/node-1", "가") is "kubelet/node-1이".
func With(word, particle string) string { return word + Ending(word, particle) }

// particles are the forms Fix looks for, longest first so 이에요 is not
// read as 이.
var particles = func() []string {
	var out []string
	for _, p := range pairs {
		out = append(out, p[0], p[1])
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}()

// Fix corrects each particle that follows a name in s: a particle written
// right after a Latin letter, a digit or a closing quote or bracket, and
// followed by a space, punctuation or the end, takes the form that fits
// the name ("kubelet/node-1가 봤어요" becomes "kubelet/node-1이 봤어요").
// Text filled in from templates, where the author cannot know the name,
// goes through it.
func Fix(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if i == 0 || !(r >= 0xAC00 && r <= 0xD7A3) {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		p := ""
		if prev < utf8.RuneSelf && prev > ' ' && !opening(s[:i]) {
			for _, cand := range particles {
				if rest := s[i:]; strings.HasPrefix(rest, cand) && boundary(rest[len(cand):]) {
					p = cand
					break
				}
			}
		}
		if p == "" {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		b.WriteString(Ending(s[:i], p))
		i += len(p)
	}
	return b.String()
}

// boundary reports whether rest starts where a particle may end.
func boundary(rest string) bool {
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsSpace(r) || unicode.IsPunct(r) || r == '~'
}

// nameBefore is the word that ends s, as the particle after it is
// chosen: for a word with a gloss in brackets, 결과(spec.nodeName) or
// 256Mi (3%), the word before them.
func nameBefore(s string) string {
	if strings.HasSuffix(s, ")") {
		depth := 0
		for i := len(s) - 1; i >= 0; i-- {
			switch s[i] {
			case ')':
				depth++
			case '(':
				depth--
			}
			if depth == 0 {
				if before := strings.TrimRightFunc(s[:i], unicode.IsSpace); before != "" {
					return nameBefore(before)
				}
				break
			}
		}
	}
	return s[strings.LastIndexFunc(s, unicode.IsSpace)+1:]
}

// opening reports whether s ends with a quote that opens a quotation
// (after a space, or at the start), so what follows is not a particle.
func opening(s string) bool {
	last, size := utf8.DecodeLastRuneInString(s)
	if last != '"' && last != '\'' {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(s[:len(s)-size])
	return len(s) == size || unicode.IsSpace(before)
}
