package cluster

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

var resNodes, _ = apiserver.ResourceFor("nodes")

// fluentd is the DaemonSet of the Kubernetes documentation's DaemonSet
// page, in kube-system, tolerating the control plane's taints.
func fluentd() *appsv1.DaemonSet {
	labels := map[string]string{"name": "fluentd-elasticsearch"}
	t := podTemplate(labels, "fluentd-elasticsearch", "quay.io/fluentd_elasticsearch/fluentd:v2.5.2")
	t.Spec.Tolerations = []corev1.Toleration{
		{Key: "node-role.kubernetes.io/control-plane", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
		{Key: "node-role.kubernetes.io/master", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
	}
	return &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "fluentd-elasticsearch", Namespace: "kube-system", Labels: map[string]string{"k8s-app": "fluentd-logging"}},
		Spec:       appsv1.DaemonSetSpec{Selector: &metav1.LabelSelector{MatchLabels: labels}, Template: t},
	}
}

func (c *Cluster) daemonSet(t *testing.T, ns, name string) *appsv1.DaemonSet {
	t.Helper()
	obj, err := c.api.Get(resDaemonSets, ns, name)
	if err != nil {
		t.Fatal(err)
	}
	return obj.(*appsv1.DaemonSet)
}

// daemonPods are the DaemonSet's live pods as "node=image", sorted.
func (c *Cluster) daemonPods(ds *appsv1.DaemonSet) []string {
	var out []string
	for _, o := range c.api.List(resPods, ds.Namespace) {
		p := o.(*corev1.Pod)
		if ref := metav1.GetControllerOf(p); ref != nil && ref.UID == ds.UID && p.DeletionTimestamp == nil {
			out = append(out, p.Spec.NodeName+"="+p.Spec.Containers[0].Image)
		}
	}
	sort.Strings(out)
	return out
}

// settle runs the cluster until the DaemonSet's status says every pod it
// wants is there, of its template and available.
func (c *Cluster) settle(t *testing.T, ns, name string, want int32) {
	t.Helper()
	ok := c.k.RunUntil(5*time.Minute, func() bool {
		obj, err := c.api.Get(resDaemonSets, ns, name)
		if err != nil {
			return false
		}
		ds := obj.(*appsv1.DaemonSet)
		st := ds.Status
		return st.ObservedGeneration == ds.Generation && st.DesiredNumberScheduled == want && st.NumberAvailable == want &&
			st.UpdatedNumberScheduled == want && st.CurrentNumberScheduled == want && len(c.daemonPods(ds)) == int(want)
	})
	if !ok {
		ds := c.daemonSet(t, ns, name)
		t.Fatalf("daemonset %s never settled at %d: status %+v, pods %v", name, want, ds.Status, c.daemonPods(ds))
	}
}

func (c *Cluster) write(t *testing.T, verb sim.Verb, obj kruntime.Object) {
	t.Helper()
	var err error
	done := false
	c.api.Submit("kubectl", apiserver.Request{Verb: verb, Object: obj, Done: func(_ kruntime.Object, e error) { err, done = e, true }})
	c.k.RunUntil(time.Second, func() bool { return done })
	if err != nil {
		t.Fatal(err)
	}
}

func (c *Cluster) labelNode(t *testing.T, name string, labels map[string]string) {
	t.Helper()
	obj, err := c.api.Get(resNodes, "", name)
	if err != nil {
		t.Fatal(err)
	}
	n := obj.(*corev1.Node).DeepCopy()
	for k, v := range labels {
		if v == "" {
			delete(n.Labels, k)
		} else {
			n.Labels[k] = v
		}
	}
	c.write(t, sim.VerbUpdate, n)
}

// TestDaemonSetOnePodPerNode follows the documentation: a pod on every
// node, placed by node affinity and bound by the scheduler; a node added
// gets one; a pod deleted comes back.
func TestDaemonSetOnePodPerNode(t *testing.T) {
	c, err := New(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var hops []sim.Hop
	c.k.Observe(func(h sim.Hop) { hops = append(hops, h) })
	create(t, c, fluentd())
	c.settle(t, "kube-system", "fluentd-elasticsearch", 3)
	ds := c.daemonSet(t, "kube-system", "fluentd-elasticsearch")
	img := "quay.io/fluentd_elasticsearch/fluentd:v2.5.2"
	if got, want := c.daemonPods(ds), []string{"node-1=" + img, "node-2=" + img, "node-3=" + img}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("pods %v, want %v", got, want)
	}
	var creates, binds int
	for _, h := range hops {
		switch {
		case h.Verb == sim.VerbCreate && strings.HasPrefix(h.Object, "pods/") && strings.Contains(h.Summary, "matches, no pod → create"):
			creates++
		case h.Verb == sim.VerbBind && strings.Contains(h.Object, "fluentd-elasticsearch-"):
			binds++
		}
	}
	if creates != 3 || binds != 3 {
		t.Errorf("%d creates with their why and %d scheduler bindings, want 3 of each", creates, binds)
	}
	for _, o := range c.api.List(resPods, "kube-system") {
		p := o.(*corev1.Pod)
		if p.Labels["name"] != "fluentd-elasticsearch" {
			continue // the cluster's add-ons (coredns)
		}
		if len(p.Spec.Tolerations) != 8 || p.Labels["controller-revision-hash"] == "" || p.Labels["pod-template-generation"] != "1" {
			t.Errorf("pod %s: tolerations %v, labels %v", p.Name, p.Spec.Tolerations, p.Labels)
		}
	}

	if _, err := c.AddNode("", "", ""); err != nil {
		t.Fatal(err)
	}
	c.settle(t, "kube-system", "fluentd-elasticsearch", 4)

	// A pod deleted is made again on its node.
	var victim *corev1.Pod
	for _, o := range c.api.List(resPods, "kube-system") {
		if p := o.(*corev1.Pod); p.Spec.NodeName == "node-2" {
			victim = p
		}
	}
	c.api.Submit("kubectl", apiserver.Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: "kube-system", Name: victim.Name})
	c.k.RunUntil(time.Minute, func() bool {
		_, err := c.api.Get(resPods, "kube-system", victim.Name)
		return err != nil
	})
	c.settle(t, "kube-system", "fluentd-elasticsearch", 4)
}

// TestDaemonSetNodeSelector: a node that gains the label gets a pod; one
// that loses it loses its pod; status counts only matching nodes.
func TestDaemonSetNodeSelector(t *testing.T) {
	c, err := New(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ds := fluentd()
	ds.Spec.Template.Spec.NodeSelector = map[string]string{"disk": "ssd"}
	create(t, c, ds)
	c.k.RunUntil(10*time.Second, func() bool { return false })
	if st := c.daemonSet(t, "kube-system", ds.Name).Status; st.DesiredNumberScheduled != 0 || st.CurrentNumberScheduled != 0 {
		t.Fatalf("no node has disk=ssd, status %+v", st)
	}
	c.labelNode(t, "node-1", map[string]string{"disk": "ssd"})
	c.labelNode(t, "node-3", map[string]string{"disk": "ssd"})
	c.settle(t, "kube-system", ds.Name, 2)
	if got := c.daemonPods(c.daemonSet(t, "kube-system", ds.Name)); len(got) != 2 || !strings.HasPrefix(got[0], "node-1=") || !strings.HasPrefix(got[1], "node-3=") {
		t.Fatalf("pods %v, want one on node-1 and one on node-3", got)
	}
	c.labelNode(t, "node-1", map[string]string{"disk": ""})
	c.settle(t, "kube-system", ds.Name, 1)
	if got := c.daemonPods(c.daemonSet(t, "kube-system", ds.Name)); len(got) != 1 || !strings.HasPrefix(got[0], "node-3=") {
		t.Fatalf("pods %v, want only node-3's", got)
	}
}

// TestDaemonSetRollingUpdate: maxUnavailable 1 replaces one node's pod at a
// time, never two pods on a node and never more than one unavailable;
// OnDelete changes nothing until a pod is deleted.
func TestDaemonSetRollingUpdate(t *testing.T) {
	for _, tt := range []struct {
		name    string
		surge   bool
		maxPods int // most pods of the DaemonSet at once, terminating ones aside
	}{
		{"maxUnavailable 1", false, 3},
		{"maxSurge 1", true, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Options{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			ds := fluentd()
			if tt.surge {
				zero, one := intstr.FromInt32(0), intstr.FromInt32(1)
				ds.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &zero, MaxSurge: &one}
			}
			create(t, c, ds)
			c.settle(t, "kube-system", ds.Name, 3)
			cur := c.daemonSet(t, "kube-system", ds.Name).DeepCopy()
			cur.Spec.Template.Spec.Containers[0].Image = "quay.io/fluentd_elasticsearch/fluentd:v2.6.0"
			var most, leastAvailable int32 = 0, 3
			stop := c.st.Watch(func(ev store.Event) {
				if d, ok := ev.Object.(*appsv1.DaemonSet); ok && d.Status.ObservedGeneration == d.Generation && d.Generation > 1 {
					leastAvailable = min(leastAvailable, d.Status.NumberAvailable)
				}
				if _, ok := ev.Object.(*corev1.Pod); ok {
					most = max(most, int32(len(c.daemonPods(cur))))
				}
			})
			c.write(t, sim.VerbUpdate, cur)
			c.settle(t, "kube-system", ds.Name, 3)
			stop()
			if got := c.daemonPods(cur); !strings.HasSuffix(got[0], ":v2.6.0") || !strings.HasSuffix(got[2], ":v2.6.0") {
				t.Errorf("pods %v after the update", got)
			}
			if most > int32(tt.maxPods) {
				t.Errorf("%d pods at once, want at most %d", most, tt.maxPods)
			}
			if want := int32(2); tt.surge {
				want = 3
				if leastAvailable < want {
					t.Errorf("%d available at the worst moment, want at least %d", leastAvailable, want)
				}
			} else if leastAvailable < want {
				t.Errorf("%d available at the worst moment, want at least %d", leastAvailable, want)
			}
			revs, _ := apiserver.ResourceFor("controllerrevisions")
			n := 0 // kube-proxy's is kube-system's too
			for _, o := range c.api.List(revs, "kube-system") {
				if ref := metav1.GetControllerOf(o.(*appsv1.ControllerRevision)); ref != nil && ref.Name == ds.Name {
					n++
				}
			}
			if n != 2 {
				t.Errorf("%d controller revisions of %s, want 2", n, ds.Name)
			}
		})
	}
}

// TestDaemonSetOnDelete: a new template reaches a node only when its old
// pod is deleted.
func TestDaemonSetOnDelete(t *testing.T) {
	c, err := New(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ds := fluentd()
	ds.Spec.UpdateStrategy.Type = appsv1.OnDeleteDaemonSetStrategyType
	create(t, c, ds)
	c.settle(t, "kube-system", ds.Name, 3)
	cur := c.daemonSet(t, "kube-system", ds.Name).DeepCopy()
	cur.Spec.Template.Spec.Containers[0].Image = "nginx:1.27"
	c.write(t, sim.VerbUpdate, cur)
	c.k.RunUntil(time.Minute, func() bool { return false })
	st := c.daemonSet(t, "kube-system", ds.Name).Status
	if st.UpdatedNumberScheduled != 0 || st.NumberAvailable != 3 {
		t.Fatalf("OnDelete rolled by itself: %+v", st)
	}
	for _, o := range c.api.List(resPods, "kube-system") {
		if p := o.(*corev1.Pod); p.Spec.NodeName == "node-1" {
			c.api.Submit("kubectl", apiserver.Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: "kube-system", Name: p.Name})
		}
	}
	ok := c.k.RunUntil(time.Minute, func() bool {
		st := c.daemonSet(t, "kube-system", ds.Name).Status
		return st.UpdatedNumberScheduled == 1 && st.NumberAvailable == 3
	})
	if !ok {
		t.Fatalf("the deleted pod's replacement is not of the new template: %+v %v", c.daemonSet(t, "kube-system", ds.Name).Status, c.daemonPods(cur))
	}
}

// BenchmarkDaemonSet100Nodes is issue 17's figure: a DaemonSet on 100
// nodes until every pod is Ready and available. Goal: < 50 ms wall on the
// simulated runtime.
func BenchmarkDaemonSet100Nodes(b *testing.B) {
	for range b.N {
		b.StopTimer()
		c, err := New(Options{Seed: 1, Nodes: 100})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		wall, cpu, hops := time.Now(), cpuTime(), c.k.Delivered()
		c.api.Submit("kubectl", apiserver.Request{Verb: sim.VerbCreate, Object: fluentd()})
		var available int32
		stop := c.st.Watch(func(ev store.Event) {
			if d, ok := ev.Object.(*appsv1.DaemonSet); ok {
				available = d.Status.NumberAvailable
			}
		})
		ok := c.k.RunUntil(time.Hour, func() bool { return available == 100 })
		stop()
		if !ok {
			b.Fatalf("%d of 100 available", available)
		}
		b.ReportMetric(float64(time.Since(wall).Microseconds())/1000, "wall-ms/op")
		// The process's CPU time, GC included: on a shared machine it
		// varies less than the wall time.
		b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000, "cpu-ms/op")
		b.ReportMetric(float64(c.k.Delivered()-hops), "hops/op")
	}
}

// TestDaemonSetTaints: a NoSchedule taint the pod does not tolerate keeps
// the node's pod (counted misscheduled) but stops new ones; a NoExecute
// one removes it. A cordoned node keeps and gets its pod: daemon pods
// tolerate node.kubernetes.io/unschedulable.
func TestDaemonSetTaints(t *testing.T) {
	c, err := New(Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ds := fluentd()
	create(t, c, ds)
	c.settle(t, "kube-system", ds.Name, 3)
	taint := func(node string, effect corev1.TaintEffect) {
		obj, _ := c.api.Get(resNodes, "", node)
		n := obj.(*corev1.Node).DeepCopy()
		n.Spec.Taints = append(n.Spec.Taints, corev1.Taint{Key: "dedicated", Value: "db", Effect: effect})
		c.write(t, sim.VerbUpdate, n)
	}
	taint("node-2", corev1.TaintEffectNoSchedule)
	c.k.RunUntil(time.Minute, func() bool { return false })
	d := c.daemonSet(t, "kube-system", ds.Name)
	if st := d.Status; st.DesiredNumberScheduled != 2 || st.NumberMisscheduled != 1 || len(c.daemonPods(d)) != 3 {
		t.Fatalf("after NoSchedule: status %+v, pods %v", st, c.daemonPods(d))
	}
	taint("node-2", corev1.TaintEffectNoExecute)
	c.settle(t, "kube-system", ds.Name, 2)
	for _, p := range c.daemonPods(d) {
		if strings.HasPrefix(p, "node-2=") {
			t.Errorf("a pod stayed on the NoExecute node: %v", c.daemonPods(d))
		}
	}
	obj, _ := c.api.Get(resNodes, "", "node-3")
	n := obj.(*corev1.Node).DeepCopy()
	n.Spec.Unschedulable = true
	c.write(t, sim.VerbUpdate, n)
	c.k.RunUntil(time.Minute, func() bool { return false })
	if st := c.daemonSet(t, "kube-system", ds.Name).Status; st.DesiredNumberScheduled != 2 || st.NumberAvailable != 2 {
		t.Errorf("a cordoned node lost its daemon pod: %+v", st)
	}
}
