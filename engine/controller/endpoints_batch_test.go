package controller

//lint:file-ignore SA1019 v1 Endpoints is what the controller writes.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// endpointsCluster is a controller manager over a store holding a Service
// selecting app=web and n Running pods of it, not ready. writes lists
// when the controller sent each Endpoints write.
func endpointsCluster(n int) (k *sim.Kernel, st *store.Store, pods []*corev1.Pod, writes *[]time.Duration) {
	k = sim.NewKernel(1)
	st = store.New()
	New(apiserver.New(k, st, nil))
	writes = new([]time.Duration)
	k.Observe(func(h sim.Hop) {
		if h.From == Name && strings.HasPrefix(h.Object, "endpoints/") {
			*writes = append(*writes, h.At)
		}
	})
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}}
	st.Put(apiserver.KeyOf(ns), ns)
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "web"},
		Spec: corev1.ServiceSpec{Selector: map[string]string{"app": "web"}, Ports: []corev1.ServicePort{{Port: 80, Protocol: corev1.ProtocolTCP}}}}
	st.Put(apiserver.KeyOf(svc), svc)
	for i := range n {
		p := epPod(fmt.Sprintf("web-%05d", i), fmt.Sprintf("10.%d.%d.%d", 1+i>>16, i>>8&255, i&255), false, false, corev1.PodRunning)
		p.UID = types.UID("uid-" + p.Name)
		st.Put(apiserver.KeyOf(p), p)
		pods = append(pods, p)
	}
	k.RunFor(time.Minute)
	*writes = nil
	return k, st, pods, writes
}

// setReady stores p as Ready.
func setReady(st *store.Store, p *corev1.Pod) {
	p = p.DeepCopy()
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
	st.Put(apiserver.KeyOf(p), p)
}

func readyAddresses(st *store.Store) int {
	obj, ok := st.Get(apiserver.KeyOf(&corev1.Endpoints{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "web"}}))
	if !ok {
		return -1
	}
	n := 0
	for _, s := range obj.(*corev1.Endpoints).Subsets {
		n += len(s.Addresses)
	}
	return n
}

// A Service's pod changes are synced together: 1,000 in one instant in
// one sync, 1,000 one millisecond apart in one sync for each time the
// last sync kept the controller busy (10 µs a pod), not one each (each
// sync lists and sorts every pod: one a change grew as n²). A small
// Service's syncs come as soon as ever.
func TestEndpointsSyncsBatchPodChanges(t *testing.T) {
	k, st, pods, writes := endpointsCluster(1000)
	for _, p := range pods {
		setReady(st, p)
	}
	k.RunFor(time.Minute)
	if len(*writes) != 1 || readyAddresses(st) != 1000 {
		t.Errorf("1,000 changes at once: %d writes, %d addresses; want 1 and 1000", len(*writes), readyAddresses(st))
	}

	k, st, pods, writes = endpointsCluster(1000)
	start := k.Elapsed()
	for i, p := range pods {
		k.After(time.Duration(i)*time.Millisecond, "test", "ready", func() { setReady(st, p) })
	}
	k.RunFor(time.Minute)
	if n := len(*writes); n < 50 || n > 200 || readyAddresses(st) != 1000 {
		t.Errorf("1,000 changes 1 ms apart: %d writes, %d addresses; want about 100 and 1000", n, readyAddresses(st))
	}
	if last := (*writes)[len(*writes)-1] - start; last > 999*time.Millisecond+12*time.Millisecond {
		t.Errorf("the last change was written at %v: more than one busy while after it was made (999 ms)", last)
	}

	k, st, pods, writes = endpointsCluster(3)
	start = k.Elapsed()
	for i, p := range pods {
		k.After(time.Duration(i)*time.Millisecond, "test", "ready", func() { setReady(st, p) })
	}
	k.RunFor(time.Minute)
	var at []time.Duration
	for _, w := range *writes {
		at = append(at, w-start)
	}
	// Each change reaches the controller a millisecond after it is
	// stored (the watch's latency), is written at once, and the write
	// reaches the apiserver a millisecond later.
	if want := []time.Duration{2 * time.Millisecond, 3 * time.Millisecond, 4 * time.Millisecond}; fmt.Sprint(at) != fmt.Sprint(want) {
		t.Errorf("3 pods: writes at %v, want %v", at, want)
	}
}
