package admission

import (
	"slices"
	"sort"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	storagev1 "k8s.io/api/storage/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Finalizers of the StorageObjectInUseProtection admission plugin: a claim
// a pod uses, and a volume bound to a claim, stay (Terminating) until the
// pvc-protection and pv-protection controllers let them go.
const (
	PVCProtectionFinalizer = "kubernetes.io/pvc-protection"
	PVProtectionFinalizer  = "kubernetes.io/pv-protection"
)

// Annotations that mark a StorageClass as the cluster's default.
const (
	IsDefaultClassAnnotation     = "storageclass.kubernetes.io/is-default-class"
	BetaIsDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class"
)

// AdmitCreate does what the apiserver does to a new object only, never on
// update: the Job strategy generates a Job's selector from its UID and
// labels its pod template to match; the PersistentVolume and claim strategies start their status at
// Pending, the DefaultStorageClass plugin gives a claim that names no class
// the default one (classes are the cluster's StorageClasses), and
// StorageObjectInUseProtection adds the protection finalizers; the
// DefaultIngressClass plugin gives an Ingress that names no class the
// default IngressClass. list lists a cluster-scoped resource by plural
// ("storageclasses", "ingressclasses") and is called only for a claim or
// an Ingress: the apiserver admits every pod and ReplicaSet it creates
// too, and listing the classes for each was a List per pod.
func AdmitCreate(obj runtime.Object, list func(resource string) []runtime.Object) {
	switch o := obj.(type) {
	case *batchv1.Job:
		prepareJob(o)
	case *corev1.PersistentVolume:
		o.Status = corev1.PersistentVolumeStatus{Phase: corev1.VolumePending}
		addFinalizer(&o.Finalizers, PVProtectionFinalizer)
	case *corev1.PersistentVolumeClaim:
		o.Status = corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimPending}
		_, beta := o.Annotations[corev1.BetaStorageClassAnnotation]
		if o.Spec.StorageClassName == nil && !beta {
			if def := DefaultClass(list("storageclasses")); def != nil {
				o.Spec.StorageClassName = ptr(def.Name)
			}
		}
		addFinalizer(&o.Finalizers, PVCProtectionFinalizer)
	case *networkingv1.Ingress:
		admitIngress(o, list("ingressclasses"))
	}
}

func addFinalizer(fs *[]string, f string) {
	if !slices.Contains(*fs, f) {
		*fs = append(*fs, f)
	}
}

// DefaultClass is the cluster's default StorageClass, or nil: of the
// classes annotated as default, the newest (then the first by name), as
// upstream's GetDefaultClass picks when more than one claims to be.
func DefaultClass(classes []runtime.Object) *storagev1.StorageClass {
	var defaults []*storagev1.StorageClass
	for _, obj := range classes {
		sc := obj.(*storagev1.StorageClass)
		if sc.Annotations[IsDefaultClassAnnotation] == "true" || sc.Annotations[BetaIsDefaultClassAnnotation] == "true" {
			defaults = append(defaults, sc)
		}
	}
	if len(defaults) == 0 {
		return nil
	}
	sort.Slice(defaults, func(i, j int) bool {
		a, b := defaults[i], defaults[j]
		if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
			return b.CreationTimestamp.Before(&a.CreationTimestamp)
		}
		return a.Name < b.Name
	})
	return defaults[0]
}

// defaultStorageClass is SetDefaults_StorageClass.
func defaultStorageClass(sc *storagev1.StorageClass) {
	if sc.ReclaimPolicy == nil {
		sc.ReclaimPolicy = ptr(corev1.PersistentVolumeReclaimDelete)
	}
	if sc.VolumeBindingMode == nil {
		sc.VolumeBindingMode = ptr(storagev1.VolumeBindingImmediate)
	}
}

var accessModes = []corev1.PersistentVolumeAccessMode{corev1.ReadOnlyMany, corev1.ReadWriteMany, corev1.ReadWriteOnce, corev1.ReadWriteOncePod}

func validateAccessModes(modes []corev1.PersistentVolumeAccessMode, path *field.Path, required string) field.ErrorList {
	if len(modes) == 0 {
		return field.ErrorList{field.Required(path, required)}
	}
	var errs field.ErrorList
	for _, m := range modes {
		if !slices.Contains(accessModes, m) {
			errs = append(errs, field.NotSupported(path, m, accessModes))
		}
	}
	return errs
}

// validatePVSpec is the core of ValidatePersistentVolumeSpec: access
// modes, a storage capacity and exactly one kind of volume.
func validatePVSpec(s *corev1.PersistentVolumeSpec, path *field.Path) field.ErrorList {
	errs := validateAccessModes(s.AccessModes, path.Child("accessModes"), "")
	if len(s.Capacity) == 0 {
		errs = append(errs, field.Required(path.Child("capacity"), ""))
	}
	if _, ok := s.Capacity[corev1.ResourceStorage]; !ok || len(s.Capacity) > 1 {
		errs = append(errs, field.NotSupported(path.Child("capacity"), s.Capacity, []corev1.ResourceName{corev1.ResourceStorage}))
	}
	if s.PersistentVolumeSource == (corev1.PersistentVolumeSource{}) {
		errs = append(errs, field.Required(path, "must specify a volume type"))
	}
	errs = append(errs, requiredOneOf(path, "persistentVolumeReclaimPolicy", s.PersistentVolumeReclaimPolicy,
		corev1.PersistentVolumeReclaimDelete, corev1.PersistentVolumeReclaimRecycle, corev1.PersistentVolumeReclaimRetain)...)
	return errs
}

// validatePVCSpec is the core of ValidatePersistentVolumeClaimSpec.
func validatePVCSpec(s *corev1.PersistentVolumeClaimSpec, path *field.Path) field.ErrorList {
	errs := validateAccessModes(s.AccessModes, path.Child("accessModes"), "at least 1 access mode is required")
	if _, ok := s.Resources.Requests[corev1.ResourceStorage]; !ok {
		errs = append(errs, field.Required(path.Child("resources").Key(string(corev1.ResourceStorage)), ""))
	}
	return errs
}

// validatePVCSpecUpdate: a claim's spec is fixed once made, but for a
// larger request, the volume the controller binds it to, and a class
// given to a claim that had none (ValidatePersistentVolumeClaimUpdate).
func validatePVCSpecUpdate(spec, old *corev1.PersistentVolumeClaimSpec) field.ErrorList {
	munged := spec.DeepCopy()
	munged.Resources.Requests = old.Resources.Requests
	munged.VolumeAttributesClassName = old.VolumeAttributesClassName
	if old.VolumeName == "" {
		munged.VolumeName = old.VolumeName
	}
	if old.StorageClassName == nil {
		munged.StorageClassName = nil
	}
	if !apiequality.Semantic.DeepEqual(munged, old) {
		return field.ErrorList{field.Forbidden(field.NewPath("spec"), "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims")}
	}
	return nil
}
