package controller

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestANewControllerIsOneRegistration adds two controllers the way a new
// one's file does (its install function is the one line the registry
// gains) and checks what the queue runner promises them: their watches
// alone decide what reaches them, labelled as hops; a key changed twice
// before a pass is reconciled once; a pass goes by Order, not by when a
// controller registered; and a requeueAfter comes back on the clock.
func TestANewControllerIsOneRegistration(t *testing.T) {
	k := sim.NewKernel(1)
	st := store.New()
	m := New(apiserver.New(k, st, nil))
	var calls []string
	record := func(name string, requeue map[string]time.Duration) ReconcileFunc {
		return func(key Key) Result {
			calls = append(calls, fmt.Sprintf("%s %s at %s", name, key, k.Elapsed()))
			d := requeue[key.Name]
			delete(requeue, key.Name)
			return Result{RequeueAfter: d, Why: "look again at " + key.String()}
		}
	}
	configMaps := &corev1.ConfigMap{}
	m.Register(Controller{Name: "late", Order: 200, Reconciler: record("late", map[string]time.Duration{"a": 10 * time.Second}),
		Watches: []Watch{{Object: configMaps, Keys: ownKey}}})
	m.Register(Controller{Name: "early", Order: 100, Reconciler: record("early", nil), Watches: []Watch{{
		Object: configMaps,
		Filter: func(ev store.Event) (string, bool) { return "", ev.Object.(*corev1.ConfigMap).Name == "b" },
		Keys:   ownKey,
	}}})
	var hops []string
	k.Observe(func(h sim.Hop) {
		if h.To == Name {
			hops = append(hops, h.Object+": "+h.Summary)
		}
	})
	put := func(name, value string) {
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: name}, Data: map[string]string{"v": value}}
		st.Put(apiserver.KeyOf(cm), cm)
	}
	put("a", "1")
	put("a", "2")
	put("b", "1")
	k.RunFor(time.Minute)

	wantHops := []string{"configmaps/a: configmap added", "configmaps/a: configmap updated", "configmaps/b: configmap added"}
	if diff := cmp.Diff(wantHops, hops); diff != "" {
		t.Errorf("hops to the controller manager (-want +got):\n%s", diff)
	}
	latency := apiserver.Latency.String()
	wantCalls := []string{
		"early default/b at " + latency, // Order 100 before 200, though registered after
		"late default/a at " + latency,  // once for two changes
		"late default/b at " + latency,
		"late default/a at " + (apiserver.Latency + 10*time.Second).String(), // its requeueAfter
	}
	if diff := cmp.Diff(wantCalls, calls); diff != "" {
		t.Errorf("reconciles (-want +got):\n%s", diff)
	}
	if slices.ContainsFunc(m.controllers, func(c *Controller) bool { return c.Order == 0 && !c.Inline }) {
		t.Errorf("a queued controller has no Order: its place in a pass would be an accident of the list")
	}
}
