package kubectl

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/controller"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// daemonSetRolloutMessage is kubectl's DaemonSetStatusViewer.
func daemonSetRolloutMessage(ds *appsv1.DaemonSet) (string, bool, error) {
	if ds.Spec.UpdateStrategy.Type != appsv1.RollingUpdateDaemonSetStrategyType {
		return "", true, fmt.Errorf("rollout status is only available for %s strategy type", appsv1.RollingUpdateDaemonSetStrategyType)
	}
	if ds.Generation > ds.Status.ObservedGeneration {
		return "Waiting for daemon set spec update to be observed...\n", false, nil
	}
	st := ds.Status
	switch {
	case st.UpdatedNumberScheduled < st.DesiredNumberScheduled:
		return fmt.Sprintf("Waiting for daemon set %q rollout to finish: %d out of %d new pods have been updated...\n", ds.Name, st.UpdatedNumberScheduled, st.DesiredNumberScheduled), false, nil
	case st.NumberAvailable < st.DesiredNumberScheduled:
		return fmt.Sprintf("Waiting for daemon set %q rollout to finish: %d of %d updated pods are available...\n", ds.Name, st.NumberAvailable, st.DesiredNumberScheduled), false, nil
	}
	return fmt.Sprintf("daemon set %q successfully rolled out\n", ds.Name), true, nil
}

// ownedRevisions are the ControllerRevisions of a DaemonSet or a
// StatefulSet, oldest revision first.
func (s *Session) ownedRevisions(owner metav1.Object) []*appsv1.ControllerRevision {
	res, _ := apiserver.ResourceFor("controllerrevisions")
	var out []*appsv1.ControllerRevision
	for _, o := range s.C.ByIndex(res, controller.IndexOwner, string(owner.GetUID())) {
		out = append(out, o.(*appsv1.ControllerRevision))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Revision < out[j].Revision })
	return out
}

// revisionTemplate is the pod template a DaemonSet's or StatefulSet's
// revision puts back (its data is a patch that replaces spec.template
// whole).
func revisionTemplate(cr *appsv1.ControllerRevision) (*corev1.PodTemplateSpec, error) {
	var patch struct {
		Spec struct {
			Template corev1.PodTemplateSpec `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(cr.Data.Raw, &patch); err != nil {
		return nil, err
	}
	return &patch.Spec.Template, nil
}

// templateOf is the pod template of a workload that keeps one.
func templateOf(obj runtime.Object) *corev1.PodTemplateSpec {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		return &o.Spec.Template
	case *appsv1.DaemonSet:
		return &o.Spec.Template
	case *appsv1.StatefulSet:
		return &o.Spec.Template
	}
	return nil
}

// revisionHistory is kubectl's DaemonSetHistoryViewer and
// StatefulSetHistoryViewer (one printHistory over ControllerRevisions).
func (s *Session) revisionHistory(obj runtime.Object, rev int64) error {
	m, _ := meta.Accessor(obj)
	res, _ := apiserver.ResourceOf(obj)
	kindName := res.KindName(m.GetName())
	hist := s.ownedRevisions(m)
	if len(hist) == 0 {
		fmt.Fprintf(s.Out, "%s \nNo rollout history found.\n", kindName)
		return nil
	}
	if rev > 0 {
		for _, cr := range hist {
			if cr.Revision == rev {
				t, err := revisionTemplate(cr)
				if err != nil {
					return err
				}
				fmt.Fprintf(s.Out, "%s with revision #%d\n", kindName, rev)
				return s.printTemplateSpec(t)
			}
		}
		return fmt.Errorf("unable to find the specified revision")
	}
	rows := make([]historyRow, len(hist))
	for i, cr := range hist {
		rows[i] = historyRow{cr.Revision, cr.Annotations}
	}
	s.printHistory(kindName, rows)
	return nil
}

// revisionUndo is kubectl's DaemonSetRollbacker and
// StatefulSetRollbacker: put the template of the revision before the
// newest (or --to-revision's) back; the controller then gives that
// revision the next number.
func (s *Session) revisionUndo(obj runtime.Object, to int64) error {
	m, _ := meta.Accessor(obj)
	res, _ := apiserver.ResourceOf(obj)
	kindName := res.KindName(m.GetName())
	if to < 0 {
		return fmt.Errorf("unable to find specified revision %d in history", to)
	}
	hist := s.ownedRevisions(m)
	if to == 0 && len(hist) <= 1 {
		return fmt.Errorf("no last revision to roll back to")
	}
	var old *appsv1.ControllerRevision
	if to == 0 {
		old = hist[len(hist)-2]
		to = old.Revision
	} else {
		for _, cr := range hist {
			if cr.Revision == to {
				old = cr
			}
		}
	}
	if old == nil {
		return fmt.Errorf("unable to find specified revision %d in history", to)
	}
	tmpl, err := revisionTemplate(old)
	if err != nil {
		return err
	}
	if apiequality.Semantic.DeepEqual(tmpl, templateOf(obj)) {
		fmt.Fprintf(s.Out, "%s skipped rollback (current template already matches revision %d)\n", kindName, to)
		return nil
	}
	err = s.update(target{res, m.GetName()}, func(obj runtime.Object) error {
		*templateOf(obj) = *tmpl
		return nil
	})
	if err != nil {
		return fmt.Errorf("failed restoring revision %d: %v", to, err)
	}
	fmt.Fprintf(s.Out, "%s rolled back\n", kindName)
	return nil
}
