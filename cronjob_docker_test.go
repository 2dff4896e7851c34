package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestHelloCronJobOnDocker is the documentation's hello CronJob on real
// containers, on the wall clock: the first Job of its schedule starts on
// the next minute and completes, its pod printing the date and the
// greeting; a Job made by hand from it (create job --from=cronjob/hello)
// runs too, and deleting the CronJob takes its Jobs with it;
// nothing is left on the daemon. It takes a minute or so.
func TestHelloCronJobOnDocker(t *testing.T) {
	needDockerInParallel(t, "the hello CronJob test on Docker")
	script := `apply -f assets/examples/cronjob.yaml
create job --from=cronjob/hello hello-now
wait --for=condition=complete job/hello-now --timeout=2m
logs job/hello-now
wait --for=jsonpath={.status.lastScheduleTime} cronjob/hello --timeout=2m
get cronjob hello -o jsonpath='last {.status.lastScheduleTime}{"\n"}'
wait --for=condition=complete job --all --timeout=2m
get jobs --no-headers
get cronjob hello --no-headers
delete cronjob hello
wait --for=delete job/hello-now --timeout=2m
get jobs
`
	out, errOut := scriptOnDocker(t, script)
	for _, want := range []string{
		"cronjob.batch/hello created\n",
		"job.batch/hello-now condition met\n",
		"\nHello from the Kubernetes cluster\n",
		`cronjob.batch "hello" deleted`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s\nstderr:\n%s", want, out, errOut)
		}
	}
	if !strings.Contains(errOut, "No resources found in default namespace.\n") {
		t.Errorf("jobs are left after the CronJob's deletion:\n%s\nstderr:\n%s", out, errOut)
	}
	// The scheduled Job is named after the minute of its schedule and
	// completes like the one made by hand.
	if !regexp.MustCompile(`(?m)^hello-\d{8}\s+Complete\s+1/1\s`).MatchString(out) {
		t.Errorf("no scheduled hello-<minute> Job completed:\n%s\nstderr:\n%s", out, errOut)
	}
	if !regexp.MustCompile(`(?m)^last \d{4}-\d\d-\d\dT\d\d:\d\d:00Z$`).MatchString(out) {
		t.Errorf("lastScheduleTime is not on the minute:\n%s", out)
	}
	// The date the pod printed, as busybox's date prints it.
	if !regexp.MustCompile(`(?m)^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\nHello from the Kubernetes cluster$`).MatchString(out) {
		t.Errorf("the job's log is not the date and the greeting:\n%s", out)
	}
}
