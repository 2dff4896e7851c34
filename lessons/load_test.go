package lessons

import (
	"strings"
	"testing"
	"testing/fstest"
)

const goodLesson = `id: tiny
level: beginner
title: {en: Tiny, ko: 작은 레슨}
summary: {en: One step., ko: 한 단계예요.}
real_cluster: {runs: true}
steps:
- text: {en: Apply it., ko: 적용해 보세요.}
  manifest: {file: lessons/manifests/pod.yaml}
  command: apply -f pod.yaml
  check: {wait: --for=condition=Ready pod/web}
  hints: [{en: Type apply -f pod.yaml., ko: apply -f pod.yaml을 입력하세요.}]
  pause_on:
  - match: {from: scheduler, verb: bind}
    explain: {en: "{summary}", ko: "{summary}"}
`

func loadOne(t *testing.T, lesson string) (*Lesson, error) {
	t.Helper()
	fsys := fstest.MapFS{
		"lessons/01-tiny.yaml":       {Data: []byte(lesson)},
		"lessons/manifests/pod.yaml": {Data: []byte("kind: Pod\n")},
	}
	ls, err := Load(fsys)
	if err != nil {
		return nil, err
	}
	return ls[0], nil
}

func TestLoadGood(t *testing.T) {
	l, err := loadOne(t, goodLesson)
	if err != nil {
		t.Fatal(err)
	}
	if l.ID != "tiny" || l.Title.In("ko") != "작은 레슨" || string(l.Manifests()["pod.yaml"]) != "kind: Pod\n" {
		t.Errorf("loaded %+v", l)
	}
}

// Every way a lesson file can be wrong is reported with the file and the
// field, so the writer knows where to look.
func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, from, to string
		want           []string
	}{
		{"unknown field", "  command: apply", "  comand: apply", []string{"assets/lessons/01-tiny.yaml", `unknown field "steps[0].comand"`}},
		{"duplicate field", "level: beginner\n", "level: beginner\nlevel: advanced\n", []string{"01-tiny.yaml", "level"}},
		{"missing korean", "ko: 적용해 보세요.", "ko: ''", []string{"01-tiny.yaml", "steps[0].text: the ko text is missing"}},
		{"missing hint", "{en: Type apply -f pod.yaml., ko: apply -f pod.yaml을 입력하세요.}", "{en: Type apply -f pod.yaml.}", []string{"steps[0].hints[0]: the ko text is missing"}},
		{"missing explanation", `explain: {en: "{summary}", ko: "{summary}"}`, `explain: {ko: "{summary}"}`, []string{"steps[0].pause_on[0].explain: the en text is missing"}},
		{"hint names try", "{en: Type apply -f pod.yaml., ko: apply -f pod.yaml을 입력하세요.}", "{en: Type try., ko: try를 입력하세요.}", []string{"steps[0].hints[0]", "try"}},
		{"bad level", "level: beginner", "level: easy", []string{"level", "easy"}},
		{"bad id", "id: tiny", "id: Tiny", []string{"id", "Tiny"}},
		{"bad wait", "--for=condition=Ready pod/web", "--for=ready pod/web", []string{"steps[0].check: wait", "unrecognized condition"}},
		{"bad kind", "--for=condition=Ready pod/web", "--for=condition=Ready pdo/web", []string{"steps[0].check", "pdo"}},
		{"missing manifest", "lessons/manifests/pod.yaml", "lessons/manifests/nope.yaml", []string{"steps[0].manifest", "nope.yaml"}},
		{"empty check", "check: {wait: --for=condition=Ready pod/web}", "check: {}", []string{"steps[0].check", "needs"}},
		{"empty match", "match: {from: scheduler, verb: bind}", "match: {}", []string{"steps[0].pause_on[0].match"}},
		{"unknown from", "match: {from: scheduler, verb: bind}", "match: {from: schedular, verb: bind}", []string{"01-tiny.yaml", "steps[0].pause_on[0].match.from", `"schedular" is not a component`}},
		{"unknown to", "match: {from: scheduler, verb: bind}", "match: {from: scheduler, to: kube-apiserver, verb: bind}", []string{"01-tiny.yaml", "steps[0].pause_on[0].match.to", `"kube-apiserver" is not a component`}},
		{"unknown verb", "match: {from: scheduler, verb: bind}", "match: {from: scheduler, verb: binds}", []string{"01-tiny.yaml", "steps[0].pause_on[0].match.verb", `"binds" is not a verb`}},
		{"internal verb", "match: {from: scheduler, verb: bind}", "match: {from: scheduler, verb: timer}", []string{"steps[0].pause_on[0].match.verb", `"timer" is the verb of internal hops`}},
		{"one scheduler", "match: {from: scheduler, verb: bind}", "match: {from: scheduler/node-1, verb: bind}", []string{"steps[0].pause_on[0].match.from", "there is one scheduler"}},
		{"no real_cluster", "real_cluster: {runs: true}\n", "", []string{"01-tiny.yaml", "real_cluster: say whether"}},
		{"runs needing", "real_cluster: {runs: true}", "real_cluster: {runs: true, needs: [sleep]}", []string{"real_cluster: runs: true, yet it needs sleep"}},
		{"runs with sleep", "  command: apply -f pod.yaml", "  command: sleep 30s", []string{"real_cluster: runs: true, yet its steps need sleep"}},
		{"needs unsaid", "real_cluster: {runs: true}", "real_cluster: {runs: false}", []string{"real_cluster: runs: false needs needs"}},
		{"need unknown", "real_cluster: {runs: true}", "real_cluster: {runs: false, needs: [time]}", []string{`real_cluster: needs: "time" is none of`}},
		{"need undeclared", "real_cluster: {runs: true}\nsteps:\n- text: {en: Apply it., ko: 적용해 보세요.}\n  manifest: {file: lessons/manifests/pod.yaml}\n  command: apply -f pod.yaml", "real_cluster: {runs: false, needs: [fault]}\nsteps:\n- text: {en: Apply it., ko: 적용해 보세요.}\n  manifest: {file: lessons/manifests/pod.yaml}\n  command: curl svc/web", []string{"real_cluster: needs: its steps need network too"}},
		{"bad within", "check: {wait: --for=condition=Ready pod/web}", "check: {ran: get, within: soon}", []string{"01-tiny.yaml", "soon"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(goodLesson, tc.from) {
				t.Fatalf("the test edits %q, which the lesson lacks", tc.from)
			}
			_, err := loadOne(t, strings.Replace(goodLesson, tc.from, tc.to, 1))
			if err == nil {
				t.Fatal("loaded without error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestLoadDuplicateID(t *testing.T) {
	_, err := Load(fstest.MapFS{
		"lessons/01-a.yaml":          {Data: []byte(goodLesson)},
		"lessons/02-b.yaml":          {Data: []byte(goodLesson)},
		"lessons/manifests/pod.yaml": {Data: []byte("kind: Pod\n")},
	})
	if err == nil || !strings.Contains(err.Error(), "02-b.yaml") || !strings.Contains(err.Error(), "01-a.yaml") {
		t.Errorf("err = %v, want both files named", err)
	}
}

// The messages of the front ends exist in both languages.
func TestMessagesInBothLanguages(t *testing.T) {
	for id, text := range messages {
		if err := checkText(text); err != nil {
			t.Errorf("message %q: %v", id, err)
		}
	}
}
