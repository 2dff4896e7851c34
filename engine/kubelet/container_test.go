package kubelet

import "testing"

// TestFullRef: containerd's full names, a registry of its own kept.
func TestFullRef(t *testing.T) {
	for in, want := range map[string]string{
		"nginx":                 "docker.io/library/nginx:latest",
		"bitnami/redis:7":       "docker.io/bitnami/redis:7",
		"quay.io/fluentd/x:v2":  "quay.io/fluentd/x:v2",
		"registry.k8s.io/pause": "registry.k8s.io/pause:latest",
		"localhost:5000/app":    "localhost:5000/app:latest",
	} {
		if got := fullRef(in); got != want {
			t.Errorf("fullRef(%q) = %q, want %q", in, got, want)
		}
	}
}
