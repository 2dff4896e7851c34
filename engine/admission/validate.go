package admission

import (
	"fmt"
	"sort"
	"strings"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Validate checks obj as the apiserver does on create (old == nil) or on
// update. It returns nil or the *apierrors.StatusError the apiserver would
// answer with (reason Invalid, one cause per field). Call Default first:
// the rules assume defaulted objects, as upstream's do.
func Validate(obj, old runtime.Object) error {
	var errs field.ErrorList
	var gk schema.GroupKind
	var name string
	switch o := obj.(type) {
	case *corev1.Pod:
		gk, name = corev1.SchemeGroupVersion.WithKind("Pod").GroupKind(), o.Name
		errs = validateMeta(&o.ObjectMeta, old, true, apivalidation.NameIsDNSSubdomain)
		errs = append(errs, validatePodSpec(&o.Spec, specPath)...)
		if p, ok := old.(*corev1.Pod); ok {
			errs = append(errs, validatePodSpecUpdate(&o.Spec, &p.Spec)...)
		}
	case *appsv1.Deployment:
		gk, name = appsv1.SchemeGroupVersion.WithKind("Deployment").GroupKind(), o.Name
		errs = validateMeta(&o.ObjectMeta, old, true, apivalidation.NameIsDNSSubdomain)
		errs = append(errs, validateReplicated(o.Spec.Replicas, o.Spec.Selector, &o.Spec.Template, "deployment")...)
		errs = append(errs, validateDeploymentStrategy(&o.Spec.Strategy, field.NewPath("spec", "strategy"))...)
		if p, ok := old.(*appsv1.Deployment); ok {
			errs = append(errs, apivalidation.ValidateImmutableField(o.Spec.Selector, p.Spec.Selector, field.NewPath("spec", "selector"))...)
		}
	case *appsv1.ReplicaSet:
		gk, name = appsv1.SchemeGroupVersion.WithKind("ReplicaSet").GroupKind(), o.Name
		errs = validateMeta(&o.ObjectMeta, old, true, apivalidation.NameIsDNSSubdomain)
		errs = append(errs, validateReplicated(o.Spec.Replicas, o.Spec.Selector, &o.Spec.Template, "")...)
		if p, ok := old.(*appsv1.ReplicaSet); ok {
			errs = append(errs, apivalidation.ValidateImmutableField(o.Spec.Selector, p.Spec.Selector, field.NewPath("spec", "selector"))...)
		}
	case *appsv1.DaemonSet:
		gk, name = appsv1.SchemeGroupVersion.WithKind("DaemonSet").GroupKind(), o.Name
		errs = validateMeta(&o.ObjectMeta, old, true, apivalidation.NameIsDNSSubdomain)
		oldDS, _ := old.(*appsv1.DaemonSet)
		errs = append(errs, validateDaemonSet(o, oldDS)...)
	case *appsv1.StatefulSet:
		gk, name = appsv1.SchemeGroupVersion.WithKind("StatefulSet").GroupKind(), o.Name
		errs = validateMeta(&o.ObjectMeta, old, true, apivalidation.NameIsDNSSubdomain)
		errs = append(errs, validateStatefulSetSpec(&o.Spec, field.NewPath("spec"))...)
		if p, ok := old.(*appsv1.StatefulSet); ok {
			errs = append(errs, validateStatefulSetUpdate(&o.Spec, &p.Spec)...)
		}
	case *batchv1.Job:
		gk, name = batchv1.SchemeGroupVersion.WithKind("Job").GroupKind(), o.Name
		errs = validateJob(o, old)
	case *batchv1.CronJob:
		gk, name = batchv1.SchemeGroupVersion.WithKind("CronJob").GroupKind(), o.Name
		errs = validateCronJob(o, old)
	case *autoscalingv2.HorizontalPodAutoscaler:
		gk, name = autoscalingv2.SchemeGroupVersion.WithKind("HorizontalPodAutoscaler").GroupKind(), o.Name
		oldHPA, _ := old.(*autoscalingv2.HorizontalPodAutoscaler)
		errs = validateHPA(o, oldHPA)
	case *corev1.Service:
		gk, name = corev1.SchemeGroupVersion.WithKind("Service").GroupKind(), o.Name
		// Services become DNS names and environment variable prefixes,
		// hence the stricter DNS-1035 label (ValidateServiceName).
		errs = validateMeta(&o.ObjectMeta, old, true, apivalidation.NameIsDNS1035Label)
		errs = append(errs, validateServiceSpec(&o.Spec, field.NewPath("spec"))...)
	case *corev1.ConfigMap:
		gk, name = corev1.SchemeGroupVersion.WithKind("ConfigMap").GroupKind(), o.Name
		errs = validateMeta(&o.ObjectMeta, old, true, apivalidation.NameIsDNSSubdomain)
		errs = append(errs, validateKeys(sortedKeys(o.Data), field.NewPath("data"))...)
		errs = append(errs, validateKeys(sortedKeys(o.BinaryData), field.NewPath("binaryData"))...)
	case *corev1.Secret:
		gk, name = corev1.SchemeGroupVersion.WithKind("Secret").GroupKind(), o.Name
		errs = validateMeta(&o.ObjectMeta, old, true, apivalidation.NameIsDNSSubdomain)
		// The apiserver merges stringData into data before validating,
		// so both are reported under data.
		keys := append(sortedKeys(o.Data), sortedKeys(o.StringData)...)
		errs = append(errs, validateKeys(keys, field.NewPath("data"))...)
	case *corev1.PersistentVolume:
		gk, name = corev1.SchemeGroupVersion.WithKind("PersistentVolume").GroupKind(), o.Name
		errs = validateMeta(&o.ObjectMeta, old, false, apivalidation.NameIsDNSSubdomain)
		errs = append(errs, validatePVSpec(&o.Spec, field.NewPath("spec"))...)
	case *corev1.PersistentVolumeClaim:
		gk, name = corev1.SchemeGroupVersion.WithKind("PersistentVolumeClaim").GroupKind(), o.Name
		errs = validateMeta(&o.ObjectMeta, old, true, apivalidation.NameIsDNSSubdomain)
		errs = append(errs, validatePVCSpec(&o.Spec, field.NewPath("spec"))...)
		if p, ok := old.(*corev1.PersistentVolumeClaim); ok {
			errs = append(errs, validatePVCSpecUpdate(&o.Spec, &p.Spec)...)
		}
	case *networkingv1.Ingress:
		gk, name = networkingv1.SchemeGroupVersion.WithKind("Ingress").GroupKind(), o.Name
		errs = validateIngress(o, old)
	case *networkingv1.IngressClass:
		gk, name = networkingv1.SchemeGroupVersion.WithKind("IngressClass").GroupKind(), o.Name
		errs = validateIngressClass(o, old)
	case *corev1.Namespace:
		gk, name = corev1.SchemeGroupVersion.WithKind("Namespace").GroupKind(), o.Name
		errs = validateMeta(&o.ObjectMeta, old, false, apivalidation.NameIsDNSLabel)
	default:
		// Other kinds only get the metadata checks every object gets.
		acc, ok := obj.(metav1.ObjectMetaAccessor)
		if !ok {
			return nil
		}
		meta := acc.GetObjectMeta().(*metav1.ObjectMeta)
		gvk := obj.GetObjectKind().GroupVersionKind()
		gk, name = gvk.GroupKind(), meta.Name
		errs = validateMeta(meta, old, meta.Namespace != "", apivalidation.NameIsDNSSubdomain)
	}
	if len(errs) == 0 {
		return nil
	}
	return apierrors.NewInvalid(gk, name, errs)
}

// specPath and metadataPath are the roots of most paths: paths are never
// changed (Child makes a new one), so every object validated shares them.
var specPath, metadataPath = field.NewPath("spec"), field.NewPath("metadata")

func validateMeta(meta *metav1.ObjectMeta, old runtime.Object, namespaced bool, nameFn apivalidation.ValidateNameFunc) field.ErrorList {
	errs := apivalidation.ValidateObjectMeta(meta, namespaced, nameFn, metadataPath)
	if acc, ok := old.(metav1.ObjectMetaAccessor); ok {
		if oldMeta, ok := acc.GetObjectMeta().(*metav1.ObjectMeta); ok {
			errs = append(errs, apivalidation.ValidateObjectMetaUpdate(meta, oldMeta, field.NewPath("metadata"))...)
		}
	}
	return errs
}

// validateReplicated holds the rules ReplicaSet, Deployment, DaemonSet and
// StatefulSet share (apps/validation ValidateReplicaSetSpec and friends).
// emptyName names the kind in "empty selector is invalid for ..." when
// upstream has that rule.
func validateReplicated(replicas *int32, sel *metav1.LabelSelector, tmpl *corev1.PodTemplateSpec, emptyName string) field.ErrorList {
	spec := field.NewPath("spec")
	var errs field.ErrorList
	if replicas != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*replicas), spec.Child("replicas"))...)
	}
	if sel == nil {
		errs = append(errs, field.Required(spec.Child("selector"), ""))
	} else {
		errs = append(errs, metav1validation.ValidateLabelSelector(sel, metav1validation.LabelSelectorValidationOptions{}, spec.Child("selector"))...)
		if emptyName != "" && len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
			errs = append(errs, field.Invalid(spec.Child("selector"), sel, "empty selector is invalid for "+emptyName))
		}
	}
	tpath := spec.Child("template")
	selector, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return append(errs, field.Invalid(spec.Child("selector"), sel, "invalid label selector"))
	}
	if !selector.Empty() && !selector.Matches(labels.Set(tmpl.Labels)) {
		errs = append(errs, field.Invalid(tpath.Child("metadata", "labels"), tmpl.Labels, "`selector` does not match template `labels`"))
	}
	errs = append(errs, metav1validation.ValidateLabels(tmpl.Labels, tpath.Child("metadata", "labels"))...)
	errs = append(errs, validatePodSpec(&tmpl.Spec, tpath.Child("spec"))...)
	// Controllers replace pods that exit, so a pod that is never restarted
	// would fight them; upstream allows only Always here.
	if tmpl.Spec.RestartPolicy != corev1.RestartPolicyAlways {
		errs = append(errs, field.NotSupported(tpath.Child("spec", "restartPolicy"), tmpl.Spec.RestartPolicy,
			[]corev1.RestartPolicy{corev1.RestartPolicyAlways}))
	}
	return errs
}

func validateJobTemplate(spec *corev1.PodSpec, path *field.Path) field.ErrorList {
	errs := validatePodSpec(spec, path)
	if spec.RestartPolicy != corev1.RestartPolicyOnFailure && spec.RestartPolicy != corev1.RestartPolicyNever {
		errs = append(errs, field.NotSupported(path.Child("restartPolicy"), spec.RestartPolicy,
			[]corev1.RestartPolicy{corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever}))
	}
	return errs
}

func validateDeploymentStrategy(s *appsv1.DeploymentStrategy, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch s.Type {
	case appsv1.RecreateDeploymentStrategyType:
		if s.RollingUpdate != nil {
			errs = append(errs, field.Forbidden(path.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"))
		}
	case appsv1.RollingUpdateDeploymentStrategyType:
		if s.RollingUpdate == nil {
			return append(errs, field.Required(path.Child("rollingUpdate"), "this should be defaulted and never be nil"))
		}
		ru := path.Child("rollingUpdate")
		unavailable, surge := orZero(s.RollingUpdate.MaxUnavailable), orZero(s.RollingUpdate.MaxSurge)
		errs = append(errs, validatePositiveIntOrPercent(unavailable, ru.Child("maxUnavailable"))...)
		errs = append(errs, validatePositiveIntOrPercent(surge, ru.Child("maxSurge"))...)
		if intOrPercent(unavailable) == 0 && intOrPercent(surge) == 0 {
			// Nothing could ever be replaced: no pod may go away and none
			// may be added.
			errs = append(errs, field.Invalid(ru.Child("maxUnavailable"), unavailable, "may not be 0 when `maxSurge` is 0"))
		}
		errs = append(errs, notMoreThan100Percent(unavailable, ru.Child("maxUnavailable"))...)
	default:
		errs = append(errs, field.NotSupported(path.Child("type"), s.Type,
			[]appsv1.DeploymentStrategyType{appsv1.RecreateDeploymentStrategyType, appsv1.RollingUpdateDeploymentStrategyType}))
	}
	return errs
}

func orZero(v *intstr.IntOrString) intstr.IntOrString {
	if v == nil {
		return intstr.FromInt32(0)
	}
	return *v
}

// intOrPercent returns the number, or the percentage without its sign;
// -1 when a string is not a percentage.
func intOrPercent(v intstr.IntOrString) int {
	if v.Type == intstr.Int {
		return v.IntValue()
	}
	s, ok := strings.CutSuffix(v.StrVal, "%")
	if !ok {
		return -1
	}
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || fmt.Sprint(n) != s {
		return -1
	}
	return n
}

// notMoreThan100Percent is IsNotMoreThan100Percent: a percentage above 100%.
func notMoreThan100Percent(v intstr.IntOrString, path *field.Path) field.ErrorList {
	if v.Type == intstr.String && intOrPercent(v) > 100 {
		return field.ErrorList{field.Invalid(path, v, "must not be greater than 100%")}
	}
	return nil
}

func validatePositiveIntOrPercent(v intstr.IntOrString, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch v.Type {
	case intstr.String:
		for _, msg := range validation.IsValidPercent(v.StrVal) {
			errs = append(errs, field.Invalid(path, v, msg))
		}
	case intstr.Int:
		errs = append(errs, apivalidation.ValidateNonnegativeField(int64(v.IntValue()), path)...)
	}
	return errs
}

func validateServiceSpec(s *corev1.ServiceSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	types := []corev1.ServiceType{corev1.ServiceTypeClusterIP, corev1.ServiceTypeExternalName,
		corev1.ServiceTypeLoadBalancer, corev1.ServiceTypeNodePort}
	known := false
	for _, t := range types {
		known = known || s.Type == t
	}
	if !known {
		errs = append(errs, field.NotSupported(path.Child("type"), s.Type, types))
	}
	if len(s.Ports) == 0 && s.Type != corev1.ServiceTypeExternalName && s.ClusterIP != corev1.ClusterIPNone {
		errs = append(errs, field.Required(path.Child("ports"), ""))
	}
	names := map[string]bool{}
	for i, p := range s.Ports {
		pp := path.Child("ports").Index(i)
		if len(s.Ports) > 1 && p.Name == "" {
			errs = append(errs, field.Required(pp.Child("name"), ""))
		} else if p.Name != "" {
			for _, msg := range validation.IsDNS1123Label(p.Name) {
				errs = append(errs, field.Invalid(pp.Child("name"), p.Name, msg))
			}
			if names[p.Name] {
				errs = append(errs, field.Duplicate(pp.Child("name"), p.Name))
			}
			names[p.Name] = true
		}
		for _, msg := range validation.IsValidPortNum(int(p.Port)) {
			errs = append(errs, field.Invalid(pp.Child("port"), p.Port, msg))
		}
		errs = append(errs, validateProtocol(p.Protocol, pp.Child("protocol"))...)
		errs = append(errs, validatePortNumOrName(p.TargetPort, pp.Child("targetPort"))...)
		if p.NodePort != 0 && s.Type != corev1.ServiceTypeNodePort && s.Type != corev1.ServiceTypeLoadBalancer {
			errs = append(errs, field.Forbidden(pp.Child("nodePort"), "may not be used when `type` is 'ClusterIP'"))
		}
	}
	errs = append(errs, metav1validation.ValidateLabels(s.Selector, path.Child("selector"))...)
	return errs
}

func validateProtocol(p corev1.Protocol, path *field.Path) field.ErrorList {
	switch p {
	case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
		return nil
	case "":
		return field.ErrorList{field.Required(path, "")}
	}
	return field.ErrorList{field.NotSupported(path, p, []corev1.Protocol{corev1.ProtocolSCTP, corev1.ProtocolTCP, corev1.ProtocolUDP})}
}

func validatePortNumOrName(port intstr.IntOrString, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if port.Type == intstr.Int {
		for _, msg := range validation.IsValidPortNum(port.IntValue()) {
			errs = append(errs, field.Invalid(path, port.IntValue(), msg))
		}
		return errs
	}
	for _, msg := range validation.IsValidPortName(port.StrVal) {
		errs = append(errs, field.Invalid(path, port.StrVal, msg))
	}
	return errs
}

func validateKeys(keys []string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range keys {
		for _, msg := range validation.IsConfigMapKey(k) {
			errs = append(errs, field.Invalid(path.Key(k), k, msg))
		}
	}
	return errs
}

// sortedKeys keeps error order stable: Go map order would make the same
// mistake print differently from run to run.
func sortedKeys[K ~string, V any](m map[K]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	return keys
}

// updatablePodFields is upstream's list, quoted in the Forbidden message.
var updatablePodFields = []string{
	"`spec.containers[*].image`",
	"`spec.initContainers[*].image`",
	"`spec.activeDeadlineSeconds`",
	"`spec.tolerations` (only additions to existing tolerations)",
	"`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
}

// validatePodSpecUpdate allows only what a running pod can take in place:
// anything else needs the pod re-created (ValidatePodUpdate upstream).
func validatePodSpecUpdate(spec, old *corev1.PodSpec) field.ErrorList {
	munged := spec.DeepCopy()
	if len(munged.Containers) == len(old.Containers) {
		for i := range munged.Containers {
			munged.Containers[i].Image = old.Containers[i].Image
		}
	}
	if len(munged.InitContainers) == len(old.InitContainers) {
		for i := range munged.InitContainers {
			munged.InitContainers[i].Image = old.InitContainers[i].Image
		}
	}
	munged.ActiveDeadlineSeconds = old.ActiveDeadlineSeconds
	if len(munged.Tolerations) >= len(old.Tolerations) && equality.Semantic.DeepEqual(munged.Tolerations[:len(old.Tolerations)], old.Tolerations) {
		munged.Tolerations = old.Tolerations
	}
	if equality.Semantic.DeepEqual(munged, old) {
		return nil
	}
	diff := cmp.Diff(*old, *munged)
	return field.ErrorList{field.Forbidden(field.NewPath("spec"),
		fmt.Sprintf("pod updates may not change fields other than %s\n%v", strings.Join(updatablePodFields, ","), diff))}
}
