package apiserver

import (
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/engine/store"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

func newServer(t *testing.T) *Server {
	t.Helper()
	s := New(sim.NewKernel(1), store.New(), nil)
	if _, err := call(s, Request{Verb: sim.VerbCreate, Object: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}}}); err != nil {
		t.Fatal(err)
	}
	return s
}

// call submits a request and runs the kernel until it is answered.
func call(s *Server, req Request) (runtime.Object, error) {
	var out runtime.Object
	var err error
	done := false
	req.Done = func(o runtime.Object, e error) { out, err, done = o, e, true }
	s.Submit("test", req)
	s.k.RunUntil(time.Second, func() bool { return done })
	return out, err
}

func TestCreateSetsWhatOnlyTheServerSets(t *testing.T) {
	s := newServer(t)
	obj, err := call(s, Request{Verb: sim.VerbCreate, Object: &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web"}}})
	if err != nil {
		t.Fatal(err)
	}
	p := obj.(*corev1.Pod)
	if p.Namespace != "default" || p.UID == "" || p.CreationTimestamp.IsZero() || p.ResourceVersion == "" || p.Kind != "Pod" || p.APIVersion != "v1" {
		t.Errorf("created pod lacks server-set fields: %+v", p.ObjectMeta)
	}
	if _, err := call(s, Request{Verb: sim.VerbCreate, Object: &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web"}}}); !apierrors.IsAlreadyExists(err) || err.Error() != `pods "web" already exists` {
		t.Errorf("second create: %v", err)
	}
	if _, err := call(s, Request{Verb: sim.VerbCreate, Object: &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: "dev"}}}); !apierrors.IsNotFound(err) || err.Error() != `namespaces "dev" not found` {
		t.Errorf("create in a missing namespace: %v", err)
	}
}

func TestGenerationMovesOnlyWithTheSpec(t *testing.T) {
	s := newServer(t)
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: appsv1.DeploymentSpec{Replicas: ptr.To(int32(1))}}
	obj, _ := call(s, Request{Verb: sim.VerbCreate, Object: d})
	d = obj.(*appsv1.Deployment).DeepCopy()
	d.Labels = map[string]string{"a": "b"}
	obj, _ = call(s, Request{Verb: sim.VerbUpdate, Object: d})
	if g := obj.(*appsv1.Deployment).Generation; g != 1 {
		t.Errorf("a label change moved generation to %d", g)
	}
	d = obj.(*appsv1.Deployment).DeepCopy()
	d.Spec.Replicas = ptr.To(int32(3))
	obj, _ = call(s, Request{Verb: sim.VerbUpdate, Object: d})
	if g := obj.(*appsv1.Deployment).Generation; g != 2 {
		t.Errorf("a spec change left generation at %d, want 2", g)
	}
	stale := d.DeepCopy()
	stale.ResourceVersion = "1"
	if _, err := call(s, Request{Verb: sim.VerbUpdate, Object: stale}); !apierrors.IsConflict(err) {
		t.Errorf("update with a stale resourceVersion: %v, want a conflict", err)
	}
}

func TestPodDeletionIsGracefulOnANode(t *testing.T) {
	s := newServer(t)
	resPods, _ := ResourceFor("pods")
	for _, p := range []*corev1.Pod{
		{ObjectMeta: metav1.ObjectMeta{Name: "bound"}, Spec: corev1.PodSpec{NodeName: "node-1", TerminationGracePeriodSeconds: ptr.To(int64(30))}},
		{ObjectMeta: metav1.ObjectMeta{Name: "unbound"}},
	} {
		if _, err := call(s, Request{Verb: sim.VerbCreate, Object: p}); err != nil {
			t.Fatal(err)
		}
	}
	obj, err := call(s, Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: "default", Name: "bound"})
	if err != nil {
		t.Fatal(err)
	}
	p := obj.(*corev1.Pod)
	if p.DeletionTimestamp == nil || *p.DeletionGracePeriodSeconds != 30 {
		t.Fatalf("a bound pod should be marked for deletion with its grace period: %+v", p.ObjectMeta)
	}
	if _, err := s.Get(resPods, "default", "bound"); err != nil {
		t.Fatal("the bound pod is gone before its kubelet stopped it")
	}
	zero := int64(0)
	if _, err := call(s, Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: "default", Name: "bound", Grace: &zero}); err != nil {
		t.Fatal(err)
	}
	if _, err := call(s, Request{Verb: sim.VerbDelete, Resource: resPods, Namespace: "default", Name: "unbound"}); err != nil {
		t.Fatal(err)
	}
	if n := len(s.List(resPods, "default")); n != 0 {
		t.Fatalf("%d pods left; a grace of 0 and an unbound pod both delete at once", n)
	}
}

// TestPatchAppliesToWhatIsStoredAtCommit: a patch without a
// resourceVersion is not refused when the object changes between its
// admission and its write (a controller's status update); it is applied
// again to the newer object, as GuaranteedUpdate does. With a version, it
// is a conflict.
func TestPatchAppliesToWhatIsStoredAtCommit(t *testing.T) {
	s := newServer(t)
	res, _ := ResourceFor("configmaps")
	if _, err := call(s, Request{Verb: sim.VerbCreate, Object: &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "c", Namespace: "default"},
		Data: map[string]string{"a": "1"}}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		patch    string
		conflict bool
	}{
		{`{"data":{"b":"2"}}`, false},
		{`{"metadata":{"resourceVersion":"2"},"data":{"b":"3"}}`, true},
	} {
		var err error
		done := false
		s.Submit("test", Request{Verb: sim.VerbPatch, Resource: res, Namespace: "default", Name: "c", Patch: []byte(tc.patch),
			PatchType: "application/merge-patch+json", Done: func(_ runtime.Object, e error) { err, done = e, true }})
		s.k.RunFor(Latency) // admitted, not yet written
		cur, _ := s.Get(res, "default", "c")
		other := cur.(*corev1.ConfigMap).DeepCopy()
		other.Data["z"] = "26"
		s.st.Put(KeyOf(other), other)
		s.k.RunUntil(time.Second, func() bool { return done })
		if got := apierrors.IsConflict(err); got != tc.conflict {
			t.Fatalf("patch %s: error %v, conflict wanted: %v", tc.patch, err, tc.conflict)
		}
	}
	got, _ := s.Get(res, "default", "c")
	if d := got.(*corev1.ConfigMap).Data; d["b"] != "2" || d["z"] != "26" || d["a"] != "1" {
		t.Errorf("after the patches: %v", d)
	}
}

// The apiserver's hop to etcd names the component whose request it
// carries out, whose why the hop's Summary is: the flow says whose
// decision the write is (the ReplicaSet controller's, not the
// apiserver's).
func TestEtcdHopNamesTheRequester(t *testing.T) {
	s := newServer(t)
	var writes []sim.Hop
	s.k.Observe(func(h sim.Hop) {
		if h.To == Etcd {
			writes = append(writes, h)
		}
	})
	done := false
	s.Submit("controller-manager", Request{Verb: sim.VerbCreate, Why: "want 1, have 0 → create 1",
		Object: &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-1"}}, Done: func(runtime.Object, error) { done = true }})
	s.k.RunUntil(time.Second, func() bool { return done })
	if len(writes) != 1 || writes[0].Requester != "controller-manager" || writes[0].Summary != "want 1, have 0 → create 1" {
		t.Errorf("hops to etcd %+v, want one for controller-manager with its why", writes)
	}
}
