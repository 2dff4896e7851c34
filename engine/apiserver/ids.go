package apiserver

import (
	"fmt"

	"github.com/kubeplay/kubeplay/engine/sim"

	"k8s.io/apimachinery/pkg/api/meta"
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
func RandomString(k *sim.Kernel, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = suffixAlphabet[k.Rand().IntN(len(suffixAlphabet))]
	}
	return string(b)
}

func randomSuffix(k *sim.Kernel) string { return RandomString(k, 5) }

// newUID returns a version-4-shaped UUID from the kernel's random source.
func newUID(k *sim.Kernel) string {
	r := k.Rand()
	a, b := r.Uint64(), r.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x",
		uint32(a>>32), uint16(a>>16), uint16(a)&0x0fff, uint16(b>>48)&0x3fff|0x8000, b&0xffffffffffff)
}

func nameOf(obj runtime.Object) string {
	m, err := meta.Accessor(obj)
	if err != nil {
		return ""
	}
	return m.GetName()
}
