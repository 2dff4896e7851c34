package main

import (
	tea "charm.land/bubbletea/v2"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/record"
)

// writeRecording writes a small recording by hand, as the TUI would
// have: the size, enter on the start page (free play), a typed command
// and its enter, the command noted, and two steps, each
// answered by the command (sync).
func writeRecording(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "demo.kpr")
	var lines []string
	add := func(v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	add(record.Header{Format: record.Magic, Version: record.Version, Seed: 1, Runtime: "docker", Nodes: 3, Lang: "en", Theme: "no-color"})
	at := int64(0)
	ev := func(e record.Event) {
		at += 1000
		e.T = at
		add(e)
	}
	ev(record.Event{Kind: record.KindSize, W: 80, H: 24})
	ev(record.Event{Kind: record.KindKey, Code: 13})
	for _, r := range "get nodes" {
		ev(record.Event{Kind: record.KindKey, Code: r, Text: string(r)})
	}
	ev(record.Event{Kind: record.KindKey, Code: 13})
	ev(record.Event{Kind: record.KindCmd, Line: "get nodes"})
	ev(record.Event{Kind: record.KindSync}) // the command waits on the cluster
	for range 2 {
		ev(record.Event{Kind: record.KindKey, Code: 'n', Mod: int(tea.ModCtrl)})
		ev(record.Event{Kind: record.KindSync}) // it waits again, or ends
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReplayCommand: kubeplay replay --shell prints the recorded
// commands' output as the shell does; --cast, --svg and --hops write
// their files and say so; a Docker recording is said to be replayed on
// simulated containers; bad combinations and files are refused clearly,
// in English and Korean.
func TestReplayCommand(t *testing.T) {
	dir := t.TempDir()
	path := writeRecording(t, dir)
	out, errOut, code := runMain(t, "", "replay", "--shell", path)
	if code != 0 || !strings.Contains(out, "$ get nodes") || !strings.Contains(out, "node-1") {
		t.Errorf("replay --shell: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "recorded on Docker, replayed on simulated containers") {
		t.Errorf("a Docker recording is not said to be simulated: %q", errOut)
	}
	cast, svg, hops := filepath.Join(dir, "d.cast"), filepath.Join(dir, "f.svg"), filepath.Join(dir, "h.txt")
	out, errOut, code = runMain(t, "", "replay", path, "--cast", cast, "--svg", svg, "--at", "2", "--hops", hops)
	if code != 0 {
		t.Fatalf("replay export: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"wrote " + cast + ": asciinema v2", "wrote " + svg + ": the flow diagram after step 2 of 4", "wrote " + hops + ": "} {
		if !strings.Contains(out, want) {
			t.Errorf("export says no %q:\n%s", want, out)
		}
	}
	for _, f := range []string{cast, svg, hops} {
		if b, err := os.ReadFile(f); err != nil || len(b) == 0 {
			t.Errorf("%s: %v, %d bytes", f, err, len(b))
		}
	}
	if b, _ := os.ReadFile(hops); !strings.Contains(string(b), "kubectl → apiserver  list nodes") {
		t.Errorf("the hop log has no list nodes:\n%s", b)
	}
	anim := filepath.Join(dir, "anim.svg")
	out, errOut, code = runMain(t, "", "replay", path, "--svg", anim, "--animate")
	if b, err := os.ReadFile(anim); code != 0 || err != nil || !strings.Contains(out, "wrote "+anim+": the flow diagram animated, ") ||
		!strings.Contains(out, " of 4 steps, a second each") || !strings.Contains(string(b), `<g class="frame"`) {
		t.Errorf("replay --svg --animate: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	for _, tc := range []struct {
		args   []string
		en, ko string
	}{
		{[]string{"replay", "--animate", path}, "give --svg FILE too", "--svg FILE도"},
		{[]string{"replay", "--svg", svg, "--animate", "--at", "1", path}, "give one of them", "둘 중 하나만"},
		{[]string{"replay"}, "takes one recording", "녹화 파일 하나"},
		{[]string{"replay", "--shell", "--step", path}, "--shell prints text", "--shell은 텍스트"},
		{[]string{"replay", "--step", "--cast", cast, path}, "--step plays in the TUI", "--step은 TUI"},
		{[]string{"replay", "--at", "1", path}, "give --svg FILE too", "--svg FILE도"},
		{[]string{"replay", "--svg", svg, "--at", "9", path}, "steps 1 to 4", "1부터 4까지"},
		{[]string{"replay", filepath.Join(dir, "none.kpr")}, "no recording at", "녹화 파일이 없어요"},
	} {
		for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
			_, errOut, code := runMain(t, "", append(tc.args, "--lang", string(lang))...)
			want := map[bilingual.Lang]string{bilingual.English: tc.en, bilingual.Korean: tc.ko}[lang]
			if code != 2 || !strings.Contains(errOut, want) {
				t.Errorf("%v in %s: exit %d, %q; want %q", tc.args, lang, code, errOut, want)
			}
		}
	}
	for _, lang := range []string{"en", "ko"} {
		out, _, _ := runMain(t, "", "replay", "--help", "--lang", lang)
		want := map[string]string{"en": "Plays a session recorded with kubeplay --record", "ko": "녹화한 세션을"}[lang]
		if !strings.Contains(out, want) || !strings.Contains(out, "--cast") {
			t.Errorf("replay --help in %s:\n%s", lang, out)
		}
	}
}

// writeKPR writes a recording made by hand: a header, then events.
func writeKPR(t *testing.T, path string, lines ...any) {
	t.Helper()
	var text strings.Builder
	for _, v := range lines {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		text.Write(append(b, '\n'))
	}
	if err := os.WriteFile(path, []byte(text.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReplayShellReadsLessonManifests: a session that applied a lesson's
// manifest (web-pod.yaml, which only the lesson has) replays as text with
// it, not with "the path does not exist". The recording has its command
// and no keys: it runs as kubeplay shell runs it, and says so.
func TestReplayShellReadsLessonManifests(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lesson.kpr")
	writeKPR(t, path,
		record.Header{Format: record.Magic, Version: record.Version, Seed: 1, Runtime: "sim", Nodes: 3, Lang: "en", Theme: "no-color"},
		record.Event{Kind: record.KindCmd, T: 1000, Line: "apply -f web-pod.yaml"})
	out, errOut, code := runMain(t, "", "replay", "--shell", path)
	if code != 0 || !strings.Contains(out, "pod/web created") {
		t.Errorf("replay --shell of a lesson's apply: exit %d\n%s\n%s", code, out, errOut)
	}
	for lang, want := range map[string]string{"en": "the recording has commands but no keys", "ko": "명령은 있지만 키 입력이 없어요"} {
		if _, errOut, _ := runMain(t, "", "replay", "--shell", "--lang", lang, path); !strings.Contains(errOut, want) {
			t.Errorf("in %s, a recording of commands without keys is not said to run as the shell runs them: %q", lang, errOut)
		}
	}
}

// stepsKPR writes a recording by hand as the TUI would have, on the
// simulated runtime, in step mode: free play opened, lines typed, steps.
type stepsKPR struct {
	lines []any
	at    int64
}

func newStepsKPR() *stepsKPR {
	k := &stepsKPR{lines: []any{record.Header{Format: record.Magic, Version: record.Version, Seed: 1, Runtime: "sim", Nodes: 3, Lang: "en", Theme: "no-color"}}}
	k.ev(record.Event{Kind: record.KindSize, W: 120, H: 36})
	k.ev(stepsEnter) // free play, in step mode
	return k
}

var stepsEnter = record.Event{Kind: record.KindKey, Code: 13}

// ev is one more event, a millisecond after the one before.
func (k *stepsKPR) ev(e record.Event) {
	k.at += 1000
	e.T = k.at
	k.lines = append(k.lines, e)
}

// typed is line typed, entered, and run.
func (k *stepsKPR) typed(line string) {
	for _, r := range line {
		k.ev(record.Event{Kind: record.KindKey, Code: r, Text: string(r)})
	}
	k.ev(stepsEnter)
	k.ev(record.Event{Kind: record.KindCmd, Line: line})
}

// steps is n steps (enter on an empty prompt).
func (k *stepsKPR) steps(n int) {
	for range n {
		k.ev(stepsEnter)
	}
}

// TestReplayShellFollowsTheSteps: a session in step mode (the cluster
// moves a hop a key) replays as text with the hops it had: `get pods`
// three steps after `create deployment` found no pod yet on the screen,
// and says so as text (the shell ran the cluster freely between them,
// and printed pods ContainerCreating); a session that ended while a
// command ran says so, and one that went another way than its recording,
// in English and Korean.
func TestReplayShellFollowsTheSteps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "steps.kpr")
	k := newStepsKPR()
	k.typed("create deployment web --image=kubeplay/demo:v1 --replicas=2")
	k.steps(3)
	k.typed("get pods")
	k.steps(10)
	k.typed("get deploy") // the session ends before its answer
	lines, at := k.lines, k.at
	writeKPR(t, path, lines...)
	out, errOut, code := runMain(t, "", "replay", "--shell", path)
	want := "$ create deployment web --image=kubeplay/demo:v1 --replicas=2\ndeployment.apps/web created\n" +
		"$ get pods\nNo resources found in default namespace.\n$ get deploy\n"
	if code != 0 || out != want {
		t.Errorf("replay --shell of a session in step mode: exit %d\n%s\nwant:\n%s\n%s", code, out, want, errOut)
	}
	for lang, want := range map[string]string{"en": `the session ended while "get deploy" ran`, "ko": `"get deploy" 명령이 실행되는 도중에 세션이 끝났어요`} {
		if _, errOut, _ := runMain(t, "", "replay", "--shell", "--lang", lang, path); !strings.Contains(errOut, want) {
			t.Errorf("in %s, a command the session ended in is not said to be cut: %q", lang, errOut)
		}
	}
	// A recording whose commands are not those its keys typed (edited by
	// hand): the replay went another way, and says so.
	lines[len(lines)-1] = record.Event{T: at, Kind: record.KindCmd, Line: "get deployments"}
	writeKPR(t, path, lines...)
	for lang, want := range map[string]string{"en": "the replay went another way than the session from its command 3 on", "ko": "재생이 3번째 명령부터 녹화된 세션과 다르게"} {
		if _, errOut, _ := runMain(t, "", "replay", "--shell", "--lang", lang, path); !strings.Contains(errOut, want) {
			t.Errorf("in %s, a replay that went another way does not say so: %q", lang, errOut)
		}
	}
}

// TestReplayShellSaysYourOwnKubectlIsNotSentAgain: a session that served
// the learner's own kubectl, which sent a request while the learner
// stepped; the session's screen went on with what it brought (here a
// timer this replay never sets). replay --shell says, in English and
// Korean, that the replay cannot send that request again and went
// another way from it, naming it and the command it came after; an
// event of a kind this kubeplay does not know (a newer kubeplay's) is
// skipped, the rest replayed.
func TestReplayShellSaysYourOwnKubectlIsNotSentAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outside.kpr")
	k := newStepsKPR()
	k.typed("create deployment web --image=nginx:1.25 --replicas=3")
	k.steps(3)
	k.ev(record.Event{Kind: record.KindOutside, Method: "GET", Path: "/api/v1/namespaces/default/pods", Query: "limit=500"})
	k.ev(record.Event{Kind: "from-a-newer-kubeplay", Text: "whatever it says"})
	k.ev(record.Event{Kind: record.KindTimer, N: 999})
	k.ev(record.Event{Kind: record.KindOutside, Method: "GET", Path: "/api/v1/namespaces/default/pods/web"})
	k.steps(2)
	k.typed("get deploy")
	writeKPR(t, path, k.lines...)
	for lang, want := range map[string]string{
		"en": "kubeplay: a replay cannot send your own kubectl's requests (2) again: from the first, GET /api/v1/namespaces/default/pods after command 1 (create deployment web --image=nginx:1.25 --replicas=3), it went another way than the recording: the output may differ from what its screens showed\n",
		"ko": "kubeplay: 재생은 내 kubectl의 요청(2개)을 다시 보낼 수 없어요. 첫 요청 GET /api/v1/namespaces/default/pods(1번째 명령 create deployment web --image=nginx:1.25 --replicas=3 뒤)부터 녹화와 다르게 흘러갔어요. 출력이 세션 화면과 다를 수 있어요\n",
	} {
		out, errOut, code := runMain(t, "", "replay", "--shell", "--lang", lang, path)
		if code != 0 || !strings.HasPrefix(out, "$ create deployment web --image=nginx:1.25 --replicas=3\ndeployment.apps/web created\n") || !strings.Contains(out, "$ get deploy\n") {
			t.Errorf("in %s, replay --shell of a session that served your own kubectl: exit %d\n%s", lang, code, out)
		}
		if !strings.Contains(errOut, want) || strings.Contains(errOut, "timers or answers") {
			t.Errorf("in %s, replay --shell says\n%s\nwant\n%s", lang, errOut, want)
		}
	}
}

// TestReplayShellSaysAnOlderRecordingMayMissYourOwnKubectl: a recording
// made while kubeplay's API was served, by a kubeplay that did not keep
// the requests from outside (its header does not say it kept them), that
// replays another way: replay --shell says it may be the learner's own
// kubectl, in English and Korean. One whose recorder kept them, and had
// none, says only that it went another way.
func TestReplayShellSaysAnOlderRecordingMayMissYourOwnKubectl(t *testing.T) {
	path := filepath.Join(t.TempDir(), "older.kpr")
	k := newStepsKPR()
	h := k.lines[0].(record.Header)
	h.Banner = map[string]string{"en": "kubeplay's API listens on https://127.0.0.1:6445. Use your own kubectl from another terminal:\n  export KUBECONFIG=/tmp/kubeconfig-6445\n"}
	k.lines[0] = h
	k.typed("create deployment web --image=nginx:1.25 --replicas=3")
	k.steps(3)
	k.ev(record.Event{Kind: record.KindTimer, N: 999}) // what the unkept request brought
	k.steps(2)
	writeKPR(t, path, k.lines...)
	for lang, want := range map[string]string{
		"en": "kubeplay: the session served your own kubectl, whose requests a recording by an older kubeplay does not keep: if it sent any, a replay cannot send them again, and went another way from there: the output may differ",
		"ko": "kubeplay: 세션은 내 kubectl이 쓸 수 있게 API를 열어 두었는데, 예전 kubeplay로 만든 녹화라서 그 요청은 기록되지 않았어요.",
	} {
		if _, errOut, _ := runMain(t, "", "replay", "--shell", "--lang", lang, path); !strings.Contains(errOut, want) {
			t.Errorf("in %s, replay --shell of an older recording says\n%s\nwant\n%s", lang, errOut, want)
		}
	}
	h.Outside = true
	k.lines[0] = h
	writeKPR(t, path, k.lines...)
	if _, errOut, _ := runMain(t, "", "replay", "--shell", path); strings.Contains(errOut, "own kubectl") || !strings.Contains(errOut, "(1 timers or answers it did not hear)") {
		t.Errorf("replay --shell of a recording that kept no request from outside says\n%s", errOut)
	}
}
