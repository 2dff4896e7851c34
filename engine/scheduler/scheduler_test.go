package scheduler

import (
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestNodeCacheFollowsPodUpdates: once the scheduler has seen a pod bound,
// it takes every later version of it into its node cache, as upstream's
// cache takes every informer update: the kubelet's status (the start time
// preemption orders victims by) reaches it without a hop, and it does not
// hold on to the version from binding time.
func TestNodeCacheFollowsPodUpdates(t *testing.T) {
	k := sim.NewKernel(1)
	st := store.New()
	api := apiserver.New(k, st, nil)
	s := New(api)
	st.Put(store.Key("minions", "", "node-1"), &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "node-1"},
		Status: corev1.NodeStatus{
			Allocatable: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("2"), corev1.ResourceMemory: resource.MustParse("4Gi"), corev1.ResourcePods: resource.MustParse("110")},
			Conditions:  []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}},
		},
	})
	key := store.Key("pods", "default", "web")
	st.Put(key, &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", UID: "uid-web"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "nginx", Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m")}}}}},
	})
	k.RunFor(time.Second)
	bound, _ := st.Get(key)
	if bound.(*corev1.Pod).Spec.NodeName != "node-1" {
		t.Fatalf("the pod was not bound: node %q", bound.(*corev1.Pod).Spec.NodeName)
	}
	running := *bound.(*corev1.Pod)
	start := metav1.NewTime(k.Now())
	running.Status.StartTime, running.Status.Phase = &start, corev1.PodRunning
	stored := st.Put(key, &running)
	hops := k.Delivered()
	k.RunFor(time.Second)
	ni := s.nodes["node-1"]
	if len(ni.Pods) != 1 || ni.Pods[0] != stored {
		t.Fatalf("the node cache holds %d pods, the first started at %v; want the running pod", len(ni.Pods), ni.Pods[0].Status.StartTime)
	}
	if got := ni.Requested.MilliCPU; got != 500 {
		t.Errorf("the node cache counts %dm CPU, want 500m once", got)
	}
	if k.Delivered() != hops {
		t.Errorf("a status write took %d hops to the scheduler, want none", k.Delivered()-hops)
	}
}
