package common

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
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
	// A particle right after what is filled in ($1의 read as a group
	// named "1의", which is empty).
	if got := Timer("ko", "answer from 10.244.2.2:8080"); got != "10.244.2.2:8080의 응답" {
		t.Errorf("answer from: %q", got)
	}
	if got := Timer("en", "check progress deadline"); got != "check progress deadline" {
		t.Errorf("English changed: %q", got)
	}
}

// The components' common reasons read Korean on a Korean screen — the
// learner's own kubectl's (engine/httpapi's "external kubectl (…): …")
// first of all — and stay as they are in English.
func TestWhyKorean(t *testing.T) {
	for en, ko := range map[string]string{
		"external kubectl (kubectl get): GET /api/v1/namespaces/default/pods":      "내 kubectl (kubectl get): GET /api/v1/namespaces/default/pods",
		"external client k9s/v0.32: GET /api/v1/pods":                              "외부 클라이언트 k9s/v0.32: GET /api/v1/pods",
		"want 3, have 0 → create 3":                                                "원하는 수 3, 있는 수 0 → 3개 만들어요",
		"pod added (no node) → schedule it":                                        "파드 추가됨 (노드 없음) → 스케줄링해요",
		"deployment updated":                                                       "디플로이먼트 변경됨",
		"status: 1 replicas, 0 ready, 0 available":                                 "상태: 레플리카 1, 준비 0, 사용 가능 0",
		"pod bound to node-2 → start it":                                           "파드가 node-2에 배치됨 → 시작해요",
		"hpa web: cpu of pods app=web, from metrics-server through the aggregator": "HPA web: 파드 app=web의 cpu, 애그리게이터를 거쳐 metrics-server에서 읽어요",
	} {
		if got := Why("ko", en); got != ko {
			t.Errorf("Why(ko, %q) = %q, want %q", en, got, ko)
		}
		if got := Why("en", en); got != en {
			t.Errorf("Why(en, %q) = %q", en, got)
		}
	}
	// httpapi builds its reason from this prefix: if it changes, the
	// table above must follow.
	out, err := exec.Command("grep", "-rh", `externalPrefix = "external "`, "../../engine/httpapi").Output()
	if err != nil || len(out) == 0 {
		t.Errorf("engine/httpapi no longer says %q: the Korean of its reason is out of date", "external ")
	}
}

// TestPhrasesCompiledWhenSaid: the package's start-up compiles none of
// its Korean phrases (it did ~160 patterns, 19,000 allocations, in every
// kubeplay process, the pods' proxies and demo apps among them, which say
// none), yet they are said as before once asked (TestTimerKorean,
// TestWhyKorean…). The start-up is this test binary's own, traced by the
// runtime (GODEBUG=inittrace=1).
func TestPhrasesCompiledWhenSaid(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^init github.com/kubeplay/kubeplay/ui/common @.*, (\d+) allocs$`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no init line for ui/common in:\n%s", out)
	}
	if allocs, _ := strconv.Atoi(string(m[1])); allocs > 2000 {
		t.Errorf("ui/common's init made %d allocations, want the few of its tables, no compiled phrases", allocs)
	}
}
