package present

import (
	"sort"
	"time"

	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// JobRow is a Job as the board draws it: completions m/n.
type JobRow struct {
	Name                   string
	Succeeded, Completions int32
	Active, Failed         int32
	// State is Complete, Failed, Suspended or Running.
	State string
}

// CronJobRow is a CronJob with its last and next run.
type CronJobRow struct {
	Name, Schedule string
	Suspended      bool
	Active         int
	// Last is how long ago the last Job was scheduled (0: never); Next is
	// how long until the next schedule (0 when suspended or unknown).
	Last, Next time.Duration
	HasLast    bool
}

// BatchRows presents the Jobs (those of a CronJob too) and CronJobs at
// instant now, by name.
func BatchRows(jobs []*batchv1.Job, cjs []*batchv1.CronJob, now time.Time) ([]JobRow, []CronJobRow) {
	var jr []JobRow
	for _, j := range jobs {
		r := JobRow{Name: j.Name, Succeeded: j.Status.Succeeded, Active: j.Status.Active, Failed: j.Status.Failed, Completions: 1, State: "Running"}
		if j.Spec.Completions != nil {
			r.Completions = *j.Spec.Completions
		}
		for _, c := range j.Status.Conditions {
			if c.Status != corev1.ConditionTrue {
				continue
			}
			switch c.Type {
			case batchv1.JobComplete, batchv1.JobFailed, batchv1.JobSuspended:
				r.State = string(c.Type)
			}
		}
		jr = append(jr, r)
	}
	sort.Slice(jr, func(a, b int) bool { return jr[a].Name < jr[b].Name })
	var cr []CronJobRow
	for _, cj := range cjs {
		r := CronJobRow{Name: cj.Name, Schedule: cj.Spec.Schedule, Active: len(cj.Status.Active),
			Suspended: cj.Spec.Suspend != nil && *cj.Spec.Suspend}
		if t := cj.Status.LastScheduleTime; t != nil {
			r.Last, r.HasLast = now.Sub(t.Time), true
		}
		spec := cj.Spec.Schedule
		if cj.Spec.TimeZone != nil {
			spec = "TZ=" + *cj.Spec.TimeZone + " " + spec
		}
		if s, err := cron.ParseStandard(spec); err == nil && !r.Suspended {
			r.Next = s.Next(now).Sub(now)
		}
		cr = append(cr, r)
	}
	sort.Slice(cr, func(a, b int) bool { return cr[a].Name < cr[b].Name })
	return jr, cr
}
