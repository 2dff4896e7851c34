package controller

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// jobController is the name the Job controller signs its events with.
const jobController = "job-controller"

// Upstream's back-off before a Job replaces a failed pod: 10 s, doubled
// with each failure since the last success, at most six minutes (the
// documentation's "capped at six minutes").
const (
	jobBackoffBase = 10 * time.Second
	jobBackoffMax  = 6 * time.Minute
)

// JobCompletionIndexAnnotation is an Indexed Job pod's index
// (batch.kubernetes.io/job-completion-index), also a label of the pod.
const JobCompletionIndexAnnotation = batchv1.JobCompletionIndexAnnotation

var resJobs, _ = apiserver.ResourceFor("jobs")

type jobs struct {
	m      *Manager
	q      Queue
	expect expectationSet
}

// installJobs registers the Job controller: a Job's own changes and those
// of the pods it owns concern it.
func installJobs(m *Manager) {
	c := &jobs{m: m, expect: expectationSet{}}
	c.q = m.Register(Controller{Name: jobController, Order: 60, Reconciler: c, Watches: []Watch{
		{Object: &batchv1.Job{}, Keys: ownKey},
		{Object: &corev1.Pod{}, Filter: jobPodChanged, Keys: c.podKeys},
	}})
}

// jobPodChanged lets through the changes of pods a Job owns that matter
// to it.
func jobPodChanged(ev store.Event) (string, bool) {
	ref := metav1.GetControllerOfNoCopy(ev.Object.(*corev1.Pod))
	if ref == nil || ref.Kind != "Job" {
		return "", false
	}
	return podChanged(ev)
}

func (c *jobs) podKeys(ev store.Event) []Key {
	pod := ev.Object.(*corev1.Pod)
	ref := metav1.GetControllerOfNoCopy(pod)
	c.expect.observe(ev, ref.Name)
	return []Key{{Namespace: pod.Namespace, Name: ref.Name}}
}

// jobPods is what a sync counts of a Job's pods.
type jobPods struct {
	active              []*corev1.Pod
	succeeded, failed   int32
	ready, terminating  int32
	restarts            int32 // of active pods, for restartPolicy OnFailure
	succeededIdx        map[int]bool
	activeIdx           map[int]bool
	failuresSinceSucc   int // failed pods that finished after the last success
	lastFailure, lastOK time.Time
}

func (c *jobs) pods(j *batchv1.Job) jobPods {
	var p jobPods
	p.succeededIdx, p.activeIdx = map[int]bool{}, map[int]bool{}
	var failedAt []time.Time
	for _, o := range c.m.st.ByIndexAnyOrder(apiserver.PrefixOf(resPods), IndexOwner, string(j.UID)) {
		pod := o.(*corev1.Pod)
		idx := completionIndex(pod)
		switch {
		case pod.Status.Phase == corev1.PodSucceeded:
			if idx >= 0 {
				if p.succeededIdx[idx] {
					continue
				}
				p.succeededIdx[idx] = true
			}
			p.succeeded++
			if t := finishedAt(pod); t.After(p.lastOK) {
				p.lastOK = t
			}
		case pod.Status.Phase == corev1.PodFailed:
			p.failed++
			failedAt = append(failedAt, finishedAt(pod))
		case pod.DeletionTimestamp != nil:
			p.terminating++
		default:
			p.active = append(p.active, pod)
			if idx >= 0 {
				p.activeIdx[idx] = true
			}
			if podutilReady(pod) {
				p.ready++
			}
			p.restarts += restarts(pod)
		}
	}
	for _, t := range failedAt {
		if t.After(p.lastOK) {
			p.failuresSinceSucc++
			if t.After(p.lastFailure) {
				p.lastFailure = t
			}
		}
	}
	// The pods of the index table and the order of deletes are by name.
	sort.Slice(p.active, func(a, b int) bool { return p.active[a].Name < p.active[b].Name })
	return p
}

func completionIndex(pod *corev1.Pod) int {
	v, ok := pod.Annotations[JobCompletionIndexAnnotation]
	if !ok {
		return -1
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 {
		return -1
	}
	return i
}

// finishedAt is when a pod's last container ended (its creation when it
// never ran).
func finishedAt(pod *corev1.Pod) time.Time {
	var t time.Time
	for _, s := range pod.Status.ContainerStatuses {
		if s.State.Terminated != nil && s.State.Terminated.FinishedAt.After(t) {
			t = s.State.Terminated.FinishedAt.Time
		}
	}
	if t.IsZero() {
		if pod.DeletionTimestamp != nil {
			return pod.DeletionTimestamp.Time
		}
		return pod.CreationTimestamp.Time
	}
	return t
}

// Reconcile is the Job controller's syncJob.
func (c *jobs) Reconcile(key Key) Result {
	j, ok := liveOwner[*batchv1.Job](c.m, resJobs, key, c.expect)
	if !ok || jobFinished(j) {
		return Result{}
	}
	now := c.m.k.Now()
	p := c.pods(j)
	st := j.Status.DeepCopy()
	st.Active, st.Succeeded, st.Failed = int32(len(p.active)), p.succeeded, p.failed
	st.Ready, st.Terminating = ptr.To(p.ready), ptr.To(p.terminating)
	if st.UncountedTerminatedPods == nil {
		st.UncountedTerminatedPods = &batchv1.UncountedTerminatedPods{}
	}
	if isIndexed(j) {
		st.CompletedIndexes = formatIndexes(p.succeededIdx)
	}
	suspended := ptr.Deref(j.Spec.Suspend, false)
	var res Result
	why := ""

	completions := j.Spec.Completions
	backoffLimit := ptr.Deref(j.Spec.BackoffLimit, 6)
	complete := false
	if completions == nil {
		complete = p.succeeded > 0 && len(p.active) == 0
	} else {
		complete = p.succeeded >= *completions
	}

	// A finishing Job: FailureTarget or SuccessCriteriaMet came first (as
	// 1.31 adds them), then, once no pod of it is left running, the
	// terminal condition.
	if target := jobCondition(j, batchv1.JobFailureTarget); target != nil {
		c.deleteActive(j, p.active, "the job failed ("+target.Reason+") → delete its running pods")
		if len(p.active) == 0 && p.terminating == 0 {
			st.Conditions = setJobCondition(st.Conditions, batchv1.JobFailed, target.Reason, target.Message, now)
			c.m.api.Record(j, corev1.EventTypeWarning, target.Reason, jobController, target.Message)
			why = "failed: " + target.Reason
		}
		c.writeStatus(j, st, why)
		return res
	}
	if jobCondition(j, batchv1.JobSuccessCriteriaMet) != nil {
		c.deleteActive(j, p.active, "the job succeeded → delete the pods still running")
		if len(p.active) == 0 && p.terminating == 0 {
			st.Conditions = setJobCondition(st.Conditions, batchv1.JobComplete, batchv1.JobReasonCompletionsReached, "Reached expected number of succeeded pods", now)
			st.CompletionTime = &metav1.Time{Time: now.Truncate(time.Second)}
			c.m.api.Record(j, corev1.EventTypeNormal, "Completed", jobController, "Job completed")
			why = fmt.Sprintf("complete: %d succeeded", p.succeeded)
		}
		c.writeStatus(j, st, why)
		return res
	}

	if !suspended && st.StartTime == nil {
		st.StartTime = &metav1.Time{Time: now.Truncate(time.Second)}
	}
	// The conditions a Job can fail on, in upstream's order.
	onFailureRestarts := j.Spec.Template.Spec.RestartPolicy == corev1.RestartPolicyOnFailure &&
		(p.restarts > 0 && (backoffLimit == 0 || p.restarts >= backoffLimit))
	var failReason, failMessage string
	switch {
	case p.failed > backoffLimit || onFailureRestarts:
		failReason, failMessage = batchv1.JobReasonBackoffLimitExceeded, "Job has reached the specified backoff limit"
	case !suspended && j.Spec.ActiveDeadlineSeconds != nil && st.StartTime != nil:
		deadline := st.StartTime.Add(time.Duration(*j.Spec.ActiveDeadlineSeconds) * time.Second)
		if !now.Before(deadline) {
			failReason, failMessage = batchv1.JobReasonDeadlineExceeded, "Job was active longer than specified deadline"
		} else {
			res = Result{RequeueAfter: deadline.Sub(now), Why: fmt.Sprintf("job %s: activeDeadlineSeconds %d", j.Name, *j.Spec.ActiveDeadlineSeconds)}
		}
	}
	if failReason != "" {
		st.Conditions = setJobCondition(st.Conditions, batchv1.JobFailureTarget, failReason, failMessage, now)
		// The status write comes back through the watch, and the next
		// sync deletes the pods left and marks the Job Failed.
		c.writeStatus(j, st, fmt.Sprintf("%s: failed %d, backoffLimit %d → failure target", failReason, p.failed, backoffLimit))
		return Result{}
	}
	if complete {
		st.Conditions = setJobCondition(st.Conditions, batchv1.JobSuccessCriteriaMet, batchv1.JobReasonCompletionsReached, "Reached expected number of succeeded pods", now)
		c.writeStatus(j, st, fmt.Sprintf("completions %d/%s → success criteria met", p.succeeded, completionsText(completions)))
		return Result{}
	}

	// Suspension: no pods run; resuming starts the clock again.
	wasSuspended := jobCondition(j, batchv1.JobSuspended) != nil
	switch {
	case suspended && !wasSuspended:
		st.Conditions = setJobCondition(st.Conditions, batchv1.JobSuspended, "JobSuspended", "Job suspended", now)
		st.StartTime = nil
		c.m.api.Record(j, corev1.EventTypeNormal, "Suspended", jobController, "Job suspended")
	case !suspended && wasSuspended:
		st.Conditions = setJobCondition(st.Conditions, batchv1.JobSuspended, "JobResumed", "Job resumed", now)
		st.Conditions[len(st.Conditions)-1].Status = corev1.ConditionFalse
		c.m.api.Record(j, corev1.EventTypeNormal, "Resumed", jobController, "Job resumed")
	}

	e := c.expect.of(j.Namespace, j.Name)
	if e.satisfied() {
		if r := c.manage(j, p, suspended, now); r.RequeueAfter > 0 && (res.RequeueAfter == 0 || r.RequeueAfter < res.RequeueAfter) {
			res = r
		}
	}
	c.writeStatus(j, st, fmt.Sprintf("status: %d active, %d succeeded, %d failed", st.Active, st.Succeeded, st.Failed))
	return res
}

func completionsText(c *int32) string {
	if c == nil {
		return "1 of any"
	}
	return strconv.Itoa(int(*c))
}

// manage creates or deletes pods until the Job runs as many as it wants
// (upstream's manageJob).
func (c *jobs) manage(j *batchv1.Job, p jobPods, suspended bool, now time.Time) Result {
	parallelism := ptr.Deref(j.Spec.Parallelism, 1)
	active := int32(len(p.active))
	var want int32
	var state string
	switch {
	case suspended:
		state = "suspended"
	case j.Spec.Completions == nil:
		// Work queue: once one pod succeeded, no new ones start.
		want = parallelism
		if p.succeeded > 0 {
			want = active
		}
		state = fmt.Sprintf("succeeded %d, parallelism %d", p.succeeded, parallelism)
	default:
		want = max(min(*j.Spec.Completions-p.succeeded, parallelism), 0)
		state = fmt.Sprintf("completions %d/%d, parallelism %d", p.succeeded, *j.Spec.Completions, parallelism)
	}
	switch {
	case active > want:
		c.deleteActive(j, p.active[:active-want], fmt.Sprintf("%s, active %d → delete %d", state, active, active-want))
	case active < want:
		if p.failuresSinceSucc > 0 {
			// Upstream's pod failure back-off, on the cluster clock.
			backoff := min(jobBackoffBase<<min(p.failuresSinceSucc-1, 16), jobBackoffMax)
			if wait := p.lastFailure.Add(backoff).Sub(now); wait > 0 {
				return Result{RequeueAfter: wait, Why: fmt.Sprintf("job %s: back-off %s after %d failed pods", j.Name, backoff, p.failuresSinceSucc)}
			}
		}
		n := min(want-active, burstReplicas)
		c.create(j, p, int(n), fmt.Sprintf("%s, active %d → create %d", state, active, n))
	}
	return Result{}
}

// create makes n pods, an Indexed Job's for its lowest indexes that are
// neither done nor running.
func (c *jobs) create(j *batchv1.Job, p jobPods, n int, why string) {
	e := c.expect.of(j.Namespace, j.Name)
	var indexes []int
	if isIndexed(j) {
		for i := 0; len(indexes) < n && i < int(ptr.Deref(j.Spec.Completions, 0)); i++ {
			if !p.succeededIdx[i] && !p.activeIdx[i] {
				indexes = append(indexes, i)
			}
		}
		n = len(indexes)
	}
	for i := range n {
		idx := -1
		if indexes != nil {
			idx = indexes[i]
		}
		c.m.createPod(j, jobController, newJobPod(j, idx, c.m), why, e, func(ok bool) {
			if !ok {
				c.q.AddAfter(Key{Namespace: j.Namespace, Name: j.Name}, time.Second, "retry failed creates")
			}
		})
	}
}

func (c *jobs) deleteActive(j *batchv1.Job, pods []*corev1.Pod, why string) {
	e := c.expect.of(j.Namespace, j.Name)
	for _, pod := range pods {
		c.m.deletePod(j, jobController, pod, why, e)
	}
}

// newJobPod builds a pod from the Job's template: named from generateName
// <job>- (an Indexed Job's <job>-<index>-), with the index as annotation,
// label, host name and JOB_COMPLETION_INDEX.
func newJobPod(j *batchv1.Job, idx int, m *Manager) *corev1.Pod {
	t := j.Spec.Template
	prefix := j.Name + "-"
	pod := &corev1.Pod{
		TypeMeta: metav1.TypeMeta{Kind: "Pod", APIVersion: "v1"},
		ObjectMeta: metav1.ObjectMeta{
			GenerateName:    prefix,
			Namespace:       j.Namespace,
			Labels:          t.Labels,
			Annotations:     t.Annotations,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(j, batchv1.SchemeGroupVersion.WithKind("Job"))},
		},
		Spec: *t.Spec.DeepCopy(),
	}
	if idx >= 0 {
		i := strconv.Itoa(idx)
		prefix += i + "-"
		pod.GenerateName = prefix
		pod.Labels, pod.Annotations = copyMap(t.Labels), copyMap(t.Annotations)
		if pod.Annotations == nil {
			pod.Annotations = map[string]string{}
		}
		if pod.Labels == nil {
			pod.Labels = map[string]string{}
		}
		pod.Annotations[JobCompletionIndexAnnotation] = i
		pod.Labels[batchv1.JobCompletionIndexAnnotation] = i
		if pod.Spec.Hostname == "" {
			pod.Spec.Hostname = j.Name + "-" + i
		}
		env := corev1.EnvVar{Name: "JOB_COMPLETION_INDEX", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{
			APIVersion: "v1", FieldPath: fmt.Sprintf("metadata.annotations['%s']", JobCompletionIndexAnnotation)}}}
		for ci := range pod.Spec.InitContainers {
			pod.Spec.InitContainers[ci].Env = append(pod.Spec.InitContainers[ci].Env, env)
		}
		for ci := range pod.Spec.Containers {
			pod.Spec.Containers[ci].Env = append(pod.Spec.Containers[ci].Env, env)
		}
	}
	pod.Name = prefix + apiserver.RandomString(m.k, 5)
	return pod
}

func isIndexed(j *batchv1.Job) bool {
	return ptr.Deref(j.Spec.CompletionMode, batchv1.NonIndexedCompletion) == batchv1.IndexedCompletion
}

// formatIndexes is status.completedIndexes: "1,3-5,7".
func formatIndexes(set map[int]bool) string {
	idx := make([]int, 0, len(set))
	for i := range set {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	var parts []string
	for a := 0; a < len(idx); {
		b := a
		for b+1 < len(idx) && idx[b+1] == idx[b]+1 {
			b++
		}
		if a == b {
			parts = append(parts, strconv.Itoa(idx[a]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", idx[a], idx[b]))
		}
		a = b + 1
	}
	return strings.Join(parts, ",")
}

// jobFinished: Complete or Failed.
func jobFinished(j *batchv1.Job) bool {
	return jobCondition(j, batchv1.JobComplete) != nil || jobCondition(j, batchv1.JobFailed) != nil
}

// JobFinishedAt is when a Job became Complete or Failed, or false.
func JobFinishedAt(j *batchv1.Job) (time.Time, bool) {
	for _, t := range []batchv1.JobConditionType{batchv1.JobComplete, batchv1.JobFailed} {
		if c := jobCondition(j, t); c != nil {
			return c.LastTransitionTime.Time, true
		}
	}
	return time.Time{}, false
}

// jobCondition is the condition of type t when it is True.
func jobCondition(j *batchv1.Job, t batchv1.JobConditionType) *batchv1.JobCondition {
	for i := range j.Status.Conditions {
		if c := &j.Status.Conditions[i]; c.Type == t && c.Status == corev1.ConditionTrue {
			return c
		}
	}
	return nil
}

func setJobCondition(conds []batchv1.JobCondition, t batchv1.JobConditionType, reason, message string, now time.Time) []batchv1.JobCondition {
	at := metav1.NewTime(now.Truncate(time.Second))
	c := batchv1.JobCondition{Type: t, Status: corev1.ConditionTrue, Reason: reason, Message: message, LastProbeTime: at, LastTransitionTime: at}
	for i := range conds {
		if conds[i].Type == t {
			conds[i] = c
			return conds
		}
	}
	return append(conds, c)
}

func (c *jobs) writeStatus(j *batchv1.Job, st *batchv1.JobStatus, why string) {
	if equalJobStatus(&j.Status, st) {
		return
	}
	updated := *j
	updated.Status = *st
	updated.ResourceVersion = ""
	c.m.submit(apiserver.Request{Verb: sim.VerbUpdateStatus, Object: &updated, Why: why})
}

func equalJobStatus(a, b *batchv1.JobStatus) bool {
	if a.Active != b.Active || a.Succeeded != b.Succeeded || a.Failed != b.Failed || a.CompletedIndexes != b.CompletedIndexes ||
		ptr.Deref(a.Ready, -1) != ptr.Deref(b.Ready, -1) || ptr.Deref(a.Terminating, -1) != ptr.Deref(b.Terminating, -1) ||
		!a.StartTime.Equal(b.StartTime) || !a.CompletionTime.Equal(b.CompletionTime) || len(a.Conditions) != len(b.Conditions) ||
		(a.UncountedTerminatedPods == nil) != (b.UncountedTerminatedPods == nil) {
		return false
	}
	for i := range a.Conditions {
		x, y := a.Conditions[i], b.Conditions[i]
		if x.Type != y.Type || x.Status != y.Status || x.Reason != y.Reason {
			return false
		}
	}
	return true
}
