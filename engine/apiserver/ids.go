package apiserver

import (
	"crypto/sha256"
	"math/rand/v2"

	"github.com/kubeplay/kubeplay/engine/addons"
	"github.com/kubeplay/kubeplay/engine/sim"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

var schemaNamespaces = schema.GroupResource{Resource: "namespaces"}

func schemaGVK(res *Resource) schema.GroupVersionKind { return res.GroupVersionKind() }

// GroupVersionKind is the kind's full name: apps/v1, Kind=Deployment.
func (r *Resource) GroupVersionKind() schema.GroupVersionKind {
	return schema.GroupVersionKind{Group: r.Group, Version: r.Version, Kind: r.Kind}
}

// suffixAlphabet is the alphabet apimachinery's rand.String draws from: no
// vowels, no look-alikes, so generated names never spell words.
const suffixAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// RandomString returns n characters of the name-suffix alphabet drawn from
// the kernel's seeded random source.
func RandomString(k *sim.Kernel, n int) string { return RandomStringFrom(k.Rand(), n) }

// NameSuffix is the random suffix of the name of a pod a controller
// makes in namespace with labels, as generateName would give it: an
// add-on's drawn from the add-ons' source (as randFor draws its UID),
// the others from the kernel's.
func NameSuffix(k *sim.Kernel, namespace string, labels map[string]string) string {
	if addons.Is(namespace, labels) {
		return RandomStringFrom(k.RandAddons(), 5)
	}
	return RandomString(k, 5)
}

// RandomStringFrom returns n characters of the name-suffix alphabet drawn
// from r: a controller that must not shift the kernel's stream (and so
// every later pod name) draws from a source of its own.
func RandomStringFrom(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = suffixAlphabet[r.IntN(len(suffixAlphabet))]
	}
	return string(b)
}

// StableSuffix is a name suffix of the same alphabet and length as
// generateName's, made from seed without a random draw: for objects a
// cluster's installer ships, which must not shift the seeded names of
// everything after them.
func StableSuffix(seed string) string {
	h := sha256.Sum256([]byte(seed))
	b := make([]byte, 5)
	for i := range b {
		b[i] = suffixAlphabet[int(h[i])%len(suffixAlphabet)]
	}
	return string(b)
}

func randomSuffix(r *rand.Rand) string { return RandomStringFrom(r, 5) }

// randFor is the source the generated name and UID of obj, of res, are
// drawn from: those drawing aside (EndpointSlices) from that source;
// what a controller makes for an add-on (addons.Is: kube-proxy's pods
// and revision, a coredns pod made anew) from the add-ons' own, so that
// the number of nodes, each with a kube-proxy pod made at boot, does not
// change the names of a learner's pods; the rest (a learner's objects,
// whatever their labels) from the kernel's.
func randFor(k *sim.Kernel, res *Resource, obj runtime.Object) *rand.Rand {
	if res.DrawsAside {
		return k.RandAside()
	}
	if m, err := meta.Accessor(obj); err == nil && addons.Is(m.GetNamespace(), m.GetLabels()) && metav1.GetControllerOfNoCopy(m) != nil {
		return k.RandAddons()
	}
	return k.Rand()
}

// newUID returns a version-4-shaped UUID drawn from r.
func newUID(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	// fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", uint32(a>>32),
	// uint16(a>>16), uint16(a)&0x0fff, uint16(b>>48)&0x3fff|0x8000,
	// b&0xffffffffffff), in one allocation: every object gets one.
	var buf [36]byte
	out := appendHex(buf[:0], a>>32, 8)
	out = append(out, '-')
	out = appendHex(out, a>>16&0xffff, 4)
	out = append(out, '-', '4')
	out = appendHex(out, a&0x0fff, 3)
	out = append(out, '-')
	out = appendHex(out, b>>48&0x3fff|0x8000, 4)
	out = append(out, '-')
	out = appendHex(out, b&0xffffffffffff, 12)
	return string(out)
}

// appendHex appends the low width hex digits of v, v < 16^width.
func appendHex(dst []byte, v uint64, width int) []byte {
	const digits = "0123456789abcdef"
	for i := width - 1; i >= 0; i-- {
		dst = append(dst, digits[v>>(4*uint(i))&0xf])
	}
	return dst
}

func nameOf(obj runtime.Object) string {
	m, err := meta.Accessor(obj)
	if err != nil {
		return ""
	}
	return m.GetName()
}
