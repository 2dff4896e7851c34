package ui

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/ui/internal/walltest"
	"github.com/kubeplay/kubeplay/ui/record"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// session is a session recorded as Run records one, driven on the
// test's goroutine with a fake wall clock: every event recorded, and the
// frame after each.
type session struct {
	t      testing.TB
	app    *App
	rec    *recorder
	wall   *walltest.Clock
	buf    bytes.Buffer
	frames []string
	quit   bool
}

func newSession(t testing.TB, o Options, w, h int) *session {
	t.Helper()
	t.Setenv(configdir.Env, t.TempDir())
	s := &session{t: t, app: testApp(o), wall: walltest.New(time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC))}
	hd := s.app.header(record.Header{Seed: 1, Nodes: o.Nodes, Lang: string(o.Lang), Theme: "no-color", Asked: "sim"}, s.wall.Now())
	s.rec = newRecorder(s.app, record.NewWriter(&s.buf, hd), s.wall)
	walltest.Run(s.update, s.rec.Init())
	s.send(tea.WindowSizeMsg{Width: w, Height: h})
	return s
}

func (s *session) update(msg tea.Msg) tea.Cmd { return updateUntilQuit(s.rec, &s.quit, msg) }

// send is one recorded event, and the frame after it.
func (s *session) send(msg tea.Msg) {
	walltest.Run(s.update, s.update(msg))
	if !s.quit {
		s.frames = append(s.frames, s.app.View().Content)
	}
}

func (s *session) key(name string) { s.send(keyPress(name)) }

// replayed is the session's recording read back, and a replay of it
// (closed when the test ends).
func (s *session) replayed() (*record.Recording, *Replay) {
	s.t.Helper()
	rec, err := record.Read(bytes.NewReader(s.buf.Bytes()), "en")
	if err != nil {
		s.t.Fatalf("the recording does not read back: %v", err)
	}
	r, err := NewReplay(rec, simReplayClusters)
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(r.Close)
	return rec, r
}

func (s *session) typeLine(line string) {
	for _, r := range line {
		s.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	s.key("enter")
}

// wait lets d of wall time pass, the timers due firing.
func (s *session) wait(d time.Duration) {
	limit := s.wall.Now().Add(d)
	for {
		msg, ok := s.wall.Next(limit)
		if !ok {
			return
		}
		s.send(msg)
	}
}

// recordDemo records a session of every kind of event: typing, steps,
// paced mode with its animation, free mode with its clock, a paste,
// presenter mode, scrubbing the past, and quitting.
func recordDemo(t *testing.T) *session {
	s := newSession(t, Options{Lang: "en", Nodes: 3, Theme: theme.NoColor}, 120, 36)
	s.key("enter")
	s.typeLine("create deployment web --image=kubeplay/demo:v1 --replicas=2")
	for range 6 {
		s.key("ctrl+n")
		s.wait(300 * time.Millisecond)
	}
	s.key("ctrl+t") // paced
	s.wait(4 * time.Second)
	s.key("ctrl+t") // free
	s.wait(8 * time.Second)
	s.send(tea.PasteMsg{Content: "get pods"})
	s.key("enter")
	s.wait(2 * time.Second)
	s.key("f2")
	s.wait(time.Second)
	s.key("left")
	s.key("left")
	s.key("end")
	s.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	s.key("ctrl+q")
	s.key("y")
	return s
}

// TestRecordReplaySameScreens: a session recorded through the TUI model
// — typing, steps, paced mode's animation, free mode's clock, a paste,
// presenter mode, the past, a resize — replayed from its recording on a
// new simulated cluster draws the same frames, byte for byte.
func TestRecordReplaySameScreens(t *testing.T) {
	s := recordDemo(t)
	rec, err := record.Read(bytes.NewReader(s.buf.Bytes()), "en")
	if err != nil {
		t.Fatalf("the recording does not read back: %v\n%s", err, s.buf.String())
	}
	cmds := 0
	for _, e := range rec.Events {
		if e.Kind == record.KindCmd {
			cmds++
		}
	}
	if cmds != 2 || rec.Header.Runtime != "sim" || rec.Header.Seed != 1 {
		t.Errorf("the recording has %d commands (want 2), runtime %q, seed %d", cmds, rec.Header.Runtime, rec.Header.Seed)
	}
	r, err := NewReplay(rec, simReplayClusters)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// The session drew a frame after each message it was sent and all
	// that followed from it at once, a command's answers (sync) among
	// them: the replay's frame before the next such message.
	var frames []string
	for i, e := range rec.Events {
		r.Step()
		next := i + 1
		for next < len(rec.Events) && rec.Events[next].Kind == record.KindCmd {
			next++
		}
		if e.Kind != record.KindCmd && !r.quit && (next == len(rec.Events) || rec.Events[next].Kind != record.KindSync) {
			frames = append(frames, r.Frame())
		}
	}
	if len(frames) != len(s.frames) {
		t.Fatalf("the replay drew %d frames, the session %d", len(frames), len(s.frames))
	}
	for i := range frames {
		if frames[i] != s.frames[i] {
			a, b := strings.Split(frames[i], "\n"), strings.Split(s.frames[i], "\n")
			for j := range min(len(a), len(b)) {
				if a[j] != b[j] {
					t.Fatalf("frame %d of %d differs at line %d:\nreplayed: %q\nrecorded: %q\n%s", i+1, len(frames), j+1, a[j], b[j], ansi.Strip(s.frames[i]))
				}
			}
			t.Fatalf("frame %d of %d differs: %d lines replayed, %d recorded", i+1, len(frames), len(a), len(b))
		}
	}
	if r.Missed() != 0 {
		t.Errorf("the replay missed %d recorded timers", r.Missed())
	}
	last := ansi.Strip(frames[len(frames)-1])
	for _, want := range []string{"web-", "Running"} {
		if !strings.Contains(last, want) {
			t.Errorf("the last frame has no %q: the session did less than it should\n%s", want, last)
		}
	}
	if done, of := r.Progress(); done != of || of < 10 {
		t.Errorf("progress %d/%d at the end", done, of)
	}
}

// TestReplayCastAndSVG: the cast of a replay is asciinema v2 — a header
// with version 2 and the size, then [time, "o"|"r", data] events at
// strictly increasing times; the flow's SVG parses as XML with an svg
// root.
func TestReplayCastAndSVG(t *testing.T) {
	rec := demoRecording(t)
	r, err := NewReplay(rec, simReplayClusters)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var cast, svg0, hops bytes.Buffer
	out, err := r.Export(Export{Cast: &cast, SVG: &svg0, At: 3, Hops: &hops, HopsJSON: true})
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, svg0.Bytes(), "kube-apiserver", "")
	// Animated: the flow as each step left it.
	r2, err := NewReplay(rec, simReplayClusters)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	var anim bytes.Buffer
	out2, err := r2.Export(Export{SVG: &anim, Animate: true})
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, anim.Bytes(), "kube-apiserver", "")
	if n := strings.Count(anim.String(), `<g class="frame"`); n != out2.Pictures || n < 10 || n > out2.Steps {
		t.Errorf("the animated SVG has %d frames, said %d, for %d steps", n, out2.Pictures, out2.Steps)
	}
	var hj []record.HopJSON
	if err := json.Unmarshal(hops.Bytes(), &hj); err != nil || len(hj) != out.Hops || len(hj) < 20 || hj[0].From != "kubectl" {
		t.Errorf("hops JSON: %v, %d hops (said %d), first %+v", err, len(hj), out.Hops, hj[0])
	}
	lines := strings.Split(strings.TrimSuffix(cast.String(), "\n"), "\n")
	var h record.CastHeader
	if err := json.Unmarshal([]byte(lines[0]), &h); err != nil || h.Version != 2 || h.Width != 120 || h.Height != 36 || h.Timestamp == 0 {
		t.Fatalf("cast header %q: %+v %v", lines[0], h, err)
	}
	last := -1.0
	resized := false
	for i, l := range lines[1:] {
		var ev []any
		if err := json.Unmarshal([]byte(l), &ev); err != nil || len(ev) != 3 {
			t.Fatalf("event %d is not [time, type, data]: %q", i+1, l)
		}
		at, ok1 := ev[0].(float64)
		kind, ok2 := ev[1].(string)
		data, ok3 := ev[2].(string)
		if !ok1 || !ok2 || !ok3 || (kind != "o" && kind != "r") {
			t.Fatalf("event %d: %q", i+1, l)
		}
		if at <= last {
			t.Fatalf("event %d at %f, not after %f", i+1, at, last)
		}
		last = at
		if kind == "r" {
			resized = data == "80x24"
		}
	}
	if len(lines) < 50 || !resized {
		t.Errorf("%d cast events, resized %v", len(lines)-1, resized)
	}
	if !strings.Contains(cast.String(), "deployment.apps/web created") {
		t.Errorf("the cast never shows the command's output")
	}
	view, dark := r.FlowFrame()
	var svg bytes.Buffer
	if err := record.SVG(&svg, view+"\n<&> \"quoted\"", nil, nil, "kubeplay <flow>"); err != nil {
		t.Fatal(err)
	}
	if !dark {
		t.Error("the replay's theme is not dark, as the recording's was")
	}
	checkSVG(t, svg.Bytes(), "kube-apiserver", `<&> "quoted"`)
}

// checkSVG parses b as XML: its root must be svg, and its text hold want.
func checkSVG(t *testing.T, b []byte, want, escaped string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var root string
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("the SVG is not XML: %v\n%s", err, b)
			}
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
		case xml.CharData:
			text.Write(tok)
		}
	}
	if root != "svg" {
		t.Errorf("the SVG's root is %q", root)
	}
	if !strings.Contains(text.String(), want) || !strings.Contains(text.String(), escaped) {
		t.Errorf("the SVG's text has no %q or lost the escaped text:\n%s", want, text.String())
	}
}

// TestRecordingErrors: a missing file, a file that is no recording, a
// damaged line and a newer version each get a clear message, in English
// and Korean; a last line cut short by a crash is left out.
func TestRecordingErrors(t *testing.T) {
	dir := t.TempDir()
	head := `{"format":"kubeplay-recording","version":1,"seed":1,"runtime":"sim","nodes":3,"lang":"en","started":"2026-12-07T12:00:00Z"}` + "\n"
	cases := []struct{ name, body, en, ko string }{
		{"missing", "", "no recording at", "녹화 파일이 없어요"},
		{"empty", "\n", "is empty", "비어 있어요"},
		{"other", "hello\n", "not a kubeplay recording", "kubeplay 녹화 파일이 아니에요"},
		{"newer", strings.Replace(head, `"version":1`, `"version":9`, 1), "version 9, newer than this kubeplay reads (1)", "형식 버전(9)이"},
		{"damaged", head + `{"t":1,"k":"key","code":97}` + "\n" + "{oops\n" + `{"t":2,"k":"key"}` + "\n", "line 3 is not a recorded event", "3번째 줄"},
		{"backwards", head + `{"t":5,"k":"key"}` + "\n" + `{"t":2,"k":"key"}` + "\n", "line 3 goes back in time", "3번째 줄의 시간이 거꾸로"},
	}
	for _, c := range cases {
		path := fmt.Sprintf("%s/%s.kpr", dir, c.name)
		if c.name != "missing" {
			if err := writeFile(path, c.body); err != nil {
				t.Fatal(err)
			}
		}
		for lang, want := range map[string]string{"en": c.en, "ko": c.ko} {
			_, err := record.Open(path, bilingualLang(lang))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s in %s: %v, want %q", c.name, lang, err, want)
			}
		}
	}
	path := dir + "/crashed.kpr"
	if err := writeFile(path, head+`{"t":1,"k":"key","code":97,"text":"a"}`+"\n"+`{"t":2,"k":"ke`); err != nil {
		t.Fatal(err)
	}
	rec, err := record.Open(path, "en")
	if err != nil || len(rec.Events) != 1 || !rec.Truncated {
		t.Errorf("a recording cut short: %v, %d events, truncated %v", err, len(rec.Events), rec != nil && rec.Truncated)
	}
}

func writeFile(path, body string) error { return os.WriteFile(path, []byte(body), 0o644) }

func bilingualLang(s string) bilingual.Lang { return bilingual.Lang(s) }

// recordTenMinutes records ten minutes of a workshop: a deployment made
// and watched in paced mode (its packets animated at 60 frames a
// second), then free mode with a command a minute — scale, get, set
// image, describe — and the clock ticking between.
func recordTenMinutes(t testing.TB) *record.Recording {
	s := newSession(t, Options{Lang: "en", Nodes: 3, Theme: theme.NoColor}, 120, 36)
	s.key("enter")
	s.typeLine("create deployment web --image=kubeplay/demo:v1 --replicas=3")
	s.key("ctrl+t") // paced
	s.wait(90 * time.Second)
	s.key("ctrl+t") // free
	lines := []string{"scale deployment web --replicas=5", "get pods", "set image deployment/web demo=kubeplay/demo:v2",
		"rollout status deployment/web", "get pods -o wide", "describe deployment web", "scale deployment web --replicas=2", "get rs"}
	for i := 0; s.wall.Now().Sub(time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)) < 10*time.Minute; i++ {
		s.typeLine(lines[i%len(lines)])
		s.wait(time.Minute)
	}
	rec, err := record.Read(bytes.NewReader(s.buf.Bytes()), "en")
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// BenchmarkReplayTenMinutes: a ten-minute recording replayed on a new
// simulated cluster to its last frame, without pacing (target < 1 s).
func BenchmarkReplayTenMinutes(b *testing.B) {
	rec := recordTenMinutes(b)
	b.ResetTimer()
	for range b.N {
		r, err := NewReplay(rec, simReplayClusters)
		if err != nil {
			b.Fatal(err)
		}
		for r.Step() {
		}
		if r.Frame() == "" || r.Missed() != 0 {
			b.Fatalf("no last frame, or %d timers missed", r.Missed())
		}
		r.Close()
	}
	b.ReportMetric(float64(len(rec.Events)), "events")
	b.ReportMetric(rec.Duration().Minutes(), "recorded-min")
}

// simReplayClusters are the clusters main gives a replay (its
// replayClusters), for the tests.
func simReplayClusters(h record.Header) (Clusters, func()) {
	cs := &launch.Clusters{Runtime: launch.Sim, IngressPort: h.IngressPort, Cluster: cluster.Options{
		Seed: h.Seed, Nodes: h.Nodes, NodeCPU: h.NodeCPU, NodeMemory: h.NodeMemory, IngressPort: h.IngressPort, Lang: h.Language()}}
	return cs, cs.Stop
}
