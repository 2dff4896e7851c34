package bridge

import (
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/sim"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestHopShowsTheObjectItCarried: the create request carries the pod as
// kubectl sent it, before the apiserver stamps it with a UID.
func TestHopShowsTheObjectItCarried(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1, Nodes: 1})
	if err != nil {
		t.Fatal(err)
	}
	d := New(c, "en")
	var create sim.Hop
	c.Observe(func(h sim.Hop) {
		if h.Verb == sim.VerbCreate && h.Object == "pods/web" {
			create = h
		}
	})
	c.Submit("kubectl", apiserver.Request{Verb: sim.VerbCreate, Object: &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx"}}}}})
	c.RunFor(time.Second)
	yaml, carried, ok := d.ObjectYAML(create)
	if !ok || !carried {
		t.Fatalf("ok=%v carried=%v, want the hop's own payload", ok, carried)
	}
	if !strings.Contains(yaml, "name: web") || strings.Contains(yaml, "uid:") {
		t.Errorf("the create hop should show the pod as sent, without a UID:\n%s", yaml)
	}
	// Since then the pod was stored with a UID: the payload did not change.
	if p, err := c.Get(mustResource(t, "pods"), "default", "web"); err != nil || p.(*corev1.Pod).UID == "" {
		t.Fatalf("the pod was not stored: %v", err)
	}
	if again, _, _ := d.ObjectYAML(create); again != yaml {
		t.Error("the payload changed after the apiserver handled it")
	}
}

func mustResource(t *testing.T, name string) *apiserver.Resource {
	t.Helper()
	r, ok := apiserver.ResourceFor(name)
	if !ok {
		t.Fatal(name)
	}
	return r
}
