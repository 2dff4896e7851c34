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
	} {
		_, errOut, code := runMain(t, "", strings.Fields(tc.args)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, %q, want %q", tc.args, code, errOut, tc.want)
		}
	}
}
