package exam

import (
	"bufio"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/korean"
	"github.com/kubeplay/kubeplay/lessons"

	clocktesting "k8s.io/utils/clock/testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// simStart starts a task's cluster as the exam does on the simulated
// runtime: seed 1, the add-ons it needs (the ingress controller not
// listening on the host).
func simStart(t *Task) (backend.Cluster, func(), error) {
	o := cluster.Options{Seed: 1}
	if slices.Contains(t.Addons, lessons.AddonIngress) {
		o.IngressPort = 8080
	}
	c, err := cluster.New(o)
	if err != nil {
		return nil, nil, err
	}
	return c, func() { _ = c.Close(context.Background()) }, nil
}

func allTasks(t *testing.T) []*Task {
	t.Helper()
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestTasksCoverTheLessons: at least 15 tasks, each sending a learner who
// lost points to a lesson there is.
func TestTasksCoverTheLessons(t *testing.T) {
	all := allTasks(t)
	if len(all) < 15 {
		t.Errorf("%d tasks, want at least 15", len(all))
	}
	ls, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range all {
		if !slices.ContainsFunc(ls, func(l *lessons.Lesson) bool { return l.ID == task.Lesson }) {
			t.Errorf("%s: lesson %q does not exist", task.file, task.Lesson)
		}
	}
}

// play plays tasks as a learner typing script, on a clock that moves on
// by tick at each line read, and returns the transcript and the report.
func play(t *testing.T, tasks []*Task, lang bilingual.Lang, script string, limit, tick time.Duration) (string, *Report) {
	t.Helper()
	clk := clocktesting.NewFakePassiveClock(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	e := New(tasks, Options{Lang: lang, Limit: limit, Clock: clk, Start: simStart})
	var out strings.Builder
	in := &ticking{r: bufio.NewReader(strings.NewReader(script)), clk: clk, tick: tick}
	rep, err := PlayShell(e, in, ShellOptions{Out: &out, Err: &out})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	return out.String(), rep
}

// ticking is a learner's input on a fake clock: each read takes tick.
type ticking struct {
	r    *bufio.Reader
	clk  *clocktesting.FakePassiveClock
	tick time.Duration
}

func (r *ticking) Read(p []byte) (int, error) {
	r.clk.SetTime(r.clk.Now().Add(r.tick))
	// One line at a time, so each line costs one tick.
	line, err := r.r.ReadSlice('\n')
	n := copy(p, line)
	return n, err
}

// solutions is a script of every task's solution, each followed by next.
func solutions(tasks []*Task) string {
	var b strings.Builder
	for _, task := range tasks {
		b.WriteString(task.Solution)
		b.WriteString("\nnext\n")
	}
	b.WriteString("submit\n")
	return b.String()
}

// TestFullExamScoresFull plays every task's solution, in both languages:
// each task gets full marks, the exam passes, and the transcript shows
// each brief in the language asked.
func TestFullExamScoresFull(t *testing.T) {
	all := allTasks(t)
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		t.Run(string(lang), func(t *testing.T) {
			text, rep := play(t, all, lang, solutions(all), 0, 0)
			for _, res := range rep.Results {
				if res.Points != res.Max() {
					var failed []string
					for _, c := range res.Checks {
						if !c.Passed {
							failed = append(failed, c.Item.Goal(bilingual.English))
						}
					}
					t.Errorf("%s: %d/%d points; failed: %s", res.Task.ID, res.Points, res.Max(), strings.Join(failed, "; "))
				}
			}
			if !rep.Passed() || rep.Percent() != 100 {
				t.Errorf("score %d%%, passed %v", rep.Percent(), rep.Passed())
			}
			for _, task := range all {
				if !strings.Contains(text, strings.TrimSpace(task.Brief.In(lang))) {
					t.Errorf("%s: the %s brief is not shown", task.ID, lang)
				}
			}
			if !strings.Contains(text, msg(lang, "all-full")) {
				t.Errorf("the report does not say every task got full marks")
			}
			if t.Failed() {
				t.Log(text)
			}
		})
	}
}

// TestEveryTaskStartsUnsolved opens each task on its fresh cluster and
// grades it untouched: no check may hold, even after the cluster has run
// on as grading lets it. A task already solved teaches nothing.
func TestEveryTaskStartsUnsolved(t *testing.T) {
	for _, task := range allTasks(t) {
		t.Run(task.ID, func(t *testing.T) {
			_, rep := play(t, []*Task{task}, bilingual.English, "submit\n", 0, 0)
			for _, c := range rep.Results[0].Checks {
				if c.Passed {
					t.Errorf("holds on the fresh cluster: %s", c.Item.Goal(bilingual.English))
				}
			}
		})
	}
}

func find(t *testing.T, ids ...string) []*Task {
	t.Helper()
	out, err := Select(allTasks(t), ids, 0, 1, bilingual.English)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWrongAnswersScoreWrong plays answers that are wrong, or half
// right: each earns only the points of the checks it meets.
func TestWrongAnswersScoreWrong(t *testing.T) {
	for _, tc := range []struct {
		task, script string
		points       int
	}{
		// The right pod with the wrong image: ready and labelled, not the image.
		{"pod", "run web --image=kubeplay/demo:v2 --labels=app=web,tier=frontend --port=8080", 4},
		// Labels on the wrong pods.
		{"labels", "label pod cache tier=backend", 0},
		// Scaled, but the second Deployment not made.
		{"deployment-scale", "scale deployment shop --replicas=5", 2},
		// Rolled forward to another image instead of back.
		{"rollback", "set image deployment/web demo=kubeplay/demo:v2", 1},
		// The env var given as a literal, not from a ConfigMap.
		{"configmap-env", "run env-web --image=kubeplay/demo:v1 --env=MODE=fast", 2},
		// Exposed on the wrong port.
		{"service", "expose deployment web --port=8080", 2},
	} {
		t.Run(tc.task, func(t *testing.T) {
			text, rep := play(t, find(t, tc.task), bilingual.English, tc.script+"\nsubmit\n", 0, 0)
			res := rep.Results[0]
			if res.Points != tc.points {
				t.Errorf("%d/%d points, want %d\n%s", res.Points, res.Max(), tc.points, text)
			}
			if !strings.Contains(text, "Revisit: kubeplay lesson "+res.Task.Lesson) {
				t.Errorf("the report sends nobody to lesson %s\n%s", res.Task.Lesson, text)
			}
		})
	}
}

// TestReport holds the report's text to a golden file, in both
// languages: a task right, one half right and flagged, one skipped, one
// never opened, with the time used.
func TestReport(t *testing.T) {
	tasks := find(t, "pod", "labels", "daemonset", "job", "service")
	script := `run web --image=kubeplay/demo:v1 --labels=app=web,tier=frontend --port=8080
next
label pods -l app=api tier=backend
flag
next
skip
submit
`
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		t.Run(string(lang), func(t *testing.T) {
			text, rep := play(t, tasks, lang, script, 30*time.Minute, time.Minute)
			if rep.Passed() {
				t.Errorf("passed with %d%%", rep.Percent())
			}
			i := strings.Index(text, msg(lang, "report-head"))
			if i < 0 {
				t.Fatalf("no report:\n%s", text)
			}
			golden(t, "report-"+string(lang)+".txt", text[i:])
		})
	}
}

// TestTimeUp: when the time is up the exam ends at the next line, graded
// as it stands.
func TestTimeUp(t *testing.T) {
	script := "run web --image=kubeplay/demo:v1 --labels=app=web,tier=frontend --port=8080\nget pods\nnext\nsubmit\n"
	text, rep := play(t, find(t, "pod", "labels"), bilingual.English, script, 15*time.Minute, 10*time.Minute)
	if !strings.Contains(text, msg(bilingual.English, "time-up")) {
		t.Errorf("time up not said:\n%s", text)
	}
	if strings.Contains(text, "$ get pods") {
		t.Errorf("a command ran after the time was up:\n%s", text)
	}
	if got := rep.Results[0].Points; got != rep.Results[0].Max() {
		t.Errorf("the work done in time is lost: %d points", got)
	}
	if rep.Used != 15*time.Minute+5*time.Minute {
		t.Logf("used %v", rep.Used)
	}
}

// TestSelect: --only keeps its order, --tasks N draws the same N for the
// same seed and keeps file order, and bad input says what there is.
func TestSelect(t *testing.T) {
	all := allTasks(t)
	got, err := Select(all, []string{"service", "pod"}, 0, 1, bilingual.English)
	if err != nil || len(got) != 2 || got[0].ID != "service" || got[1].ID != "pod" {
		t.Errorf("--only service,pod: %v %v", got, err)
	}
	a, _ := Select(all, nil, 5, 7, bilingual.English)
	b, _ := Select(all, nil, 5, 7, bilingual.English)
	if len(a) != 5 || !slices.Equal(a, b) || !slices.IsSortedFunc(a, func(x, y *Task) int { return strings.Compare(x.file, y.file) }) {
		t.Errorf("--tasks 5 --seed 7: %v then %v", a, b)
	}
	if _, err := Select(all, []string{"nope"}, 0, 1, bilingual.Korean); err == nil || !strings.Contains(err.Error(), "있는 문제") {
		t.Errorf("--only nope: %v", err)
	}
	if _, err := Select(all, nil, len(all)+1, 1, bilingual.English); err == nil {
		t.Errorf("--tasks %d accepted", len(all)+1)
	}
}

// TestMessagesInBothLanguages: every message of the exam has its Korean.
func TestMessagesInBothLanguages(t *testing.T) {
	for id, m := range messages {
		if m.EN == "" || m.KO == "" || m.EN == m.KO {
			t.Errorf("message %s: %+v", id, m)
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run %s -update writes it)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestParseRefuses: a task file with an unknown field, a text in one
// language, a check of history rather than state, or no points says so,
// naming the file and the field.
func TestParseRefuses(t *testing.T) {
	base := "id: x\nlesson: probes\ntitle: {en: X, ko: 엑스}\nbrief: {en: Do, ko: 해요}\nsolution: get pods\n"
	for _, tc := range []struct{ yaml, want string }{
		{base + "checks: [{points: 1, wait: --for=condition=Ready pod/x}]\nextra: 1\n", `unknown field "extra"`},
		{strings.Replace(base, ", ko: 해요", "", 1) + "checks: [{points: 1, wait: --for=condition=Ready pod/x}]\n", "brief: the ko text is missing"},
		{base + "checks: [{points: 1, ran: get pods}]\n", "checks[0].ran: an exam grades the end state"},
		{base + "checks: [{points: 0, wait: --for=condition=Ready pod/x}]\n", "checks[0].points"},
		{base + "checks: []\n", "at least one check"},
	} {
		_, err := Parse("exam/x.yaml", []byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "assets/exam/x.yaml: ") {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}

// TestKoreanParticlesFit: each Korean brief and title, read as the
// screen shows it, has each particle after a name fitted to the name.
func TestKoreanParticlesFit(t *testing.T) {
	for _, task := range allTasks(t) {
		for _, para := range strings.Split(task.Brief.KO+"\n\n"+task.Title.KO, "\n\n") {
			para = strings.Join(strings.Fields(para), " ")
			if fixed := korean.Fix(para); fixed != para {
				t.Errorf("%s: particles that do not fit:\n  %s\n  %s", task.ID, para, fixed)
			}
		}
	}
}
