package kubelet

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
)

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

// TestSummarizeKeepsNoStaleText: the summaries kept for reuse follow the
// phase, the counts and the waiting reasons of each status.
func TestSummarizeKeepsNoStaleText(t *testing.T) {
	kl := &Kubelet{}
	running := corev1.ContainerStatus{Ready: true}
	waiting := corev1.ContainerStatus{State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}}
	for _, c := range []struct {
		st   corev1.PodStatus
		want string
	}{
		{corev1.PodStatus{Phase: corev1.PodPending, ContainerStatuses: []corev1.ContainerStatus{waiting}}, "Pending, 0/1 ready (ContainerCreating)"},
		{corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{running}}, "Running, 1/1 ready"},
		{corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{running}}, "Running, 1/1 ready"},
		{corev1.PodStatus{Phase: corev1.PodSucceeded, ContainerStatuses: []corev1.ContainerStatus{running}}, "Succeeded, 1/1 ready"},
		{corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{}, running}}, "Running, 1/2 ready"},
		{corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{running, waiting}}, "Running, 1/2 ready (ContainerCreating)"},
		{corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{running, running, running, running}}, "Running, 4/4 ready"},
		{corev1.PodStatus{Phase: corev1.PodPending}, "Pending, 0/0 ready"},
	} {
		if got := kl.summarize(c.st); got != c.want {
			t.Errorf("summarize = %q, want %q", got, c.want)
		}
	}
}
