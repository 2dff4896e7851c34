package framework

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

func TestPodRequests(t *testing.T) {
	always := corev1.ContainerRestartPolicyAlways
	container := func(cpu, mem string) corev1.Container {
		c := makePod("x", cpu, mem).Spec.Containers[0]
		return c
	}
	sidecar := func(cpu, mem string) corev1.Container {
		c := container(cpu, mem)
		c.RestartPolicy = &always
		return c
	}
	const mi = 1024 * 1024
	tests := []struct {
		name    string
		spec    corev1.PodSpec
		want    Resource
		nonZero Resource
	}{
		{
			name:    "no requests: zero, but scoring counts 100m and 200Mi",
			spec:    corev1.PodSpec{Containers: []corev1.Container{container("", "")}},
			want:    Resource{Pods: 1},
			nonZero: Resource{MilliCPU: 100, Memory: 200 * mi, Pods: 1},
		},
		{
			name:    "containers add up; the default fills only the missing resource",
			spec:    corev1.PodSpec{Containers: []corev1.Container{container("250m", ""), container("", "64Mi")}},
			want:    Resource{MilliCPU: 250, Memory: 64 * mi, Pods: 1},
			nonZero: Resource{MilliCPU: 350, Memory: 264 * mi, Pods: 1},
		},
		{
			name:    "an explicit zero is not missing",
			spec:    corev1.PodSpec{Containers: []corev1.Container{container("0", "0")}},
			want:    Resource{Pods: 1},
			nonZero: Resource{Pods: 1},
		},
		{
			name: "the largest init container wins when larger than the sum",
			spec: corev1.PodSpec{
				InitContainers: []corev1.Container{container("2", "1Gi"), container("2", "3Gi")},
				Containers:     []corev1.Container{container("2", "1Gi"), container("1", "1Gi")},
			},
			want:    Resource{MilliCPU: 3000, Memory: 3 * 1024 * mi, Pods: 1},
			nonZero: Resource{MilliCPU: 3000, Memory: 3 * 1024 * mi, Pods: 1},
		},
		{
			name: "sidecars add to the containers and run next to later init containers",
			spec: corev1.PodSpec{
				InitContainers: []corev1.Container{sidecar("100m", "10Mi"), container("1", "10Mi")},
				Containers:     []corev1.Container{container("200m", "20Mi")},
			},
			want:    Resource{MilliCPU: 1100, Memory: 30 * mi, Pods: 1},
			nonZero: Resource{MilliCPU: 1100, Memory: 30 * mi, Pods: 1},
		},
		{
			name: "overhead comes on top",
			spec: corev1.PodSpec{
				Containers: []corev1.Container{container("100m", "10Mi")},
				Overhead:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse("120Mi")},
			},
			want:    Resource{MilliCPU: 350, Memory: 130 * mi, Pods: 1},
			nonZero: Resource{MilliCPU: 350, Memory: 130 * mi, Pods: 1},
		},
		{
			name: "pod-level requests replace the containers' and turn off defaults",
			spec: corev1.PodSpec{
				Resources:  &corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1")}},
				Containers: []corev1.Container{container("", "")},
			},
			want:    Resource{MilliCPU: 1000, Pods: 1},
			nonZero: Resource{MilliCPU: 1000, Pods: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := &corev1.Pod{Spec: tt.spec}
			if got := PodRequests(pod); got != tt.want {
				t.Errorf("PodRequests = %+v, want %+v", got, tt.want)
			}
			if got := nonZeroRequests(pod); got != tt.nonZero {
				t.Errorf("nonZeroRequests = %+v, want %+v", got, tt.nonZero)
			}
		})
	}
}

func TestNodeInfoAddRemove(t *testing.T) {
	a := makePod("a", "500m", "1Gi", withHostPort(80, "", ""))
	b := makePod("b", "250m", "")
	done := makePod("done", "4", "4Gi", withPhase(corev1.PodSucceeded))
	n := NewNodeInfo(makeNode("n1", "4", "8Gi"), []*corev1.Pod{a, b, done})

	if len(n.Pods) != 2 {
		t.Fatalf("terminated pod counted: %d pods", len(n.Pods))
	}
	want := Resource{MilliCPU: 750, Memory: 1 << 30, Pods: 2}
	if n.Requested != want {
		t.Errorf("Requested = %+v, want %+v", n.Requested, want)
	}
	if n.NonZeroRequested.Memory != 1<<30+DefaultMemoryRequest {
		t.Errorf("NonZeroRequested.Memory = %d", n.NonZeroRequested.Memory)
	}
	if got := n.UsedPorts; len(got) != 1 || got[0] != (HostPort{IP: "0.0.0.0", Protocol: corev1.ProtocolTCP, Port: 80}) {
		t.Errorf("UsedPorts = %+v", got)
	}

	clone := n.Clone()
	if !clone.RemovePod(a) || clone.RemovePod(a) {
		t.Fatal("RemovePod should find a once")
	}
	if len(n.Pods) != 2 || len(n.UsedPorts) != 1 {
		t.Error("removing from a clone changed the original")
	}
	want = Resource{MilliCPU: 250, Pods: 1}
	if clone.Requested != want || len(clone.UsedPorts) != 0 {
		t.Errorf("after RemovePod: Requested %+v, ports %v", clone.Requested, clone.UsedPorts)
	}
	if clone.NonZeroRequested != (Resource{MilliCPU: 250, Memory: DefaultMemoryRequest, Pods: 1}) {
		t.Errorf("after RemovePod: NonZeroRequested %+v", clone.NonZeroRequested)
	}
}

// TestUpdatePodRecountsOnlyWhatChanged: a newer version of a pod takes the
// old one's place; what the node holds is counted again only when the
// version's containers are not the old one's (a status write shares them).
func TestUpdatePodRecountsOnlyWhatChanged(t *testing.T) {
	web := makePod("web", "500m", "", withHostPort(8080, "", ""))
	n := filledNode(makeNode("node-1", "2", "4Gi"), makePod("db", "250m", ""), web)
	running := *web
	running.Status.Phase = corev1.PodRunning
	if !n.UpdatePod(&running) || n.Pods[1] != &running || n.Requested.MilliCPU != 750 || len(n.UsedPorts) != 1 {
		t.Fatalf("after a status update: pods %v, %dm CPU, ports %v; want web in place, 750m, one port", n.Pods, n.Requested.MilliCPU, n.UsedPorts)
	}
	resized := running.DeepCopy()
	resized.Spec.Containers[0].Resources.Requests[corev1.ResourceCPU] = resource.MustParse("1")
	resized.Spec.Containers[0].Ports = nil
	if !n.UpdatePod(resized) || n.Requested.MilliCPU != 1250 || len(n.UsedPorts) != 0 {
		t.Errorf("after a resize: %dm CPU, ports %v; want 1250m, none", n.Requested.MilliCPU, n.UsedPorts)
	}
	if n.UpdatePod(makePod("other", "1", "")) || len(n.Pods) != 2 {
		t.Errorf("a pod the node does not hold was taken in")
	}
}

// TestUpdatePodFrom: given the version the node holds, the newer one takes
// its place; given one it does not hold, the pod is matched by UID, as
// UpdatePod does, and a pod the node does not hold is not taken in.
func TestUpdatePodFrom(t *testing.T) {
	web := makePod("web", "500m", "")
	n := filledNode(makeNode("node-1", "2", "4Gi"), makePod("db", "250m", ""), web)
	running := *web
	running.Status.Phase = corev1.PodRunning
	if !n.UpdatePodFrom(web, &running) || n.Pods[1] != &running || n.Requested.MilliCPU != 750 {
		t.Fatalf("from the version held: pods %v, %dm CPU; want web in place, 750m", n.Pods, n.Requested.MilliCPU)
	}
	ready := running
	if !n.UpdatePodFrom(web, &ready) || n.Pods[1] != &ready || len(n.Pods) != 2 {
		t.Fatalf("from a version no longer held: pods %v; want web matched by UID", n.Pods)
	}
	if n.UpdatePodFrom(web, makePod("other", "1", "")) || len(n.Pods) != 2 {
		t.Errorf("a pod the node does not hold was taken in")
	}
}
