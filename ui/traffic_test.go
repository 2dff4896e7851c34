package ui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/kubeplay/kubeplay/ui/pages/playground"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// serveWeb makes a three-pod Deployment behind a Service, stepping.
func (s *story) serveWeb() {
	s.t.Helper()
	s.typeLine("create deployment web --image=kubeplay/demo:v1 --replicas=3")
	s.stepUntil("deploy/web 3/3", 3000)
	s.typeLine("expose deployment web --port 80 --target-port 8080")
	s.stepUntil("service/web exposed", 300)
	s.typeLine("sleep 2s")
	s.stepUntil("$ sleep 2s", 300)
	for i := 0; i < 300 && s.app.driver.Running(); i++ {
		s.key("ctrl+n")
	}
}

// trafficFigures reads the traffic pane's figures from the screen.
var (
	progressRe = regexp.MustCompile(`▏ (\d+)/(\d+)`)
	answeredRe = regexp.MustCompile(`answered (\d+) · errors (\d+)`)
)

func (s *story) answered() (int, int) {
	s.t.Helper()
	m := answeredRe.FindStringSubmatch(s.screen())
	if m == nil {
		s.t.Fatalf("no answered/errors line:\n%s", s.screen())
	}
	a, _ := strconv.Atoi(m[1])
	e, _ := strconv.Atoi(m[2])
	return a, e
}

// podLine matches a pod's line in the pane: its name, whole as on the
// board, then its counts.
func podLine(pod, ok, errs string) *regexp.Regexp {
	return regexp.MustCompile(regexp.QuoteMeta(pod) + `\s+` + ok + ` ok\s+` + errs + ` err`)
}

// TestStoryTraffic runs `load` from the prompt and watches the traffic
// pane: it appears with the run, its counts grow as the cluster steps, it
// names the pods that answered, and once the run is over it shows the
// totals the load command printed.
func TestStoryTraffic(t *testing.T) {
	s := newStory(t, 120, 36)
	s.open()
	s.serveWeb()
	if strings.Contains(s.screen(), "traffic") {
		t.Fatalf("a traffic pane before any load:\n%s", s.screen())
	}
	s.typeLine("load svc/web --rps 20 --for 60s")
	s.contains("traffic", "load svc/web", "20/s · 1m0s", "running")

	// Live: the counts grow while the command still runs.
	last := -1
	grew := 0
	for i := 0; i < 3000 && s.app.driver.Running(); i++ {
		s.key("ctrl+n")
		if a, _ := s.answered(); a > last {
			if last >= 0 {
				grew++
			}
			last = a
		}
		if last >= 600 && s.app.driver.Running() {
			break
		}
	}
	if grew < 3 || !s.app.driver.Running() {
		t.Fatalf("the pane's answers grew %d times before the run ended; want it live:\n%s", grew, s.screen())
	}
	s.contains("running", "p50 1ms · p99 1ms (simulated)")
	for _, pod := range s.app.driver.Board().Nodes {
		for _, chip := range pod.Pods {
			if !podLine(chip.Name, `\d+`, `\d+`).MatchString(s.screen()) {
				t.Errorf("the pane does not name pod %s:\n%s", chip.Name, s.screen())
			}
		}
	}
	s.golden("traffic-running")

	for i := 0; i < 5000 && s.app.driver.Running(); i++ {
		s.key("ctrl+n")
	}
	if s.app.driver.Running() {
		t.Fatalf("the load never ended:\n%s", s.screen())
	}
	s.contains("done", "1200/1200")
	// The pane's totals are the command's report.
	report := strings.Join(s.app.Playground().OutputLines(), "\n")
	m := regexp.MustCompile(`requests (\d+), answered (\d+), errors (\d+)`).FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no report in the output:\n%s", report)
	}
	if a, e := s.answered(); strconv.Itoa(a) != m[2] || strconv.Itoa(e) != m[3] {
		t.Errorf("pane says answered %d errors %d, the report %s", a, e, m[0])
	}
	for _, l := range regexp.MustCompile(`(?m)^(web-\S+)\s+(\d+)\s+(\d+)$`).FindAllStringSubmatch(report, -1) {
		if !podLine(l[1], l[2], l[3]).MatchString(s.screen()) {
			t.Errorf("the pane lacks %s with %s ok, %s err:\n%s", l[1], l[2], l[3], s.screen())
		}
	}

	// Its keys are in the help once it has focus.
	for i := 0; i < 10; i++ {
		s.key("shift+tab")
		s.key("ctrl+g")
		if strings.Contains(s.screen(), "help · traffic") {
			break
		}
		s.key("ctrl+g")
	}
	s.contains("help · traffic", "stop the load")
}

// TestStoryTrafficSmall: at 80×24 the pane is a tab, shown when the load
// starts, and esc stops the run early.
func TestStoryTrafficSmall(t *testing.T) {
	s := newStory(t, 80, 24)
	s.open()
	s.serveWeb()
	s.contains("▸OUTPUT │ events │ hops ")
	s.typeLine("load svc/web --rps 50 --for 5m")
	s.contains("output │ events │ hops │ ▸TRAFFIC", "load svc/web")
	for i := 0; i < 20; i++ {
		s.key("ctrl+n")
	}
	s.golden("traffic-80x24")
	s.key("esc")
	for i := 0; i < 50 && s.app.driver.Running(); i++ {
		s.key("ctrl+n")
	}
	if s.app.driver.Running() {
		t.Fatal("esc did not stop the load")
	}
	s.contains("stopped")
	sent := progressRe.FindStringSubmatch(s.screen())
	if sent == nil || sent[2] != "15000" || sent[1] == "15000" {
		t.Errorf("progress after esc = %v, want part of 15000:\n%s", sent, s.screen())
	}
	s.key("shift+tab") // output, events, hops, traffic: each a tab
	s.key("shift+tab")
	s.key("shift+tab")
	s.contains("▸OUTPUT")
	// At 80×24 the pane shows the report's last lines (the pods); the
	// line saying it stopped is above them.
	if out := strings.Join(s.app.Playground().OutputLines(), "\n"); !strings.Contains(out, "stopped after") {
		t.Errorf("the output does not say the load stopped:\n%s", out)
	}
}

// TestProgramTraffic runs the real program in free mode: the pane
// follows the load as the clock runs, then shows the totals. The app is
// looked at on the program's goroutine, after each Update (probe).
func TestProgramTraffic(t *testing.T) {
	var st stages
	screen := func(a *App) string { return ansi.Strip(a.View().Content) }
	idle := func(a *App, what string) bool {
		return a.Playground() != nil && !a.driver.Running() && strings.Contains(screen(a), what)
	}
	started := st.add(func(a *App) bool { return strings.Contains(screen(a), "Free play") })
	opened := st.add(func(a *App) bool { return a.Playground() != nil })
	free := st.add(func(a *App) bool { return a.Playground() != nil && a.Playground().Mode() == playground.Free })
	ready := st.add(func(a *App) bool { return idle(a, "deploy/web 2/2") })
	exposed := st.add(func(a *App) bool { return idle(a, "service/web exposed") })
	synced := st.add(func(a *App) bool { // the prompt line shows it as typed: look in the output
		return !a.driver.Running() && strings.Contains(ansi.Strip(strings.Join(a.Playground().OutputLines(), "\n")), "$ sleep 1s")
	})
	live := st.add(func(a *App) bool {
		m := answeredRe.FindStringSubmatch(screen(a))
		return a.driver.Running() && m != nil && m[1] != "0" && strings.Contains(screen(a), "running")
	})
	done := st.add(func(a *App) bool { return idle(a, "done") && strings.Contains(screen(a), "40/40") })

	app := testApp(Options{Lang: "en", Nodes: 3, Theme: theme.Auto})
	tm := teatest.NewTestModel(t, probe{app, st.check}, teatest.WithInitialTermSize(120, 36),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	line := func(s string) {
		tm.Type(s)
		tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	}
	await(t, started, 5*time.Second, "start page")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	await(t, opened, 5*time.Second, "playground")
	tm.Send(keyPress("ctrl+t"))
	tm.Send(keyPress("ctrl+t"))
	await(t, free, 5*time.Second, "free mode")
	line("create deployment web --image=kubeplay/demo:v1 --replicas=2")
	await(t, ready, 20*time.Second, "ready deployment")
	line("expose deployment web --port 80 --target-port 8080")
	await(t, exposed, 10*time.Second, "service")
	line("sleep 1s") // kube-proxy syncs at most once a second
	await(t, synced, 10*time.Second, "kube-proxy's sync")
	line("load svc/web --rps 20 --for 2s")
	await(t, live, 10*time.Second, "live traffic pane")
	await(t, done, 10*time.Second, "finished traffic pane")
	tm.Send(keyPress("ctrl+q"))
	tm.Send(keyPress("y"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if r := app.driver.C.Network().LastLoad().Report(); r.Answered != 40 || !r.Done {
		t.Errorf("the run answered %d of 40: %+v", r.Answered, r)
	}
}
