package admission

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func daemonSet(mut ...func(*appsv1.DaemonSet)) *appsv1.DaemonSet {
	ds := &appsv1.DaemonSet{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"},
		ObjectMeta: metav1.ObjectMeta{Name: "fluentd", Namespace: "kube-system", ResourceVersion: "1"},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"name": "fluentd"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"name": "fluentd"}},
				Spec:       pod().Spec,
			},
		},
	}
	for _, m := range mut {
		m(ds)
	}
	return ds
}

func rollingUpdate(unavailable, surge intstr.IntOrString) func(*appsv1.DaemonSet) {
	return func(ds *appsv1.DaemonSet) {
		ds.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &unavailable, MaxSurge: &surge}
	}
}

// TestDaemonSetValidation holds the apps/v1 DaemonSet's rules, with the
// messages kube-apiserver answers.
func TestDaemonSetValidation(t *testing.T) {
	tests := []admissionCase{
		{"valid", daemonSet(), nil, ""},
		{"surge instead of unavailable", daemonSet(rollingUpdate(intstr.FromInt32(0), intstr.FromString("10%"))), nil, ""},
		{"on delete", daemonSet(func(ds *appsv1.DaemonSet) { ds.Spec.UpdateStrategy.Type = appsv1.OnDeleteDaemonSetStrategyType }), nil, ""},
		{"selector missing", daemonSet(func(ds *appsv1.DaemonSet) { ds.Spec.Selector = nil }), nil,
			"The DaemonSet \"fluentd\" is invalid: \n* spec.selector: Required value\n" +
				"* spec.template.metadata.labels: Invalid value: {\"name\":\"fluentd\"}: `selector` does not match template `labels`"},
		{"empty selector", daemonSet(func(ds *appsv1.DaemonSet) { ds.Spec.Selector = &metav1.LabelSelector{} }), nil,
			`The DaemonSet "fluentd" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for daemonset`},
		{"restartPolicy", daemonSet(func(ds *appsv1.DaemonSet) { ds.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyOnFailure }), nil,
			`The DaemonSet "fluentd" is invalid: spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"`},
		{"activeDeadlineSeconds", daemonSet(func(ds *appsv1.DaemonSet) { ds.Spec.Template.Spec.ActiveDeadlineSeconds = ptr[int64](5) }), nil,
			`The DaemonSet "fluentd" is invalid: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported`},
		{"both zero", daemonSet(rollingUpdate(intstr.FromInt32(0), intstr.FromInt32(0))), nil,
			`The DaemonSet "fluentd" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0`},
		{"both set", daemonSet(rollingUpdate(intstr.FromInt32(1), intstr.FromInt32(1))), nil,
			`The DaemonSet "fluentd" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero`},
		{"above 100%", daemonSet(rollingUpdate(intstr.FromString("120%"), intstr.FromInt32(0))), nil,
			`The DaemonSet "fluentd" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%`},
		{"unknown strategy", daemonSet(func(ds *appsv1.DaemonSet) { ds.Spec.UpdateStrategy.Type = "Recreate" }), nil,
			`The DaemonSet "fluentd" is invalid: spec.updateStrategy: Unsupported value: {"type":"Recreate"}: supported values: "RollingUpdate", "OnDelete"`},
		{"negative revisionHistoryLimit", daemonSet(func(ds *appsv1.DaemonSet) { ds.Spec.RevisionHistoryLimit = ptr[int32](-1) }), nil,
			`The DaemonSet "fluentd" is invalid: spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0`},
		{"selector is immutable", daemonSet(func(ds *appsv1.DaemonSet) {
			ds.Spec.Selector.MatchLabels = map[string]string{"name": "fluentd", "v": "2"}
			ds.Spec.Template.Labels = map[string]string{"name": "fluentd", "v": "2"}
		}), daemonSet(), `The DaemonSet "fluentd" is invalid: spec.selector: Invalid value: {"matchLabels":{"name":"fluentd","v":"2"}}: field is immutable`},
		{"template may change", daemonSet(func(ds *appsv1.DaemonSet) { ds.Spec.Template.Spec.Containers[0].Image = "nginx:1.28" }), daemonSet(), ""},
	}
	checkValidations(t, tests)
}

func TestDaemonSetDefaults(t *testing.T) {
	ds := daemonSet()
	Default(ds)
	ru := ds.Spec.UpdateStrategy.RollingUpdate
	if ds.Spec.UpdateStrategy.Type != appsv1.RollingUpdateDaemonSetStrategyType || ru == nil ||
		ru.MaxUnavailable.String() != "1" || ru.MaxSurge.String() != "0" || *ds.Spec.RevisionHistoryLimit != 10 {
		t.Errorf("defaults: %+v, revisionHistoryLimit %v", ds.Spec.UpdateStrategy, ds.Spec.RevisionHistoryLimit)
	}
}
