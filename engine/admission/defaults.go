// Package admission does to an object what kube-apiserver does before it
// stores it: fill in upstream defaults, then validate with the apiserver's
// own field paths and messages.
package admission

import (
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Default fills in the fields the apiserver defaults, following
// k8s.io/kubernetes pkg/apis/{core,apps,batch}/v1/defaults.go. It does not
// set the namespace: that depends on the request, so it is the caller's.
func Default(obj runtime.Object) {
	switch o := obj.(type) {
	case *corev1.Pod:
		defaultPodSpec(&o.Spec)
		// Only bare pods get enableServiceLinks and requests copied from
		// limits (SetDefaults_Pod); templates keep them unset.
		if o.Spec.EnableServiceLinks == nil {
			o.Spec.EnableServiceLinks = ptr(corev1.DefaultEnableServiceLinks)
		}
		for i := range o.Spec.Containers {
			requestsFromLimits(&o.Spec.Containers[i].Resources)
		}
		defaultTolerationSeconds(&o.Spec)
	case *corev1.Service:
		defaultService(o)
	case *corev1.Secret:
		setIfEmpty(&o.Type, corev1.SecretTypeOpaque)
		// stringData is write-only: the apiserver merges it into data.
		for k, v := range o.StringData {
			if o.Data == nil {
				o.Data = map[string][]byte{}
			}
			o.Data[k] = []byte(v)
		}
		o.StringData = nil
	case *corev1.PersistentVolume:
		setIfEmpty(&o.Spec.PersistentVolumeReclaimPolicy, corev1.PersistentVolumeReclaimRetain)
		if o.Spec.VolumeMode == nil {
			o.Spec.VolumeMode = ptr(corev1.PersistentVolumeFilesystem)
		}
	case *corev1.PersistentVolumeClaim:
		if o.Spec.VolumeMode == nil {
			o.Spec.VolumeMode = ptr(corev1.PersistentVolumeFilesystem)
		}
	case *corev1.Namespace:
		// SetDefaults_Namespace: every named namespace carries its name
		// as a label (kubernetes.io/metadata.name), set again on each
		// write so that it cannot be changed nor removed.
		if o.Name != "" {
			if o.Labels == nil {
				o.Labels = map[string]string{}
			}
			o.Labels[corev1.LabelMetadataName] = o.Name
		}
	case *storagev1.StorageClass:
		defaultStorageClass(o)
	case *networkingv1.IngressClass:
		defaultIngressClass(o)
	case *appsv1.Deployment:
		defaultDeployment(o)
	case *appsv1.ReplicaSet:
		setIfNil(&o.Spec.Replicas, 1)
		defaultPodSpec(&o.Spec.Template.Spec)
	case *appsv1.DaemonSet:
		s := &o.Spec
		setIfEmpty(&s.UpdateStrategy.Type, appsv1.RollingUpdateDaemonSetStrategyType)
		if s.UpdateStrategy.Type == appsv1.RollingUpdateDaemonSetStrategyType {
			if s.UpdateStrategy.RollingUpdate == nil {
				s.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateDaemonSet{}
			}
			setIfNil(&s.UpdateStrategy.RollingUpdate.MaxUnavailable, intstr.FromInt32(1))
			setIfNil(&s.UpdateStrategy.RollingUpdate.MaxSurge, intstr.FromInt32(0))
		}
		setIfNil(&s.RevisionHistoryLimit, 10)
		defaultPodSpec(&s.Template.Spec)
	case *appsv1.StatefulSet:
		s := &o.Spec
		setIfNil(&s.Replicas, 1)
		setIfEmpty(&s.PodManagementPolicy, appsv1.OrderedReadyPodManagement)
		setIfEmpty(&s.UpdateStrategy.Type, appsv1.RollingUpdateStatefulSetStrategyType)
		if s.UpdateStrategy.Type == appsv1.RollingUpdateStatefulSetStrategyType {
			if s.UpdateStrategy.RollingUpdate == nil {
				s.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{}
			}
			setIfNil(&s.UpdateStrategy.RollingUpdate.Partition, 0)
		}
		if s.PersistentVolumeClaimRetentionPolicy == nil {
			s.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{}
		}
		setIfEmpty(&s.PersistentVolumeClaimRetentionPolicy.WhenDeleted, appsv1.RetainPersistentVolumeClaimRetentionPolicyType)
		setIfEmpty(&s.PersistentVolumeClaimRetentionPolicy.WhenScaled, appsv1.RetainPersistentVolumeClaimRetentionPolicyType)
		setIfNil(&s.RevisionHistoryLimit, 10)
		defaultPodSpec(&s.Template.Spec)
		for i := range s.VolumeClaimTemplates {
			// The claims' own defaults, as the generated defaulters recurse
			// into them (volumeMode; a template's status says Pending).
			t := &s.VolumeClaimTemplates[i]
			if t.Spec.VolumeMode == nil {
				t.Spec.VolumeMode = ptr(corev1.PersistentVolumeFilesystem)
			}
			setIfEmpty(&t.Status.Phase, corev1.ClaimPending)
		}
	case *batchv1.Job:
		defaultJobSpec(&o.Spec)
	case *autoscalingv2.HorizontalPodAutoscaler:
		defaultHPA(o)
	case *batchv1.CronJob:
		s := &o.Spec
		setIfEmpty(&s.ConcurrencyPolicy, batchv1.AllowConcurrent)
		if s.Suspend == nil {
			s.Suspend = ptr(false)
		}
		setIfNil(&s.SuccessfulJobsHistoryLimit, 3)
		setIfNil(&s.FailedJobsHistoryLimit, 1)
		defaultJobSpec(&s.JobTemplate.Spec)
	}
}

// defaultTolerationSeconds is the admission plugin of that name: a pod
// that does not say otherwise stays 300 s on a node that is not ready or
// unreachable before it is evicted.
func defaultTolerationSeconds(s *corev1.PodSpec) {
	keys := [...]string{corev1.TaintNodeNotReady, corev1.TaintNodeUnreachable}
	var missing [len(keys)]bool
	n := 0
	for i, key := range keys {
		missing[i] = !slices.ContainsFunc(s.Tolerations, func(t corev1.Toleration) bool {
			return (t.Key == key || t.Key == "") && (t.Effect == corev1.TaintEffectNoExecute || t.Effect == "")
		})
		if missing[i] {
			n++
		}
	}
	if n == 0 {
		return
	}
	// Every pod gets both: the slice grown once and the seconds in one
	// block, not an allocation for each.
	s.Tolerations = slices.Grow(s.Tolerations, n)
	seconds := new([len(keys)]int64)
	for i, key := range keys {
		if missing[i] {
			seconds[i] = 300
			s.Tolerations = append(s.Tolerations, corev1.Toleration{
				Key: key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: &seconds[i],
			})
		}
	}
}

func defaultDeployment(d *appsv1.Deployment) {
	s := &d.Spec
	setIfNil(&s.Replicas, 1)
	setIfEmpty(&s.Strategy.Type, appsv1.RollingUpdateDeploymentStrategyType)
	if s.Strategy.Type == appsv1.RollingUpdateDeploymentStrategyType {
		if s.Strategy.RollingUpdate == nil {
			s.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{}
		}
		setIfNil(&s.Strategy.RollingUpdate.MaxUnavailable, intstr.FromString("25%"))
		setIfNil(&s.Strategy.RollingUpdate.MaxSurge, intstr.FromString("25%"))
	}
	setIfNil(&s.RevisionHistoryLimit, 10)
	setIfNil(&s.ProgressDeadlineSeconds, 600)
	defaultPodSpec(&s.Template.Spec)
}

func defaultJobSpec(s *batchv1.JobSpec) {
	if s.Completions == nil && s.Parallelism == nil {
		s.Completions = ptr[int32](1)
	}
	setIfNil(&s.Parallelism, 1)
	setIfNil(&s.BackoffLimit, 6)
	if s.CompletionMode == nil {
		s.CompletionMode = ptr(batchv1.NonIndexedCompletion)
	}
	if s.Suspend == nil {
		s.Suspend = ptr(false)
	}
	if s.PodReplacementPolicy == nil && s.PodFailurePolicy == nil {
		s.PodReplacementPolicy = ptr(batchv1.TerminatingOrFailed)
	}
	defaultPodSpec(&s.Template.Spec)
}

func defaultService(s *corev1.Service) {
	setIfEmpty(&s.Spec.SessionAffinity, corev1.ServiceAffinityNone)
	setIfEmpty(&s.Spec.Type, corev1.ServiceTypeClusterIP)
	for i := range s.Spec.Ports {
		p := &s.Spec.Ports[i]
		setIfEmpty(&p.Protocol, corev1.ProtocolTCP)
		if p.TargetPort == (intstr.IntOrString{}) {
			p.TargetPort = intstr.FromInt32(p.Port)
		}
	}
	if s.Spec.Type == corev1.ServiceTypeNodePort || s.Spec.Type == corev1.ServiceTypeLoadBalancer {
		setIfEmpty(&s.Spec.ExternalTrafficPolicy, corev1.ServiceExternalTrafficPolicyCluster)
	}
	if s.Spec.Type != corev1.ServiceTypeExternalName && s.Spec.InternalTrafficPolicy == nil {
		s.Spec.InternalTrafficPolicy = ptr(corev1.ServiceInternalTrafficPolicyCluster)
	}
}

func defaultPodSpec(s *corev1.PodSpec) {
	setIfEmpty(&s.DNSPolicy, corev1.DNSClusterFirst)
	setIfEmpty(&s.RestartPolicy, corev1.RestartPolicyAlways)
	if s.SecurityContext == nil {
		s.SecurityContext = &corev1.PodSecurityContext{}
	}
	setIfNil(&s.TerminationGracePeriodSeconds, corev1.DefaultTerminationGracePeriodSeconds)
	setIfEmpty(&s.SchedulerName, corev1.DefaultSchedulerName)
	for i := range s.Volumes {
		if s.Volumes[i].VolumeSource == (corev1.VolumeSource{}) {
			s.Volumes[i].EmptyDir = &corev1.EmptyDirVolumeSource{}
		}
	}
	for i := range s.InitContainers {
		defaultContainer(&s.InitContainers[i])
	}
	for i := range s.Containers {
		defaultContainer(&s.Containers[i])
	}
}

func defaultContainer(c *corev1.Container) {
	setIfEmpty(&c.ImagePullPolicy, pullPolicyFor(c.Image))
	setIfEmpty(&c.TerminationMessagePath, corev1.TerminationMessagePathDefault)
	setIfEmpty(&c.TerminationMessagePolicy, corev1.TerminationMessageReadFile)
	for i := range c.Ports {
		setIfEmpty(&c.Ports[i].Protocol, corev1.ProtocolTCP)
	}
	for _, p := range []*corev1.Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe} {
		if p == nil {
			continue
		}
		setIfZero(&p.TimeoutSeconds, 1)
		setIfZero(&p.PeriodSeconds, 10)
		setIfZero(&p.SuccessThreshold, 1)
		setIfZero(&p.FailureThreshold, 3)
		defaultHTTPGet(p.HTTPGet)
	}
	if c.Lifecycle != nil {
		for _, h := range []*corev1.LifecycleHandler{c.Lifecycle.PostStart, c.Lifecycle.PreStop} {
			if h != nil {
				defaultHTTPGet(h.HTTPGet)
			}
		}
	}
}

func defaultHTTPGet(h *corev1.HTTPGetAction) {
	if h == nil {
		return
	}
	setIfEmpty(&h.Path, "/")
	setIfEmpty(&h.Scheme, corev1.URISchemeHTTP)
}

// pullPolicyFor mirrors SetDefaults_Container: Always for :latest or no
// tag (the image may change under the same name), IfNotPresent otherwise.
// A digest pins the image, so it counts as tagged.
func pullPolicyFor(image string) corev1.PullPolicy {
	if strings.Contains(image, "@") {
		return corev1.PullIfNotPresent
	}
	tag := ""
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		tag = image[i+1:]
	}
	if tag == "" || tag == "latest" {
		return corev1.PullAlways
	}
	return corev1.PullIfNotPresent
}

// requestsFromLimits copies a limit to the request when the request is
// unset, so that validation's requests ≤ limits check sees the real value.
func requestsFromLimits(r *corev1.ResourceRequirements) {
	for name, q := range r.Limits {
		if _, ok := r.Requests[name]; ok {
			continue
		}
		if r.Requests == nil {
			r.Requests = corev1.ResourceList{}
		}
		r.Requests[name] = q.DeepCopy()
	}
}

func ptr[T any](v T) *T { return &v }

func setIfNil[T any](p **T, v T) {
	if *p == nil {
		*p = &v
	}
}

func setIfEmpty[T ~string](p *T, v T) {
	if *p == "" {
		*p = v
	}
}

func setIfZero(p *int32, v int32) {
	if *p == 0 {
		*p = v
	}
}
