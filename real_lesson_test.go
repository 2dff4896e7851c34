package main

import (
	"context"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/engine/realcluster"
	"github.com/kubeplay/kubeplay/engine/realcluster/realk8stest"
	"github.com/kubeplay/kubeplay/engine/runtime/docker/dockertest"
	"github.com/kubeplay/kubeplay/lessons"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// script is what a learner who runs every suggested command types:
// try at each step, next where a step has no check.
func script(l *lessons.Lesson) string {
	var b strings.Builder
	for _, s := range l.Steps {
		if s.Command != "" {
			b.WriteString("try\n")
		}
		if s.Check == nil {
			b.WriteString("next\n")
		}
	}
	return b.String()
}

// clusterState is what a lesson run must leave as it found: every
// namespace and every pod, ReplicaSet and Deployment anywhere.
func clusterState(t *testing.T, cs kubernetes.Interface) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	nss, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ns := range nss.Items {
		out = append(out, "namespace/"+ns.Name)
	}
	pods, err := cs.CoreV1().Pods("").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pods.Items {
		out = append(out, "pod/"+p.Namespace+"/"+p.Name)
	}
	rss, err := cs.AppsV1().ReplicaSets("").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rss.Items {
		out = append(out, "replicaset/"+r.Namespace+"/"+r.Name)
	}
	deps, err := cs.AppsV1().Deployments("").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deps.Items {
		out = append(out, "deployment/"+d.Namespace+"/"+d.Name)
	}
	slices.Sort(out)
	return out
}

// TestFirstLessonsPlayOnARealControlPlane plays the first three lessons
// with kubeplay lesson ID --shell --kubeconfig on a real control plane
// (kube-apiserver, controller-manager, scheduler, KWOK nodes), as a
// learner typing every suggested command: each completes, in a namespace
// kubeplay made for the run (kubeplay-<lesson>-<suffix>, labelled), and
// leaves the cluster as it found it. Objects of the learner's own in
// default are not touched.
func TestFirstLessonsPlayOnARealControlPlane(t *testing.T) {
	cp := realk8stest.Start(t, 3)
	t.Setenv(configdir.Env, t.TempDir())
	cfg, err := clientcmd.BuildConfigFromFlags("", cp.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	cs := kubernetes.NewForConfigOrDie(cfg)
	ctx := context.Background()
	// Something of the learner's, in the namespace lessons use on
	// kubeplay's own cluster, named as the lessons' objects are.
	mine := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web", Labels: map[string]string{"app": "web", "tier": "frontend"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "nginx"}}}}
	if _, err := cs.CoreV1().Pods("default").Create(ctx, mine, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	before := clusterState(t, cs)
	nsLine := regexp.MustCompile(`plays in namespace (kubeplay-[a-z0-9-]+), made for this run`)
	for _, l := range all[:3] {
		if !l.RunsOnRealCluster() {
			t.Fatalf("lesson %s says it cannot run on a real cluster", l.ID)
		}
		t.Run(l.ID, func(t *testing.T) {
			start := time.Now()
			out, errOut, code := runMain(t, script(l), "lesson", l.ID, "--shell", "--kubeconfig", cp.Kubeconfig)
			t.Logf("%s: %v", l.ID, time.Since(start).Round(time.Millisecond))
			if code != 0 || !strings.Contains(out, "✓ Lesson complete: "+l.Title.In(bilingual.English)) {
				t.Fatalf("exit %d\n%s\nstderr:\n%s", code, out, errOut)
			}
			if strings.Contains(out, "Not yet.") {
				t.Errorf("a suggested command did not reach its check:\n%s", out)
			}
			m := nsLine.FindStringSubmatch(errOut)
			if m == nil || !strings.HasPrefix(m[1], realcluster.RunNamespacePrefix(l.ID)) || len(m[1]) != len(realcluster.RunNamespacePrefix(l.ID))+5 {
				t.Fatalf("no run namespace kubeplay-%s-XXXXX announced:\n%s", l.ID, errOut)
			}
			if !strings.Contains(errOut, "kubeplay: namespace "+m[1]+" removed") {
				t.Errorf("namespace %s not said removed:\n%s", m[1], errOut)
			}
			if after := clusterState(t, cs); !slices.Equal(after, before) {
				t.Errorf("the lesson left the cluster changed:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
	if p, err := cs.CoreV1().Pods("default").Get(ctx, "web", metav1.GetOptions{}); err != nil || p.UID == "" {
		t.Errorf("the learner's own pod default/web: %v", err)
	}
}

// TestCleanupRemovesOnlyKubeplaysNamespaces: kubeplay cleanup
// --kubeconfig removes every namespace labelled as kubeplay's (left by
// runs that could not remove theirs) and nothing else — not a namespace
// named like one of kubeplay's without the label.
func TestCleanupRemovesOnlyKubeplaysNamespaces(t *testing.T) {
	cp := realk8stest.Start(t, 1)
	tg, err := realcluster.Resolve(cp.Kubeconfig, "", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var left []string
	for _, id := range []string{"replicasets-heal", "deployments-and-scaling"} {
		ns, err := realcluster.CreateRunNamespace(ctx, tg, id, bilingual.English)
		if err != nil {
			t.Fatal(err)
		}
		left = append(left, ns.Name)
	}
	slices.Sort(left)
	cs := kubernetes.NewForConfigOrDie(tg.Config)
	impostor := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "kubeplay-mine"}}
	if _, err := cs.CoreV1().Namespaces().Create(ctx, impostor, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runMain(t, "", "cleanup", "--kubeconfig", cp.Kubeconfig)
	want := "removed namespace/" + left[0] + "\nremoved namespace/" + left[1] + "\n" +
		"kubeplay cleanup: 2 namespaces removed (label app.kubernetes.io/managed-by=kubeplay) from context realk8s; nothing else was touched\n"
	if code != 0 || out != want {
		t.Errorf("cleanup: exit %d\n%s\nwant\n%s\nstderr %s", code, out, want, errOut)
	}
	nss, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ns := range nss.Items {
		names = append(names, ns.Name)
	}
	if !slices.Contains(names, "kubeplay-mine") || slices.ContainsFunc(left, func(n string) bool { return slices.Contains(names, n) }) {
		t.Errorf("namespaces after cleanup: %v", names)
	}
	// A run namespace whose label was taken away is not kubeplay's any more.
	ns, err := realcluster.CreateRunNamespace(ctx, tg, "replicasets-heal", bilingual.English)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CoreV1().Namespaces().Patch(ctx, ns.Name, "application/merge-patch+json",
		[]byte(`{"metadata":{"labels":{"app.kubernetes.io/managed-by":null}}}`), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := ns.Remove(ctx, tg, bilingual.English); err == nil || !strings.Contains(err.Error(), "is not kubeplay's") {
		t.Errorf("removing a namespace that lost the label: %v", err)
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, ns.Name, metav1.GetOptions{}); err != nil {
		t.Errorf("%s was removed: %v", ns.Name, err)
	}
}

// TestLessonTUIOnARealControlPlane: kubeplay lesson ID --kubeconfig …,
// without --shell, opens the lesson in the TUI on the real cluster, in a
// namespace made for the run (kubeplay-<lesson>-<suffix>, labelled as
// kubeplay's), and quitting it (ctrl+q, yes) removes the namespace and
// says so; the cluster is left as it was found. (ui's
// TestStoryLessonsOnARealControlPlane plays the lessons through in it.)
func TestLessonTUIOnARealControlPlane(t *testing.T) {
	cp := realk8stest.Start(t, 1)
	t.Setenv(configdir.Env, t.TempDir())
	cfg, err := clientcmd.BuildConfigFromFlags("", cp.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	cs := kubernetes.NewForConfigOrDie(cfg)
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		t.Run(string(lang), func(t *testing.T) {
			before := clusterState(t, cs)
			keys, typed := io.Pipe()
			defer typed.Close()
			var out, errOut dockertest.Buffer
			code := make(chan int, 1)
			go func() {
				code <- run([]string{"lesson", all[0].ID, "--kubeconfig", cp.Kubeconfig, "--lang", string(lang)}, keys, &out, &errOut)
			}()
			var ns string
			realk8stest.Wait(t, time.Minute, "the run's namespace", func() (bool, error) {
				list, err := cs.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{LabelSelector: realcluster.ManagedByLabel + "=" + realcluster.ManagedBy})
				if err != nil || len(list.Items) == 0 {
					return false, err
				}
				ns = list.Items[0].Name
				return true, nil
			})
			if !strings.HasPrefix(ns, realcluster.RunNamespacePrefix(all[0].ID)) {
				t.Errorf("run namespace %s, want %s…", ns, realcluster.RunNamespacePrefix(all[0].ID))
			}
			time.Sleep(time.Second) // the lesson page drawn
			if _, err := io.WriteString(typed, "\x11"); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond)
			if _, err := io.WriteString(typed, "y"); err != nil {
				t.Fatal(err)
			}
			select {
			case c := <-code:
				if c != 0 {
					t.Errorf("exit %d\nstderr:\n%s", c, errOut.String())
				}
			case <-time.After(3 * time.Minute):
				t.Fatalf("the TUI did not end\nstderr:\n%s", errOut.String())
			}
			removed := lang.Sprintf(realLessonRemovedText.In(lang), ns)
			if !strings.Contains(errOut.String(), removed) {
				t.Errorf("stderr does not say %q:\n%s", removed, errOut.String())
			}
			if after := clusterState(t, cs); !slices.Equal(after, before) {
				t.Errorf("the lesson left the cluster changed:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}
