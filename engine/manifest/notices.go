package manifest

import (
	"fmt"
	"strconv"
	"strings"
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
	{"dnsPolicy", false},
	{"dnsConfig", false},
	{"topologySpreadConstraints", false},
	{"priorityClassName", false},
	{"serviceAccountName", false},
	{"imagePullSecrets", false},
	{"securityContext", true},
	{"lifecycle.postStart", true},
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
func notices(kind string, obj map[string]any) []Notice {
	base, ok := podSpecPath[kind]
	if !ok {
		return nil
	}
	spec, ok := dig(obj, base).(map[string]any)
	if !ok {
		return nil
	}
	var out []Notice
	for _, f := range notSimulated {
		if !f.inContainer {
			if dig(spec, f.path) != nil {
				out = append(out, newNotice(base+"."+f.path))
			}
			continue
		}
		containers, _ := spec["containers"].([]any)
		for i, c := range containers {
			if m, ok := c.(map[string]any); ok && dig(m, f.path) != nil {
				out = append(out, newNotice(base+".containers["+strconv.Itoa(i)+"]."+f.path))
			}
		}
	}
	return out
}

func newNotice(path string) Notice {
	return Notice{
		Path: path,
		EN:   fmt.Sprintf("%s is accepted but not simulated by kubeplay", path),
		KO:   fmt.Sprintf("%s 필드는 받아들이지만 kubeplay에서는 시뮬레이션하지 않아요", path),
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
