package bilingual

import "testing"

func TestParse(t *testing.T) {
	for _, s := range []string{"en", "ko"} {
		if l, err := Parse(s); err != nil || string(l) != s {
			t.Errorf("Parse(%q) = %q, %v", s, l, err)
		}
	}
	for _, s := range []string{"", "kr", "EN", "ko_KR"} {
		if _, err := Parse(s); err == nil || err.Error() != `must be en or ko, not "`+s+`"` {
			t.Errorf("Parse(%q) error = %v", s, err)
		}
	}
}

func TestFromLocale(t *testing.T) {
	cases := []struct {
		settings []string
		want     Lang
	}{
		{[]string{"", ""}, English},
		{[]string{"", "ko_KR.UTF-8"}, Korean},
		{[]string{"ko_KR.UTF-8", "en_US.UTF-8"}, Korean},
		{[]string{"C.UTF-8", "en_US.UTF-8"}, English},
	}
	for _, c := range cases {
		if got := FromLocale(c.settings...); got != c.want {
			t.Errorf("FromLocale(%q) = %q, want %q", c.settings, got, c.want)
		}
	}
}

func TestPickOtherSprintf(t *testing.T) {
	if English.Pick("a", "가") != "a" || Korean.Pick("a", "가") != "가" {
		t.Error("Pick chose the wrong language")
	}
	if English.Other() != Korean || Korean.Other() != English {
		t.Error("Other does not toggle")
	}
	if got := Korean.Sprintf("%s가 준비됐어요", "node-1"); got != "node-1이 준비됐어요" {
		t.Errorf("Korean.Sprintf = %q", got)
	}
	// English text is left as written, whatever it holds.
	if got := English.Sprintf("%s가", "node-1"); got != "node-1가" {
		t.Errorf("English.Sprintf = %q", got)
	}
}

func TestTextIn(t *testing.T) {
	both := Text{EN: "ready", KO: "준비됨"}
	if both.In(English) != "ready" || both.In(Korean) != "준비됨" {
		t.Errorf("In chose the wrong language: %q %q", both.In(English), both.In(Korean))
	}
	if got := (Text{EN: "ready"}).In(Korean); got != "ready" {
		t.Errorf("a text with no Korean reads %q in Korean, want the English", got)
	}
	if !(Text{}).Empty() || both.Empty() {
		t.Error("Empty is wrong")
	}
}
