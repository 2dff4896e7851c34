package admission

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

func claim(class *string) *corev1.PersistentVolumeClaim {
	return &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: "data", Namespace: "default", ResourceVersion: "1"},
		Spec: corev1.PersistentVolumeClaimSpec{StorageClassName: class, AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}}}}
}

func class(name string, isDefault bool, created time.Time) *storagev1.StorageClass {
	sc := &storagev1.StorageClass{ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: metav1.NewTime(created)}, Provisioner: "kubeplay.io/storage"}
	if isDefault {
		sc.Annotations = map[string]string{IsDefaultClassAnnotation: "true"}
	}
	return sc
}

// The DefaultStorageClass plugin fills in only a class left unset: an
// empty name asks for no class (static binding only), and is kept.
func TestAdmitCreateDefaultClass(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	classes := []runtime.Object{class("standard", true, t0), class("fast", false, t0.Add(time.Hour)), class("newer", true, t0.Add(time.Minute))}
	for _, tc := range []struct {
		name    string
		claim   *corev1.PersistentVolumeClaim
		classes []runtime.Object
		want    *string
	}{
		{"unset gets the newest default", claim(nil), classes, ptr("newer")},
		{"named class kept", claim(ptr("fast")), classes, ptr("fast")},
		{"empty means no class", claim(ptr("")), classes, ptr("")},
		{"no default: stays unset", claim(nil), classes[1:2], nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			AdmitCreate(tc.claim, func(string) []runtime.Object { return tc.classes })
			got := tc.claim.Spec.StorageClassName
			if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
				t.Errorf("storageClassName = %v, want %v", deref(got), deref(tc.want))
			}
			if tc.claim.Status.Phase != corev1.ClaimPending || len(tc.claim.Finalizers) != 1 || tc.claim.Finalizers[0] != PVCProtectionFinalizer {
				t.Errorf("phase %q, finalizers %v; want Pending and [%s]", tc.claim.Status.Phase, tc.claim.Finalizers, PVCProtectionFinalizer)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return `"` + *s + `"`
}

func TestValidateStorage(t *testing.T) {
	pv := func(mut func(*corev1.PersistentVolume)) *corev1.PersistentVolume {
		v := &corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pv1"}, Spec: corev1.PersistentVolumeSpec{
			Capacity:    corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")},
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}, PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimRetain,
			PersistentVolumeSource: corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/mnt/data"}}}}
		if mut != nil {
			mut(v)
		}
		return v
	}
	bound := claim(ptr("standard"))
	bound.Spec.VolumeName = "pv1"
	for _, tc := range []struct {
		name     string
		obj, old runtime.Object
		want     string
	}{
		{"valid volume", pv(nil), nil, ""},
		{"valid claim", claim(nil), nil, ""},
		{"claim without modes or size", &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: "data", Namespace: "default"}}, nil,
			"The PersistentVolumeClaim \"data\" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value"},
		{"unknown access mode", pv(func(v *corev1.PersistentVolume) {
			v.Spec.AccessModes = []corev1.PersistentVolumeAccessMode{"ReadWriteSometimes"}
		}), nil,
			`The PersistentVolume "pv1" is invalid: spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"`},
		{"volume of no kind", pv(func(v *corev1.PersistentVolume) { v.Spec.HostPath = nil }), nil,
			`The PersistentVolume "pv1" is invalid: spec: Required value: must specify a volume type`},
		{"binding a claim is allowed", bound, claim(ptr("standard")), ""},
		{"claim's modes are fixed", claim(ptr("standard")), func() runtime.Object {
			c := claim(ptr("standard"))
			c.Spec.AccessModes = []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany}
			return c
		}(), `The PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(tc.obj, tc.old)
			got := ""
			if err != nil {
				got = KubectlMessage(err)
			}
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
