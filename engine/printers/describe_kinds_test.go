package printers

//lint:file-ignore SA1019 kubectl still describes v1 Endpoints, so the tests build them.

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// splitEndpoints has two subsets, one with a pod not ready and an
// unnamed port.
func splitEndpoints() *corev1.Endpoints {
	ep := endpoints()
	ep.Labels = map[string]string{"app": "web"}
	ep.Subsets = append(ep.Subsets, corev1.EndpointSubset{
		Addresses:         []corev1.EndpointAddress{{IP: "10.244.1.7"}},
		NotReadyAddresses: []corev1.EndpointAddress{{IP: "10.244.2.9"}, {IP: "10.244.3.4"}},
		Ports:             []corev1.EndpointPort{{Port: 9090, Protocol: corev1.ProtocolUDP}},
	})
	return ep
}

func webSlice() *discoveryv1.EndpointSlice {
	node := "node-1"
	return &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{Name: "web-x2k9p", Namespace: "default", CreationTimestamp: ago(time.Hour),
			Labels: map[string]string{"kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Ports: []discoveryv1.EndpointPort{{Name: ptr("http"), Port: ptr(int32(8080)), Protocol: ptr(corev1.ProtocolTCP)},
			{Name: ptr(""), Protocol: ptr(corev1.ProtocolUDP)}},
		Endpoints: []discoveryv1.Endpoint{
			{Addresses: []string{"10.244.0.2"}, Conditions: discoveryv1.EndpointConditions{Ready: ptr(true)},
				TargetRef: &corev1.ObjectReference{Kind: "Pod", Namespace: "default", Name: "web-74f44b856b-4g46t"}, NodeName: &node},
			{Addresses: []string{"10.244.0.3", "10.244.0.4"}, Conditions: discoveryv1.EndpointConditions{Ready: ptr(false)},
				Hostname: ptr("db-0"), Zone: ptr("zone-a")},
			{},
		},
	}
}

func terminatingNamespace() *corev1.Namespace {
	return &corev1.Namespace{
		ObjectMeta: metav1.ObjectMeta{Name: "shop", CreationTimestamp: ago(time.Hour), DeletionTimestamp: ptr(ago(sec(5))),
			Labels:      map[string]string{"kubernetes.io/metadata.name": "shop", "team": "a"},
			Annotations: map[string]string{corev1.LastAppliedConfigAnnotation: "{}", "owner": "ops"}},
		Status: corev1.NamespaceStatus{Phase: corev1.NamespaceTerminating, Conditions: []corev1.NamespaceCondition{
			{Type: corev1.NamespaceContentRemaining, Status: corev1.ConditionTrue, LastTransitionTime: ago(sec(4)),
				Reason: "SomeResourcesRemain", Message: "Some resources are remaining: pods. has 2 resource instances"},
		}},
	}
}

func fullStorageClass() *storagev1.StorageClass {
	retain := corev1.PersistentVolumeReclaimRetain
	wait := storagev1.VolumeBindingWaitForFirstConsumer
	return &storagev1.StorageClass{
		ObjectMeta: metav1.ObjectMeta{Name: "fast", CreationTimestamp: ago(time.Hour),
			Annotations: map[string]string{corev1.LastAppliedConfigAnnotation: "{}", "team": "storage"}},
		Provisioner:          "kubeplay.io/storage",
		Parameters:           map[string]string{"type": "ssd", "fsType": "ext4"},
		AllowVolumeExpansion: ptr(true),
		MountOptions:         []string{"debug", "noatime"},
		ReclaimPolicy:        &retain,
		VolumeBindingMode:    &wait,
		AllowedTopologies: []corev1.TopologySelectorTerm{
			{MatchLabelExpressions: []corev1.TopologySelectorLabelRequirement{
				{Key: "topology.kubernetes.io/zone", Values: []string{"zone-a", "zone-b"}},
				{Key: "kubernetes.io/os", Values: []string{"linux"}}}},
			{},
		},
	}
}

func agentRevision() *appsv1.ControllerRevision {
	return &appsv1.ControllerRevision{
		ObjectMeta: metav1.ObjectMeta{Name: "agent-5866c8d4bf", Namespace: "default", CreationTimestamp: ago(time.Hour),
			UID: types.UID("ff140f79-70a4-44af-994f-15230d31430c"), ResourceVersion: "105",
			Labels:      map[string]string{"app": "agent", "controller-revision-hash": "5866c8d4bf"},
			Annotations: map[string]string{"deprecated.daemonset.template.generation": "1"},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "agent",
				UID: "2aeeaf1e-eddc-408c-a08f-752b8be8f680", Controller: ptr(true), BlockOwnerDeletion: ptr(true)}},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kube-controller-manager", Operation: metav1.ManagedFieldsOperationUpdate}}},
		Data: runtime.RawExtension{Raw: []byte(`{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,` +
			`"labels":{"app":"agent","app.kubernetes.io/name":"agent"}},"spec":{"containers":[{"name":"agent","image":"busybox",` +
			`"command":["sleep","3600"],"ports":[{"containerPort":8080,"protocol":"TCP"}],"resources":{}}],"nodeSelector":{"disk-type":"ssd"},` +
			`"terminationGracePeriodSeconds":30}}}}`)},
		Revision: 1000000,
	}
}

func scheduledEvent() *corev1.Event {
	return &corev1.Event{
		ObjectMeta: metav1.ObjectMeta{Name: "web-1.18ef03be05514923", Namespace: "default", CreationTimestamp: ago(time.Minute),
			UID: "0f4d6a0e-2b1c-4b8e-9b7c-5d8e6f7a8b9c", ResourceVersion: "120"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "default", Name: "web-1", APIVersion: "v1",
			UID: "042694c3-17c4-45ab-973e-a367ba7efb96", ResourceVersion: "111"},
		Reason: "Scheduled", Message: "Successfully assigned default/web-1 to node-3",
		Source:         corev1.EventSource{Component: "default-scheduler"},
		FirstTimestamp: ago(time.Minute), LastTimestamp: ago(time.Minute), Count: 1, Type: corev1.EventTypeNormal,
		ReportingController: "default-scheduler", ReportingInstance: "default-scheduler-kubeplay",
	}
}

// describeKindCases are the kinds describe once failed on with "no
// describer", each as kubectl 1.33 prints it (httpapi's
// TestRealKubectlDescribesEveryKind checks the same shapes against a real
// kubectl).
func describeKindCases() map[string]describeCase {
	return map[string]describeCase{
		"describe-endpoints":           {splitEndpoints(), DescribeContext{Events: podEvents()[1:2]}},
		"describe-endpoints-empty":     {&corev1.Endpoints{ObjectMeta: objMeta("empty", time.Hour)}, DescribeContext{}},
		"describe-endpointslice":       {webSlice(), DescribeContext{}},
		"describe-endpointslice-empty": {&discoveryv1.EndpointSlice{ObjectMeta: objMeta("empty-abcde", time.Hour), AddressType: discoveryv1.AddressTypeIPv4}, DescribeContext{}},
		"describe-namespace": {&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default", CreationTimestamp: ago(time.Hour),
			Labels: map[string]string{"kubernetes.io/metadata.name": "default"}}, Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive}},
			DescribeContext{Events: podEvents()}},
		"describe-namespace-terminating": {terminatingNamespace(), DescribeContext{}},
		"describe-storageclass":          {otherKinds()["storageclass"][0], DescribeContext{}},
		"describe-storageclass-full":     {fullStorageClass(), DescribeContext{Events: podEvents()[:1]}},
		"describe-controllerrevision":    {agentRevision(), DescribeContext{}},
		"describe-event":                 {scheduledEvent(), DescribeContext{}},
	}
}

func TestSmartLabel(t *testing.T) {
	for field, want := range map[string]string{
		"apiVersion": "API Version", "uid": "UID", "ownerReferences": "Owner References", "PDFLoader": "PDF Loader",
		"hostIPs": "Host I Ps", "podCIDR": "Pod CIDR", "x-y": "X - Y", "$patch": "$patch", "app.kubernetes.io/name": "app.kubernetes.io/name",
		"terminationGracePeriodSeconds": "Termination Grace Period Seconds", "dnsPolicy": "Dns Policy", "serviceURL": "Service URL",
	} {
		if got := smartLabel(field); got != want {
			t.Errorf("smartLabel(%q) = %q, want %q", field, got, want)
		}
	}
}
