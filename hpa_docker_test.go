package main

import (
	"strings"
	"testing"
)

// TestHPAOnDocker: the HPA walkthrough's php-apache on real containers.
// Its stand-in sums square roots per request for real, the runtime reads
// the containers' cgroups through Docker's stats API, and so load through
// kube-proxy (from the host) drives the HPA to scale the Deployment out;
// kubectl top reads the same figures; nothing is left on the daemon.
func TestHPAOnDocker(t *testing.T) {
	needDockerInParallel(t, "the HPA test on Docker")
	script := `apply -f assets/examples/php-apache.yaml
autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10
wait --for=condition=Available deploy/php-apache --timeout=2m
load svc/php-apache --rps 40 --for 100s
get hpa php-apache -o jsonpath='desired {.status.desiredReplicas}{"\n"}'
get hpa php-apache -o jsonpath='{.status.currentMetrics[0].resource.current.averageUtilization}{"\n"}'
top pods -l run=php-apache
get events --field-selector reason=SuccessfulRescale
`
	out, errOut := scriptOnDocker(t, script)
	for _, want := range []string{
		"horizontalpodautoscaler.autoscaling/php-apache autoscaled\n",
		"New size: ",
		"reason: cpu resource utilization (percentage of request) above target",
		"CPU(cores)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s\nstderr:\n%s", want, out, errOut)
		}
	}
	if strings.Contains(out, "desired 1\n") || strings.Contains(out, "desired 0\n") {
		t.Errorf("the HPA did not scale out:\n%s\nstderr:\n%s", out, errOut)
	}
}
