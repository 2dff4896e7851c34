package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/engine/realcluster"
	"github.com/kubeplay/kubeplay/engine/realcluster/realk8stest"
	"github.com/kubeplay/kubeplay/lessons"
	"github.com/kubeplay/kubeplay/ui/pages/playground"
	"github.com/kubeplay/kubeplay/ui/theme"

	tea "charm.land/bubbletea/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// realClusters are the TUI's clusters attached to a real control plane,
// as main's are: Run opens on the real cluster, and each lesson plays in
// a namespace made for its run (labelled as kubeplay's), let go and
// removed when the lesson is left or the UI ends.
type realClusters struct {
	Clusters // Fresh: kubeplay's own, for what cannot run there
	t        *testing.T
	target   realcluster.Target
	real     *realcluster.Cluster

	mu      sync.Mutex
	runs    []string // the namespaces made, in order
	removed []string // those removed
}

func (r *realClusters) Start(context.Context, func(string)) (backend.Cluster, func(), string, error) {
	return r.real, func() {}, "", nil
}

func (r *realClusters) Lesson(l *lessons.Lesson) (backend.Cluster, func(), string, error) {
	ns, err := realcluster.CreateRunNamespace(context.Background(), r.target, l.ID, bilingual.English)
	if err != nil {
		return nil, nil, "", err
	}
	t := r.target
	t.Namespace = ns.Name
	c, err := realcluster.Attach(context.Background(), t, bilingual.English)
	if err != nil {
		return nil, nil, "", err
	}
	r.mu.Lock()
	r.runs = append(r.runs, ns.Name)
	r.mu.Unlock()
	return c, sync.OnceFunc(func() {
		c.Close()
		if err := ns.Remove(context.Background(), r.target, bilingual.English); err != nil {
			r.t.Errorf("removing %s: %v", ns.Name, err)
			return
		}
		r.mu.Lock()
		r.removed = append(r.removed, ns.Name)
		r.mu.Unlock()
	}), "plays in namespace " + ns.Name, nil
}

var _ LessonClusters = (*realClusters)(nil)

// TestStoryLessonsOnARealControlPlane plays the first three lessons in
// the TUI on a real control plane (kube-apiserver, controller-manager,
// scheduler, KWOK nodes) through the front door alone, as a learner
// opening each from the lesson list of `kubeplay --kubeconfig …`: free
// mode without stops, the suggested command at each step (enter), the
// step's check passing on what the real cluster did, then the next step.
// Each lesson plays in its run's namespace (the lesson page's commands
// and checks work there, the learner's default namespace is left alone),
// which is removed when the next lesson replaces it and at the end.
// Lesson 1 plays in Korean too. Without a control plane it skips, unless
// CI=true, where it fails.
func TestStoryLessonsOnARealControlPlane(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no real control plane")
	}
	cp := realk8stest.Start(t, 3)
	target, err := realcluster.Resolve(cp.Kubeconfig, "", "")
	if err != nil {
		t.Fatal(err)
	}
	cs := kubernetes.NewForConfigOrDie(target.Config)
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		t.Run(string(lang), func(t *testing.T) {
			t.Setenv(configdir.Env, t.TempDir())
			real, err := realcluster.Attach(context.Background(), target, lang)
			if err != nil {
				t.Fatal(err)
			}
			defer real.Close()
			o := testOptions(Options{Lang: lang, Nodes: 3, Theme: theme.NoColor}, launch.Sim, "")
			rc := &realClusters{Clusters: o.Clusters, t: t, target: target, real: real}
			o.Clusters = rc
			var mu sync.Mutex
			var screen string
			h := startRun(t, o, func(a *App, _ tea.Msg) {
				mu.Lock()
				screen = ansi.Strip(a.View().Content)
				mu.Unlock()
			})
			show := func() string { mu.Lock(); defer mu.Unlock(); return screen }
			defer func() {
				if t.Failed() {
					t.Logf("last screen:\n%s", show())
				}
			}()
			await(t, h.started, 30*time.Second, "first frame")
			played := all[:3]
			if lang == bilingual.Korean {
				played = all[:1]
			}
			for n, l := range played {
				if !l.RunsOnRealCluster() {
					t.Fatalf("lesson %s says it cannot run on a real cluster", l.ID)
				}
				playRealLesson(t, h, rc, cs, n, l, lang)
			}
			quit := map[bilingual.Lang]string{"en": "Quit kubeplay?", "ko": "kubeplay를 끝낼까요?"}[lang]
			asked := h.st.add(func(a *App) bool { return strings.Contains(ansi.Strip(a.View().Content), quit) })
			h.typeKeys("\x11") // ctrl+q
			await(t, asked, 10*time.Second, "the quit question")
			h.typeKeys("y")
			if err := h.wait(3 * time.Minute); err != nil {
				t.Fatalf("run: %v", err)
			}
			rc.mu.Lock()
			runs, removed := slices.Clone(rc.runs), slices.Clone(rc.removed)
			rc.mu.Unlock()
			slices.Sort(runs)
			slices.Sort(removed)
			if len(runs) != len(played) || !slices.Equal(runs, removed) {
				t.Errorf("run namespaces %v, removed %v", runs, removed)
			}
			for _, ns := range runs {
				if _, err := cs.CoreV1().Namespaces().Get(context.Background(), ns, metav1.GetOptions{}); err == nil {
					t.Errorf("namespace %s is still there", ns)
				}
			}
			if pods, err := cs.CoreV1().Pods("default").List(context.Background(), metav1.ListOptions{}); err != nil || len(pods.Items) != 0 {
				t.Errorf("the default namespace has pods after the lessons: %d, %v", len(pods.Items), err)
			}
		})
	}
}

// playRealLesson opens lesson n+1 from the list and plays it to its end
// as a learner who runs each suggested command. Stages are registered in
// the order they come (see harness.started).
func playRealLesson(t *testing.T, h *harness, rc *realClusters, cs kubernetes.Interface, n int, l *lessons.Lesson, lang bilingual.Lang) {
	t.Helper()
	rc.mu.Lock()
	before := len(rc.runs)
	rc.mu.Unlock()
	if n == 0 {
		list := h.st.add(func(a *App) bool { return a.les.on == onList })
		opened := h.st.add(func(a *App) bool { p := a.Lesson(); return p != nil && p.Lesson().ID == l.ID && a.les.on == onLesson })
		h.typeKeys("\x1b[B\r") // down to Lessons, enter
		await(t, list, 10*time.Second, "the lesson list")
		h.typeKeys("\r") // the first
		await(t, opened, time.Minute, "lesson "+l.ID)
	} else {
		// Back to the list (esc on an empty prompt, asked: yes), down to
		// the lesson, enter, and yes to leaving the one before.
		list := h.st.add(func(a *App) bool { return a.les.on == onList })
		h.typeKeys("\x1b")
		time.Sleep(300 * time.Millisecond) // a lone esc, not the start of a sequence
		h.typeKeys("y")
		await(t, list, 10*time.Second, "the lesson list")
		asked := h.st.add(func(a *App) bool { return a.les.replace != nil })
		opened := h.st.add(func(a *App) bool { p := a.Lesson(); return p != nil && p.Lesson().ID == l.ID && a.les.on == onLesson })
		h.typeKeys(strings.Repeat("\x1b[B", n) + "\r")
		await(t, asked, 10*time.Second, "the question before the lesson open is left")
		h.typeKeys("y")
		await(t, opened, time.Minute, "lesson "+l.ID)
	}
	rc.mu.Lock()
	if len(rc.runs) != before+1 {
		t.Fatalf("lesson %s: %d run namespaces made, want %d", l.ID, len(rc.runs), before+1)
	}
	ns, prev := rc.runs[len(rc.runs)-1], ""
	if n > 0 {
		prev = rc.runs[len(rc.runs)-2]
	}
	rc.mu.Unlock()
	if n > 0 {
		// The lesson before was let go, its namespace removed.
		realk8stest.Wait(t, 3*time.Minute, "namespace "+prev+" of the lesson before removed", func() (bool, error) {
			rc.mu.Lock()
			defer rc.mu.Unlock()
			return slices.Contains(rc.removed, prev), nil
		})
	}
	// Free mode, no stops at marked hops: the real cluster does not wait.
	free := h.st.add(func(a *App) bool { return a.Lesson().Playground().Mode() == playground.Free })
	h.typeKeys("\x12\x14\x14") // ctrl+r, ctrl+t twice
	await(t, free, 10*time.Second, "free mode")
	for i := range l.Steps {
		head := fmt.Sprintf(map[bilingual.Lang]string{"en": "Step %d/%d", "ko": "%d/%d 단계"}[lang], i+1, len(l.Steps))
		ready := h.st.add(func(a *App) bool {
			p := a.Lesson()
			return p.Index() == i && !p.Driver().Running() && p.Suggested() != "" && p.Playground().PromptValue() == p.Suggested() &&
				strings.Contains(ansi.Strip(a.View().Content), head)
		})
		passed := h.st.add(func(a *App) bool { return a.Lesson().Passed() && !a.Lesson().Driver().Running() })
		await(t, ready, time.Minute, head+" with its command suggested")
		h.typeKeys("\r")
		await(t, passed, 2*time.Minute, head+"'s check passing")
		if i == 0 {
			// The command ran in the run's namespace, on the real cluster.
			pods, err := cs.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{})
			if err != nil || len(pods.Items) == 0 {
				t.Errorf("%s: no pod in the run's namespace %s after %q (%v)", l.ID, ns, l.Steps[0].Command, err)
			}
		}
		if i < len(l.Steps)-1 {
			h.typeKeys("\x1b[6~") // PgDn
		}
	}
	done := map[bilingual.Lang]string{"en": "✓ Lesson complete", "ko": "✓ 레슨 완료"}[lang]
	finished := h.st.add(func(a *App) bool {
		return a.Lesson().Finished() && strings.Contains(ansi.Strip(a.View().Content), done)
	})
	h.typeKeys("\x1b[6~")
	await(t, finished, 30*time.Second, "the lesson complete")
}
