package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestDaemonSetOnDocker is the daemonset transcript's story on real
// containers: the documentation's fluentd-elasticsearch DaemonSet runs
// one pod on each node, a node that joins gets its own, a new image rolls
// out node by node, and deleting the DaemonSet takes its pods with it;
// nothing is left on the daemon.
func TestDaemonSetOnDocker(t *testing.T) {
	needDockerInParallel(t, "the DaemonSet test on Docker")
	script := `apply -f assets/examples/fluentd-elasticsearch.yaml
rollout status ds/fluentd-elasticsearch -n kube-system --timeout=2m
get pods -n kube-system -l name=fluentd-elasticsearch -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}'
node add
rollout status ds/fluentd-elasticsearch -n kube-system --timeout=2m
get ds fluentd-elasticsearch -n kube-system --no-headers
set image ds/fluentd-elasticsearch fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v2.6.0 -n kube-system
rollout status ds/fluentd-elasticsearch -n kube-system --timeout=3m
get pods -n kube-system -l name=fluentd-elasticsearch -o jsonpath='{range .items[*]}{.spec.containers[0].image}{"\n"}{end}'
delete ds fluentd-elasticsearch -n kube-system
wait --for=delete pod -l name=fluentd-elasticsearch -n kube-system --timeout=2m
`
	out, _ := scriptOnDocker(t, script)
	for _, want := range []string{
		"kubeplay: node-4 joined the cluster\n",
		"fluentd-elasticsearch   4     4     4     4     4     <none>", // the node that joins gets one
		`daemon set "fluentd-elasticsearch" successfully rolled out`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, node := range []string{"node-1", "node-2", "node-3"} { // one pod on each node
		if n := strings.Count(out, "\n"+node+"\n"); n != 1 {
			t.Errorf("%d pods on %s, want 1:\n%s", n, node, out)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^quay.io/fluentd_elasticsearch/fluentd:v2.6.0$`).FindAllString(out, -1)); n != 4 {
		t.Errorf("%d pods of the new image after the rollout, want 4:\n%s", n, out)
	}
}
