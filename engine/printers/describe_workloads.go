package printers

import (
	"fmt"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// podPhaseCounts is getPodStatusForController over ctx.Pods.
func (d *describer) podPhaseCounts() string {
	var running, waiting, succeeded, failed int
	for _, p := range d.ctx.Pods {
		switch p.Status.Phase {
		case corev1.PodRunning:
			running++
		case corev1.PodPending:
			waiting++
		case corev1.PodSucceeded:
			succeeded++
		case corev1.PodFailed:
			failed++
		}
	}
	return fmt.Sprintf("%d Running / %d Waiting / %d Succeeded / %d Failed", running, waiting, succeeded, failed)
}

func (d *describer) replicaSet(rs *appsv1.ReplicaSet) {
	d.write(level0, "Name:\t%s\n", rs.Name)
	d.write(level0, "Namespace:\t%s\n", rs.Namespace)
	d.write(level0, "Selector:\t%s\n", metav1.FormatLabelSelector(rs.Spec.Selector))
	d.labels("", "Labels", rs.Labels)
	d.annotations("Annotations", rs.Annotations)
	if c := controlledBy(rs); c != "" {
		d.write(level0, "Controlled By:\t%s\n", c)
	}
	d.write(level0, "Replicas:\t%d current / %d desired\n", rs.Status.Replicas, deref32(rs.Spec.Replicas))
	d.write(level0, "Pods Status:\t%s\n", d.podPhaseCounts())
	d.podTemplate(&rs.Spec.Template)
	var conds [][3]string
	for _, c := range rs.Status.Conditions {
		conds = append(conds, [3]string{string(c.Type), string(c.Status), c.Reason})
	}
	d.conditionsTable(conds)
	d.events()
}

func (d *describer) deployment(dep *appsv1.Deployment) {
	selector := "<invalid>"
	if sel, err := metav1.LabelSelectorAsSelector(dep.Spec.Selector); err == nil {
		selector = sel.String()
	}
	d.write(level0, "Name:\t%s\n", dep.Name)
	d.write(level0, "Namespace:\t%s\n", dep.Namespace)
	d.write(level0, "CreationTimestamp:\t%s\n", dep.CreationTimestamp.Format(rfc1123z))
	d.labels("", "Labels", dep.Labels)
	d.annotations("Annotations", dep.Annotations)
	d.write(level0, "Selector:\t%s\n", selector)
	st := dep.Status
	d.write(level0, "Replicas:\t%d desired | %d updated | %d total | %d available | %d unavailable\n",
		deref32(dep.Spec.Replicas), st.UpdatedReplicas, st.Replicas, st.AvailableReplicas, st.UnavailableReplicas)
	d.write(level0, "StrategyType:\t%s\n", dep.Spec.Strategy.Type)
	d.write(level0, "MinReadySeconds:\t%d\n", dep.Spec.MinReadySeconds)
	if ru := dep.Spec.Strategy.RollingUpdate; ru != nil {
		d.write(level0, "RollingUpdateStrategy:\t%s max unavailable, %s max surge\n",
			intOrStringText(ru.MaxUnavailable), intOrStringText(ru.MaxSurge))
	}
	d.podTemplate(&dep.Spec.Template)
	var conds [][3]string
	for _, c := range st.Conditions {
		conds = append(conds, [3]string{string(c.Type), string(c.Status), c.Reason})
	}
	d.conditionsTable(conds)
	oldRSs, newRS := splitReplicaSets(dep, d.ctx.ReplicaSets)
	if len(oldRSs) > 0 || newRS != nil {
		var newRSs []*appsv1.ReplicaSet
		if newRS != nil {
			newRSs = append(newRSs, newRS)
		}
		d.write(level0, "OldReplicaSets:\t%s\n", replicaSetsSummary(oldRSs))
		d.write(level0, "NewReplicaSet:\t%s\n", replicaSetsSummary(newRSs))
	}
	d.events()
}

// splitReplicaSets is deploymentutil's findNewReplicaSet and
// findOldReplicaSets: the oldest ReplicaSet whose template equals the
// deployment's (ignoring pod-template-hash) is new, all others are old,
// in order of creation.
func splitReplicaSets(dep *appsv1.Deployment, all []appsv1.ReplicaSet) (old []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) {
	rss := make([]*appsv1.ReplicaSet, len(all))
	for i := range all {
		rss[i] = &all[i]
	}
	sort.SliceStable(rss, func(i, j int) bool {
		a, b := rss[i], rss[j]
		if a.CreationTimestamp.Equal(&b.CreationTimestamp) {
			return a.Name < b.Name
		}
		return a.CreationTimestamp.Before(&b.CreationTimestamp)
	})
	for _, rs := range rss {
		if newRS == nil && equalIgnoreHash(&rs.Spec.Template, &dep.Spec.Template) {
			newRS = rs
			continue
		}
		old = append(old, rs)
	}
	return old, newRS
}

func equalIgnoreHash(a, b *corev1.PodTemplateSpec) bool {
	a, b = a.DeepCopy(), b.DeepCopy()
	delete(a.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	delete(b.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	return equality.Semantic.DeepEqual(a, b)
}

func replicaSetsSummary(rss []*appsv1.ReplicaSet) string {
	parts := make([]string, 0, len(rss))
	for _, rs := range rss {
		parts = append(parts, fmt.Sprintf("%s (%d/%d replicas created)", rs.Name, rs.Status.Replicas, deref32(rs.Spec.Replicas)))
	}
	if len(parts) == 0 {
		return "<none>"
	}
	return strings.Join(parts, ", ")
}
