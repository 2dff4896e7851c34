package main

import (
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/guest/perlpi"
)

// TestPiJobOnDocker: the documentation's pi Job (perl:5.34.0) runs to
// Complete on real containers, played by kubeplay's perl stand-in (no
// registry is reached), and logs job/pi prints π to 2000 digits; another
// perl program fails with exit code 2 and says why; nothing is left on the
// daemon.
func TestPiJobOnDocker(t *testing.T) {
	needDockerInParallel(t, "the pi Job test on Docker")
	script := `apply -f assets/examples/job.yaml
wait --for=condition=complete job/pi --timeout=2m
logs job/pi
describe pod -l job-name=pi
run other --image=perl:5.34.0 --restart=Never -- perl -e 'print 1'
wait --for=jsonpath={.status.phase}=Failed pod/other --timeout=1m
logs other
get pod other -o jsonpath='exit {.status.containerStatuses[0].state.terminated.exitCode}{"\n"}'
`
	out, errOut := scriptOnDocker(t, script)
	for _, want := range []string{
		"job.batch/pi condition met\n",
		"\n3.14159265358979323846264338327950288419716939937510", // the first 50 decimals
		"\n" + perlpi.Pi(2000) + "\n",
		"perl:5.34.0 is played by kubeplay's perl stand-in",
		"pod/other condition met\n",
		"kubeplay: this perl is kubeplay's stand-in for the perl image; it runs only the Kubernetes documentation's pi example: " + perlpi.Example + "\n",
		"\nexit 2\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s\nstderr:\n%s", want, out, errOut)
		}
	}
}
