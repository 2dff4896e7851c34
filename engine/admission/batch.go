package admission

import (
	"fmt"
	"maps"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // timeZone names load alike on every machine

	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The labels the Job strategy puts on a Job's pod template, and the one its
// generated selector matches (k8s.io/api/batch/v1).
const (
	JobNameLabel             = batchv1.JobNameLabel // batch.kubernetes.io/job-name
	LegacyJobNameLabel       = "job-name"
	ControllerUIDLabel       = batchv1.ControllerUidLabel // batch.kubernetes.io/controller-uid
	LegacyControllerUIDLabel = "controller-uid"
)

// maxIndexedCompletions is upstream's bound on an Indexed Job's completions.
const maxIndexedCompletions = 100000

// prepareJob is the Job strategy's PrepareForCreate: status cleared, and
// unless spec.manualSelector the selector generated from the Job's UID and
// the labels that match it added to the pod template.
func prepareJob(j *batchv1.Job) {
	j.Status = batchv1.JobStatus{}
	if j.Spec.ManualSelector != nil && *j.Spec.ManualSelector {
		return
	}
	if j.Spec.Template.Labels == nil {
		j.Spec.Template.Labels = map[string]string{}
	}
	uid := string(j.UID)
	for k, v := range map[string]string{LegacyJobNameLabel: j.Name, JobNameLabel: j.Name,
		LegacyControllerUIDLabel: uid, ControllerUIDLabel: uid} {
		if _, ok := j.Spec.Template.Labels[k]; !ok {
			j.Spec.Template.Labels[k] = v
		}
	}
	if j.Spec.Selector == nil {
		j.Spec.Selector = &metav1.LabelSelector{}
	}
	if j.Spec.Selector.MatchLabels == nil {
		j.Spec.Selector.MatchLabels = map[string]string{}
	}
	j.Spec.Selector.MatchLabels[ControllerUIDLabel] = uid
	// SetDefaults_Job: a Job without labels has its template's. Upstream
	// defaults it again as it reads the Job back, after the labels above.
	if len(j.Labels) == 0 {
		j.Labels = maps.Clone(j.Spec.Template.Labels)
	}
}

// validateJob is pkg/apis/batch/validation ValidateJob (and on update
// ValidateJobUpdate, with the fields a Job keeps).
func validateJob(j *batchv1.Job, old runtime.Object) field.ErrorList {
	errs := validateMeta(&j.ObjectMeta, old, true, apivalidation.NameIsDNSSubdomain)
	errs = append(errs, validateGeneratedSelector(j)...)
	spec := field.NewPath("spec")
	errs = append(errs, validateJobSpec(&j.Spec, spec)...)
	if j.Spec.Selector == nil {
		errs = append(errs, field.Required(spec.Child("selector"), ""))
	} else {
		errs = append(errs, metav1validation.ValidateLabelSelector(j.Spec.Selector, metav1validation.LabelSelectorValidationOptions{}, spec.Child("selector"))...)
		if sel, err := metav1.LabelSelectorAsSelector(j.Spec.Selector); err == nil && !sel.Matches(labels.Set(j.Spec.Template.Labels)) {
			errs = append(errs, field.Invalid(spec.Child("template", "metadata", "labels"), j.Spec.Template.Labels, "`selector` does not match template `labels`"))
		}
	}
	if indexed(&j.Spec) && j.Spec.Completions != nil && *j.Spec.Completions > 0 {
		// An Indexed Job's pods are named <job>-<index> as host names.
		host := fmt.Sprintf("%s-%d", j.Name, *j.Spec.Completions-1)
		if len(validation.IsDNS1123Label(host)) > 0 {
			errs = append(errs, field.Invalid(field.NewPath("metadata", "name"), j.Name,
				"will not able to create pod with invalid DNS label: "+host))
		}
	}
	if p, ok := old.(*batchv1.Job); ok {
		errs = append(errs, apivalidation.ValidateImmutableField(j.Spec.Completions, p.Spec.Completions, spec.Child("completions"))...)
		errs = append(errs, apivalidation.ValidateImmutableField(j.Spec.Selector, p.Spec.Selector, spec.Child("selector"))...)
		errs = append(errs, apivalidation.ValidateImmutableField(j.Spec.Template, p.Spec.Template, spec.Child("template"))...)
		errs = append(errs, apivalidation.ValidateImmutableField(j.Spec.CompletionMode, p.Spec.CompletionMode, spec.Child("completionMode"))...)
	}
	return errs
}

// validateGeneratedSelector: a generated selector must be the Job's own.
func validateGeneratedSelector(j *batchv1.Job) field.ErrorList {
	if (j.Spec.ManualSelector != nil && *j.Spec.ManualSelector) || j.Spec.Selector == nil {
		return nil
	}
	var errs field.ErrorList
	if j.UID == "" {
		errs = append(errs, field.Required(field.NewPath("metadata", "uid"), ""))
	}
	tmeta := field.NewPath("spec", "template", "metadata")
	for _, l := range [][2]string{{ControllerUIDLabel, string(j.UID)}, {JobNameLabel, j.Name}} {
		if v, ok := j.Spec.Template.Labels[l[0]]; !ok {
			errs = append(errs, field.Required(tmeta.Child("labels").Key(l[0]), fmt.Sprintf("must be '%s'", l[1])))
		} else if v != l[1] {
			errs = append(errs, field.Invalid(tmeta.Child("labels").Key(l[0]), v, fmt.Sprintf("must be '%s'", l[1])))
		}
	}
	want := labels.Set{ControllerUIDLabel: string(j.UID), JobNameLabel: j.Name}
	if sel, err := metav1.LabelSelectorAsSelector(j.Spec.Selector); err == nil && !sel.Matches(want) {
		errs = append(errs, field.Invalid(field.NewPath("spec", "selector"), j.Spec.Selector, "`selector` not auto-generated"))
	}
	return errs
}

func indexed(s *batchv1.JobSpec) bool {
	return s.CompletionMode != nil && *s.CompletionMode == batchv1.IndexedCompletion
}

// validateJobSpec is upstream's validateJobSpec: what a Job and a CronJob's
// job template share.
func validateJobSpec(s *batchv1.JobSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, f := range []struct {
		v    *int32
		name string
	}{{s.Parallelism, "parallelism"}, {s.Completions, "completions"}, {s.BackoffLimit, "backoffLimit"}} {
		if f.v != nil {
			errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*f.v), path.Child(f.name))...)
		}
	}
	if s.ActiveDeadlineSeconds != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(*s.ActiveDeadlineSeconds, path.Child("activeDeadlineSeconds"))...)
	}
	if s.TTLSecondsAfterFinished != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*s.TTLSecondsAfterFinished), path.Child("ttlSecondsAfterFinished"))...)
	}
	if s.CompletionMode != nil {
		switch *s.CompletionMode {
		case batchv1.NonIndexedCompletion:
		case batchv1.IndexedCompletion:
			if s.Completions == nil {
				errs = append(errs, field.Required(path.Child("completions"), "when completion mode is Indexed"))
			} else if *s.Completions > maxIndexedCompletions {
				errs = append(errs, field.Invalid(path.Child("completions"), *s.Completions,
					fmt.Sprintf("must be less than or equal to %d when completion mode is Indexed", maxIndexedCompletions)))
			}
		default:
			errs = append(errs, field.NotSupported(path.Child("completionMode"), *s.CompletionMode,
				[]batchv1.CompletionMode{batchv1.NonIndexedCompletion, batchv1.IndexedCompletion}))
		}
	}
	tpath := path.Child("template")
	errs = append(errs, metav1validation.ValidateLabels(s.Template.Labels, tpath.Child("metadata", "labels"))...)
	errs = append(errs, validateJobTemplate(&s.Template.Spec, tpath.Child("spec"))...)
	return errs
}

// validateCronJob is ValidateCronJobCreate / ValidateCronJobUpdate.
func validateCronJob(cj *batchv1.CronJob, old runtime.Object) field.ErrorList {
	errs := validateMeta(&cj.ObjectMeta, old, true, apivalidation.NameIsDNSSubdomain)
	if old == nil && len(cj.Name) > validation.DNS1035LabelMaxLength-11 {
		// The Jobs it creates are named <name>-<minutes since the epoch>.
		errs = append(errs, field.Invalid(field.NewPath("metadata", "name"), cj.Name, "must be no more than 52 characters"))
	}
	spec := field.NewPath("spec")
	if cj.Spec.Schedule == "" {
		errs = append(errs, field.Required(spec.Child("schedule"), ""))
	} else {
		errs = append(errs, validateSchedule(cj.Spec.Schedule, cj.Spec.TimeZone, spec.Child("schedule"))...)
	}
	if cj.Spec.StartingDeadlineSeconds != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(*cj.Spec.StartingDeadlineSeconds, spec.Child("startingDeadlineSeconds"))...)
	}
	switch p := cj.Spec.ConcurrencyPolicy; p {
	case batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent:
	case "":
		errs = append(errs, field.Required(spec.Child("concurrencyPolicy"), ""))
	default:
		errs = append(errs, field.NotSupported(spec.Child("concurrencyPolicy"), p,
			[]batchv1.ConcurrencyPolicy{batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent}))
	}
	errs = append(errs, validateTimeZone(cj.Spec.TimeZone, spec.Child("timeZone"))...)
	for _, f := range []struct {
		v    *int32
		name string
	}{{cj.Spec.SuccessfulJobsHistoryLimit, "successfulJobsHistoryLimit"}, {cj.Spec.FailedJobsHistoryLimit, "failedJobsHistoryLimit"}} {
		if f.v != nil {
			errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*f.v), spec.Child(f.name))...)
		}
	}
	jt := spec.Child("jobTemplate", "spec")
	errs = append(errs, validateJobSpec(&cj.Spec.JobTemplate.Spec, jt)...)
	if cj.Spec.JobTemplate.Spec.Selector != nil {
		errs = append(errs, field.Invalid(jt.Child("selector"), cj.Spec.JobTemplate.Spec.Selector, "`selector` will be auto-generated"))
	}
	if m := cj.Spec.JobTemplate.Spec.ManualSelector; m != nil && *m {
		errs = append(errs, field.NotSupported(jt.Child("manualSelector"), m, []string{"nil", "false"}))
	}
	return errs
}

// ParseSchedule parses a CronJob's schedule as the CronJob controller does
// (cron.ParseStandard: five fields or a descriptor such as @hourly).
func ParseSchedule(s string) (cron.Schedule, error) { return cron.ParseStandard(s) }

func validateSchedule(s string, tz *string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if _, err := ParseSchedule(s); err != nil {
		errs = append(errs, field.Invalid(path, s, err.Error()))
	}
	if strings.Contains(s, "TZ") {
		msg := "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
		if tz != nil {
			msg = "cannot use both timeZone field and TZ or CRON_TZ in schedule"
		}
		errs = append(errs, field.Invalid(path, s, msg))
	}
	return errs
}

var validTimeZoneCharacters = regexp.MustCompile(`^[A-Za-z\.\-_0-9+]{1,14}$`)

// validateTimeZone is upstream's: an IANA name the apiserver can load.
func validateTimeZone(tz *string, path *field.Path) field.ErrorList {
	if tz == nil {
		return nil
	}
	if *tz == "" {
		return field.ErrorList{field.Invalid(path, tz, "timeZone must be nil or non-empty string")}
	}
	for _, part := range strings.Split(*tz, "/") {
		if part == "." || part == ".." || strings.HasPrefix(part, "-") || !validTimeZoneCharacters.MatchString(part) {
			return field.ErrorList{field.Invalid(path, tz, "unknown time zone "+*tz)}
		}
	}
	if strings.EqualFold(*tz, "Local") {
		return field.ErrorList{field.Invalid(path, tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")}
	}
	if _, err := time.LoadLocation(*tz); err != nil {
		return field.ErrorList{field.Invalid(path, tz, err.Error())}
	}
	return nil
}
