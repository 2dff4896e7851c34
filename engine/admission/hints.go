package admission

import (
	"errors"
	"fmt"
	"github.com/kubeplay/kubeplay/engine/korean"
	"regexp"
	"strings"
	"unicode"

	"github.com/kubeplay/kubeplay/engine/manifest"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// KubectlMessage renders a Validate error the way kubectl prints it: "The
// Pod "x" is invalid: " and the cause on one line, or one "* " line per
// cause when there are several (kubectl's cmdutil.StandardErrorMessage).
func KubectlMessage(err error) string {
	var se *apierrors.StatusError
	if !errors.As(err, &se) {
		return err.Error()
	}
	if se.ErrStatus.Details == nil {
		return "The request is invalid: " + se.ErrStatus.Message
	}
	d := se.ErrStatus.Details
	head := fmt.Sprintf("The %s %q is invalid", d.Kind, d.Name)
	if d.Kind == "" && d.Name == "" {
		// An Invalid error about no object in particular (a JSON patch
		// that failed): kubectl says so, with the server's message.
		head = "The request is invalid"
		if len(d.Causes) == 0 && se.ErrStatus.Message != "" {
			head += ": " + se.ErrStatus.Message
		}
	}
	switch len(d.Causes) {
	case 0:
		return head
	case 1:
		return head + ": " + causeText(d.Causes[0].Field, d.Causes[0].Message)
	}
	lines := []string{head + ": "}
	for _, c := range d.Causes {
		lines = append(lines, "* "+causeText(c.Field, c.Message))
	}
	return strings.Join(lines, "\n")
}

func causeText(fieldPath, msg string) string {
	if fieldPath == "" {
		return msg
	}
	return fieldPath + ": " + msg
}

var quotedValueRE = regexp.MustCompile(`^Invalid value: "([^"]*)"`)

// hintRules map an apiserver cause to a learner hint. The first rule that
// matches the first cause it can explain wins.
var hintRules = []func(field, msg string) (manifest.Hint, bool){
	nameHint,
	func(_, msg string) (manifest.Hint, bool) {
		return manifest.Hint{
			EN: "The selector must match the labels in spec.template.metadata.labels, or the controller could never find its own pods.",
			KO: "selector가 spec.template.metadata.labels의 레이블과 맞아야 해요. 그래야 컨트롤러가 자기 파드를 찾을 수 있어요.",
		}, strings.Contains(msg, "`selector` does not match template `labels`")
	},
	func(field, msg string) (manifest.Hint, bool) {
		return manifest.Hint{
			EN: "Liveness and startup probes must have successThreshold: 1; only readiness probes may ask for more successes.",
			KO: "활성 프로브(liveness)와 스타트업 프로브의 successThreshold는 1이어야 해요. 더 큰 값은 준비성 프로브(readiness)에만 쓸 수 있어요.",
		}, strings.HasSuffix(field, ".successThreshold") && strings.HasSuffix(msg, "must be 1")
	},
	func(field, msg string) (manifest.Hint, bool) {
		return manifest.Hint{
			EN: "Pods of a Deployment, ReplicaSet or DaemonSet are always restarted: remove restartPolicy or set it to Always. For run-once work use a Job.",
			KO: "디플로이먼트, 레플리카셋, 데몬셋의 파드는 항상 다시 시작돼요. restartPolicy를 지우거나 Always로 두세요. 한 번만 실행할 작업이라면 잡(Job)을 쓰세요.",
		}, strings.HasSuffix(field, "template.spec.restartPolicy") && strings.HasSuffix(msg, `supported values: "Always"`)
	},
	func(field, msg string) (manifest.Hint, bool) {
		return manifest.Hint{
			EN: "A Job's pods run to completion, so their restartPolicy must be Never (the Job makes a new pod when one fails) or OnFailure (the kubelet restarts the container). Without one it defaults to Always, which a Job cannot use.",
			KO: "잡의 파드는 끝날 때까지 한 번 실행돼요. 그래서 restartPolicy는 Never(실패하면 잡이 새 파드를 만들어요)나 OnFailure(kubelet이 컨테이너를 다시 시작해요)여야 해요. 적지 않으면 Always가 되는데, 잡에서는 쓸 수 없어요.",
		}, strings.HasSuffix(field, "template.spec.restartPolicy") && strings.HasSuffix(msg, `supported values: "OnFailure", "Never"`)
	},
	func(field, _ string) (manifest.Hint, bool) {
		return manifest.Hint{
			EN: `A schedule is five fields: minute, hour, day of month, month, day of week ("*/5 * * * *" is every five minutes), or a word such as @hourly or @daily.`,
			KO: `schedule은 분, 시, 일, 월, 요일의 다섯 칸이에요("*/5 * * * *"는 5분마다). @hourly, @daily 같은 단어도 쓸 수 있어요.`,
		}, field == "spec.schedule"
	},
	func(_, msg string) (manifest.Hint, bool) {
		return manifest.Hint{
			EN: "With maxSurge 0 and maxUnavailable 0 a rollout could neither add nor remove a pod. Make one of them at least 1.",
			KO: "maxSurge와 maxUnavailable이 모두 0이면 롤링 업데이트가 파드를 더하지도 빼지도 못해요. 둘 중 하나를 1 이상으로 바꿔 보세요.",
		}, strings.Contains(msg, "may not be 0 when `maxSurge` is 0")
	},
	func(field, msg string) (manifest.Hint, bool) {
		return manifest.Hint{
			EN: "A request is what the pod is guaranteed; it cannot be more than the limit. Lower the request or raise the limit.",
			KO: "requests는 파드에 보장되는 양이라 limits보다 클 수 없어요. requests를 줄이거나 limits를 늘려 보세요.",
		}, strings.HasSuffix(field, "resources.requests") && strings.Contains(msg, "must be less than or equal to")
	},
	func(_, msg string) (manifest.Hint, bool) {
		return manifest.Hint{
			EN: "A running pod can change little more than its image. Delete it and create it again, or let a Deployment replace pods for you.",
			KO: "실행 중인 파드는 이미지 말고는 거의 바꿀 수 없어요. 파드를 지우고 다시 만들거나, 디플로이먼트가 파드를 바꾸도록 해 보세요.",
		}, strings.Contains(msg, "pod updates may not change fields other than")
	},
	func(field, _ string) (manifest.Hint, bool) {
		return manifest.Hint{
			EN: "An autoscaler keeps the replicas between minReplicas and maxReplicas, so maxReplicas must be at least minReplicas (and minReplicas at least 1).",
			KO: "오토스케일러는 레플리카 수를 minReplicas와 maxReplicas 사이로 유지해요. 그래서 maxReplicas는 minReplicas 이상이어야 하고, minReplicas는 1 이상이어야 해요.",
		}, field == "spec.maxReplicas" || field == "spec.minReplicas"
	},
	func(field, _ string) (manifest.Hint, bool) {
		return manifest.Hint{
			EN: "scaleTargetRef names what the autoscaler scales: apiVersion: apps/v1, kind: Deployment (or StatefulSet, ReplicaSet) and its name.",
			KO: "scaleTargetRef에는 오토스케일러가 늘리고 줄일 대상을 적어요. apiVersion: apps/v1, kind: Deployment(또는 StatefulSet, ReplicaSet)와 그 이름이에요.",
		}, strings.HasPrefix(field, "spec.scaleTargetRef")
	},
	func(_, msg string) (manifest.Hint, bool) {
		return manifest.Hint{
			EN: "A probe needs exactly one of exec, httpGet, tcpSocket or grpc.",
			KO: "프로브에는 exec, httpGet, tcpSocket, grpc 중 딱 하나만 있어야 해요.",
		}, strings.Contains(msg, "handler type")
	},
}

// HintFor explains a Validate error to a learner, when kubeplay knows the
// usual cause.
func HintFor(err error) (manifest.Hint, bool) {
	// An error that carries its own (the apiserver's limits).
	var own interface{ LearnerHint() manifest.Hint }
	if errors.As(err, &own) {
		return own.LearnerHint(), true
	}
	var se *apierrors.StatusError
	if !errors.As(err, &se) || se.ErrStatus.Details == nil {
		return manifest.Hint{}, false
	}
	for _, c := range se.ErrStatus.Details.Causes {
		for _, rule := range hintRules {
			if h, ok := rule(c.Field, c.Message); ok {
				return h, true
			}
		}
	}
	return manifest.Hint{}, false
}

// nameHint covers names with capitals, underscores or spaces, the usual
// slip of people used to camelCase identifiers.
func nameHint(field, msg string) (manifest.Hint, bool) {
	if !strings.HasSuffix(field, "name") {
		return manifest.Hint{}, false
	}
	m := quotedValueRE.FindStringSubmatch(msg)
	if m == nil {
		return manifest.Hint{}, false
	}
	bad, good := m[1], SuggestName(m[1])
	if good == "" || good == bad {
		return manifest.Hint{}, false
	}
	return manifest.Hint{
		EN: fmt.Sprintf("Names may hold only lowercase letters, digits, '-' and '.'. Try %s.", good),
		KO: fmt.Sprintf("이름에는 소문자, 숫자, '-', '.'만 쓸 수 있어요. %s → %s 바꿔 보세요.", bad, korean.With(good, "로")),
	}, true
}

// SuggestName turns a name into a valid one: lower case, a '-' where a
// camelCase word began (myPod → my-pod, HTTPServer → http-server), and '-'
// for any other character a DNS name may not hold.
func SuggestName(name string) string {
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 {
			prevLowerOrDigit := unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1])
			acronymEnd := unicode.IsUpper(rs[i-1]) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if prevLowerOrDigit || acronymEnd {
				b.WriteByte('-')
			}
		}
		r = unicode.ToLower(r)
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := b.String()
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	return strings.Trim(s, "-.")
}
