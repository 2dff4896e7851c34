package printers

//lint:file-ignore SA1019 kubectl still prints v1 Endpoints, so the tests build them.

import (
	"bytes"
	"flag"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func objMeta(name string, age time.Duration) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: "default", CreationTimestamp: ago(age)}
}

func waiting(reason string) corev1.ContainerState {
	return corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason}}
}

func terminated(reason string, code int32) corev1.ContainerState {
	return corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
		Reason: reason, ExitCode: code, StartedAt: ago(sec(90)), FinishedAt: ago(sec(60))}}
}

// statusPod is a one-container pod in the given container state.
func statusPod(name string, phase corev1.PodPhase, state corev1.ContainerState, restarts int32, lastFinished time.Duration) *corev1.Pod {
	st := corev1.ContainerStatus{Name: "app", Image: "busybox", State: state, RestartCount: restarts}
	if lastFinished > 0 {
		st.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			Reason: "Error", ExitCode: 1, FinishedAt: ago(lastFinished)}}
	}
	return &corev1.Pod{
		ObjectMeta: objMeta(name, 5*time.Minute),
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "busybox"}}, NodeName: "node-1"},
		Status:     corev1.PodStatus{Phase: phase, ContainerStatuses: []corev1.ContainerStatus{st}},
	}
}

func statusPods() []runtime.Object {
	initPod := statusPod("init-waiting", corev1.PodPending, waiting("PodInitializing"), 0, 0)
	initPod.Spec.InitContainers = []corev1.Container{{Name: "setup"}, {Name: "migrate"}}
	initPod.Status.InitContainerStatuses = []corev1.ContainerStatus{
		{Name: "setup", State: terminated("Completed", 0)},
		{Name: "migrate", State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}},
	}
	initFail := statusPod("init-crash", corev1.PodPending, waiting("PodInitializing"), 0, 0)
	initFail.Spec.InitContainers = []corev1.Container{{Name: "setup"}}
	initFail.Status.InitContainerStatuses = []corev1.ContainerStatus{
		{Name: "setup", State: waiting("CrashLoopBackOff"), RestartCount: 2, LastTerminationState: terminated("Error", 1)},
	}
	gated := statusPod("gated", corev1.PodPending, corev1.ContainerState{}, 0, 0)
	gated.Status.ContainerStatuses = nil
	gated.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonSchedulingGated}}
	return objs(
		statusPod("creating", corev1.PodPending, waiting("ContainerCreating"), 0, 0),
		statusPod("crashloop", corev1.PodRunning, waiting("CrashLoopBackOff"), 3, sec(18)),
		statusPod("errimagepull", corev1.PodPending, waiting("ErrImagePull"), 0, 0),
		statusPod("completed", corev1.PodSucceeded, terminated("Completed", 0), 0, 0),
		statusPod("error", corev1.PodFailed, terminated("Error", 1), 0, 0),
		statusPod("oomkilled", corev1.PodRunning, terminated("OOMKilled", 137), 5, 2*time.Hour),
		statusPod("exitcode", corev1.PodFailed, terminated("", 2), 0, 0),
		initPod, initFail, gated,
	)
}

func describedPod() *corev1.Pod {
	p := webPod("web-74f44b856b-4g46t", "node-1", "10.244.0.5", time.Minute, running)
	p.Labels["pod-template-hash"] = "74f44b856b"
	p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-74f44b856b", Controller: ptr(true)}}
	p.Spec.Priority = ptr(int32(0))
	p.Spec.ServiceAccountName = "default"
	p.Status.HostIP = "10.0.0.1"
	p.Status.StartTime = ptr(ago(time.Minute))
	p.Status.QOSClass = corev1.PodQOSBurstable
	c := &p.Spec.Containers[0]
	c.Ports = []corev1.ContainerPort{port80}
	c.Command = []string{"sh", "-c", "touch /tmp/healthy; sleep 3600"}
	c.Resources = corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
		Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("128Mi")},
	}
	c.LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/healthy"}}},
		InitialDelaySeconds: 5, TimeoutSeconds: 1, PeriodSeconds: 5, SuccessThreshold: 1, FailureThreshold: 3}
	c.ReadinessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/ready", Port: intstr.FromInt32(80), Scheme: corev1.URISchemeHTTP}},
		TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3}
	c.Env = []corev1.EnvVar{
		{Name: "MODE", Value: "demo"},
		{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"}}},
		{Name: "PASSWORD", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "db"}, Key: "password"}}},
	}
	c.VolumeMounts = []corev1.VolumeMount{{Name: "cache", MountPath: "/cache"}, {Name: "config", MountPath: "/etc/app", ReadOnly: true}}
	p.Spec.Volumes = []corev1.Volume{
		{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
		{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "app-config"}}}},
	}
	p.Spec.Tolerations = []corev1.Toleration{
		{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr(int64(300))},
		{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr(int64(300))},
	}
	p.Status.ContainerStatuses[0].ContainerID = "sim://4f1c"
	p.Status.ContainerStatuses[0].ImageID = "nginx@sha256:abc"
	p.Status.ContainerStatuses[0].RestartCount = 1
	p.Status.ContainerStatuses[0].LastTerminationState = terminated("Error", 137)
	p.Status.Conditions = []corev1.PodCondition{
		{Type: corev1.PodReadyToStartContainers, Status: corev1.ConditionTrue},
		{Type: corev1.PodInitialized, Status: corev1.ConditionTrue},
		{Type: corev1.PodReady, Status: corev1.ConditionTrue},
		{Type: corev1.ContainersReady, Status: corev1.ConditionTrue},
		{Type: corev1.PodScheduled, Status: corev1.ConditionTrue},
	}
	return p
}

func podEvents() []corev1.Event {
	ev := func(i int, typ, reason, from, msg string, count int32, last, first time.Duration) corev1.Event {
		return corev1.Event{
			ObjectMeta: metav1.ObjectMeta{Name: "web." + string(rune('a'+i)), Namespace: "default"},
			Type:       typ, Reason: reason, Message: msg, Count: count,
			FirstTimestamp: ago(first), LastTimestamp: ago(last),
			Source: corev1.EventSource{Component: from},
		}
	}
	return []corev1.Event{
		ev(0, "Warning", "Unhealthy", "kubelet", "Liveness probe failed: cat: can't open '/tmp/healthy'", 8, sec(2), sec(3)),
		ev(1, "Normal", "Scheduled", "default-scheduler", "Successfully assigned default/web to node-1", 1, time.Minute, time.Minute),
		ev(2, "Normal", "Pulled", "kubelet", "Container image \"nginx:1.14.2\" already present on machine", 2, sec(30), time.Minute),
	}
}

func service() *corev1.Service {
	return &corev1.Service{
		ObjectMeta: objMeta("web", 10*time.Minute),
		Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeNodePort, Selector: map[string]string{"app": "web"},
			ClusterIP: "10.96.12.7", ClusterIPs: []string{"10.96.12.7"},
			IPFamilies: []corev1.IPFamily{corev1.IPv4Protocol}, IPFamilyPolicy: ptr(corev1.IPFamilyPolicySingleStack),
			Ports:                 []corev1.ServicePort{{Name: "http", Port: 80, TargetPort: intstr.FromInt32(8080), NodePort: 30080, Protocol: corev1.ProtocolTCP}},
			SessionAffinity:       corev1.ServiceAffinityNone,
			ExternalTrafficPolicy: corev1.ServiceExternalTrafficPolicyCluster,
			InternalTrafficPolicy: ptr(corev1.ServiceInternalTrafficPolicyCluster),
		},
	}
}

func endpoints() *corev1.Endpoints {
	return &corev1.Endpoints{
		ObjectMeta: objMeta("web", 10*time.Minute),
		Subsets: []corev1.EndpointSubset{{
			Addresses: []corev1.EndpointAddress{{IP: "10.244.0.2"}, {IP: "10.244.0.3"}, {IP: "10.244.0.4"}, {IP: "10.244.0.5"}},
			Ports:     []corev1.EndpointPort{{Name: "http", Port: 8080, Protocol: corev1.ProtocolTCP}},
		}},
	}
}

func otherKinds() map[string][]runtime.Object {
	fs := corev1.PersistentVolumeFilesystem
	return map[string][]runtime.Object{
		"service": objs(service(), &corev1.Service{ObjectMeta: objMeta("kubernetes", time.Hour), Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeClusterIP, ClusterIPs: []string{"10.96.0.1"},
			Ports: []corev1.ServicePort{{Name: "https", Port: 443, Protocol: corev1.ProtocolTCP}}}}),
		"endpoints": objs(endpoints(), &corev1.Endpoints{ObjectMeta: objMeta("empty", time.Hour)}),
		"namespace": objs(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default", CreationTimestamp: ago(3 * 24 * time.Hour)},
			Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive}}),
		"configmap": objs(&corev1.ConfigMap{ObjectMeta: objMeta("app-config", 90*time.Second), Data: map[string]string{"a": "1", "b": "2"}}),
		"secret": objs(&corev1.Secret{ObjectMeta: objMeta("db", 3*time.Minute+12*time.Second), Type: corev1.SecretTypeOpaque,
			Data: map[string][]byte{"password": []byte("s3cret")}}),
		"pv": objs(&corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pv-1", CreationTimestamp: ago(time.Hour)},
			Spec: corev1.PersistentVolumeSpec{Capacity: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")},
				AccessModes:                   []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce, corev1.ReadOnlyMany},
				PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimRetain, StorageClassName: "manual", VolumeMode: &fs,
				ClaimRef: &corev1.ObjectReference{Namespace: "default", Name: "data"}},
			Status: corev1.PersistentVolumeStatus{Phase: corev1.VolumeBound}}),
		"pvc": objs(&corev1.PersistentVolumeClaim{ObjectMeta: objMeta("data", time.Hour),
			Spec: corev1.PersistentVolumeClaimSpec{VolumeName: "pv-1", StorageClassName: ptr("manual"), VolumeMode: &fs},
			Status: corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimBound,
				AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				Capacity:    corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}}}),
		"storageclass": objs(&storagev1.StorageClass{ObjectMeta: metav1.ObjectMeta{Name: "standard", CreationTimestamp: ago(time.Hour),
			Annotations: map[string]string{"storageclass.kubernetes.io/is-default-class": "true"}},
			Provisioner: "kubeplay.io/hostpath"}),
		"job": objs(&batchv1.Job{ObjectMeta: objMeta("pi", 2*time.Minute), Spec: batchv1.JobSpec{Completions: ptr(int32(1)),
			Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "pi", Image: "perl"}}}}},
			Status: batchv1.JobStatus{Succeeded: 1, StartTime: ptr(ago(2 * time.Minute)), CompletionTime: ptr(ago(90 * time.Second)),
				Conditions: []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}}}),
		"cronjob": objs(&batchv1.CronJob{ObjectMeta: objMeta("hello", time.Hour), Spec: batchv1.CronJobSpec{Schedule: "*/1 * * * *", Suspend: ptr(false)},
			Status: batchv1.CronJobStatus{LastScheduleTime: ptr(ago(sec(42)))}}),
		"daemonset": objs(&appsv1.DaemonSet{ObjectMeta: objMeta("agent", time.Hour), Spec: appsv1.DaemonSetSpec{
			Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{NodeSelector: map[string]string{"kubernetes.io/os": "linux"}}}},
			Status: appsv1.DaemonSetStatus{DesiredNumberScheduled: 3, CurrentNumberScheduled: 3, NumberReady: 2, UpdatedNumberScheduled: 3, NumberAvailable: 2}}),
		"statefulset": objs(&appsv1.StatefulSet{ObjectMeta: objMeta("db", time.Hour), Spec: appsv1.StatefulSetSpec{Replicas: ptr(int32(3))},
			Status: appsv1.StatefulSetStatus{ReadyReplicas: 2}}),
		"node-cordoned": func() []runtime.Object {
			n := kwokNode("node-2", time.Hour, now)
			n.Spec.Unschedulable = true
			m := kwokNode("node-3", time.Hour, now)
			m.Labels = nil
			m.Status.Conditions[0].Status = corev1.ConditionUnknown
			return objs(n, m)
		}(),
	}
}

// runningIndexedJob is an Indexed Job started 75 s ago and still running,
// its completed indexes longer than describe shows (kubectl cuts the list
// at the first comma after 50 characters).
func runningIndexedJob() *batchv1.Job {
	indexed := batchv1.IndexedCompletion
	var done []string
	for i := 0; i < 60; i += 2 {
		done = append(done, strconv.Itoa(i))
	}
	return &batchv1.Job{ObjectMeta: objMeta("sq", 2*time.Minute), Spec: batchv1.JobSpec{Completions: ptr(int32(100)), Parallelism: ptr(int32(5)),
		CompletionMode: &indexed, BackoffLimit: ptr(int32(6)), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"batch.kubernetes.io/controller-uid": "1f2e"}},
		Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "sq", Image: "busybox"}}}}},
		Status: batchv1.JobStatus{Active: 5, Ready: ptr(int32(4)), Succeeded: 30, StartTime: ptr(ago(75 * time.Second)),
			CompletedIndexes: strings.Join(done, ",")}}
}

// cronJobWithTemplate is a CronJob whose job template has a set-based
// selector and no parallelism, and one active Job.
func cronJobWithTemplate() *batchv1.CronJob {
	return &batchv1.CronJob{ObjectMeta: objMeta("hello", time.Hour), Spec: batchv1.CronJobSpec{Schedule: "*/5 * * * *", Suspend: ptr(false),
		ConcurrencyPolicy: batchv1.ForbidConcurrent, SuccessfulJobsHistoryLimit: ptr(int32(3)), FailedJobsHistoryLimit: ptr(int32(1)),
		JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Completions: ptr(int32(2)), Selector: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: []string{"hello", "hi"}}}},
			Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "hello", Image: "busybox:1.28"}}}}}}},
		Status: batchv1.CronJobStatus{LastScheduleTime: ptr(ago(sec(42))), Active: []corev1.ObjectReference{{Name: "hello-29000000"}}}}
}

func TestGoldenTables(t *testing.T) {
	cases := map[string]func(io.Writer) error{
		"pods-status":      table(statusPods(), Options{}),
		"pods-wide-labels": table(statusPods()[:2], Options{Wide: true, ShowLabels: true, AllNamespaces: true}),
		"pods-no-headers":  table(statusPods()[:2], Options{NoHeaders: true}),
		"events-wide": table(func() []runtime.Object {
			evs := podEvents()
			for i := range evs {
				evs[i].InvolvedObject = corev1.ObjectReference{Kind: "Pod", Name: "web", FieldPath: "spec.containers{web}"}
			}
			return objs(&evs[0], &evs[1], &evs[2])
		}(), Options{Wide: true}),
	}
	cases["get-job-running"] = table(objs(runningIndexedJob()), Options{})
	for name, list := range otherKinds() {
		cases["get-"+name] = table(list, Options{})
		cases["get-"+name+"-wide"] = table(list, Options{Wide: true, WithKind: true})
	}
	for name, print := range cases {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := print(&buf); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name, buf.Bytes())
		})
	}
}

// describeCase is an object to describe with what describe fetches.
type describeCase struct {
	obj runtime.Object
	ctx DescribeContext
}

func TestGoldenDescribe(t *testing.T) {
	terminatingPod := describedPod()
	terminatingPod.DeletionTimestamp = ptr(ago(sec(4)))
	terminatingPod.DeletionGracePeriodSeconds = ptr(int64(30))
	rs := replicaSet("web-74f44b856b", "74f44b856b", "nginx:1.14.2", time.Minute, 2, 2, port80)
	rs.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: "web", Controller: ptr(true)}}
	nodePods := []corev1.Pod{*describedPod(), *webPod("web-74f44b856b-h798p", "node-1", "10.244.0.3", time.Minute, running)}
	cases := map[string]describeCase{
		"describe-pod":             {describedPod(), DescribeContext{Events: podEvents()}},
		"describe-pod-terminating": {terminatingPod, DescribeContext{}},
		"describe-pod-pending":     {webPod("web-x", "", "", sec(3), pending), DescribeContext{}},
		"describe-replicaset":      {rs, DescribeContext{Pods: nodePods, Events: podEvents()[1:2]}},
		"describe-service":         {service(), DescribeContext{Endpoints: endpoints()}},
		"describe-service-none":    {service(), DescribeContext{}},
		"describe-node-pods":       {kwokNode("node-1", time.Hour, now), DescribeContext{Pods: nodePods}},
		"describe-configmap":       {otherKinds()["configmap"][0], DescribeContext{}},
		"describe-secret":          {otherKinds()["secret"][0], DescribeContext{}},
		"describe-job-indexed":     {runningIndexedJob(), DescribeContext{}},
		"describe-cronjob":         {cronJobWithTemplate(), DescribeContext{}},
	}
	maps.Copy(cases, describeKindCases())
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tc.ctx.Now = now
			var buf bytes.Buffer
			if err := Describe(&buf, tc.obj, tc.ctx); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name, buf.Bytes())
		})
	}
}

func TestGoldenOutputs(t *testing.T) {
	pod := webPod("web-1", "node-1", "10.244.0.2", time.Minute, running)
	two := objs(pod, webPod("web-2", "node-2", "10.244.0.3", time.Minute, running))
	cases := []struct {
		name      string
		objs      []runtime.Object
		output    string
		list      bool
		noHeaders bool
	}{
		{"out-yaml-one", objs(pod), "yaml", false, false},
		{"out-yaml-list", two, "yaml", false, false},
		{"out-json-one", objs(pod), "json", false, false},
		{"out-json-list-of-one", objs(pod), "json", true, false},
		{"out-name", append(two, otherKinds()["statefulset"]...), "name", false, false},
		{"out-jsonpath", two, "jsonpath={.items[*].metadata.name}", true, false},
		{"out-jsonpath-quoted", objs(pod), "jsonpath='{.status.podIP}{\"\\n\"}'", false, false},
		{"out-jsonpath-range", two, `jsonpath={range .items[*]}{.metadata.name}{"\t"}{.spec.nodeName}{"\n"}{end}`, true, false},
		{"out-custom-columns", two, "custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image,MISSING:.spec.nope", false, false},
		{"out-custom-columns-no-headers", two, "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			print := PrintObjects
			if tc.list {
				print = PrintList
			}
			if err := print(&buf, tc.objs, tc.output, tc.noHeaders); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name, buf.Bytes())
		})
	}
}

func TestErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := PrintTable(&buf, objs[runtime.Object](&corev1.Pod{}, &corev1.Node{}), Options{}); err == nil {
		t.Error("mixed kinds: want error")
	}
	if err := PrintTable(&buf, objs(&corev1.PodTemplate{}), Options{}); err == nil {
		t.Error("unknown kind: want error")
	}
	if err := PrintObjects(&buf, objs(&corev1.Pod{}), "xml", false); err == nil {
		t.Error("bad format: want error")
	}
	if err := PrintObjects(&buf, objs(&corev1.Pod{}), "jsonpath={.metadata.name", false); err == nil {
		t.Error("bad jsonpath: want error")
	}
	if err := Describe(&buf, &corev1.PodTemplate{}, DescribeContext{}); err == nil {
		t.Error("no describer: want error")
	}
	if err := PrintTable(&buf, nil, Options{}); err != nil || buf.Len() != 0 {
		t.Errorf("empty list: got %q, %v; want nothing", buf.String(), err)
	}
}
