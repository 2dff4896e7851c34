package httpapi

import (
	"strings"
	"testing"
	"time"
)

// TestRealKubectlExplain: a real kubectl explain, reading the OpenAPI v3
// schemas made from the Go types, prints what the built-in prints.
func TestRealKubectlExplain(t *testing.T) {
	tw := newTwins(t)
	for _, args := range [][]string{
		{"pods"}, {"pods.spec.containers"}, {"deploy.spec", "--recursive"}, {"deployments.apps.spec.replicas"},
		{"pods.metadata.creationTimestamp"}, {"svc.spec.ports.targetPort"}, {"pods.spec.containers.resources"},
		{"sts", "--recursive"}, {"sc"}, {"pods.spec.foo"}, {"cronjobs.spec.jobTemplate"}, {"hpa.spec.behavior"}, {"hpa.spec.metrics"},
	} {
		tw.same(nil, "", append([]string{"explain"}, args...)...)
	}
}

// TestRealKubectlStreams: logs, exec and top through a real kubectl print
// what the built-in prints (top without the built-in's note on stderr
// that the figures are simulated, which a real kubectl cannot be told).
func TestRealKubectlStreams(t *testing.T) {
	tw := newTwins(t)
	pod := `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"counter"},"spec":{"containers":[{"name":"count","image":"busybox",
"command":["sh","-c","i=0; while true; do echo line $i; i=$((i+1)); sleep 1; done"],"resources":{"requests":{"cpu":"100m","memory":"64Mi"}}}]}}`
	tw.same(nil, pod, "apply", "-f", "-")
	tw.real.RunFor(5 * time.Second)
	tw.builtin.RunFor(5 * time.Second)
	tw.same(nil, "", "logs", "counter")
	tw.same(nil, "", "logs", "counter", "--tail", "2")
	tw.same(nil, "", "logs", "counter", "-c", "nope")
	tw.same(nil, "", "exec", "counter", "--", "sh", "-c", "echo out; echo err >&2; exit 3")
	tw.same(nil, "", "exec", "counter", "-c", "nope", "--", "ls")
	tw.same(nil, "a\nb\n", "exec", "-i", "counter", "--", "sh", "-c", "cat; echo done")
	for _, args := range [][]string{{"top", "pod"}, {"top", "node"}, {"top", "pod", "nope"}} {
		tw.sync()
		real := tw.runReal("", 30*time.Second, args...)
		builtin := tw.runBuiltin("", args...)
		builtin.err = strings.TrimSuffix(builtin.err, topNote)
		if real != builtin {
			t.Errorf("kubectl %s:\n--- real:\n%+v\n--- built-in:\n%+v", strings.Join(args, " "), real, builtin)
		}
	}
}
