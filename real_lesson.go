package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/realcluster"
	"github.com/kubeplay/kubeplay/lessons"

	"github.com/spf13/cobra"
)

// The sentences of a lesson on a real cluster.
var (
	realLessonNSText = bilingual.Text{
		EN: "kubeplay: the lesson plays in namespace %s, made for this run (label %s=%s); it is removed when the lesson ends, with all that is in it. kubeplay touches nothing else.",
		KO: "kubeplay: 이번 레슨은 이번 실행용으로 만든 네임스페이스 %s에서 해요(레이블 %s=%s). 레슨이 끝나면 안에 든 것과 함께 지워요. 그 밖의 것은 건드리지 않아요.",
	}
	realLessonRemovedText = bilingual.Text{
		EN: "kubeplay: namespace %s removed",
		KO: "kubeplay: 네임스페이스 %s를 지웠어요",
	}
	realLessonLeftText = bilingual.Text{
		EN: "kubeplay: namespace %s could not be removed (%v); kubeplay cleanup --kubeconfig %s removes every namespace kubeplay made",
		KO: "kubeplay: 네임스페이스 %s를 지우지 못했어요(%v). kubeplay cleanup --kubeconfig %s를 실행하면 kubeplay가 만든 네임스페이스를 모두 지워요",
	}
	cleanedText = bilingual.Text{
		EN: "kubeplay cleanup: %d namespaces removed (label %s=%s) from context %s; nothing else was touched",
		KO: "kubeplay cleanup: 컨텍스트 %[4]s에서 네임스페이스 %[1]d개를 지웠어요(레이블 %[2]s=%[3]s). 그 밖의 것은 건드리지 않았어요",
	}
	realLessonOwnText = bilingual.Text{
		EN: "kubeplay: this lesson plays on kubeplay's own cluster, not on context %s: it needs %s, which only kubeplay's own cluster gives",
		KO: "kubeplay: 이 레슨은 컨텍스트 %s가 아니라 kubeplay 내장 클러스터에서 해요. kubeplay 내장 클러스터에만 있는 %s이 필요해요",
	}
	realLessonNamespaceText = bilingual.Text{
		EN: "--namespace: a lesson on a real cluster plays in a namespace kubeplay makes for the run, never in one of yours",
		KO: "--namespace: 진짜 클러스터의 레슨은 kubeplay가 이번 실행용으로 만든 네임스페이스에서만 해요. 여러분의 네임스페이스는 쓰지 않아요",
	}
)

// checkRealLesson says what is wrong with the flags of a lesson on a
// real cluster.
func checkRealLesson(cmd *cobra.Command, f *flags) error {
	if cmd.Flags().Changed("namespace") {
		return errors.New(realLessonNamespaceText.In(f.lang))
	}
	return nil
}

// removeLimit bounds the removal of a run's namespace on the way out.
const removeLimit = 3 * time.Minute

// realLesson plays l as text on the real cluster f's --kubeconfig names,
// in a namespace made for the run and removed at the end (on the way out
// too: a signal, a panic's exit). It returns the lesson's exit code.
func (h *house) realLesson(f *flags, l *lessons.Lesson, prog *lessons.Progress, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	interactive := isTerminal(stdin)
	t, err := confirmedTarget(f, stdin, interactive, stderr)
	if err != nil {
		return 0, err
	}
	say := func(s string) { fmt.Fprintln(stderr, s) }
	c, note, _, err := h.lessonRun(f, t, l, say, stderr)
	if err != nil {
		return 0, err
	}
	say(note)
	return lessons.PlayShell(c, l, stdin, lessons.ShellOptions{
		Lang: f.lang, Progress: prog, Out: stdout, Err: stderr, Interactive: interactive, Namespace: c.Target().Namespace,
	}), nil
}

// lessonRun makes the namespace a run of lesson l plays in on t's
// cluster (kubeplay-<lesson>-<suffix>, labelled as kubeplay's) and
// attaches to it; note says so. remove deletes the namespace, with all in
// it, once — saying how it went with say — and waits until it is gone;
// it also runs on the way out (a signal, a panic's exit), after the
// attachment is let go, and waits there for a removal under way.
func (h *house) lessonRun(f *flags, t realcluster.Target, l *lessons.Lesson, say func(string), errOut io.Writer) (c *realcluster.Cluster, note string, remove func(), err error) {
	ns, err := realcluster.CreateRunNamespace(h.ctx, t, l.ID, f.lang)
	if err != nil {
		return nil, "", nil, err
	}
	note = f.lang.Sprintf(realLessonNSText.In(f.lang), ns.Name, realcluster.ManagedByLabel, realcluster.ManagedBy)
	remove = sync.OnceFunc(func() {
		ctx, cancel := context.WithTimeout(context.Background(), removeLimit)
		defer cancel()
		if err := ns.Remove(ctx, t, f.lang); err != nil {
			say(f.lang.Sprintf(realLessonLeftText.In(f.lang), ns.Name, err, t.Kubeconfig))
			return
		}
		say(f.lang.Sprintf(realLessonRemovedText.In(f.lang), ns.Name))
	})
	// Added first, so it runs after the attachment is let go.
	h.exits.Add(remove)
	t.Namespace = ns.Name
	if c, err = h.attachTo(t, f, errOut); err != nil {
		return nil, "", nil, err
	}
	return c, note, remove, nil
}

// cleanupReal is `kubeplay cleanup --kubeconfig …`: every namespace
// kubeplay made on that cluster goes, and nothing else.
func cleanupReal(f *flags, stdin io.Reader, stdout, stderr io.Writer) error {
	t, err := confirmedTarget(f, stdin, isTerminal(stdin), stderr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), removeLimit)
	defer cancel()
	removed, err := realcluster.Cleanup(ctx, t, f.lang)
	for _, r := range removed {
		fmt.Fprintln(stdout, "removed namespace/"+r)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, f.lang.Sprintf(cleanedText.In(f.lang), len(removed), realcluster.ManagedByLabel, realcluster.ManagedBy, t.Context))
	return nil
}
