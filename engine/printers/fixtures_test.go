package printers

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// now is the fixed "current time" of every fixture.
var now = time.Date(2026, 11, 23, 16, 22, 30, 0, time.UTC)

func ago(d time.Duration) metav1.Time { return metav1.NewTime(now.Add(-d)) }

func sec(n int) time.Duration { return time.Duration(n) * time.Second }

func ptr[T any](v T) *T { return &v }

// realOutput returns what real kubectl printed for the n-th (from 0) run
// of cmd in testdata/real/file: the lines between "$ cmd" and "# exit code".
func realOutput(t *testing.T, file, cmd string, n int) string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "real", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	seen, in := -1, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "$ "+cmd:
			seen++
			in = seen == n
		case in && strings.HasPrefix(line, "# exit code"):
			return out.String()
		case in:
			out.WriteString(line + "\n")
		}
	}
	t.Fatalf("%s: run %d of %q not found", file, n, cmd)
	return ""
}

var eventLine = regexp.MustCompile(`^(\S+)\s+(\S+)\s+(\S+)\s+(\w+)/(\S+)\s+(.*)$`)

// eventsFrom builds the events a `kubectl get events` output shows, named
// so that sorting by name keeps their order, as the API's names do.
func eventsFrom(t *testing.T, table string) []corev1.Event {
	t.Helper()
	kinds := map[string]string{"pod": "Pod", "replicaset": "ReplicaSet", "deployment": "Deployment", "node": "Node"}
	var evs []corev1.Event
	for i, line := range strings.Split(strings.TrimSpace(table), "\n")[1:] {
		m := eventLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("bad event line %q", line)
		}
		age, err := time.ParseDuration(m[1])
		if err != nil {
			t.Fatal(err)
		}
		ns := "default"
		if m[4] == "node" {
			ns = ""
		}
		evs = append(evs, corev1.Event{
			ObjectMeta:     metav1.ObjectMeta{Name: fmt.Sprintf("%s.%016x", m[5], i), Namespace: "default"},
			InvolvedObject: corev1.ObjectReference{Kind: kinds[m[4]], Name: m[5], Namespace: ns},
			Type:           m[2], Reason: m[3], Message: m[6], Count: 1,
			FirstTimestamp: ago(age), LastTimestamp: ago(age),
			Source: corev1.EventSource{Component: "test"},
		})
	}
	return evs
}

func webTemplate(image, hash string, ports ...corev1.ContainerPort) corev1.PodTemplateSpec {
	lbls := map[string]string{"app": "web"}
	if hash != "" {
		lbls[appsv1.DefaultDeploymentUniqueLabelKey] = hash
	}
	name := "web"
	if len(ports) == 0 {
		name = "nginx"
	}
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: lbls},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: name, Image: image, Ports: ports,
			TerminationMessagePath: "/dev/termination-log", ImagePullPolicy: corev1.PullAlways,
		}}},
	}
}

func replicaSet(name, hash, image string, age time.Duration, replicas, ready int32, ports ...corev1.ContainerPort) *appsv1.ReplicaSet {
	tmpl := webTemplate(image, hash, ports...)
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID("uid-" + name), CreationTimestamp: ago(age)},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: ptr(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: tmpl.Labels},
			Template: tmpl,
		},
		Status: appsv1.ReplicaSetStatus{Replicas: replicas, ReadyReplicas: ready, AvailableReplicas: ready},
	}
}

type podState int

const (
	pending podState = iota
	running
	terminating
)

func webPod(name, node, ip string, age time.Duration, state podState) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", CreationTimestamp: ago(age),
			Labels: map[string]string{"app": "web"}},
		Spec:   corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1.14.2"}}},
		Status: corev1.PodStatus{Phase: corev1.PodPending},
	}
	if state == pending {
		return p
	}
	p.Spec.NodeName = node
	p.Status = corev1.PodStatus{
		Phase:  corev1.PodRunning,
		PodIP:  ip,
		PodIPs: []corev1.PodIP{{IP: ip}},
		Conditions: []corev1.PodCondition{
			{Type: corev1.PodReady, Status: corev1.ConditionTrue},
		},
		ContainerStatuses: []corev1.ContainerStatus{{
			Name: "web", Ready: true, Started: ptr(true),
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: ago(age)}},
		}},
	}
	if state == terminating {
		p.DeletionTimestamp = ptr(ago(0))
		p.DeletionGracePeriodSeconds = ptr(int64(30))
	}
	return p
}

func webDeployment(created time.Time, image, revision string, lbls map[string]string, maxSurge intstr.IntOrString, ports ...corev1.ContainerPort) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{
			Name: "web", Namespace: "default", UID: "uid-web", Labels: lbls,
			CreationTimestamp: metav1.NewTime(created),
			Annotations:       map[string]string{"deployment.kubernetes.io/revision": revision},
		},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr(int32(4)),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: webTemplate(image, "", ports...),
			Strategy: appsv1.DeploymentStrategy{
				Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxUnavailable: ptr(intstr.FromString("25%")), MaxSurge: &maxSurge,
				},
			},
		},
		Status: appsv1.DeploymentStatus{
			Replicas: 4, UpdatedReplicas: 4, ReadyReplicas: 4, AvailableReplicas: 4,
			Conditions: []appsv1.DeploymentCondition{
				{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue, Reason: "MinimumReplicasAvailable"},
				{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: "NewReplicaSetAvailable"},
			},
		},
	}
}

// scaleEvent is one deployment-controller event, describe style.
func scaleEvent(i int, lastAgo, firstAgo time.Duration, count int32, msg string) corev1.Event {
	return corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: fmt.Sprintf("web.%016x", i), Namespace: "default"},
		InvolvedObject: corev1.ObjectReference{Kind: "Deployment", Name: "web", Namespace: "default"},
		Type:           corev1.EventTypeNormal, Reason: "ScalingReplicaSet", Message: msg, Count: count,
		FirstTimestamp: ago(firstAgo), LastTimestamp: ago(lastAgo),
		Source: corev1.EventSource{Component: "deployment-controller"},
	}
}

func kwokNode(name string, age time.Duration, created time.Time) *corev1.Node {
	at := metav1.NewTime(created)
	cond := func(t corev1.NodeConditionType, s corev1.ConditionStatus, reason, msg string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: t, Status: s, LastHeartbeatTime: at, LastTransitionTime: at, Reason: reason, Message: msg}
	}
	res := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("4"),
		corev1.ResourceMemory: resource.MustParse("16Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
	}
	ts := at
	if age > 0 {
		ts = ago(age)
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, CreationTimestamp: ts,
			Labels: map[string]string{
				"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
				"kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
				"kubernetes.io/role": "agent", "node-role.kubernetes.io/agent": "", "type": "kwok",
			},
			Annotations: map[string]string{"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
		},
		Status: corev1.NodeStatus{
			Conditions: []corev1.NodeCondition{
				cond(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"),
				cond(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
				cond(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
				cond(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
				cond(corev1.NodeNetworkUnavailable, corev1.ConditionFalse, "RouteCreated", "RouteController created a route"),
			},
			Addresses:   []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.0.0.1"}},
			Capacity:    res,
			Allocatable: res,
			NodeInfo: corev1.NodeSystemInfo{
				KernelVersion: "kwok-v0.8.0", OperatingSystem: "linux", Architecture: "amd64",
				ContainerRuntimeVersion: "kwok-v0.8.0", KubeletVersion: "fake",
				KubeProxyVersion: "fake", //lint:ignore SA1019 kubectl 1.33 prints it
			},
		},
	}
}

func nodeLease(name string, renew time.Time) *coordinationv1.Lease {
	return &coordinationv1.Lease{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "kube-node-lease"},
		Spec: coordinationv1.LeaseSpec{
			HolderIdentity: ptr("kwok-controller"),
			RenewTime:      &metav1.MicroTime{Time: renew},
		},
	}
}
