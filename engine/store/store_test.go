package store

import (
	"strconv"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

func pod(ns, name, node string) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Spec: corev1.PodSpec{NodeName: node}}
}

func names(objs []runtime.Object) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.(*corev1.Pod).Name)
	}
	return out
}

func TestKeysAreEtcdsAndListsInKeyOrder(t *testing.T) {
	if got := Key("pods", "default", "web"); got != "/registry/pods/default/web" {
		t.Errorf("Key = %s", got)
	}
	if got := Key("minions", "", "node-1"); got != "/registry/minions/node-1" {
		t.Errorf("Key = %s", got)
	}
	s := New()
	for _, p := range []*corev1.Pod{pod("default", "c", ""), pod("kube-system", "a", ""), pod("default", "a", ""), pod("default", "b", "")} {
		s.Put(Key("pods", p.Namespace, p.Name), p)
	}
	if got := names(s.List(Prefix("pods", "default"))); len(got) != 3 || got[0] != "a" || got[1] != "b" || got[2] != "c" {
		t.Errorf("List(default) = %v, want [a b c]", got)
	}
	if got := s.List(Prefix("pods", "")); len(got) != 4 {
		t.Errorf("List(all) has %d pods, want 4", len(got))
	}
}

func TestEveryWriteGetsTheNextResourceVersion(t *testing.T) {
	s := New()
	a := s.Put(Key("pods", "default", "a"), pod("default", "a", ""))
	b := s.Put(Key("pods", "default", "b"), pod("default", "b", ""))
	if a.(*corev1.Pod).ResourceVersion != "1" || b.(*corev1.Pod).ResourceVersion != "2" || s.Revision() != 2 {
		t.Fatalf("resourceVersions %s, %s, revision %d", a.(*corev1.Pod).ResourceVersion, b.(*corev1.Pod).ResourceVersion, s.Revision())
	}
	s.Delete(Key("pods", "default", "a"))
	if s.Revision() != 3 {
		t.Fatalf("a delete did not move the revision: %d", s.Revision())
	}
}

func TestWatchSeesAddedModifiedDeletedUntilStopped(t *testing.T) {
	s := New()
	var got []watch.EventType
	stop := s.Watch(func(ev Event) { got = append(got, ev.Type) })
	key := Key("pods", "default", "a")
	s.Put(key, pod("default", "a", ""))
	s.Put(key, pod("default", "a", "node-1"))
	s.Delete(key)
	stop()
	s.Put(key, pod("default", "a", ""))
	want := []watch.EventType{watch.Added, watch.Modified, watch.Deleted}
	if len(got) != len(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("events %v, want %v", got, want)
		}
	}
}

func TestIndexFollowsChanges(t *testing.T) {
	s := New()
	s.AddIndex(Prefix("pods", ""), "node", func(o runtime.Object, dst []string) []string { return append(dst, o.(*corev1.Pod).Spec.NodeName) })
	key := Key("pods", "default", "a")
	s.Put(key, pod("default", "a", ""))
	s.Put(Key("pods", "default", "b"), pod("default", "b", "node-1"))
	s.Put(key, pod("default", "a", "node-1"))
	if got := names(s.ByIndex(Prefix("pods", ""), "node", "node-1")); len(got) != 2 || got[0] != "a" {
		t.Fatalf("pods on node-1: %v, want [a b]", got)
	}
	if got := s.ByIndex(Prefix("pods", ""), "node", ""); len(got) != 0 {
		t.Fatalf("a moved pod is still filed under its old value: %v", names(got))
	}
	// A write under the same values hands out the new object.
	moved := pod("default", "a", "node-1")
	moved.Labels = map[string]string{"v": "2"}
	s.Put(key, moved)
	if got := s.ByIndexAnyOrder(Prefix("pods", ""), "node", "node-1"); len(got) != 2 || (got[0] != moved && got[1] != moved) {
		t.Fatalf("after a write in place the index hands out %v", got)
	}
	if n := s.IndexLen(Prefix("pods", ""), "node", "node-1"); n != 2 {
		t.Fatalf("IndexLen(node-1) = %d, want 2", n)
	}
	s.Delete(key)
	if got := names(s.ByIndex(Prefix("pods", ""), "node", "node-1")); len(got) != 1 || got[0] != "b" {
		t.Fatalf("after delete: %v, want [b]", got)
	}
}

// upperCodec keeps pods with their name upper-cased in a stand-in type, to
// see that every read hands out the decoded object; it counts decodes.
type upperCodec struct{ decodes int }

type encodedPod struct {
	runtime.Object
	name string
}

func (*upperCodec) Encode(obj runtime.Object) runtime.Object {
	p := obj.(*corev1.Pod).DeepCopy()
	name := strings.ToUpper(p.Name)
	p.Name = ""
	return encodedPod{p, name}
}

func (c *upperCodec) Decode(stored runtime.Object) runtime.Object {
	c.decodes++
	e := stored.(encodedPod)
	p := e.Object.(*corev1.Pod).DeepCopy()
	p.Name = strings.ToLower(e.name)
	return p
}

// TestCodecKeepsObjectsEncodedAndHandsThemOutDecoded: objects under a
// prefix with a codec are kept as Encode made them, and every read (Get,
// List, the indexes, a watch's old object, Delete) hands out Decode's,
// except that the objects written last are handed out as written.
func TestCodecKeepsObjectsEncodedAndHandsThemOutDecoded(t *testing.T) {
	s := New()
	prefix := Prefix("pods", "")
	codec := &upperCodec{}
	s.SetCodec(prefix, codec)
	s.AddIndex(prefix, "node", func(o runtime.Object, dst []string) []string { return append(dst, o.(*corev1.Pod).Spec.NodeName) })
	var old []string
	s.Watch(func(ev Event) {
		if ev.Old != nil {
			old = append(old, ev.Old.(*corev1.Pod).Name)
		}
	})
	key := Key("pods", "default", "a")
	s.Put(key, pod("default", "a", "node-1"))
	s.Put(Key("pods", "default", "b"), pod("default", "b", "node-1"))
	if kept := s.prefixes[prefix][key].(encodedPod); kept.name != "A" {
		t.Fatalf("the store keeps %+v, not the encoded pod", kept)
	}
	if got, _ := s.Get(key); got.(*corev1.Pod).Name != "a" || got.(*corev1.Pod).ResourceVersion != "1" {
		t.Errorf("Get = %s at %s, want a at 1", got.(*corev1.Pod).Name, got.(*corev1.Pod).ResourceVersion)
	}
	if codec.decodes != 0 {
		t.Errorf("reading the object just written decoded it")
	}
	for i := range recentlyWritten {
		s.Put(Key("pods", "other", strconv.Itoa(i)), pod("other", strconv.Itoa(i), ""))
	}
	if got, _ := s.Get(key); got.(*corev1.Pod).Name != "a" || codec.decodes != 1 {
		t.Errorf("Get of an object written long ago = %s after %d decodes, want a after 1", got.(*corev1.Pod).Name, codec.decodes)
	}
	if got, ok := s.GetAt("pods", "default", "a"); !ok || got.(*corev1.Pod).Name != "a" || codec.decodes != 2 {
		t.Errorf("GetAt of an object written long ago = %v after %d decodes, want a after 2", got, codec.decodes)
	}
	last := strconv.Itoa(recentlyWritten - 1)
	if got, ok := s.GetAt("pods", "other", last); !ok || got.(*corev1.Pod).Name != last || codec.decodes != 2 {
		t.Errorf("GetAt of the object written last = %v after %d decodes, want %s undecoded", got, codec.decodes, last)
	}
	if got, ok := s.GetAt("pods", "default", "zz"); ok || got != nil {
		t.Errorf("GetAt of a missing pod = %v, %v", got, ok)
	}
	if got := names(s.List(Prefix("pods", "default"))); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("List = %v, want [a b]", got)
	}
	if got := names(s.ByIndex(prefix, "node", "node-1")); len(got) != 2 || got[0] != "a" {
		t.Errorf("ByIndex = %v, want [a b]", got)
	}
	if got := s.ByIndexAnyOrder(prefix, "node", "node-1"); len(got) != 2 || got[0].(*corev1.Pod).Name == "" {
		t.Errorf("ByIndexAnyOrder hands out encoded pods")
	}
	s.Put(key, pod("default", "a", "node-2"))
	if got := names(s.ByIndex(prefix, "node", "node-2")); len(got) != 1 || got[0] != "a" {
		t.Errorf("after a move: %v, want [a] on node-2", got)
	}
	if gone, _ := s.Delete(key); gone.(*corev1.Pod).Name != "a" {
		t.Errorf("Delete returned %q, want a", gone.(*corev1.Pod).Name)
	}
	if len(old) != 2 || old[0] != "a" || old[1] != "a" {
		t.Errorf("watch saw old objects %v, want [a a]", old)
	}
}

// TestIndexValueWithManyKeys files more objects under one value than its
// slice holds, and takes them out again: every read sees each key once.
func TestIndexValueWithManyKeys(t *testing.T) {
	s := New()
	prefix := Prefix("pods", "")
	s.AddIndex(prefix, "node", func(o runtime.Object, dst []string) []string { return append(dst, o.(*corev1.Pod).Spec.NodeName) })
	const n = 3 * fewKeys
	for i := range n {
		s.Put(Key("pods", "default", "p"+strconv.Itoa(100+i)), pod("default", "p"+strconv.Itoa(100+i), "node-1"))
		s.Put(Key("pods", "default", "p"+strconv.Itoa(100+i)), pod("default", "p"+strconv.Itoa(100+i), "node-1")) // again: no twin
		if got := s.IndexLen(prefix, "node", "node-1"); got != i+1 {
			t.Fatalf("after %d pods IndexLen = %d", i+1, got)
		}
	}
	for i := range n - 1 {
		s.Delete(Key("pods", "default", "p"+strconv.Itoa(100+i)))
		want := n - 1 - i
		got := names(s.ByIndex(prefix, "node", "node-1"))
		if len(got) != want || got[0] != "p"+strconv.Itoa(100+i+1) || len(s.ByIndexAnyOrder(prefix, "node", "node-1")) != want {
			t.Fatalf("after deleting %d: %v", i+1, got)
		}
	}
	s.Delete(Key("pods", "default", "p"+strconv.Itoa(100+n-1)))
	if got := s.IndexLen(prefix, "node", "node-1"); got != 0 {
		t.Fatalf("IndexLen after deleting all = %d", got)
	}
}

// TestListAndRangeFollowKeysComingAndGoing: List and Range give the keys
// in order under a namespace or a whole resource, after keys are added
// and deleted (the sorted keys are made again), whether the resource is
// small enough to keep its keys sorted or not; a modified object is read
// as it is now.
func TestListAndRangeFollowKeysComingAndGoing(t *testing.T) {
	for _, n := range []int{3, sortedUpTo + 5} {
		s := New()
		for i := range n {
			s.Put(Key("pods", "b", "p"+strconv.Itoa(i)), pod("b", "p"+strconv.Itoa(i), ""))
		}
		s.Put(Key("pods", "c", "z"), pod("c", "z", ""))
		s.Put(Key("pods", "a", "y"), pod("a", "y", ""))
		ranged := func(prefix string) []string {
			var out []string
			for o := range s.Range(prefix) {
				out = append(out, o.(*corev1.Pod).Name)
			}
			return out
		}
		check := func(prefix, want string) {
			t.Helper()
			if got := strings.Join(names(s.List(prefix)), ","); got != want {
				t.Errorf("%d pods: List(%s) = %s, want %s", n, prefix, got, want)
			}
			if got := strings.Join(ranged(prefix), ","); got != want {
				t.Errorf("%d pods: Range(%s) = %s, want %s", n, prefix, got, want)
			}
		}
		check(Prefix("pods", "a"), "y")
		if got, ok := s.GetAt("pods", "c", "z"); !ok || got.(*corev1.Pod).Name != "z" {
			t.Errorf("GetAt(pods, c, z) = %v, %v", got, ok)
		}
		long := strings.Repeat("n", 300) // past GetAt's buffer
		s.Put(Key("nodes", "", long), pod("", long, ""))
		if got, ok := s.GetAt("nodes", "", long); !ok || got.(*corev1.Pod).Name != long {
			t.Errorf("GetAt of a cluster-scoped object with a long name = %v, %v", got, ok)
		}
		s.Put(Key("services/specs", "a", "svc"), pod("a", "svc", ""))
		if got, ok := s.GetAt("services/specs", "a", "svc"); !ok || got.(*corev1.Pod).Name != "svc" {
			t.Errorf("GetAt of a resource kept under a longer prefix (services/specs) = %v, %v", got, ok)
		}
		if _, ok := s.GetAt("nodes", "", "n"); ok {
			t.Errorf("GetAt found a missing node")
		}
		check(Prefix("pods", "c"), "z")
		s.Put(Key("pods", "a", "x"), pod("a", "x", ""))
		check(Prefix("pods", "a"), "x,y")
		s.Delete(Key("pods", "a", "y"))
		check(Prefix("pods", "a"), "x")
		s.Put(Key("pods", "a", "x"), pod("a", "x", "node-1"))
		if got := s.List(Prefix("pods", "a"))[0].(*corev1.Pod).Spec.NodeName; got != "node-1" {
			t.Errorf("%d pods: List gives the old version (node %q)", n, got)
		}
		check(Prefix("pods", "d"), "")
		if all := s.List(Prefix("pods", "")); len(all) != n+2 || all[0].(*corev1.Pod).Name != "x" || all[n+1].(*corev1.Pod).Name != "z" {
			t.Errorf("%d pods: List of all gives %d, first %s", n, len(all), all[0].(*corev1.Pod).Name)
		}
		for range s.Range(Prefix("pods", "b")) {
			break // stopping early is allowed
		}
		// Writing while ranging: a key deleted is not yielded, one
		// modified is yielded as it is now.
		s.Put(Key("pods", "a", "w"), pod("a", "w", ""))
		var seen []string
		for o := range s.Range(Prefix("pods", "a")) {
			p := o.(*corev1.Pod)
			seen = append(seen, p.Name+"@"+p.Spec.NodeName)
			if p.Name == "w" {
				s.Delete(Key("pods", "a", "x"))
			}
		}
		if got := strings.Join(seen, ","); got != "w@" {
			t.Errorf("%d pods: ranging while deleting yields %s, want w@", n, got)
		}
	}
}
