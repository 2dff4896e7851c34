package realcluster

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// This file is what kubeplay creates on a real cluster, and how it
// removes it: one namespace per lesson run, labelled as kubeplay's, and
// nothing else. It never changes or deletes an object it did not create:
// a namespace is deleted only when it carries the label and its UID is
// the one kubeplay created or listed (a precondition of the delete).

// The label kubeplay's namespaces carry (the recommended label of the
// tool that manages an object).
const (
	ManagedByLabel = "app.kubernetes.io/managed-by"
	ManagedBy      = "kubeplay"
)

// maxPrefix is the longest generateName prefix of a namespace: its name
// is a DNS label of at most 63 characters, 5 of them the apiserver's.
const maxPrefix = 63 - 5

// RunNamespacePrefix is the generateName of a lesson run's namespace,
// "kubeplay-<lesson>-": the apiserver adds five random characters.
func RunNamespacePrefix(lesson string) string {
	p := "kubeplay-" + lesson
	if len(p) > maxPrefix-1 {
		p = strings.TrimRight(p[:maxPrefix-1], "-")
	}
	return p + "-"
}

// RunNamespace is a namespace kubeplay created for one lesson run.
type RunNamespace struct {
	Name string
	UID  types.UID
}

func clientset(t Target) (*kubernetes.Clientset, error) {
	cfg := rest.CopyConfig(t.Config)
	cfg.UserAgent = FieldManager
	return kubernetes.NewForConfig(cfg)
}

var createNSText = bilingual.Text{
	EN: "kubeplay plays a lesson in a namespace of its own, and could not create it (%s…): %v",
	KO: "kubeplay는 레슨마다 전용 네임스페이스를 만드는데, 만들지 못했어요(%s…): %v",
}

// CreateRunNamespace creates the namespace a run of lesson plays in,
// labelled as kubeplay's.
func CreateRunNamespace(ctx context.Context, t Target, lesson string, lang bilingual.Lang) (RunNamespace, error) {
	cs, err := clientset(t)
	if err != nil {
		return RunNamespace{}, err
	}
	prefix := RunNamespacePrefix(lesson)
	ns, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		GenerateName: prefix,
		Labels:       map[string]string{ManagedByLabel: ManagedBy},
	}}, metav1.CreateOptions{FieldManager: FieldManager})
	if err != nil {
		return RunNamespace{}, fmt.Errorf(createNSText.In(lang), prefix, explainForbidden(err))
	}
	return RunNamespace{Name: ns.Name, UID: ns.UID}, nil
}

// removeLimit is how long removing a namespace waits for it to be gone:
// the namespace controller deletes what is in it first, and a pod's
// kubelet takes its grace period.
const removeLimit = 2 * time.Minute

var notOursText = bilingual.Text{
	EN: "namespace %s is not kubeplay's (no label %s=%s, or not the one it created): left alone",
	KO: "네임스페이스 %s는 kubeplay가 만든 것이 아니에요(%s=%s 레이블이 없거나 만든 것과 달라요). 건드리지 않았어요",
}

// Remove deletes the run's namespace — only if it is still the one
// kubeplay created and carries its label — and waits until it is gone.
func (n RunNamespace) Remove(ctx context.Context, t Target, lang bilingual.Lang) error {
	cs, err := clientset(t)
	if err != nil {
		return err
	}
	return removeNamespace(ctx, cs, n, lang)
}

func removeNamespace(ctx context.Context, cs kubernetes.Interface, n RunNamespace, lang bilingual.Lang) error {
	cur, err := cs.CoreV1().Namespaces().Get(ctx, n.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return explainForbidden(err)
	}
	if cur.Labels[ManagedByLabel] != ManagedBy || (n.UID != "" && cur.UID != n.UID) {
		return fmt.Errorf(notOursText.In(lang), n.Name, ManagedByLabel, ManagedBy)
	}
	uid := cur.UID
	err = cs.CoreV1().Namespaces().Delete(ctx, n.Name, metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid}})
	if err != nil && !apierrors.IsNotFound(err) {
		return explainForbidden(err)
	}
	wctx, cancel := context.WithTimeout(ctx, removeLimit)
	defer cancel()
	err = wait.PollUntilContextCancel(wctx, 250*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		_, err := cs.CoreV1().Namespaces().Get(ctx, n.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("namespace %s: still terminating after %v (%v)", n.Name, removeLimit, err)
	}
	return nil
}

// Cleanup removes every namespace on t's cluster labelled as kubeplay's
// (left by runs that could not remove theirs: killed, cut off), and
// nothing else; it waits until they are gone and names them. A namespace
// that is being deleted already is waited for too.
func Cleanup(ctx context.Context, t Target, lang bilingual.Lang) ([]string, error) {
	cs, err := clientset(t)
	if err != nil {
		return nil, err
	}
	list, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: ManagedByLabel + "=" + ManagedBy})
	if err != nil {
		return nil, explainForbidden(err)
	}
	var removed []string
	var errs []error
	for _, ns := range list.Items {
		if err := removeNamespace(ctx, cs, RunNamespace{Name: ns.Name, UID: ns.UID}, lang); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, ns.Name)
	}
	slices.Sort(removed)
	return removed, errors.Join(errs...)
}
