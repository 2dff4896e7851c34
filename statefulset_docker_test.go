package main

import (
	"strings"
	"testing"
)

// TestStatefulSetOnDocker is the statefulset transcript's story on real
// containers: the documentation's web StatefulSet starts web-0 then
// web-1, each with its hostname and subdomain; a file written to web-0's
// claim is still there after web-0 is deleted and comes back; scaling up
// adds web-2, scaling down removes web-2 then web-1, and the claims stay,
// also after the StatefulSet is deleted; nothing is left on the daemon.
func TestStatefulSetOnDocker(t *testing.T) {
	needDockerInParallel(t, "the StatefulSet test on Docker")
	script := `apply -f assets/examples/web-statefulset.yaml
rollout status sts/web --timeout=2m
get pods -l app=nginx -o jsonpath='{range .items[*]}{.metadata.name} {.spec.hostname}.{.spec.subdomain}{"\n"}{end}'
exec web-0 -- sh -c "echo kept by www-web-0 > /usr/share/nginx/html/index.html"
delete pod web-0
rollout status sts/web --timeout=2m
exec web-0 -- cat /usr/share/nginx/html/index.html
scale sts web --replicas=3
rollout status sts/web --timeout=2m
scale sts web --replicas=1
wait --for=delete pod/web-1 --timeout=2m
get events --field-selector reason=SuccessfulDelete -o jsonpath='{range .items[*]}{.message}{"\n"}{end}'
delete sts web
wait --for=delete pod/web-0 --timeout=2m
get pvc -l app=nginx -o name
`
	out, _ := scriptOnDocker(t, script)
	for _, want := range []string{
		"web-0 web-0.nginx\nweb-1 web-1.nginx\n",
		"kept by www-web-0\n", // the same claim, reattached
		"partitioned roll out complete: 3 new pods have been updated...",
		"delete Pod web-2 in StatefulSet web successful\ndelete Pod web-1 in StatefulSet web successful\n",    // highest ordinal first
		"persistentvolumeclaim/www-web-0\npersistentvolumeclaim/www-web-1\npersistentvolumeclaim/www-web-2\n", // Retain
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}
