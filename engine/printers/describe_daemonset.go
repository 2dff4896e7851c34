package printers

import (
	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// daemonSet is kubectl's describeDaemonSet. Its five counts are written
// without a tab, so they stand outside the aligned column, as kubectl's do.
func (d *describer) daemonSet(ds *appsv1.DaemonSet) {
	selector := "<invalid>"
	if sel, err := metav1.LabelSelectorAsSelector(ds.Spec.Selector); err == nil {
		selector = sel.String()
	}
	st := ds.Status
	d.write(level0, "Name:\t%s\n", ds.Name)
	d.write(level0, "Namespace:\t%s\n", ds.Namespace)
	d.write(level0, "Selector:\t%s\n", selector)
	d.write(level0, "Node-Selector:\t%s\n", labels.FormatLabels(ds.Spec.Template.Spec.NodeSelector))
	d.labels("", "Labels", ds.Labels)
	d.annotations("Annotations", ds.Annotations)
	d.write(level0, "Desired Number of Nodes Scheduled: %d\n", st.DesiredNumberScheduled)
	d.write(level0, "Current Number of Nodes Scheduled: %d\n", st.CurrentNumberScheduled)
	d.write(level0, "Number of Nodes Scheduled with Up-to-date Pods: %d\n", st.UpdatedNumberScheduled)
	d.write(level0, "Number of Nodes Scheduled with Available Pods: %d\n", st.NumberAvailable)
	d.write(level0, "Number of Nodes Misscheduled: %d\n", st.NumberMisscheduled)
	d.write(level0, "Pods Status:\t%s\n", d.podPhaseCounts())
	d.podTemplate(&ds.Spec.Template)
	d.events()
}
