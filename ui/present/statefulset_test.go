package present

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// A set scaled from 3 to 2: web-2 is gone but its disk www-web-2 stays,
// so ordinal 2 still shows, with its claim and no pod.
func TestStatefulSetRows(t *testing.T) {
	two := int32(2)
	set := &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec:   appsv1.StatefulSetSpec{Replicas: &two, VolumeClaimTemplates: []corev1.PersistentVolumeClaim{{ObjectMeta: metav1.ObjectMeta{Name: "www"}}}},
		Status: appsv1.StatefulSetStatus{ReadyReplicas: 1}}
	pod := func(name string) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"}, Status: corev1.PodStatus{Phase: corev1.PodPending}}
	}
	claim := func(name string, phase corev1.PersistentVolumeClaimPhase) *corev1.PersistentVolumeClaim {
		return &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"}, Status: corev1.PersistentVolumeClaimStatus{Phase: phase}}
	}
	rows := StatefulSetRows([]*appsv1.StatefulSet{set}, []*corev1.Pod{pod("web-0"), pod("web-1"), pod("other-0")},
		[]*corev1.PersistentVolumeClaim{claim("www-web-0", corev1.ClaimBound), claim("www-web-1", corev1.ClaimPending), claim("www-web-2", corev1.ClaimBound)}, time.Time{})
	if len(rows) != 1 || rows[0].Ready != 1 || rows[0].Replicas != 2 {
		t.Fatalf("rows = %+v", rows)
	}
	type cell struct {
		Pod    string
		Claims []ClaimCell
	}
	var got []cell
	for _, o := range rows[0].Ordinals {
		c := cell{Claims: o.Claims}
		if o.Pod != nil {
			c.Pod = o.Pod.Name
		}
		got = append(got, c)
	}
	want := []cell{{"web-0", []ClaimCell{{"www-web-0", true}}}, {"web-1", []ClaimCell{{"www-web-1", false}}}, {"", []ClaimCell{{"www-web-2", true}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ordinals (-want +got):\n%s", diff)
	}
}
