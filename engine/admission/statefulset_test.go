package admission

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// webSet is the documentation's `web` StatefulSet: its container mounts
// www, which only the volumeClaimTemplates name.
func webSet(mut ...func(*appsv1.StatefulSet)) *appsv1.StatefulSet {
	p := pod().Spec
	p.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "www", MountPath: "/usr/share/nginx/html"}}
	s := &appsv1.StatefulSet{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", ResourceVersion: "1"},
		Spec: appsv1.StatefulSetSpec{
			ServiceName: "nginx",
			Selector:    &metav1.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
			Template:    corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "nginx"}}, Spec: p},
			VolumeClaimTemplates: []corev1.PersistentVolumeClaim{{ObjectMeta: metav1.ObjectMeta{Name: "www"},
				Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
					Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}}}}},
		},
	}
	for _, m := range mut {
		m(s)
	}
	return s
}

func TestValidateStatefulSet(t *testing.T) {
	tests := []admissionCase{
		{"the documentation's web", webSet(), nil, ""},
		{"empty selector", webSet(func(s *appsv1.StatefulSet) { s.Spec.Selector = &metav1.LabelSelector{} }), nil,
			`The StatefulSet "web" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for statefulset`},
		{"selector does not match", webSet(func(s *appsv1.StatefulSet) { s.Spec.Template.Labels = map[string]string{"app": "web"} }), nil,
			"The StatefulSet \"web\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"},
		{"podManagementPolicy", webSet(func(s *appsv1.StatefulSet) { s.Spec.PodManagementPolicy = "Ordered" }), nil,
			`The StatefulSet "web" is invalid: spec.podManagementPolicy: Invalid value: "Ordered": must be 'OrderedReady' or 'Parallel'`},
		{"retention policy", webSet(func(s *appsv1.StatefulSet) {
			s.Spec.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{WhenDeleted: "Keep"}
		}), nil, `The StatefulSet "web" is invalid: spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"`},
		{"negative partition", webSet(func(s *appsv1.StatefulSet) {
			s.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{Partition: ptr[int32](-1)}
		}), nil, `The StatefulSet "web" is invalid: spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0`},
		{"claim template without size", webSet(func(s *appsv1.StatefulSet) {
			s.Spec.VolumeClaimTemplates[0].Spec.Resources = corev1.VolumeResourceRequirements{}
		}), nil,
			`The StatefulSet "web" is invalid: spec.volumeClaimTemplates[0].spec.resources[storage]: Required value`},
		{"replicas and image may change", webSet(func(s *appsv1.StatefulSet) {
			s.Spec.Replicas = ptr[int32](5)
			s.Spec.Template.Spec.Containers[0].Image = "nginx:1.28"
		}), webSet(), ""},
		{"serviceName may not change", webSet(func(s *appsv1.StatefulSet) { s.Spec.ServiceName = "web" }), webSet(),
			`The StatefulSet "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`},
	}
	checkValidations(t, tests)
}

func TestDefaultStatefulSet(t *testing.T) {
	s := webSet()
	Default(s)
	want := appsv1.StatefulSetSpec{Replicas: ptr[int32](1), PodManagementPolicy: appsv1.OrderedReadyPodManagement,
		UpdateStrategy: appsv1.StatefulSetUpdateStrategy{Type: appsv1.RollingUpdateStatefulSetStrategyType,
			RollingUpdate: &appsv1.RollingUpdateStatefulSetStrategy{Partition: ptr[int32](0)}},
		RevisionHistoryLimit: ptr[int32](10),
		PersistentVolumeClaimRetentionPolicy: &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
			WhenDeleted: appsv1.RetainPersistentVolumeClaimRetentionPolicyType, WhenScaled: appsv1.RetainPersistentVolumeClaimRetentionPolicyType}}
	got := s.Spec
	got.ServiceName, got.Selector, got.Template, got.VolumeClaimTemplates = "", nil, corev1.PodTemplateSpec{}, nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if vct := s.Spec.VolumeClaimTemplates[0]; *vct.Spec.VolumeMode != corev1.PersistentVolumeFilesystem || vct.Status.Phase != corev1.ClaimPending {
		t.Errorf("claim template defaults: %+v", vct)
	}
}
