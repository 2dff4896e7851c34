package controller

import (
	"fmt"
	"sort"
	"time"
	_ "time/tzdata" // a CronJob's timeZone loads alike on every machine

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

// cronJobController is the name the CronJob controller signs its events
// with (cronjob_controllerv2).
const cronJobController = "cronjob-controller"

// CronJobScheduledTimestampAnnotation is the time a CronJob's Job was
// scheduled for, on the Job.
const CronJobScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"

// nextScheduleDelta is what upstream adds to the wait for the next
// schedule, so that the sync lands just after it.
const nextScheduleDelta = 100 * time.Millisecond

var resCronJobs, _ = apiserver.ResourceFor("cronjobs")

type cronJobs struct {
	m *Manager
	q Queue
	// saw are the finished Jobs each CronJob has said it saw, so that a
	// sync that runs again before its status write lands says it once.
	saw map[Key]map[string]bool
}

// installCronJobs registers the CronJob controller: a CronJob's own
// changes and those of the Jobs it owns concern it.
func installCronJobs(m *Manager) {
	c := &cronJobs{m: m, saw: map[Key]map[string]bool{}}
	c.q = m.Register(Controller{Name: cronJobController, Order: 55, Reconciler: c, Watches: []Watch{
		{Object: &batchv1.CronJob{}, Keys: ownKey},
		{Object: &batchv1.Job{}, Filter: ownedByCronJob, Keys: cronJobOfJob},
	}})
}

func ownedByCronJob(ev store.Event) (string, bool) {
	ref := metav1.GetControllerOfNoCopy(ev.Object.(*batchv1.Job))
	return "", ref != nil && ref.Kind == "CronJob"
}

func cronJobOfJob(ev store.Event) []Key {
	j := ev.Object.(*batchv1.Job)
	return []Key{{Namespace: j.Namespace, Name: metav1.GetControllerOfNoCopy(j).Name}}
}

// Reconcile is cronjob_controllerv2's sync: the Jobs it owns, the Job of
// the latest schedule missed, and the history limits.
func (c *cronJobs) Reconcile(key Key) Result {
	obj, err := c.m.api.Get(resCronJobs, key.Namespace, key.Name)
	if err != nil {
		delete(c.saw, key)
		return Result{}
	}
	cj := obj.(*batchv1.CronJob)
	now := c.m.k.Now()
	st := cj.Status.DeepCopy()
	var jobs []*batchv1.Job
	children := map[string]bool{}
	saw := c.saw[key]
	if saw == nil {
		saw = map[string]bool{}
		c.saw[key] = saw
	}
	for _, o := range c.m.st.ByIndex(apiserver.PrefixOf(resJobs), IndexOwner, string(cj.UID)) {
		j := o.(*batchv1.Job)
		jobs = append(jobs, j)
		children[string(j.UID)] = true
		_, finished := JobFinishedAt(j)
		active := inActive(st, j)
		switch {
		case !active && !finished && j.DeletionTimestamp == nil && j.Annotations[CronJobScheduledTimestampAnnotation] != "":
			// A Job of a schedule this controller created; its status
			// update lags the Job (upstream adds it in the same sync).
			st.Active = append(st.Active, jobRef(j))
		case !active && !finished && j.DeletionTimestamp == nil:
			// Upstream warns of an unfinished Job it did not create (one
			// `kubectl create job --from=cronjob/NAME` made) and leaves it
			// out of its active list, on every sync.
			c.m.api.Record(cj, corev1.EventTypeWarning, "UnexpectedJob", cronJobController,
				"Saw a job that the controller did not create or forgot: "+j.Name)
		case active && finished:
			st.Active = withoutRef(st.Active, string(j.UID))
			if saw[string(j.UID)] {
				break
			}
			saw[string(j.UID)] = true
			c.m.api.Record(cj, corev1.EventTypeNormal, "SawCompletedJob", cronJobController,
				fmt.Sprintf("Saw completed job: %s, status: %s", j.Name, finishedType(j)))
		}
		if jobCondition(j, batchv1.JobComplete) != nil && j.Status.CompletionTime != nil &&
			(st.LastSuccessfulTime == nil || j.Status.CompletionTime.After(st.LastSuccessfulTime.Time)) {
			st.LastSuccessfulTime = j.Status.CompletionTime.DeepCopy()
		}
	}
	for uid := range saw {
		if !children[uid] {
			delete(saw, uid)
		}
	}
	for _, ref := range st.Active {
		if !children[string(ref.UID)] {
			st.Active = withoutRef(st.Active, string(ref.UID))
			c.m.api.Record(cj, corev1.EventTypeNormal, "MissingJob", cronJobController, "Active job went missing: "+ref.Name)
		}
	}
	if cj.DeletionTimestamp != nil {
		return Result{}
	}
	res, why := c.schedule(cj, st, now)
	c.cleanup(cj, jobs)
	if !equalCronJobStatus(&cj.Status, st) {
		updated := *cj
		updated.Status = *st
		updated.ResourceVersion = ""
		if why == "" {
			why = fmt.Sprintf("status: %d active", len(st.Active))
		}
		c.m.submit(apiserver.Request{Verb: sim.VerbUpdateStatus, Object: &updated, Why: why})
	}
	return res
}

// schedule starts the Job of the most recent schedule not yet met, as the
// concurrency policy allows, and says when to look again.
func (c *cronJobs) schedule(cj *batchv1.CronJob, st *batchv1.CronJobStatus, now time.Time) (Result, string) {
	sched, err := cronSchedule(cj)
	if err != nil {
		c.m.api.Record(cj, corev1.EventTypeWarning, "UnparseableSchedule", cronJobController,
			fmt.Sprintf("unparseable schedule: %q : %s", cj.Spec.Schedule, err))
		return Result{}, ""
	}
	next := func(string) Result {
		at := sched.Next(now)
		return Result{RequeueAfter: at.Sub(now) + nextScheduleDelta, Why: fmt.Sprintf("cronjob %s: next schedule %s", cj.Name, at.UTC().Format(time.RFC3339))}
	}
	if ptr.Deref(cj.Spec.Suspend, false) {
		return Result{}, ""
	}
	scheduled, missed := mostRecentSchedule(cj, sched, now)
	if missed > 100 {
		c.m.api.Record(cj, corev1.EventTypeWarning, "TooManyMissedTimes", cronJobController,
			"too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew")
	}
	if scheduled.IsZero() {
		return next("no schedule missed"), ""
	}
	if sds := cj.Spec.StartingDeadlineSeconds; sds != nil && scheduled.Add(time.Duration(*sds)*time.Second).Before(now) {
		c.m.api.Record(cj, corev1.EventTypeWarning, "MissSchedule", cronJobController,
			"Missed scheduled time to start a job: "+scheduled.UTC().Format(time.RFC1123Z))
		return next("missed its startingDeadlineSeconds"), ""
	}
	name := fmt.Sprintf("%s-%d", cj.Name, scheduled.Unix()/60)
	if st.LastScheduleTime != nil && st.LastScheduleTime.Time.Equal(scheduled) {
		return next("already started"), ""
	}
	for _, ref := range st.Active {
		if ref.Name == name {
			return next("already started"), ""
		}
	}
	switch {
	case cj.Spec.ConcurrencyPolicy == batchv1.ForbidConcurrent && len(st.Active) > 0:
		c.m.api.Record(cj, corev1.EventTypeNormal, "JobAlreadyActive", cronJobController,
			"Not starting job because prior execution is running and concurrency policy is Forbid")
		return next("concurrencyPolicy Forbid, a job is running"), ""
	case cj.Spec.ConcurrencyPolicy == batchv1.ReplaceConcurrent:
		for _, ref := range st.Active {
			c.deleteJob(cj, ref.Name, "concurrencyPolicy Replace → delete the running job "+ref.Name)
		}
		st.Active = nil
	}
	job := jobFromTemplate(cj, name, scheduled)
	why := fmt.Sprintf("schedule %q: %s is due → create job %s", cj.Spec.Schedule, scheduled.UTC().Format("15:04"), name)
	c.m.submit(apiserver.Request{Verb: sim.VerbCreate, Object: job, Why: why, Done: func(_ runtime.Object, err error) {
		if err != nil {
			c.m.api.Record(cj, corev1.EventTypeWarning, "FailedCreate", cronJobController, "Error creating job: "+err.Error())
			return
		}
		c.m.api.Record(cj, corev1.EventTypeNormal, "SuccessfulCreate", cronJobController, "Created job "+name)
	}})
	st.LastScheduleTime = &metav1.Time{Time: scheduled}
	return next("started " + name), fmt.Sprintf("lastScheduleTime %s", scheduled.UTC().Format(time.RFC3339))
}

// cronSchedule parses the schedule in the CronJob's time zone.
func cronSchedule(cj *batchv1.CronJob) (cron.Schedule, error) {
	s := cj.Spec.Schedule
	if cj.Spec.TimeZone != nil {
		s = "TZ=" + *cj.Spec.TimeZone + " " + s
	}
	return cron.ParseStandard(s)
}

// mostRecentSchedule is the latest schedule at or before now and after the
// last one started (or the CronJob's creation), within the starting
// deadline; zero when there is none. missed counts the schedules passed.
func mostRecentSchedule(cj *batchv1.CronJob, sched cron.Schedule, now time.Time) (time.Time, int) {
	earliest := cj.CreationTimestamp.Time
	if cj.Status.LastScheduleTime != nil {
		earliest = cj.Status.LastScheduleTime.Time
	}
	if sds := cj.Spec.StartingDeadlineSeconds; sds != nil {
		if t := now.Add(-time.Duration(*sds) * time.Second); t.After(earliest) {
			earliest = t
		}
	}
	var last time.Time
	missed := 0
	for t := sched.Next(earliest); !t.After(now); t = sched.Next(t) {
		last = t
		if missed++; missed > 100 {
			// Upstream stops counting here; the latest is found below.
			break
		}
	}
	if missed > 100 {
		for t := sched.Next(now.Add(-2 * time.Hour)); !t.After(now); t = sched.Next(t) {
			last = t
		}
	}
	return last, missed
}

// jobFromTemplate is upstream's getJobFromTemplate2.
func jobFromTemplate(cj *batchv1.CronJob, name string, scheduled time.Time) *batchv1.Job {
	t := cj.Spec.JobTemplate
	ann := copyMap(t.Annotations)
	if ann == nil {
		ann = map[string]string{}
	}
	loc := time.UTC
	if cj.Spec.TimeZone != nil {
		if l, err := time.LoadLocation(*cj.Spec.TimeZone); err == nil {
			loc = l
		}
	}
	ann[CronJobScheduledTimestampAnnotation] = scheduled.In(loc).Format(time.RFC3339)
	return &batchv1.Job{
		TypeMeta: metav1.TypeMeta{Kind: "Job", APIVersion: "batch/v1"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: cj.Namespace, Labels: copyMap(t.Labels), Annotations: ann,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))}},
		Spec: *t.Spec.DeepCopy(),
	}
}

// cleanup deletes the oldest finished Jobs beyond the history limits.
func (c *cronJobs) cleanup(cj *batchv1.CronJob, jobs []*batchv1.Job) {
	var ok, failed []*batchv1.Job
	for _, j := range jobs {
		switch {
		case j.DeletionTimestamp != nil:
		case jobCondition(j, batchv1.JobComplete) != nil:
			ok = append(ok, j)
		case jobCondition(j, batchv1.JobFailed) != nil:
			failed = append(failed, j)
		}
	}
	for _, h := range []struct {
		jobs  []*batchv1.Job
		limit *int32
		kind  string
	}{{ok, cj.Spec.SuccessfulJobsHistoryLimit, "successful"}, {failed, cj.Spec.FailedJobsHistoryLimit, "failed"}} {
		if h.limit == nil || len(h.jobs) <= int(*h.limit) {
			continue
		}
		sort.Slice(h.jobs, func(a, b int) bool {
			return jobStarted(h.jobs[a]).Before(jobStarted(h.jobs[b])) ||
				jobStarted(h.jobs[a]).Equal(jobStarted(h.jobs[b])) && h.jobs[a].Name < h.jobs[b].Name
		})
		for _, j := range h.jobs[:len(h.jobs)-int(*h.limit)] {
			c.deleteJob(cj, j.Name, fmt.Sprintf("%d %s jobs, %sJobsHistoryLimit %d → delete the oldest", len(h.jobs), h.kind, h.kind, *h.limit))
		}
	}
}

func jobStarted(j *batchv1.Job) time.Time {
	if j.Status.StartTime != nil {
		return j.Status.StartTime.Time
	}
	return j.CreationTimestamp.Time
}

// deleteJob deletes a Job in the background: the garbage collector then
// deletes its pods.
func (c *cronJobs) deleteJob(cj *batchv1.CronJob, name, why string) {
	c.m.submit(apiserver.Request{Verb: sim.VerbDelete, Resource: resJobs, Namespace: cj.Namespace, Name: name, Why: why,
		Done: func(_ runtime.Object, err error) {
			if err == nil {
				c.m.api.Record(cj, corev1.EventTypeNormal, "SuccessfulDelete", cronJobController, "Deleted job "+name)
			}
		}})
}

func inActive(st *batchv1.CronJobStatus, j *batchv1.Job) bool {
	for _, r := range st.Active {
		if r.UID == j.UID {
			return true
		}
	}
	return false
}

func withoutRef(refs []corev1.ObjectReference, uid string) []corev1.ObjectReference {
	out := refs[:0:0]
	for _, r := range refs {
		if string(r.UID) != uid {
			out = append(out, r)
		}
	}
	return out
}

func jobRef(j *batchv1.Job) corev1.ObjectReference {
	return corev1.ObjectReference{Kind: "Job", Namespace: j.Namespace, Name: j.Name, UID: j.UID,
		APIVersion: "batch/v1", ResourceVersion: j.ResourceVersion}
}

func finishedType(j *batchv1.Job) batchv1.JobConditionType {
	if jobCondition(j, batchv1.JobFailed) != nil {
		return batchv1.JobFailed
	}
	return batchv1.JobComplete
}

func equalCronJobStatus(a, b *batchv1.CronJobStatus) bool {
	if len(a.Active) != len(b.Active) || !a.LastScheduleTime.Equal(b.LastScheduleTime) || !a.LastSuccessfulTime.Equal(b.LastSuccessfulTime) {
		return false
	}
	for i := range a.Active {
		if a.Active[i].UID != b.Active[i].UID {
			return false
		}
	}
	return true
}
