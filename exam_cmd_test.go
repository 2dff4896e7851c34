package main

import (
	"strings"
	"testing"
)

// kubeplay exam as a learner runs it: one task right exits 0 with the
// report, a wrong one exits 1, and bad flags say what is wrong.
func TestExamCommand(t *testing.T) {
	out, errOut, code := runMain(t, "run web --image=kubeplay/demo:v1 --labels=app=web,tier=frontend --port=8080\nsubmit\n",
		"exam", "--only", "pod", "--lang", "ko")
	if code != 0 || !strings.Contains(out, "점수: 5/5점 (100%), 합격") {
		t.Fatalf("exam --only pod: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = runMain(t, "submit\n", "exam", "--only", "pod,rollback", "--lang", "en")
	if code != 1 || !strings.Contains(out, "Revisit: kubeplay lesson rollouts") {
		t.Errorf("an exam left empty: exit %d\n%s%s", code, out, errOut)
	}
	for _, tc := range []struct{ args, want string }{
		{"exam --only nope --lang en", `no task "nope"; the tasks are: pod,`},
		{"exam --tasks 99 --lang ko", "--tasks 99: 1부터"},
		{"exam --time -5m --lang en", "--time must not be negative"},
		{"exam --time -5m --lang ko", "--time은 음수일 수 없어요"},
	} {
		_, errOut, code := runMain(t, "", strings.Fields(tc.args)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, %q, want %q", tc.args, code, errOut, tc.want)
		}
	}
}

// kubeplay exam --help speaks the language --lang asks, its flags too.
func TestExamHelpBothLanguages(t *testing.T) {
	for lang, want := range map[string][]string{
		"en": {"Plays an exam on standard input and output", "time limit on the wall clock (default: 6m per task)", "draw this many tasks"},
		"ko": {"표준 입력과 출력으로 시험을 봐요", "실제 시간 기준 제한 시간 (기본값: 문제당 6m)", "이만큼의 문제를"},
	} {
		out, errOut, code := runMain(t, "", "exam", "--help", "--lang", lang)
		for _, w := range want {
			if code != 0 || !strings.Contains(out, w) {
				t.Errorf("exam --help --lang %s: exit %d, no %q:\n%s%s", lang, code, w, out, errOut)
			}
		}
	}
}
