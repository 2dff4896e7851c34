package kubectl

import (
	"strings"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
)

// hpaHint explains, after describe, the conditions a learner's HPA most
// often shows when it cannot scale, in kubeplay's words.
func (s *Session) hpaHint(h *autoscalingv2.HorizontalPodAutoscaler) {
	ref := h.Spec.ScaleTargetRef
	for _, c := range h.Status.Conditions {
		switch {
		case c.Reason == "FailedGetScale":
			s.hintText("kubeplay: the autoscaler cannot find what it scales, "+ref.Kind+" "+ref.Name+": create it, or fix spec.scaleTargetRef (apiVersion apps/v1, kind Deployment, StatefulSet or ReplicaSet, and its name).",
				"kubeplay: 오토스케일러가 늘리고 줄일 대상("+ref.Kind+" "+ref.Name+")을 찾지 못했어요. 그 대상을 만들거나 spec.scaleTargetRef(apiVersion apps/v1, kind Deployment·StatefulSet·ReplicaSet, 이름)를 고쳐 보세요.")
			return
		case c.Reason == "FailedGetResourceMetric" && strings.Contains(c.Message, "missing request for"):
			s.hintText("kubeplay: a utilization is a share of what the pods request, so every container needs resources.requests for it (cpu: 100m, say) in the pod template.",
				"kubeplay: 사용률은 파드가 요청한 양에 대한 비율이라서, 파드 템플릿의 모든 컨테이너에 resources.requests(예: cpu: 100m)가 있어야 해요.")
			return
		case c.Reason == "FailedGetResourceMetric" && strings.Contains(c.Message, "unable to handle the request"):
			s.hintText("kubeplay: the autoscaler reads the metrics API, which metrics-server serves, and no metrics-server pod is ready: bring it back (kubectl scale deployment metrics-server -n kube-system --replicas=1).",
				"kubeplay: 오토스케일러는 metrics-server가 제공하는 메트릭 API를 읽는데, 지금 준비된 metrics-server 파드가 없어요. 다시 띄워 보세요(kubectl scale deployment metrics-server -n kube-system --replicas=1).")
			return
		case c.Reason == "FailedGetResourceMetric":
			s.hintText("kubeplay: metrics-server measures each pod over 15 s windows, so a pod has no figure until it has run a whole one; the autoscaler looks again every 15 s.",
				"kubeplay: metrics-server는 파드를 15초 단위로 재요. 그래서 파드가 15초를 온전히 실행하기 전에는 수치가 없어요. 오토스케일러는 15초마다 다시 봐요.")
			return
		}
	}
}
