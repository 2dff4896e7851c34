package present

import (
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestBatchRows(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 40, 0, time.UTC)
	five := int32(5)
	jobs := []*batchv1.Job{
		{ObjectMeta: metav1.ObjectMeta{Name: "pi"}, Status: batchv1.JobStatus{Succeeded: 1,
			Conditions: []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}}},
		{ObjectMeta: metav1.ObjectMeta{Name: "busy"}, Spec: batchv1.JobSpec{Completions: &five}, Status: batchv1.JobStatus{Succeeded: 3, Active: 2}},
	}
	last := metav1.NewTime(now.Add(-40 * time.Second))
	cjs := []*batchv1.CronJob{{ObjectMeta: metav1.ObjectMeta{Name: "hello"}, Spec: batchv1.CronJobSpec{Schedule: "* * * * *"},
		Status: batchv1.CronJobStatus{LastScheduleTime: &last}}}
	jr, cr := BatchRows(jobs, cjs, now)
	if len(jr) != 2 || jr[0].Name != "busy" || jr[0].Succeeded != 3 || jr[0].Completions != 5 || jr[0].State != "Running" ||
		jr[1].State != "Complete" || jr[1].Completions != 1 {
		t.Errorf("jobs: %+v", jr)
	}
	if len(cr) != 1 || !cr[0].HasLast || cr[0].Last != 40*time.Second || cr[0].Next != 20*time.Second {
		t.Errorf("cronjobs: %+v", cr)
	}
}
