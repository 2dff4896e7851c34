package manifest

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// Manifests shared by the table tests and the fuzz seeds.
const (
	goodPod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
`
	goodMulti = `# two objects
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
---

---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
`
	goodList = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: a}
- apiVersion: v1
  kind: Secret
  metadata: {name: b}
`
	goodJSON = `{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}
{"apiVersion": "v1", "kind": "ConfigMap",
 "metadata": {"name": "c"}}`
	probeTypo = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx
    livenessProbe:
      periodseconds: 3
`
	specUnderMetadata = `apiVersion: v1
kind: Pod
metadata:
  name: p
  spec:
    containers: []
`
	quotedReplicas = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
`
	portNotNumber = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: a
    ports:
    - containerPort: abc
`
	kindTypo = `apiVersion: apps/v1
kind: Deploymnt
metadata:
  name: web
`
	wrongVersion = `apiVersion: v1
kind: Deployment
metadata:
  name: web
  namespace: dev
`
	noKind       = "metadata:\n  name: web\n"
	tabIndent    = "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n"
	badIndent    = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n   labels: x\n"
	duplicateKey = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: a
    image: b
`
	notSimulatedFields = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      hostNetwork: false
      serviceAccountName: robot
      affinity: {}
      containers:
      - name: web
        image: nginx
        lifecycle:
          postStart:
            exec: {command: [date]}
`
)

func TestDecodeValid(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		kinds []string
		lines []int
	}{
		{"pod", goodPod, []string{"Pod"}, []int{1}},
		{"multi-document with empty ones", goodMulti, []string{"Deployment", "Service"}, []int{3, 21}},
		{"list", goodList, []string{"ConfigMap", "Secret"}, []int{4, 7}},
		{"json stream", goodJSON, []string{"Namespace", "ConfigMap"}, []int{1, 2}},
		{"only comments", "# nothing\n---\n", nil, nil},
		{"empty", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Decode("f.yaml", []byte(tt.in))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			var kinds []string
			var lines []int
			for _, d := range docs {
				kinds = append(kinds, d.Object.GetObjectKind().GroupVersionKind().Kind)
				lines = append(lines, d.Line)
				if d.Source != "f.yaml" {
					t.Errorf("Source = %q", d.Source)
				}
			}
			if diff := cmp.Diff(tt.kinds, kinds); diff != "" {
				t.Errorf("kinds (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.lines, lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeTyped(t *testing.T) {
	docs, err := Decode("-", []byte(goodMulti))
	if err != nil {
		t.Fatal(err)
	}
	d, ok := docs[0].Object.(*appsv1.Deployment)
	if !ok {
		t.Fatalf("got %T, want *appsv1.Deployment", docs[0].Object)
	}
	if d.APIVersion != "apps/v1" || d.Kind != "Deployment" || *d.Spec.Replicas != 2 || d.Spec.Template.Spec.Containers[0].Image != "nginx" {
		t.Errorf("unexpected object: %+v", d)
	}
	if _, ok := docs[1].Object.(*corev1.Service); !ok {
		t.Errorf("got %T, want *corev1.Service", docs[1].Object)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Error
	}{
		{"unknown field, case only", probeTypo, Error{
			Line: 10, Path: "spec.containers[0].livenessProbe.periodseconds",
			Message: `Error from server (BadRequest): error when creating "f.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].livenessProbe.periodseconds"`,
			Hint: Hint{EN: "Did you mean periodSeconds? Field names are case-sensitive.",
				KO: "혹시 periodSeconds 필드를 쓰려고 했나요? 필드 이름은 대소문자를 구분해요."},
		}},
		{"unknown field, misspelt", strings.Replace(goodPod, "image:", "imagee:", 1), Error{
			Line: 8, Path: "spec.containers[0].imagee",
			Message: `Error from server (BadRequest): error when creating "f.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee"`,
			Hint:    Hint{EN: "Did you mean image?", KO: "혹시 image 필드를 쓰려고 했나요?"},
		}},
		{"unknown field, nothing near", strings.Replace(goodPod, "spec:", "spec:\n  banana: 1", 1), Error{
			Line: 6, Path: "spec.banana",
			Message: `Error from server (BadRequest): error when creating "f.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.banana"`,
			Hint: Hint{EN: "spec has no field banana. Check the spelling and the indentation.",
				KO: "spec에는 banana 필드가 없어요. 철자와 들여쓰기를 확인해 보세요."},
		}},
		{"spec under metadata", specUnderMetadata, Error{
			Line: 5, Path: "metadata.spec",
			Message: `Error from server (BadRequest): error when creating "f.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.spec"`,
			Hint: Hint{EN: "spec is indented under metadata. Move it left so that it starts in the same column as metadata.",
				KO: "spec 필드가 metadata 안으로 들여쓰기되어 있어요. metadata와 같은 열에서 시작하도록 왼쪽으로 옮겨 보세요."},
		}},
		{"duplicate field", duplicateKey, Error{
			Line: 9, Path: "spec.containers[0].image",
			Message: `Error from server (BadRequest): error when creating "f.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: duplicate field "spec.containers[0].image"`,
			Hint: Hint{EN: "image is written twice in the same block; keep only one.",
				KO: "같은 블록에 image 필드가 두 번 있어요. 하나만 남겨 주세요."},
		}},
		{"replicas in quotes", quotedReplicas, Error{
			Line: 6, Path: "spec.replicas",
			Message: `Error from server (BadRequest): error when creating "f.yaml": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`,
			Hint: Hint{EN: "spec.replicas must be a number, written without quotes.",
				KO: "spec.replicas 값은 숫자여야 해요. 따옴표 없이 써 보세요."},
		}},
		{"containerPort not a number", portNotNumber, Error{
			Line: 10, Path: "spec.containers.ports.containerPort",
			Message: `Error from server (BadRequest): error when creating "f.yaml": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32`,
			Hint: Hint{EN: "spec.containers.ports.containerPort must be a number, written without quotes.",
				KO: "spec.containers.ports.containerPort 값은 숫자여야 해요. 따옴표 없이 써 보세요."},
		}},
		{"kind misspelt", kindTypo, Error{
			Line: 2, Path: "kind",
			Message: "error: resource mapping not found for name: \"web\" namespace: \"\" from \"f.yaml\": no matches for kind \"Deploymnt\" in version \"apps/v1\"\nensure CRDs are installed first",
			Hint: Hint{EN: "Did you mean kind: Deployment (apiVersion: apps/v1)?",
				KO: "혹시 kind: Deployment, apiVersion: apps/v1을 쓰려고 했나요?"},
		}},
		{"kind in wrong version", wrongVersion, Error{
			Line: 1, Path: "apiVersion",
			Message: "error: resource mapping not found for name: \"web\" namespace: \"dev\" from \"f.yaml\": no matches for kind \"Deployment\" in version \"v1\"\nensure CRDs are installed first",
			Hint: Hint{EN: "Deployment is in apiVersion apps/v1, not v1. Write apiVersion: apps/v1.",
				KO: "kind: Deployment는 v1이 아니라 apps/v1에 있어요. apiVersion: apps/v1로 고쳐 보세요."},
		}},
		{"no apiVersion, no kind", noKind, Error{
			Line:    1,
			Message: `error: error validating "f.yaml": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false`,
			Hint: Hint{EN: "Every manifest starts with apiVersion and kind at the top level, e.g. apiVersion: v1 and kind: Pod.",
				KO: "매니페스트 맨 위에는 apiVersion과 kind가 꼭 있어야 해요. 예: apiVersion: v1, kind: Pod"},
		}},
		{"no kind", "apiVersion: v1\n" + noKind, Error{
			Line:    1,
			Message: `error: error validating "f.yaml": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false`,
			Hint: Hint{EN: "Every manifest starts with apiVersion and kind at the top level, e.g. apiVersion: v1 and kind: Pod.",
				KO: "매니페스트 맨 위에는 apiVersion과 kind가 꼭 있어야 해요. 예: apiVersion: v1, kind: Pod"},
		}},
		{"tab", tabIndent, Error{
			Line:    4,
			Message: "error: error parsing f.yaml: error converting YAML to JSON: yaml: line 4: found character that cannot start any token",
			Hint: Hint{EN: "Line 4 is indented with a tab. YAML indentation must use spaces only.",
				KO: "4번째 줄 들여쓰기에 탭 문자가 있어요. YAML 들여쓰기에는 공백만 쓸 수 있어요."},
		}},
		{"bad indentation in second document", goodPod + "---\n" + badIndent, Error{
			Line:    14,
			Message: "error: error parsing f.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context",
			Hint: Hint{EN: "Check the indentation near line 14: keys of one block must start in the same column, indented with spaces.",
				KO: "14번째 줄 근처의 들여쓰기를 확인해 보세요. 같은 블록의 키는 공백으로 같은 열에 맞춰야 해요."},
		}},
		{"bad separator", "--- foo\n" + goodPod, Error{
			Line:    1,
			Message: "error: error parsing f.yaml: invalid Yaml document separator: foo",
		}},
		{"not an object", "- a\n- b\n", Error{
			Line:    1,
			Message: `error: error validating "f.yaml": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode("f.yaml", []byte(tt.in))
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("Decode error = %#v, want *Error", err)
			}
			tt.want.Source = "f.yaml"
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if got.Error() != tt.want.Message {
				t.Errorf("Error() = %q", got.Error())
			}
		})
	}
}

// kubectl applies the good documents around one the cluster refuses, but
// stops reading at one it cannot parse.
func TestDecodeKeepsGoodDocuments(t *testing.T) {
	docs, err := Decode("f.yaml", []byte(goodPod+"---\n"+kindTypo+"---\n"+goodPod+"---\n"+wrongVersion))
	if len(docs) != 2 {
		t.Errorf("got %d documents, want 2", len(docs))
	}
	var all interface{ Unwrap() []error }
	if !errors.As(err, &all) || len(all.Unwrap()) != 2 {
		t.Fatalf("want two joined errors, got %v", err)
	}

	docs, err = Decode("f.yaml", []byte(goodPod+"---\n"+tabIndent+"---\n"+goodPod))
	if len(docs) != 1 || err == nil {
		t.Errorf("got %d documents and %v; want 1 and the syntax error", len(docs), err)
	}
}

func TestNotices(t *testing.T) {
	docs, err := Decode("f.yaml", []byte(notSimulatedFields))
	if err != nil {
		t.Fatal(err)
	}
	want := []Notice{
		{Path: "spec.template.spec.affinity",
			Text: bilingual.Text{EN: "spec.template.spec.affinity is accepted but not simulated by kubeplay",
				KO: "spec.template.spec.affinity 필드는 받아들이지만 kubeplay에서는 시뮬레이션하지 않아요"}},
		{Path: "spec.template.spec.hostNetwork",
			Text: bilingual.Text{EN: "spec.template.spec.hostNetwork is accepted but not simulated by kubeplay",
				KO: "spec.template.spec.hostNetwork 필드는 받아들이지만 kubeplay에서는 시뮬레이션하지 않아요"}},
		{Path: "spec.template.spec.serviceAccountName",
			Text: bilingual.Text{EN: "spec.template.spec.serviceAccountName is accepted but not simulated by kubeplay",
				KO: "spec.template.spec.serviceAccountName 필드는 받아들이지만 kubeplay에서는 시뮬레이션하지 않아요"}},
		{Path: "spec.template.spec.containers[0].lifecycle.postStart",
			Text: bilingual.Text{EN: "spec.template.spec.containers[0].lifecycle.postStart is accepted but not simulated by kubeplay",
				KO: "spec.template.spec.containers[0].lifecycle.postStart 필드는 받아들이지만 kubeplay에서는 시뮬레이션하지 않아요"}},
	}
	if diff := cmp.Diff(want, docs[0].Notices); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if docs, _ := Decode("f.yaml", []byte(goodPod)); len(docs[0].Notices) != 0 {
		t.Errorf("plain pod got notices %v", docs[0].Notices)
	}
}

func TestKinds(t *testing.T) {
	if got := len(Kinds()); got != 21 {
		t.Errorf("Kinds() has %d entries, want 21", got)
	}
}

const privilegedPod = `apiVersion: v1
kind: Pod
metadata:
  name: priv
spec:
  hostNetwork: true
  hostPID: true
  hostIPC: false
  containers:
  - name: c
    image: busybox
    securityContext:
      privileged: true
      capabilities:
        add: ["NET_ADMIN"]
`

// TestDroppedNotices: what kubeplay never grants is named, not dropped in
// silence: hostNetwork, hostPID, hostIPC, privileged and added
// capabilities, each when asked for (hostIPC: false asks for nothing).
func TestDroppedNotices(t *testing.T) {
	docs, err := Decode("f.yaml", []byte(privilegedPod))
	if err != nil {
		t.Fatal(err)
	}
	var en, ko []string
	for _, n := range docs[0].Notices {
		en, ko = append(en, n.Text.EN), append(ko, n.Text.KO)
	}
	wantEN := []string{
		"spec.hostNetwork: true is dropped: the pod gets a network of its own (kubeplay never shares the node's)",
		"spec.hostPID: true is dropped: the pod's processes see only each other (kubeplay never shares the node's)",
		"spec.containers[0].securityContext is accepted but not simulated by kubeplay",
		"spec.containers[0].securityContext.privileged: true is dropped: kubeplay never runs a privileged container",
		"spec.containers[0].securityContext.capabilities.add is dropped: kubeplay adds no capability to a container",
	}
	if diff := cmp.Diff(wantEN, en); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, k := range ko {
		if !strings.Contains(k, "적용하지 않아요") && !strings.Contains(k, "시뮬레이션하지 않아요") {
			t.Errorf("Korean notice %q says nothing of what is dropped", k)
		}
	}
}
