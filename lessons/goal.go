package lessons

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/console"
	"github.com/kubeplay/kubeplay/engine/korean"

	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/selection"
)

// A step's goal is said in sentences, in the learner's language: what
// the cluster must show for the step to be done. They are made from the
// check itself, so they cannot drift from what is checked.

// kinds are the kinds as a learner reads them: "ReplicaSet" in English
// (pod and node as the lessons write them), the glossary's word in Korean.
var kinds = map[string]bilingual.Text{
	"Pod": {EN: "pod", KO: "파드"}, "Node": {EN: "node", KO: "노드"}, "Namespace": {EN: "Namespace", KO: "네임스페이스"},
	"ReplicaSet": {EN: "ReplicaSet", KO: "레플리카셋"}, "Deployment": {EN: "Deployment", KO: "디플로이먼트"},
	"Service": {EN: "Service", KO: "서비스"}, "Endpoints": {EN: "Endpoints", KO: "엔드포인트"}, "Ingress": {EN: "Ingress", KO: "인그레스"}, "IngressClass": {EN: "IngressClass", KO: "인그레스클래스"},
	"ConfigMap": {EN: "ConfigMap", KO: "컨피그맵"}, "Secret": {EN: "Secret", KO: "시크릿"},
	"PersistentVolume":      {EN: "PersistentVolume", KO: "퍼시스턴트볼륨(PV)"},
	"PersistentVolumeClaim": {EN: "PersistentVolumeClaim", KO: "퍼시스턴트볼륨클레임(PVC)"},
	"StorageClass":          {EN: "StorageClass", KO: "스토리지클래스"}, "Job": {EN: "Job", KO: "잡"}, "CronJob": {EN: "CronJob", KO: "크론잡"},
	"DaemonSet": {EN: "DaemonSet", KO: "데몬셋"}, "StatefulSet": {EN: "StatefulSet", KO: "스테이트풀셋"}, "Event": {EN: "Event", KO: "이벤트"},
	"HorizontalPodAutoscaler": {EN: "HorizontalPodAutoscaler", KO: "HPA"},
	"EndpointSlice":           {EN: "EndpointSlice", KO: "엔드포인트슬라이스"},
}

// kindName is a kind as a learner reads it; a kind kinds lacks as it is
// spelt.
func kindName(kind string) bilingual.Text {
	if t, ok := kinds[kind]; ok {
		return t
	}
	return bilingual.Text{EN: kind, KO: kind}
}

// object names one object: "pod web" in English, "web 파드" in Korean
// (the particle then follows the Korean word). A name that is a glob,
// web-*, is said as a name that starts so.
func object(kind, name string) bilingual.Text {
	k := kindName(kind)
	if prefix, ok := strings.CutSuffix(name, "*"); ok {
		return bilingual.Text{EN: fmt.Sprintf("a %s whose name starts with %s", k.EN, prefix),
			KO: fmt.Sprintf("이름이 %s로 시작하는 %s", prefix, k.KO)}
	}
	return bilingual.Text{EN: k.EN + " " + name, KO: name + " " + k.KO}
}

// Goal is what the step waits for, as sentences: "" for a step without a
// check.
func (r *Run) Goal() string {
	c := r.Step().Check
	if c == nil {
		return ""
	}
	g := c.goal()
	return bilingual.Text{EN: fmt.Sprintf(msg(bilingual.English, "goal"), g.EN), KO: g.KO}.In(r.lang)
}

// Goal is what the check asks of the cluster, in lang: in English as
// clauses ("pod web is Ready and …"), in Korean as sentences.
func (c *Check) Goal(lang bilingual.Lang) string { return c.goal().In(lang) }

// goal says the check's parts as clauses of one sentence in English, as
// sentences of their own in Korean.
func (c *Check) goal() bilingual.Text {
	var en, ko []string
	for _, g := range c.goals() {
		en, ko = append(en, g.EN), append(ko, g.KO)
	}
	return bilingual.Text{EN: joinEN(en), KO: strings.Join(ko, " ")}
}

// commandLine is a command as the learner types it: kubectl's with the
// word kubectl, kubeplay's own (curl, load, sleep…) without.
func commandLine(cmd string) string {
	if first, _, _ := strings.Cut(cmd, " "); console.OwnWord(first) {
		return cmd
	}
	return "kubectl " + cmd
}

// joinEN joins clauses as English lists them: a, b and c.
func joinEN(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// goals are the check's parts as clauses in English ("pod web is Ready")
// and sentences in Korean ("web 파드가 Ready 상태여야 해요.").
func (c *Check) goals() []bilingual.Text {
	var out []bilingual.Text
	say := func(en, ko string) {
		out = append(out, bilingual.Text{EN: en, KO: ko})
	}
	if w := c.wait; w != nil {
		out = append(out, w.goal())
	}
	if p := c.Pods; p != nil {
		say(p.goalEN(), p.goalKO())
	}
	if e := c.Event; e != nil {
		typ, name, _ := strings.Cut(e.Object, "/")
		res, _ := apiserver.ResourceFor(typ)
		obj := object(res.Kind, name)
		say(fmt.Sprintf("a new %s event about %s is recorded", e.Reason, obj.EN),
			fmt.Sprintf("%s에 대한 %s 이벤트가 새로 기록돼야 해요.", obj.KO, e.Reason))
	}
	if l := c.Load; l != nil {
		en := "a load run against service " + l.Service + ", started in this step, is over"
		kr := fmt.Sprintf("이 단계에서 시작한 %s 서비스 부하 테스트(load)가 끝나야 해요.", l.Service)
		switch l.Errors {
		case "none":
			en += " with no request lost"
			kr += " 실패한 요청이 하나도 없어야 해요."
		case "some":
			en += " with some requests lost"
			kr += " 실패한 요청이 있어야 해요."
		}
		if l.Pods > 0 {
			en += fmt.Sprintf(", answered by %d pods", l.Pods)
			kr += fmt.Sprintf(" 파드 %d개가 응답해야 해요.", l.Pods)
		}
		say(en, kr)
	}
	if d := c.Rollout; d != nil {
		en := "the rollout of Deployment " + d.Deployment
		kr := d.Deployment + " 디플로이먼트의 "
		if d.Changed {
			en += " started in this step"
			kr = "이 단계에서 시작한 " + kr
		}
		en += " is over (every pod updated and available)"
		kr += "롤아웃이 끝나야 해요(모든 파드가 새 템플릿으로 바뀌고 사용 가능)."
		if d.Image != "" {
			en += ", with image " + d.Image
			kr += fmt.Sprintf(" 이미지는 %s여야 해요.", d.Image)
		}
		say(en, kr)
	}
	if v := c.Serves; v != nil {
		en := "service " + v.Service + " answers"
		kr := v.Service + " 서비스가 응답해야 해요"
		if v.Endpoints > 0 {
			en += fmt.Sprintf(": kube-proxy sends its requests to %d pods", v.Endpoints)
			kr += fmt.Sprintf(". kube-proxy가 요청을 파드 %d개로 보내야 해요.", v.Endpoints)
		} else {
			kr += "."
		}
		say(en, kr)
	}
	if c.Ran != "" {
		cmd := commandLine(c.Ran)
		say(cmd+" runs without an error", fmt.Sprintf("%s 명령이 오류 없이 실행돼야 해요.", cmd))
	}
	if e := c.Exec; e != nil {
		say(fmt.Sprintf("%s, run in pod %s, prints %s", e.Command, e.Pod, e.Output),
			fmt.Sprintf("%s 파드에서 %s 명령을 실행한 출력이 %s여야 해요.", e.Pod, e.Command, e.Output))
	}
	// Names are filled in: in Korean, each particle after one is made to fit.
	for i := range out {
		out[i].KO = korean.Fix(out[i].KO)
	}
	return out
}

func (p *PodCount) goalEN() string {
	pods := "pods"
	if p.Selector != "" {
		pods += " labelled " + p.Selector
	}
	if p.Count == 0 {
		return "no " + pods + " are left"
	}
	state := []string{}
	if p.Phase != "" {
		state = append(state, p.Phase)
	}
	if p.Ready {
		state = append(state, "Ready")
	}
	s := fmt.Sprintf("exactly %d %s", p.Count, pods)
	if len(state) > 0 {
		s += " are " + strings.Join(state, " and ")
	} else {
		s += " exist"
	}
	return s
}

func (p *PodCount) goalKO() string {
	pods := "파드"
	if p.Selector != "" {
		pods = p.Selector + " 레이블이 붙은 파드"
	}
	if p.Count == 0 {
		return pods + "가 하나도 남지 않아야 해요."
	}
	var state []string
	if p.Phase != "" {
		state = append(state, p.Phase)
	}
	if p.Ready {
		state = append(state, "Ready")
	}
	if len(state) == 0 {
		return fmt.Sprintf("%s가 딱 %d개 있어야 해요.", pods, p.Count)
	}
	return fmt.Sprintf("%s 중 %s 상태인 파드가 딱 %d개여야 해요.", pods, strings.Join(state, "·"), p.Count)
}

// jsonGoals say the jsonpath waits lessons use in words; others are said
// as the path and value they are.
var jsonGoals = map[string]bilingual.Text{
	"{.status.availableReplicas}":                                     {EN: "%[2]s pods of %[1]s are available", KO: "%[1]s의 파드 %[2]s개가 사용 가능(available)해야 해요."},
	"{.status.replicas}":                                              {EN: "%[1]s has %[2]s pods", KO: "%[1]s의 파드가 %[2]s개여야 해요."},
	"{.status.updatedReplicas}":                                       {EN: "%[2]s pods of %[1]s run its current template", KO: "%[1]s의 파드 %[2]s개가 지금 템플릿으로 바뀌어야 해요."},
	"{.status.containerStatuses[0].restartCount}":                     {EN: "the container of %[1]s has restarted %[2]s time(s)", KO: "%[1]s의 컨테이너가 %[2]s번 재시작해야 해요."},
	"{.status.containerStatuses[0].state.waiting.reason}":             {EN: "the container of %[1]s waits in %[2]s", KO: "%[1]s의 컨테이너가 %[2]s 상태로 기다려야 해요."},
	"{.spec.nodeName}":                                                {EN: "%[1]s runs on node %[2]s", KO: "%[1]s(가) %[2]s 노드에 배치돼야 해요."},
	"{.status.phase}":                                                 {EN: "%[1]s is %[2]s", KO: "%[1]s(가) %[2]s 상태여야 해요."},
	"{.spec.template.spec.containers[0].image}":                       {EN: "the pod template of %[1]s has image %[2]s", KO: "%[1]s의 파드 템플릿 이미지가 %[2]s여야 해요."},
	"{.spec.template.spec.containers[0].readinessProbe.httpGet.path}": {EN: "the pod template of %[1]s has a readiness probe on %[2]s", KO: "%[1]s의 파드 템플릿에 %[2]s 경로를 검사하는 준비성 프로브가 있어야 해요."},
	"{.spec.taints[0].effect}":                                        {EN: "%[1]s has a %[2]s taint", KO: "%[1]s에 %[2]s 테인트(taint)가 있어야 해요."},
	"{.metadata.deletionTimestamp}":                                   {EN: "%[1]s is being deleted (Terminating)", KO: "%[1]s(가) 삭제되는 중(Terminating)이어야 해요."},
	// The exam's (assets/exam).
	"{.status.readyReplicas}":                                    {EN: "%[2]s pods of %[1]s are ready", KO: "%[1]s의 파드 %[2]s개가 준비(Ready)돼야 해요."},
	"{.status.numberReady}":                                      {EN: "%[2]s pods of %[1]s are ready", KO: "%[1]s의 파드 %[2]s개가 준비(Ready)돼야 해요."},
	"{.status.succeeded}":                                        {EN: "%[2]s pods of %[1]s have succeeded", KO: "%[1]s의 파드 %[2]s개가 성공해야 해요."},
	"{.spec.completions}":                                        {EN: "%[1]s asks for %[2]s completions", KO: "%[1]s의 완료 횟수(completions)가 %[2]s여야 해요."},
	"{.spec.containers[0].image}":                                {EN: "the container of %[1]s runs image %[2]s", KO: "%[1]s의 컨테이너 이미지가 %[2]s여야 해요."},
	"{.spec.containers[0].resources.requests.cpu}":               {EN: "the container of %[1]s requests %[2]s of CPU", KO: "%[1]s 컨테이너의 CPU 요청량이 %[2]s여야 해요."},
	"{.spec.containers[0].resources.requests.memory}":            {EN: "the container of %[1]s requests %[2]s of memory", KO: "%[1]s 컨테이너의 메모리 요청량이 %[2]s여야 해요."},
	"{.spec.containers[0].resources.limits.cpu}":                 {EN: "the container of %[1]s is limited to %[2]s of CPU", KO: "%[1]s 컨테이너의 CPU 제한이 %[2]s여야 해요."},
	"{.spec.containers[0].resources.limits.memory}":              {EN: "the container of %[1]s is limited to %[2]s of memory", KO: "%[1]s 컨테이너의 메모리 제한이 %[2]s여야 해요."},
	"{.spec.template.spec.containers[0].resources.requests.cpu}": {EN: "the pod template of %[1]s requests %[2]s of CPU", KO: "%[1]s 파드 템플릿의 CPU 요청량이 %[2]s여야 해요."},
	"{.spec.containers[0].readinessProbe.httpGet.path}":          {EN: "%[1]s has a readiness probe on %[2]s", KO: "%[1]s에 %[2]s 경로를 검사하는 준비성 프로브가 있어야 해요."},
	"{.spec.containers[0].livenessProbe.httpGet.path}":           {EN: "%[1]s has a liveness probe on %[2]s", KO: "%[1]s에 %[2]s 경로를 검사하는 활성 프로브가 있어야 해요."},
	"{.spec.containers[0].livenessProbe.periodSeconds}":          {EN: "the liveness probe of %[1]s runs every %[2]s seconds", KO: "%[1]s의 활성 프로브가 %[2]s초마다 실행돼야 해요."},
	"{.spec.containers[0].ports[0].containerPort}":               {EN: "the container of %[1]s declares port %[2]s", KO: "%[1]s의 컨테이너 포트가 %[2]s여야 해요."},
	"{.spec.type}":               {EN: "%[1]s is of type %[2]s", KO: "%[1]s의 타입이 %[2]s여야 해요."},
	"{.spec.ports[0].port}":      {EN: "%[1]s listens on port %[2]s", KO: "%[1]s의 포트가 %[2]s여야 해요."},
	"{.spec.minReplicas}":        {EN: "%[1]s keeps at least %[2]s replicas", KO: "%[1]s의 최소 레플리카 수가 %[2]s여야 해요."},
	"{.spec.maxReplicas}":        {EN: "%[1]s keeps at most %[2]s replicas", KO: "%[1]s의 최대 레플리카 수가 %[2]s여야 해요."},
	"{.spec.schedule}":           {EN: "%[1]s runs on the schedule %[2]s", KO: "%[1]s의 스케줄이 %[2]s여야 해요."},
	"{.spec.taints[0].key}":      {EN: "%[1]s has a taint with key %[2]s", KO: "%[1]s에 키가 %[2]s인 테인트(taint)가 있어야 해요."},
	"{.spec.tolerations[0].key}": {EN: "%[1]s tolerates the taint with key %[2]s", KO: "%[1]s(가) 키가 %[2]s인 테인트를 견뎌야(toleration) 해요."},
	"{.spec.rules[0].host}":      {EN: "%[1]s routes host %[2]s", KO: "%[1]s(가) %[2]s 호스트를 라우팅해야 해요."},
	"{.spec.rules[0].http.paths[0].backend.service.name}":        {EN: "%[1]s sends to Service %[2]s", KO: "%[1]s(가) %[2]s 서비스로 보내야 해요."},
	"{.spec.rules[0].http.paths[0].backend.service.port.number}": {EN: "%[1]s sends to the Service's port %[2]s", KO: "%[1]s(가) 서비스의 %[2]s 포트로 보내야 해요."},
	"{.status.loadBalancer.ingress[0].ip}":                       {EN: "the ingress controller serves %[1]s at %[2]s", KO: "인그레스 컨트롤러가 %[2]s 주소에서 %[1]s 요청을 받아야 해요."},
}

// endpointsAddress is a wait for the Nth ready address of an Endpoints;
// sliceReady for the Nth endpoint of an EndpointSlice to be ready.
var (
	endpointsAddress = regexp.MustCompile(`^\{\.subsets\[0\]\.addresses\[(\d+)\]\.ip\}$`)
	sliceReady       = regexp.MustCompile(`^\{\.endpoints\[(\d+)\]\.conditions\.ready\}$`)
)

// goal is the wait as a clause in English and a sentence in Korean.
func (w *waitSpec) goal() bilingual.Text {
	var obj bilingual.Text
	if w.name != "" {
		obj = object(w.res.Kind, w.name)
	} else if svc, ok := sliceService(w); ok {
		obj = bilingual.Text{EN: "the EndpointSlice of Service " + svc, KO: svc + " 서비스의 엔드포인트슬라이스"}
	} else {
		sel := w.selector.String()
		obj = bilingual.Text{EN: fmt.Sprintf("every %s labelled %s", strings.ToLower(w.res.Kind), sel),
			KO: fmt.Sprintf("%s 레이블이 붙은 모든 %s", sel, kindName(w.res.Kind).KO)}
	}
	say := func(en, ko string) bilingual.Text { return bilingual.Text{EN: en, KO: ko} }
	lower := strings.ToLower(w.forCond)
	switch {
	case lower == "delete":
		return say(obj.EN+" is gone", korean.With(obj.KO, "가")+" 사라져야 해요.")
	case lower == "create":
		return say(obj.EN+" exists", korean.With(obj.KO, "가")+" 있어야 해요.")
	case strings.HasPrefix(lower, "condition="):
		name, value, ok := strings.Cut(w.forCond[len("condition="):], "=")
		if !ok || strings.EqualFold(value, "true") {
			return say(obj.EN+" is "+name, fmt.Sprintf("%s %s 상태여야 해요.", korean.With(obj.KO, "가"), name))
		}
		// As kubectl shows a condition's status: True, False, Unknown.
		value = strings.ToUpper(value[:1]) + strings.ToLower(value[1:])
		return say(fmt.Sprintf("%s's %s condition is %s", obj.EN, name, value),
			fmt.Sprintf("%s의 %s 조건이 %s여야 해요.", obj.KO, name, value))
	}
	expr, value, hasValue := strings.Cut(w.forCond[len("jsonpath="):], "=")
	expr = strings.Trim(expr, "'")
	if !strings.HasPrefix(expr, "{") {
		expr = "{" + expr + "}"
	}
	if m := endpointsAddress.FindStringSubmatch(expr); m != nil && !hasValue {
		n, _ := strconv.Atoi(m[1])
		return say(fmt.Sprintf("%s lists %d ready pod addresses", obj.EN, n+1),
			fmt.Sprintf("%s에 준비된 파드 주소가 %d개 있어야 해요.", obj.KO, n+1))
	}
	if m := sliceReady.FindStringSubmatch(expr); m != nil && strings.EqualFold(value, "true") {
		n, _ := strconv.Atoi(m[1])
		return say(fmt.Sprintf("%s lists %d ready pods", obj.EN, n+1),
			fmt.Sprintf("%s에 준비된 파드가 %d개 있어야 해요.", obj.KO, n+1))
	}
	if g, ok := jsonGoals[expr]; ok && (hasValue || strings.Contains(expr, "deletionTimestamp")) {
		// "(가)" marks a subject particle to fit the object's kind.
		ko := strings.ReplaceAll(fmt.Sprintf(g.KO, obj.KO, value), obj.KO+"(가)", korean.With(obj.KO, "가"))
		return say(fmt.Sprintf(g.EN, obj.EN, value), ko)
	}
	if !hasValue {
		return say(fmt.Sprintf("%s has a value at %s", obj.EN, expr), fmt.Sprintf("%s의 %s에 값이 있어야 해요.", obj.KO, expr))
	}
	return say(fmt.Sprintf("%s shows %s = %s", obj.EN, expr, value), fmt.Sprintf("%s의 %s 값이 %s여야 해요.", obj.KO, expr, value))
}

// sliceService is the Service whose EndpointSlices a wait picks by their
// kubernetes.io/service-name label alone, as kube-proxy and CoreDNS find
// them.
func sliceService(w *waitSpec) (string, bool) {
	if w.res.Kind != "EndpointSlice" || w.selector == nil {
		return "", false
	}
	reqs, _ := w.selector.Requirements()
	if len(reqs) != 1 || reqs[0].Key() != discoveryv1.LabelServiceName || reqs[0].Operator() != selection.Equals {
		return "", false
	}
	return reqs[0].Values().List()[0], true
}
