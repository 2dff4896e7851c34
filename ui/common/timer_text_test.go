package common

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// Every timer the engine arms with a why of its own words has Korean:
// the whys are read from the engine's source, so that a new timer
// without Korean fails here.
func TestTimerKorean(t *testing.T) {
	out, err := exec.Command("grep", "-rhE", `\.(After|AddAfter)\(.*"`, "../../engine", "--include=*.go", "--exclude=*_test.go").Output()
	if err != nil {
		t.Fatal(err)
	}
	lit := regexp.MustCompile(`"([^"]*)"[^"]*$`) // the last literal: the why
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		m := lit.FindStringSubmatch(line)
		if m == nil || !strings.Contains(line, "After(") || strings.Contains(line, "time.Parse") {
			continue
		}
		why := m[1]
		switch {
		case strings.HasPrefix(why, " "):
			why = "liveness" + why // a suffix: the kind goes before
		case strings.HasSuffix(why, " "), strings.HasSuffix(why, ": "):
			why += "x" // a prefix: the name follows
		case strings.Contains(why, "%s"):
			why = strings.NewReplacer("%s", "x").Replace(why)
		}
		n++
		if got := Timer("ko", why); got == why {
			t.Errorf("the timer %q has no Korean (from %s)", why, line)
		}
	}
	for _, why := range []string{"liveness probe due", "readiness probe due", "startup probe due", "check progress deadline"} {
		if Timer("ko", why) == why {
			t.Errorf("%q has no Korean", why)
		}
	}
	if n < 15 {
		t.Errorf("only %d timers found in the engine", n)
	}
	if got := Timer("ko", "back-off over: restart web"); got != "백오프 끝: web 재시작" {
		t.Errorf("back-off: %q", got)
	}
	if got := Timer("ko", "job fail: back-off 20s after 2 failed pods"); got != "잡 fail: 실패한 파드 2개, 백오프 20s" {
		t.Errorf("job back-off: %q", got)
	}
	if got := Timer("en", "check progress deadline"); got != "check progress deadline" {
		t.Errorf("English changed: %q", got)
	}
}
