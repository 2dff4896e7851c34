package printers

import (
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/duration"
)

// job is kubectl's describeJob.
func (d *describer) job(j *batchv1.Job) {
	d.write(level0, "Name:\t%s\n", j.Name)
	d.write(level0, "Namespace:\t%s\n", j.Namespace)
	d.selector(j.Spec.Selector)
	d.labels("", "Labels", j.Labels)
	d.annotations("Annotations", j.Annotations)
	if c := controlledBy(j); c != "" {
		d.write(level0, "Controlled By:\t%s\n", c)
	}
	if j.Spec.Parallelism != nil {
		d.write(level0, "Parallelism:\t%d\n", *j.Spec.Parallelism)
	}
	if j.Spec.Completions != nil {
		d.write(level0, "Completions:\t%d\n", *j.Spec.Completions)
	} else {
		d.write(level0, "Completions:\t<unset>\n")
	}
	if j.Spec.CompletionMode != nil {
		d.write(level0, "Completion Mode:\t%s\n", *j.Spec.CompletionMode)
	}
	if j.Spec.Suspend != nil {
		d.write(level0, "Suspend:\t%v\n", *j.Spec.Suspend)
	}
	if j.Spec.BackoffLimit != nil {
		d.write(level0, "Backoff Limit:\t%v\n", *j.Spec.BackoffLimit)
	}
	if j.Spec.TTLSecondsAfterFinished != nil {
		d.write(level0, "TTL Seconds After Finished:\t%v\n", *j.Spec.TTLSecondsAfterFinished)
	}
	st := j.Status
	if st.StartTime != nil {
		d.write(level0, "Start Time:\t%s\n", st.StartTime.Format(rfc1123z))
	}
	if st.CompletionTime != nil {
		d.write(level0, "Completed At:\t%s\n", st.CompletionTime.Format(rfc1123z))
	}
	if st.StartTime != nil && st.CompletionTime != nil {
		d.write(level0, "Duration:\t%s\n", duration.HumanDuration(st.CompletionTime.Sub(st.StartTime.Time)))
	}
	if j.Spec.ActiveDeadlineSeconds != nil {
		d.write(level0, "Active Deadline Seconds:\t%ds\n", *j.Spec.ActiveDeadlineSeconds)
	}
	if st.Ready == nil {
		d.write(level0, "Pods Statuses:\t%d Active / %d Succeeded / %d Failed\n", st.Active, st.Succeeded, st.Failed)
	} else {
		d.write(level0, "Pods Statuses:\t%d Active (%d Ready) / %d Succeeded / %d Failed\n", st.Active, *st.Ready, st.Succeeded, st.Failed)
	}
	if j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == batchv1.IndexedCompletion {
		d.write(level0, "Completed Indexes:\t%s\n", capIndexes(st.CompletedIndexes, 50))
	}
	d.podTemplate(&j.Spec.Template)
	d.events()
}

// capIndexes is kubectl's capIndexesListOrNone: the list up to the first
// comma at or after softLimit characters, then "..." ("0-3,5,7,...").
func capIndexes(list string, softLimit int) string {
	if list == "" {
		return "<none>"
	}
	ix := softLimit
	for ix < len(list) && list[ix] != ',' {
		ix++
	}
	if ix >= len(list) {
		return list
	}
	return list[:ix+1] + "..."
}

// selector writes kubectl's Selector line for a Job's selector.
func (d *describer) selector(sel *metav1.LabelSelector) {
	if s, err := metav1.LabelSelectorAsSelector(sel); err == nil {
		d.write(level0, "Selector:\t%s\n", s)
	} else {
		d.write(level0, "Selector:\tFailed to get selector: %s\n", err)
	}
}

// cronJob is kubectl's describeCronJob.
func (d *describer) cronJob(cj *batchv1.CronJob) {
	d.write(level0, "Name:\t%s\n", cj.Name)
	d.write(level0, "Namespace:\t%s\n", cj.Namespace)
	d.labels("", "Labels", cj.Labels)
	d.annotations("Annotations", cj.Annotations)
	d.write(level0, "Schedule:\t%s\n", cj.Spec.Schedule)
	d.write(level0, "Concurrency Policy:\t%s\n", cj.Spec.ConcurrencyPolicy)
	d.write(level0, "Suspend:\t%s\n", boolPtr(cj.Spec.Suspend))
	d.optional("Successful Job History Limit:\t%d\n", cj.Spec.SuccessfulJobsHistoryLimit)
	d.optional("Failed Job History Limit:\t%d\n", cj.Spec.FailedJobsHistoryLimit)
	if s := cj.Spec.StartingDeadlineSeconds; s != nil {
		d.write(level0, "Starting Deadline Seconds:\t%ds\n", *s)
	} else {
		d.write(level0, "Starting Deadline Seconds:\t<unset>\n")
	}
	t := cj.Spec.JobTemplate.Spec
	if t.Selector != nil {
		d.selector(t.Selector)
	} else {
		d.write(level0, "Selector:\t<unset>\n")
	}
	d.optional("Parallelism:\t%d\n", t.Parallelism)
	d.optional("Completions:\t%d\n", t.Completions)
	if t.ActiveDeadlineSeconds != nil {
		d.write(level0, "Active Deadline Seconds:\t%ds\n", *t.ActiveDeadlineSeconds)
	}
	d.podTemplate(&t.Template)
	if cj.Status.LastScheduleTime != nil {
		d.write(level0, "Last Schedule Time:\t%s\n", cj.Status.LastScheduleTime.Format(rfc1123z))
	} else {
		d.write(level0, "Last Schedule Time:\t<unset>\n")
	}
	names := make([]string, len(cj.Status.Active))
	for i, r := range cj.Status.Active {
		names[i] = r.Name
	}
	if len(names) == 0 {
		d.write(level0, "Active Jobs:\t<none>\n")
	} else {
		d.write(level0, "Active Jobs:\t%s\n", strings.Join(names, ", "))
	}
	d.events()
}

// optional writes a line with *v, or with <unset> in place of the number.
func (d *describer) optional(format string, v *int32) {
	if v != nil {
		d.write(level0, format, *v)
		return
	}
	d.write(level0, strings.Replace(format, "%d", "<unset>", 1))
}
