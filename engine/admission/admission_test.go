package admission

import (
	"maps"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubeplay/kubeplay/engine/manifest"
)

const (
	rfc1123Subdomain = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`
	rfc1123Label     = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
)

func pod(mut ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", ResourceVersion: "1"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1.27"}}},
	}
	for _, m := range mut {
		m(p)
	}
	return p
}

func deployment(mut ...func(*appsv1.Deployment)) *appsv1.Deployment {
	d := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", ResourceVersion: "1"},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec:       pod().Spec,
			},
		},
	}
	for _, m := range mut {
		m(d)
	}
	return d
}

func probe(p *corev1.Probe) func(*corev1.Pod) {
	return func(o *corev1.Pod) { o.Spec.Containers[0].LivenessProbe = p }
}

func httpProbe() *corev1.Probe {
	return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromInt32(8080)}}}
}

func TestValidate(t *testing.T) {
	tests := []admissionCase{
		{"valid pod", pod(), nil, ""},
		{"valid deployment", deployment(), nil, ""},
		{"uppercase pod name", pod(func(p *corev1.Pod) { p.Name = "myPod" }), nil,
			`The Pod "myPod" is invalid: metadata.name: Invalid value: "myPod": ` + rfc1123Subdomain},
		{"namespace name is a label", &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "a.b"}}, nil,
			`The Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots`},
		{"namespace name uppercase", &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "Dev"}}, nil,
			`The Namespace "Dev" is invalid: metadata.name: Invalid value: "Dev": ` + rfc1123Label},
		{"service name is a DNS-1035 label", &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "1web", Namespace: "default"},
			Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 80}}}}, nil,
			`The Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`},
		{"bad label value", pod(func(p *corev1.Pod) { p.Labels = map[string]string{"app": "a b"} }), nil,
			`The Pod "web" is invalid: metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`},
		{"no containers", pod(func(p *corev1.Pod) { p.Spec.Containers = nil }), nil,
			`The Pod "web" is invalid: spec.containers: Required value`},
		{"container name and image", pod(func(p *corev1.Pod) {
			p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: "Web"}, corev1.Container{Name: "web", Image: "x"})
		}), nil, "The Pod \"web\" is invalid: \n" +
			"* spec.containers[1].name: Invalid value: \"Web\": " + rfc1123Label + "\n" +
			"* spec.containers[1].image: Required value\n" +
			"* spec.containers[2].name: Duplicate value: \"web\""},
		{"port out of range", pod(func(p *corev1.Pod) { p.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 70000}} }), nil,
			`The Pod "web" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`},
		{"liveness successThreshold", pod(probe(&corev1.Probe{ProbeHandler: httpProbe().ProbeHandler, SuccessThreshold: 2})), nil,
			`The Pod "web" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1`},
		{"probe without handler", pod(probe(&corev1.Probe{})), nil,
			`The Pod "web" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type`},
		{"probe with two handlers", pod(probe(&corev1.Probe{ProbeHandler: corev1.ProbeHandler{
			HTTPGet: httpProbe().HTTPGet, TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(80)}}})), nil,
			`The Pod "web" is invalid: spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type`},
		{"restartPolicy value", pod(func(p *corev1.Pod) { p.Spec.RestartPolicy = "Sometimes" }), nil,
			`The Pod "web" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`},
		{"requests above limits", pod(func(p *corev1.Pod) {
			p.Spec.Containers[0].Resources = corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("2")},
				Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m")},
			}
		}), nil, `The Pod "web" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 500m`},
		{"selector does not match", deployment(func(d *appsv1.Deployment) { d.Spec.Template.Labels = map[string]string{"app": "x"} }), nil,
			"The Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"x\"}: `selector` does not match template `labels`"},
		{"selector missing", deployment(func(d *appsv1.Deployment) { d.Spec.Selector = nil }), nil,
			"The Deployment \"web\" is invalid: \n* spec.selector: Required value\n" +
				"* spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"},
		{"negative replicas", deployment(func(d *appsv1.Deployment) { d.Spec.Replicas = ptr[int32](-1) }), nil,
			`The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`},
		{"surge and unavailable both 0", deployment(func(d *appsv1.Deployment) {
			zero := intstr.FromInt32(0)
			d.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{MaxSurge: &zero, MaxUnavailable: &zero}
		}), nil, "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"},
		{"deployment restartPolicy", deployment(func(d *appsv1.Deployment) { d.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever }), nil,
			`The Deployment "web" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`},
		{"service ports", &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
			Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 80}, {Port: 0}}}}, nil,
			"The Service \"web\" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[1].name: Required value\n" +
				"* spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive\n" +
				"* spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive"},
		{"configmap key", &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "c", Namespace: "default"},
			Data: map[string]string{"my key": "v"}}, nil,
			`The ConfigMap "c" is invalid: data[my key]: Invalid value: "my key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`},
		{"secret stringData key", &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "s", Namespace: "default"},
			StringData: map[string]string{"a/b": "v"}}, nil,
			`The Secret "s" is invalid: data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`},
		{"deployment selector is immutable", deployment(func(d *appsv1.Deployment) {
			d.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web", "tier": "x"}}
			d.Spec.Template.Labels = map[string]string{"app": "web", "tier": "x"}
		}), deployment(),
			`The Deployment "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable`},
		{"pod image may change", pod(func(p *corev1.Pod) { p.Spec.Containers[0].Image = "nginx:1.28" }), pod(), ""},
		{"update without resourceVersion", pod(func(p *corev1.Pod) { p.ResourceVersion = "" }), pod(),
			`The Pod "web" is invalid: metadata.resourceVersion: Invalid value: "": must be specified for an update`},
	}
	checkValidations(t, tests)
}

// admissionCase is one object admitted as the apiserver admits it (defaulted,
// then validated, against old on an update) and kubectl's rendering of
// the error it gets; "" means valid.
type admissionCase struct {
	name     string
	obj, old runtime.Object
	want     string
}

// checkValidations admits each case and compares kubectl's rendering of
// the error.
func checkValidations(t *testing.T, tests []admissionCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Default(tt.obj)
			if tt.old != nil {
				Default(tt.old)
			}
			got := ""
			if err := Validate(tt.obj, tt.old); err != nil {
				got = KubectlMessage(err)
			}
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestPodUpdateForbidden(t *testing.T) {
	old := pod()
	Default(old)
	upd := old.DeepCopy()
	upd.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 80, Protocol: corev1.ProtocolTCP}}
	got := KubectlMessage(Validate(upd, old))
	want := "The Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"
	if !strings.HasPrefix(got, want) || !strings.Contains(got, "ContainerPort: 80") {
		t.Errorf("got:\n%s", got)
	}
}

func TestDefault(t *testing.T) {
	p := pod(probe(httpProbe()), func(p *corev1.Pod) {
		p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: "side", Image: "busybox",
			Ports: []corev1.ContainerPort{{ContainerPort: 80}}})
	})
	Default(p)
	want := pod(func(w *corev1.Pod) {
		w.Spec = corev1.PodSpec{
			RestartPolicy:                 corev1.RestartPolicyAlways,
			TerminationGracePeriodSeconds: ptr[int64](30),
			DNSPolicy:                     corev1.DNSClusterFirst,
			SecurityContext:               &corev1.PodSecurityContext{},
			SchedulerName:                 "default-scheduler",
			EnableServiceLinks:            ptr(true),
			Tolerations: []corev1.Toleration{
				{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr[int64](300)},
				{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr[int64](300)},
			},
			Containers: []corev1.Container{{
				Name: "web", Image: "nginx:1.27", ImagePullPolicy: corev1.PullIfNotPresent,
				TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: corev1.TerminationMessageReadFile,
				LivenessProbe: &corev1.Probe{
					ProbeHandler:   corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt32(8080), Scheme: corev1.URISchemeHTTP}},
					TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3,
				},
			}, {
				Name: "side", Image: "busybox", ImagePullPolicy: corev1.PullAlways,
				TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: corev1.TerminationMessageReadFile,
				Ports: []corev1.ContainerPort{{ContainerPort: 80, Protocol: corev1.ProtocolTCP}},
			}},
		}
	})
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("pod (-want +got):\n%s", diff)
	}

	d := deployment()
	Default(d)
	quarter := intstr.FromString("25%")
	if diff := cmp.Diff(appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &quarter, MaxUnavailable: &quarter}}, d.Spec.Strategy); diff != "" {
		t.Errorf("strategy (-want +got):\n%s", diff)
	}
	if *d.Spec.Replicas != 1 || *d.Spec.RevisionHistoryLimit != 10 || *d.Spec.ProgressDeadlineSeconds != 600 ||
		d.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyAlways || d.Spec.Template.Spec.EnableServiceLinks != nil {
		t.Errorf("deployment defaults: %+v", d.Spec)
	}

	rs := &appsv1.ReplicaSet{}
	Default(rs)
	if *rs.Spec.Replicas != 1 {
		t.Errorf("replicaset replicas = %d", *rs.Spec.Replicas)
	}

	svc := &corev1.Service{Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 80}, {Port: 443, TargetPort: intstr.FromString("https")}}}}
	Default(svc)
	wantPorts := []corev1.ServicePort{
		{Port: 80, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(80)},
		{Port: 443, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromString("https")},
	}
	if svc.Spec.Type != corev1.ServiceTypeClusterIP || svc.Spec.SessionAffinity != corev1.ServiceAffinityNone {
		t.Errorf("service defaults: %+v", svc.Spec)
	}
	if diff := cmp.Diff(wantPorts, svc.Spec.Ports); diff != "" {
		t.Errorf("service ports (-want +got):\n%s", diff)
	}
}

func TestPullPolicy(t *testing.T) {
	for image, want := range map[string]corev1.PullPolicy{
		"nginx": corev1.PullAlways, "nginx:latest": corev1.PullAlways, "nginx:1.27": corev1.PullIfNotPresent,
		"localhost:5000/app": corev1.PullAlways, "localhost:5000/app:v2": corev1.PullIfNotPresent,
		"nginx@sha256:abc": corev1.PullIfNotPresent,
	} {
		if got := pullPolicyFor(image); got != want {
			t.Errorf("pullPolicyFor(%q) = %s, want %s", image, got, want)
		}
	}
}

func TestHintFor(t *testing.T) {
	tests := []struct {
		name string
		obj  runtime.Object
		want manifest.Hint
	}{
		{"uppercase name", pod(func(p *corev1.Pod) { p.Name = "myPod" }), manifest.Hint{
			EN: "Names may hold only lowercase letters, digits, '-' and '.'. Try my-pod.",
			KO: "이름에는 소문자, 숫자, '-', '.'만 쓸 수 있어요. myPod → my-pod로 바꿔 보세요."}},
		{"selector mismatch", deployment(func(d *appsv1.Deployment) { d.Spec.Template.Labels = map[string]string{"app": "x"} }), manifest.Hint{
			EN: "The selector must match the labels in spec.template.metadata.labels, or the controller could never find its own pods.",
			KO: "selector가 spec.template.metadata.labels의 레이블과 맞아야 해요. 그래야 컨트롤러가 자기 파드를 찾을 수 있어요."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Default(tt.obj)
			got, ok := HintFor(Validate(tt.obj, nil))
			if !ok {
				t.Fatal("no hint")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, ok := HintFor(nil); ok {
		t.Error("hint for nil error")
	}
}

func TestSuggestName(t *testing.T) {
	for in, want := range map[string]string{
		"myPod": "my-pod", "HTTPServer": "http-server", "web_app": "web-app", "My App": "my-app", "api2Go": "api2-go",
	} {
		if got := SuggestName(in); got != want {
			t.Errorf("SuggestName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNamespaceNameLabel: every named namespace gets its name as the
// kubernetes.io/metadata.name label, which a write can neither change nor
// remove (SetDefaults_Namespace); a namespace still to be named gets none.
func TestNamespaceNameLabel(t *testing.T) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop", Labels: map[string]string{"team": "a", corev1.LabelMetadataName: "other"}}}
	Default(ns)
	if want := map[string]string{"team": "a", "kubernetes.io/metadata.name": "shop"}; !maps.Equal(ns.Labels, want) {
		t.Errorf("labels %v, want %v", ns.Labels, want)
	}
	bare := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "bare"}}
	Default(bare)
	if bare.Labels["kubernetes.io/metadata.name"] != "bare" {
		t.Errorf("a namespace without labels got %v", bare.Labels)
	}
	unnamed := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "tmp-"}}
	Default(unnamed)
	if unnamed.Labels != nil {
		t.Errorf("an unnamed namespace got labels %v", unnamed.Labels)
	}
}
