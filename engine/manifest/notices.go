package manifest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"k8s.io/apimachinery/pkg/runtime"
)

// notSimulated lists fields kubeplay accepts but does not act on yet. It is
// the only place to edit when the simulation learns one of them. Paths are
// relative to a pod spec, or to each container when inContainer is set.
var notSimulated = []struct {
	path        string
	inContainer bool
}{
	{"affinity", false},
	{"securityContext", false},
	{"initContainers", false},
	{"hostNetwork", false},
	{"topologySpreadConstraints", false},
	{"priorityClassName", false},
	{"serviceAccountName", false},
	{"imagePullSecrets", false},
	{"securityContext", true},
	{"lifecycle.postStart", true},
}

// dropped lists what kubeplay never grants, whatever a manifest asks, so
// that asking is answered rather than ignored: the field's path (relative
// as in notSimulated) and why, in English and Korean. A field is asked
// for when it is true or a list that is not empty.
var dropped = []struct {
	path        string
	inContainer bool
	en, ko      string
}{
	{"hostNetwork", false, "the pod gets a network of its own (kubeplay never shares the node's)",
		"파드는 자기 네트워크를 따로 가져요(kubeplay는 노드의 네트워크를 공유하지 않아요)"},
	{"hostPID", false, "the pod's processes see only each other (kubeplay never shares the node's)",
		"파드의 프로세스는 서로만 볼 수 있어요(kubeplay는 노드의 프로세스 네임스페이스를 공유하지 않아요)"},
	{"hostIPC", false, "the pod gets IPC of its own (kubeplay never shares the node's)",
		"파드는 자기 IPC를 따로 가져요(kubeplay는 노드의 IPC를 공유하지 않아요)"},
	{"securityContext.privileged", true, "kubeplay never runs a privileged container",
		"kubeplay는 컨테이너를 특권 모드로 실행하지 않아요"},
	{"securityContext.capabilities.add", true, "kubeplay adds no capability to a container",
		"kubeplay는 컨테이너에 capability를 더하지 않아요"},
}

// asked says whether a field's value asks for something: true, or a list
// that is not empty.
func asked(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case []any:
		return len(v) > 0
	}
	return false
}

func droppedNotice(path string, value any, en, ko string) Notice {
	field := path
	if _, ok := value.(bool); ok {
		field += ": true"
	}
	return Notice{Path: path, Text: bilingual.Text{
		EN: fmt.Sprintf("%s is dropped: %s", field, en),
		KO: fmt.Sprintf("%s 설정은 적용하지 않아요: %s", field, ko)}}
}

// podSpecPath says where each kind keeps its pod spec.
var podSpecPath = map[string]string{
	"Pod":         "spec",
	"Deployment":  "spec.template.spec",
	"ReplicaSet":  "spec.template.spec",
	"DaemonSet":   "spec.template.spec",
	"StatefulSet": "spec.template.spec",
	"Job":         "spec.template.spec",
	"CronJob":     "spec.jobTemplate.spec.template.spec",
}

// notices reports the not-simulated fields the learner wrote. It reads the
// generic form of the document rather than the typed object so that a field
// set to its zero value (hostNetwork: false) still counts as written.
func notices(kind string, obj map[string]any) []Notice { return collect(kind, obj, true) }

// collect is notices, or with notSimulated false only the dropped ones.
func collect(kind string, obj map[string]any, notSimulatedToo bool) []Notice {
	base, ok := podSpecPath[kind]
	if !ok {
		return nil
	}
	spec, ok := dig(obj, base).(map[string]any)
	if !ok {
		return nil
	}
	// Each field, pod-level then each container's, with the fields it
	// drops after the ones it does not simulate: a dropped field's notice
	// stands for its "not simulated" one.
	var out []Notice
	containers, _ := spec["containers"].([]any)
	at := func(inContainer bool, each func(prefix string, m map[string]any)) {
		if !inContainer {
			each(base+".", spec)
			return
		}
		for i, c := range containers {
			if m, ok := c.(map[string]any); ok {
				each(base+".containers["+strconv.Itoa(i)+"].", m)
			}
		}
	}
	for _, inContainer := range []bool{false, true} {
		at(inContainer, func(prefix string, m map[string]any) {
			isDropped := map[string]bool{}
			var drops []Notice
			for _, d := range dropped {
				if d.inContainer == inContainer && asked(dig(m, d.path)) {
					isDropped[d.path] = true
					drops = append(drops, droppedNotice(prefix+d.path, dig(m, d.path), d.en, d.ko))
				}
			}
			for _, f := range notSimulated {
				if notSimulatedToo && f.inContainer == inContainer && !isDropped[f.path] && dig(m, f.path) != nil {
					out = append(out, newNotice(prefix+f.path))
				}
			}
			out = append(out, drops...)
		})
	}
	return out
}

// DroppedNotices are the notices of what an object decoded elsewhere (the
// HTTP API's body) of the given kind asks for and kubeplay never grants.
// Not the "accepted but not simulated" ones: a real kubectl fills in
// defaults (dnsPolicy, …) the learner never wrote.
func DroppedNotices(kind string, obj runtime.Object) []Notice {
	fields, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil
	}
	return collect(kind, fields, false)
}

func newNotice(path string) Notice {
	return Notice{
		Path: path,
		Text: bilingual.Text{
			EN: fmt.Sprintf("%s is accepted but not simulated by kubeplay", path),
			KO: fmt.Sprintf("%s 필드는 받아들이지만 kubeplay에서는 시뮬레이션하지 않아요", path),
		},
	}
}

// dig follows a dotted path of map keys; nil when any step is missing.
func dig(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
