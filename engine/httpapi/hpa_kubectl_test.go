package httpapi

import (
	"strings"
	"testing"
	"time"
)

// TestRealKubectlHPA: a real kubectl autoscales, gets and describes an
// HPA (in autoscaling/v2 and v1), and reads metrics-server's figures with
// top, as the built-in prints them: before the first measure (<unknown>)
// and after. (Not
// describe after the cluster ran ahead: a real kubectl ages its events by
// the wall clock, which the cluster's virtual minute left behind.)
func TestRealKubectlHPA(t *testing.T) {
	tw := newTwins(t)
	deploy := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"php-apache"},"spec":{"selector":{"matchLabels":{"run":"php-apache"}},
"template":{"metadata":{"labels":{"run":"php-apache"}},"spec":{"containers":[{"name":"php-apache","image":"registry.k8s.io/hpa-example",
"resources":{"requests":{"cpu":"200m"},"limits":{"cpu":"500m"}}}]}}}}`
	tw.same(nil, deploy, "apply", "-f", "-")
	tw.same(nil, "", "autoscale", "deployment", "php-apache", "--cpu-percent=50", "--min=1", "--max=10")
	tw.same(nil, "", "autoscale", "deployment", "nope", "--max=3")
	tw.same(nil, "", "get", "hpa")
	tw.same(nil, "", "describe", "hpa", "php-apache")
	tw.real.RunFor(time.Minute)
	tw.builtin.RunFor(time.Minute)
	// autoscaling/v1 as kube-apiserver answers it: what v1 cannot say (the
	// measured cpu's raw value, the conditions) in annotations.
	for _, args := range [][]string{{"get", "hpa"}, {"get", "hpa", "-o", "wide"}, {"get", "all"},
		{"get", "horizontalpodautoscalers.v1.autoscaling", "php-apache", "-o", "yaml"},
		{"get", "hpa.v1.autoscaling", "-o", "jsonpath={.items[0].apiVersion}"}, // a short name keeps no version: v2
		{"get", "hpa.v2.autoscaling", "-o", "json"}} {
		tw.same(nil, "", args...)
	}
	tw.sync()
	real := tw.runReal("", 30*time.Second, "top", "pod")
	builtin := tw.runBuiltin("", "top", "pod")
	builtin.err = strings.TrimSuffix(builtin.err, topNote)
	if real != builtin || !strings.Contains(real.out, "php-apache-") {
		t.Errorf("kubectl top pod:\n--- real:\n%+v\n--- built-in:\n%+v", real, builtin)
	}
}

// topNote is what the built-in top says of the simulated runtime's
// figures, which a real kubectl cannot be told.
const topNote = "kubeplay: simulated runtime: these figures come from a model (an idle app uses 1-3m of CPU, each request it answers costs some), measured every 15s.\n"
