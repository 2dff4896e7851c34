package kubectl

import (
	"fmt"
	"sort"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/controller"
	"github.com/kubeplay/kubeplay/engine/printers"
	"github.com/kubeplay/kubeplay/engine/store"

	"github.com/spf13/cobra"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/utils/ptr"
)

// rolloutLimit bounds how long `rollout status` waits in cluster time when
// no --timeout is given: past the default progress deadline.
const rolloutLimit = 15 * time.Minute

func (s *Session) rolloutCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "rollout SUBCOMMAND", Short: "Manage the rollout of a resource"}
	var timeout time.Duration
	status := &cobra.Command{
		Use:   "status (TYPE NAME | TYPE/NAME) [flags]",
		Short: "Show the status of the rollout",
		RunE: func(_ *cobra.Command, args []string) error {
			obj, err := s.rolloutArg(args, noStatusViewer)
			if err != nil {
				return err
			}
			return s.rolloutStatus(obj, timeout)
		},
	}
	status.Flags().DurationVar(&timeout, "timeout", 0, "The length of time to wait before ending watch, zero means never.")
	var revision int64
	history := &cobra.Command{
		Use:   "history (TYPE NAME | TYPE/NAME) [flags]",
		Short: "View rollout history",
		RunE: func(_ *cobra.Command, args []string) error {
			obj, err := s.rolloutArg(args, noHistoryViewer)
			if err != nil {
				return err
			}
			if _, ok := obj.(*appsv1.Deployment); !ok {
				return s.revisionHistory(obj, revision)
			}
			return s.rolloutHistory(obj.(*appsv1.Deployment), revision)
		},
	}
	history.Flags().Int64Var(&revision, "revision", 0, "See the details, including podTemplate of the revision specified")
	var toRevision int64
	undo := &cobra.Command{
		Use:   "undo (TYPE NAME | TYPE/NAME) [flags]",
		Short: "Undo a previous rollout",
		RunE: func(_ *cobra.Command, args []string) error {
			obj, err := s.rolloutArg(args, noRollbacker)
			if err != nil {
				return err
			}
			if _, ok := obj.(*appsv1.Deployment); !ok {
				return s.revisionUndo(obj, toRevision)
			}
			return s.rolloutUndo(obj.(*appsv1.Deployment), toRevision)
		},
	}
	undo.Flags().Int64Var(&toRevision, "to-revision", 0, "The revision to rollback to. Default to 0 (last revision).")
	cmd.AddCommand(status, history, undo,
		s.deploymentEdit("pause", "Mark the provided resource as paused", "paused", "pausing", func(d *appsv1.Deployment) error {
			if d.Spec.Paused {
				return fmt.Errorf("deployments.apps %q is already paused", d.Name)
			}
			d.Spec.Paused = true
			return nil
		}),
		s.deploymentEdit("resume", "Resume a paused resource", "resumed", "resuming", func(d *appsv1.Deployment) error {
			if !d.Spec.Paused {
				return fmt.Errorf("deployments.apps %q is not paused", d.Name)
			}
			d.Spec.Paused = false
			return nil
		}),
		s.restartCmd(),
	)
	return cmd
}

// deploymentEdit is a rollout subcommand that changes the deployment's
// spec and says what it did.
func (s *Session) deploymentEdit(use, short, done, doing string, edit func(*appsv1.Deployment) error) *cobra.Command {
	return &cobra.Command{
		Use:   use + " (TYPE NAME | TYPE/NAME)",
		Short: short,
		RunE: func(_ *cobra.Command, args []string) error {
			d, err := s.deploymentArg(args, notSupported(doing))
			if err != nil {
				return err
			}
			err = s.update(target{resDeployments, d.Name}, func(obj runtime.Object) error {
				return edit(obj.(*appsv1.Deployment))
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(s.Out, "deployment.apps/%s %s\n", d.Name, done)
			return nil
		},
	}
}

var (
	resDeployments, _  = apiserver.ResourceFor("deployments")
	resDaemonSets, _   = apiserver.ResourceFor("daemonsets")
	resStatefulSets, _ = apiserver.ResourceFor("statefulsets")
)

// restartCmd is rollout restart: a new restartedAt annotation in the pod
// template makes the controller replace every pod (Deployments,
// DaemonSets and StatefulSets).
func (s *Session) restartCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "restart (TYPE NAME | TYPE/NAME)",
		Short: "Restart a resource",
		RunE: func(_ *cobra.Command, args []string) error {
			obj, err := s.rolloutArg(args, notSupported("restarting"))
			if err != nil {
				return err
			}
			res, _ := apiserver.ResourceOf(obj)
			m, _ := meta.Accessor(obj)
			err = s.update(target{res, m.GetName()}, func(obj runtime.Object) error {
				if d, ok := obj.(*appsv1.Deployment); ok && d.Spec.Paused {
					return fmt.Errorf("can't restart paused deployment (run rollout resume first)")
				}
				t := templateOf(obj)
				if t.Annotations == nil {
					t.Annotations = map[string]string{}
				}
				t.Annotations["kubectl.kubernetes.io/restartedAt"] = s.C.Now().Format(time.RFC3339)
				return nil
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(s.Out, "%s restarted\n", res.KindName(m.GetName()))
			return nil
		},
	}
}

// rolloutArg reads the Deployment, DaemonSet or StatefulSet a rollout
// command names;
// unsupported words the refusal of another kind.
func (s *Session) rolloutArg(args []string, unsupported func(target) error) (runtime.Object, error) {
	t, obj, err := s.rolloutTarget(args)
	if err != nil {
		return nil, err
	}
	if t.res != resDeployments && t.res != resDaemonSets && t.res != resStatefulSets {
		return nil, unsupported(t)
	}
	return obj, nil
}

// deploymentArg reads the deployment a rollout command names.
// unsupported words the refusal of a target of another kind.
func (s *Session) deploymentArg(args []string, unsupported func(target) error) (*appsv1.Deployment, error) {
	t, obj, err := s.rolloutTarget(args)
	if err != nil {
		return nil, err
	}
	if t.res != resDeployments {
		return nil, unsupported(t)
	}
	return obj.(*appsv1.Deployment), nil
}

// rolloutTarget reads the one object a rollout command names. kubectl
// reads it first: a missing one is NotFound whatever its kind, and only
// then does the kind lack what the command needs.
func (s *Session) rolloutTarget(args []string) (target, runtime.Object, error) {
	if len(args) == 0 {
		return target{}, nil, fmt.Errorf("required resource not specified")
	}
	targets, err := parseTargets(args)
	if err != nil {
		return target{}, nil, err
	}
	if len(targets) != 1 {
		return target{}, nil, fmt.Errorf("rollout takes one deployment")
	}
	t := targets[0]
	obj, err := s.get(t.res, s.Namespace, t.name)
	return t, obj, err
}

// What kubectl's polymorphic helpers say of a kind a rollout subcommand
// does not handle (kubeplay's rollout handles Deployments only).
func noStatusViewer(t target) error {
	return fmt.Errorf("no status viewer has been implemented for %v", t.res.GroupKind())
}

func noHistoryViewer(t target) error {
	return fmt.Errorf("no history viewer has been implemented for %q", t.res.GroupKind().String())
}

func noRollbacker(t target) error {
	return fmt.Errorf("no rollbacker has been implemented for %q", t.res.GroupKind().String())
}

// notSupported is the objectpauser's (objectresumer's, objectrestarter's)
// answer, as `rollout pause` words it: "pausing is not supported".
func notSupported(doing string) func(t target) error {
	return func(t target) error {
		return fmt.Errorf("%s %q %s is not supported", t.res.GroupResource(), t.name, doing)
	}
}

// rolloutMessage is kubectl's DeploymentStatusViewer.
func rolloutMessage(d *appsv1.Deployment) (string, bool, error) {
	if d.Generation > d.Status.ObservedGeneration {
		return "Waiting for deployment spec update to be observed...\n", false, nil
	}
	for _, c := range d.Status.Conditions {
		if c.Type == appsv1.DeploymentProgressing && c.Reason == "ProgressDeadlineExceeded" {
			return "", false, fmt.Errorf("deployment %q exceeded its progress deadline", d.Name)
		}
	}
	st := d.Status
	want := ptr.Deref(d.Spec.Replicas, 1)
	switch {
	case st.UpdatedReplicas < want:
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d out of %d new replicas have been updated...\n", d.Name, st.UpdatedReplicas, want), false, nil
	case st.Replicas > st.UpdatedReplicas:
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d old replicas are pending termination...\n", d.Name, st.Replicas-st.UpdatedReplicas), false, nil
	case st.AvailableReplicas < st.UpdatedReplicas:
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d of %d updated replicas are available...\n", d.Name, st.AvailableReplicas, st.UpdatedReplicas), false, nil
	}
	return fmt.Sprintf("deployment %q successfully rolled out\n", d.Name), true, nil
}

// rolloutStatusMessage is the status viewer of the object's kind.
func rolloutStatusMessage(obj runtime.Object) (string, bool, error) {
	switch o := obj.(type) {
	case *appsv1.DaemonSet:
		return daemonSetRolloutMessage(o)
	case *appsv1.StatefulSet:
		return statefulSetRolloutMessage(o)
	}
	return rolloutMessage(obj.(*appsv1.Deployment))
}

// rolloutStatus prints the rollout's state now and after every change to
// the object, until it is done, as kubectl's watch does.
func (s *Session) rolloutStatus(obj runtime.Object, timeout time.Duration) error {
	var failure error
	done := false
	report := func(obj runtime.Object) {
		msg, ok, err := rolloutStatusMessage(obj)
		if err != nil {
			failure = err
			return
		}
		fmt.Fprint(s.Out, msg)
		done = ok
	}
	report(obj)
	if done || failure != nil {
		return failure
	}
	if d, ok := obj.(*appsv1.Deployment); ok && d.Spec.Paused {
		// kubectl would wait here until someone resumes the rollout; a
		// script cannot, so say so instead of waiting for nothing.
		return errorf("deployment %q is paused: kubectl would wait here until it is resumed (kubectl rollout resume deployment/%s)", d.Name, d.Name)
	}
	key := apiserver.KeyOf(obj)
	stop := s.C.Watch(func(ev store.Event) {
		if ev.Key == key && !done && failure == nil && ev.Type != watch.Deleted {
			report(ev.Object)
		}
	})
	defer stop()
	limit := timeout
	if limit == 0 {
		limit = rolloutLimit
	}
	s.runUntil(limit, func() bool { return done || failure != nil })
	if failure != nil {
		return failure
	}
	if !done && s.Stopped != nil && s.Stopped() {
		// Stopped by the learner (^C, or a line typed after it): ended
		// quietly with 130, as kubectl after ^C, not timed out.
		return errStopped
	}
	if !done {
		return fmt.Errorf("timed out waiting for the condition")
	}
	return nil
}

// history is a deployment's ReplicaSets by revision.
func (s *Session) history(d *appsv1.Deployment) []*appsv1.ReplicaSet {
	rsRes, _ := apiserver.ResourceFor("replicasets")
	var out []*appsv1.ReplicaSet
	for _, o := range s.C.ByIndex(rsRes, controller.IndexOwner, string(d.UID)) {
		out = append(out, o.(*appsv1.ReplicaSet))
	}
	sort.Slice(out, func(i, j int) bool { return revision(out[i]) < revision(out[j]) })
	return out
}

func revision(rs *appsv1.ReplicaSet) int64 {
	v, _ := strconv.ParseInt(rs.Annotations[controller.RevisionAnnotation], 10, 64)
	return v
}

func (s *Session) rolloutHistory(d *appsv1.Deployment, rev int64) error {
	hist := s.history(d)
	if rev > 0 {
		for _, rs := range hist {
			if revision(rs) == rev {
				fmt.Fprintf(s.Out, "deployment.apps/%s with revision #%d\n", d.Name, rev)
				return s.printTemplate(rs)
			}
		}
		return fmt.Errorf("unable to find the specified revision")
	}
	if len(hist) == 0 {
		fmt.Fprintf(s.Out, "No rollout history found in deployment %q\n", d.Name)
		return nil
	}
	rows := make([]historyRow, len(hist))
	for i, rs := range hist {
		rows[i] = historyRow{revision(rs), rs.Annotations}
	}
	s.printHistory("deployment.apps/"+d.Name, rows)
	return nil
}

// historyRow is one revision: its number and the annotations its
// change-cause is read from.
type historyRow struct {
	revision    int64
	annotations map[string]string
}

// printHistory is kubectl's history overview: the object, then REVISION
// CHANGE-CAUSE in revision order.
func (s *Session) printHistory(kindName string, rows []historyRow) {
	fmt.Fprintf(s.Out, "%s \n", kindName)
	tw := tabwriter.NewWriter(s.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REVISION\tCHANGE-CAUSE")
	for _, r := range rows {
		cause := r.annotations[controller.ChangeCauseAnnotation]
		if cause == "" {
			cause = "<none>"
		}
		fmt.Fprintf(tw, "%d\t%s\n", r.revision, cause)
	}
	tw.Flush()
	fmt.Fprintln(s.Out)
}

// printTemplate prints a revision's pod template the way describe does.
func (s *Session) printTemplate(rs *appsv1.ReplicaSet) error {
	return s.printTemplateSpec(&rs.Spec.Template)
}

func (s *Session) printTemplateSpec(t *corev1.PodTemplateSpec) error {
	if err := printers.DescribeTemplate(s.Out, t); err != nil {
		return err
	}
	fmt.Fprintln(s.Out)
	return nil
}

// rolloutUndo is kubectl's client-side rollback: copy an old ReplicaSet's
// template into the deployment; the controller then makes that ReplicaSet
// the new one again, under the next revision number.
func (s *Session) rolloutUndo(d *appsv1.Deployment, to int64) error {
	hist := s.history(d)
	if len(hist) == 0 {
		return fmt.Errorf("no rollout history found for deployment %q", d.Name)
	}
	var old *appsv1.ReplicaSet
	if to == 0 {
		// The previous revision: the highest below the current one.
		if len(hist) < 2 {
			return fmt.Errorf("no rollout history found for deployment %q", d.Name)
		}
		old = hist[len(hist)-2]
		to = revision(old)
	} else {
		for _, rs := range hist {
			if revision(rs) == to {
				old = rs
			}
		}
		if old == nil {
			return fmt.Errorf("unable to find specified revision %d in history", to)
		}
	}
	tmpl := old.Spec.Template.DeepCopy()
	delete(tmpl.Labels, controller.PodTemplateHashLabel)
	if apiequality.Semantic.DeepEqual(tmpl, &d.Spec.Template) {
		fmt.Fprintf(s.Out, "deployment.apps/%s skipped rollback (current template already matches revision %d)\n", d.Name, to)
		return nil
	}
	err := s.update(target{resDeployments, d.Name}, func(obj runtime.Object) error {
		obj.(*appsv1.Deployment).Spec.Template = *tmpl
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "deployment.apps/%s rolled back\n", d.Name)
	return nil
}
