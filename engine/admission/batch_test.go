package admission

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

const jobUID = "8f3c2a1e-0000-4000-8000-000000000001"

// piJob is the Job of the Kubernetes documentation's "Running an example
// Job" (job.yaml).
func piJob(mut ...func(*batchv1.Job)) *batchv1.Job {
	j := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "pi", Namespace: "default", UID: jobUID},
		Spec: batchv1.JobSpec{
			BackoffLimit: ptr[int32](4),
			Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				Containers: []corev1.Container{{Name: "pi", Image: "perl:5.34.0",
					Command: []string{"perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"}}},
				RestartPolicy: corev1.RestartPolicyNever,
			}},
		},
	}
	for _, m := range mut {
		m(j)
	}
	return j
}

func helloCronJob(mut ...func(*batchv1.CronJob)) *batchv1.CronJob {
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: "default"},
		Spec: batchv1.CronJobSpec{
			Schedule: "* * * * *",
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				Containers: []corev1.Container{{Name: "hello", Image: "busybox:1.28", ImagePullPolicy: corev1.PullIfNotPresent,
					Command: []string{"/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"}}},
				RestartPolicy: corev1.RestartPolicyOnFailure,
			}}}},
		},
	}
	for _, m := range mut {
		m(cj)
	}
	return cj
}

// create admits obj as the apiserver does on create.
func create(obj runtime.Object) error {
	Default(obj)
	AdmitCreate(obj, func(string) []runtime.Object { return nil })
	return Validate(obj, nil)
}

func TestJobCreateDefaults(t *testing.T) {
	j := piJob()
	if err := create(j); err != nil {
		t.Fatal(err)
	}
	wantLabels := map[string]string{"batch.kubernetes.io/controller-uid": jobUID, "batch.kubernetes.io/job-name": "pi",
		"controller-uid": jobUID, "job-name": "pi"}
	if diff := cmp.Diff(wantLabels, j.Spec.Template.Labels); diff != "" {
		t.Errorf("template labels (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&metav1.LabelSelector{MatchLabels: map[string]string{"batch.kubernetes.io/controller-uid": jobUID}}, j.Spec.Selector); diff != "" {
		t.Errorf("selector (-want +got):\n%s", diff)
	}
	s := j.Spec
	if *s.Completions != 1 || *s.Parallelism != 1 || *s.BackoffLimit != 4 || *s.CompletionMode != batchv1.NonIndexedCompletion ||
		*s.Suspend || *s.PodReplacementPolicy != batchv1.TerminatingOrFailed {
		t.Errorf("defaults: %+v", s)
	}
	j = piJob(func(j *batchv1.Job) { j.Spec.BackoffLimit = nil })
	Default(j)
	if *j.Spec.BackoffLimit != 6 {
		t.Errorf("backoffLimit defaults to %d, want 6", *j.Spec.BackoffLimit)
	}
	cj := helloCronJob()
	if err := create(cj); err != nil {
		t.Fatal(err)
	}
	if cj.Spec.ConcurrencyPolicy != batchv1.AllowConcurrent || *cj.Spec.SuccessfulJobsHistoryLimit != 3 ||
		*cj.Spec.FailedJobsHistoryLimit != 1 || *cj.Spec.Suspend || cj.Spec.JobTemplate.Spec.Selector != nil {
		t.Errorf("cronjob defaults: %+v", cj.Spec)
	}
}

func TestBatchValidation(t *testing.T) {
	tests := []struct {
		name string
		obj  runtime.Object
		want string
	}{
		{"job restartPolicy Always", piJob(func(j *batchv1.Job) { j.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyAlways }),
			`The Job "pi" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"`},
		{"job restartPolicy defaulted to Always", piJob(func(j *batchv1.Job) { j.Spec.Template.Spec.RestartPolicy = "" }),
			`The Job "pi" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"`},
		{"negative completions", piJob(func(j *batchv1.Job) { j.Spec.Completions = ptr[int32](-1) }),
			`The Job "pi" is invalid: spec.completions: Invalid value: -1: must be greater than or equal to 0`},
		{"negative backoffLimit", piJob(func(j *batchv1.Job) { j.Spec.BackoffLimit = ptr[int32](-2) }),
			`The Job "pi" is invalid: spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0`},
		{"indexed without completions", piJob(func(j *batchv1.Job) {
			j.Spec.CompletionMode = ptr(batchv1.IndexedCompletion)
			j.Spec.Parallelism = ptr[int32](2)
		}), `The Job "pi" is invalid: spec.completions: Required value: when completion mode is Indexed`},
		{"unknown completionMode", piJob(func(j *batchv1.Job) { j.Spec.CompletionMode = ptr(batchv1.CompletionMode("Ordered")) }),
			`The Job "pi" is invalid: spec.completionMode: Unsupported value: "Ordered": supported values: "NonIndexed", "Indexed"`},
		{"manual selector that does not match", piJob(func(j *batchv1.Job) {
			j.Spec.ManualSelector = ptr(true)
			j.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "x"}}
			j.Spec.Template.Labels = map[string]string{"app": "y"}
		}), "The Job \"pi\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"y\"}: `selector` does not match template `labels`"},
		{"cronjob bad schedule", helloCronJob(func(cj *batchv1.CronJob) { cj.Spec.Schedule = "*/1 * * *" }),
			`The CronJob "hello" is invalid: spec.schedule: Invalid value: "*/1 * * *": expected exactly 5 fields, found 4: [*/1 * * *]`},
		{"cronjob schedule out of range", helloCronJob(func(cj *batchv1.CronJob) { cj.Spec.Schedule = "61 * * * *" }),
			`The CronJob "hello" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61`},
		{"cronjob TZ in schedule", helloCronJob(func(cj *batchv1.CronJob) { cj.Spec.Schedule = "CRON_TZ=UTC * * * * *" }),
			`The CronJob "hello" is invalid: spec.schedule: Invalid value: "CRON_TZ=UTC * * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead`},
		{"cronjob unknown time zone", helloCronJob(func(cj *batchv1.CronJob) { cj.Spec.TimeZone = ptr("Mars/Olympus") }),
			`The CronJob "hello" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus`},
		{"cronjob time zone", helloCronJob(func(cj *batchv1.CronJob) { cj.Spec.TimeZone = ptr("Asia/Seoul") }), ""},
		{"cronjob concurrencyPolicy", helloCronJob(func(cj *batchv1.CronJob) { cj.Spec.ConcurrencyPolicy = "Never" }),
			`The CronJob "hello" is invalid: spec.concurrencyPolicy: Unsupported value: "Never": supported values: "Allow", "Forbid", "Replace"`},
		{"cronjob long name", helloCronJob(func(cj *batchv1.CronJob) { cj.Name = "a23456789012345678901234567890123456789012345678901234" }),
			`The CronJob "a23456789012345678901234567890123456789012345678901234" is invalid: metadata.name: Invalid value: "a23456789012345678901234567890123456789012345678901234": must be no more than 52 characters`},
		{"cronjob job selector", helloCronJob(func(cj *batchv1.CronJob) {
			cj.Spec.JobTemplate.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"a": "b"}}
		}), "The CronJob \"hello\" is invalid: spec.jobTemplate.spec.selector: Invalid value: {\"matchLabels\":{\"a\":\"b\"}}: `selector` will be auto-generated"},
		{"cronjob template restartPolicy", helloCronJob(func(cj *batchv1.CronJob) { cj.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy = "" }),
			`The CronJob "hello" is invalid: spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if err := create(tt.obj); err != nil {
				got = KubectlMessage(err)
			}
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestJobUpdateImmutable(t *testing.T) {
	old := piJob()
	if err := create(old); err != nil {
		t.Fatal(err)
	}
	old.ResourceVersion = "1"
	upd := old.DeepCopy()
	upd.Spec.Completions = ptr[int32](5)
	upd.Spec.ActiveDeadlineSeconds = ptr[int64](100) // may change
	Default(upd)
	got := KubectlMessage(Validate(upd, old))
	want := `The Job "pi" is invalid: spec.completions: Invalid value: 5: field is immutable`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
