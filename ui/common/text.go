package common

import (
	"maps"
	"sort"

	"github.com/kubeplay/kubeplay/engine/bilingual"
)

// addTexts joins a part of the catalogue kept in a file of its own (the
// lesson page's, the input model's) to it, so one test holds them all.
func addTexts(enPart, koPart map[string]string) {
	maps.Copy(en, enPart)
	maps.Copy(ko, koPart)
}

// Text is the message id in lang, English when lang has none (a test
// makes sure Korean has them all).
func Text(lang bilingual.Lang, id string) string {
	if lang == bilingual.Korean {
		if s, ok := ko[id]; ok {
			return s
		}
	}
	if s, ok := en[id]; ok {
		return s
	}
	return id
}

// IDs are every message id, sorted; for the catalogue test.
func IDs() []string {
	ids := make([]string, 0, len(en))
	for id := range en {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// HasKorean reports whether id has a Korean text.
func HasKorean(id string) bool { _, ok := ko[id]; return ok }

var en = map[string]string{
	"app.tagline":        "a Kubernetes playground in the terminal",
	"start.free":         "Free play",
	"start.free.desc":    "type kubectl commands and watch every hop",
	"start.lessons":      "Lessons",
	"start.lessons.desc": "guided lessons, step by step, with your progress",
	"start.lang":         "Language",
	"start.lang.desc":    "English · 한국어",
	"start.quit":         "Quit",
	"start.runtime":      "runtime: simulated (containers are simulated in kubeplay, no Docker needed)",
	"start.nodes":        "nodes",

	"start.runtime.docker": "runtime: Docker — pods are real containers, removed when kubeplay exits",
	"runtime.docker":       "runtime: Docker",
	"runtime.fallback":     "containers are simulated: no Docker daemon answered (%s)",
	"out.waitruntime":      "waiting for the container runtime…",

	"pane.flow":    "flow",
	"pane.board":   "cluster",
	"pane.events":  "events",
	"pane.output":  "output",
	"pane.hops":    "hops",
	"pane.traffic": "traffic",
	"pane.editor":  "YAML editor",
	"pane.details": "hop",
	"pane.help":    "help",

	"mode.step":  "STEP",
	"mode.paced": "PACED",
	"mode.free":  "FREE",
	"paused":     "paused",
	"held":       "held",
	"forward":    "⏩ fast-forward: cluster time %s → %s",
	"playing":    "playing",
	"nodes":      "nodes",
	"runtime":    "runtime: simulated",

	// The learner's kubectl in another shell hangs in STEP mode: %s the
	// step key, %s the mode key, %s the paced mode's name.
	"flow.external.waits": "your kubectl is waiting: %s steps it, %s switches to %s",

	"flow.idle":          "nothing in flight — type a command below, e.g. create deployment web --image=nginx --replicas=3",
	"flow.idle.short":    "nothing in flight — type a command below",
	"flow.next":          "next",
	"flow.nothing":       "the cluster is quiet: every component has done what it was asked",
	"board.nopods":       "no pods",
	"board.pending":      "(pending)",
	"board.deploys":      "deployments",
	"board.budget":       "budget",
	"board.avail":        "available",
	"board.min":          "min",
	"board.total":        "total",
	"board.maxs":         "max",
	"board.rev":          "rev",
	"events.none":        "no events yet",
	"hops.none":          "no hops yet",
	"out.none":           "command output appears here",
	"out.running":        "running…",
	"out.waiting":        "waiting for the cluster — ",
	"out.waitstep":       "⏎ on an empty prompt (or ^N) delivers the next hop",
	"out.interrupt":      "interrupted",
	"details.now":        "the object as it is now:",
	"details.carried":    "the object this hop carried:",
	"details.gone":       "the object is gone from the store",
	"details.list.req":   "A list, not one object: kubectl asks for all the %s at once and keeps what the command names (a name, -l). The next hop, the apiserver's read of etcd, shows the namespace.",
	"details.list.ns":    "A list, not one object: all the %s in namespace %s, read from etcd at once.",
	"details.list.all":   "A list, not one object: all the %s in every namespace, read from etcd at once.",
	"details.list.count": "The store holds %d %s now.",
	"details.busy":       "the cluster is busy with a command; select again when it waits",
	"details.why":        "why",

	"traffic.none":       "no load yet — try load svc/web --rps 20 --for 60s",
	"traffic.running":    "running",
	"traffic.done":       "done",
	"traffic.stopped":    "stopped",
	"traffic.answered":   "answered",
	"traffic.errors":     "errors",
	"traffic.ok":         "ok",
	"traffic.err":        "err",
	"traffic.sim":        "(simulated)",
	"traffic.noendpoint": "no ready endpoint:",

	"editor.hint": "paste or type YAML · ctrl+s apply · esc close",
	"prompt.hint": "type a command · tab complete · ↑/↓ history · `edit` opens the YAML editor",

	"small": "kubeplay needs a terminal of at least %d×%d; this one is %d×%d.",

	"key.step":      "step",
	"key.play":      "play/pause",
	"key.faster":    "faster",
	"key.slower":    "slower",
	"key.speed":     "speed",
	"key.mode":      "mode",
	"key.next":      "next pane",
	"key.prev":      "pane before",
	"key.help":      "help",
	"key.back":      "back",
	"key.quit":      "quit",
	"key.presenter": "presenter",
	"key.theme":     "theme",
	"key.enter":     "open",
	"key.up":        "up",
	"key.down":      "down",
	"key.choose":    "choose",
	"key.run":       "run",
	"key.complete":  "complete",
	"key.history":   "history",
	"key.scroll":    "scroll",
	"key.details":   "hop details",
	"key.apply":     "apply",
	"key.tab":       "next tab",
	"key.top":       "top/bottom",
	"key.stopload":  "stop the load",
	"key.page":      "page",
	"key.home":      "first line",
	"key.follow":    "last line, follow",
	"scroll.below":  "↓ %d more · end",
}

var ko = map[string]string{
	"app.tagline":        "터미널 속 쿠버네티스 놀이터",
	"start.free":         "자유 실습",
	"start.free.desc":    "kubectl 명령을 입력하고 모든 홉을 지켜봐요",
	"start.lessons":      "레슨",
	"start.lessons.desc": "단계별로 따라 하는 레슨, 진행 상황 저장",
	"start.lang":         "언어",
	"start.lang.desc":    "English · 한국어",
	"start.quit":         "종료",
	"start.runtime":      "런타임: 시뮬레이션 (컨테이너는 kubeplay 안에서 흉내 내요. Docker 없이 돼요)",
	"start.nodes":        "노드",

	"start.runtime.docker": "런타임: Docker — 파드는 진짜 컨테이너예요. kubeplay가 끝나면 지워요",
	"runtime.docker":       "런타임: Docker",
	"runtime.fallback":     "Docker 데몬이 응답하지 않아서 컨테이너를 시뮬레이션해요 (%s)",
	"out.waitruntime":      "컨테이너 런타임을 기다리는 중…",

	"pane.flow":    "흐름",
	"pane.board":   "클러스터",
	"pane.events":  "이벤트",
	"pane.output":  "출력",
	"pane.hops":    "홉",
	"pane.traffic": "트래픽",
	"pane.editor":  "YAML 편집기",
	"pane.details": "홉",
	"pane.help":    "도움말",

	"mode.step":  "단계",
	"mode.paced": "재생",
	"mode.free":  "자유",
	"paused":     "일시정지",
	"held":       "멈춤",
	"forward":    "⏩ 빨리 감기: 클러스터 시간 %s → %s",
	"playing":    "재생 중",
	"nodes":      "노드",
	"runtime":    "런타임: 시뮬레이션",

	"flow.external.waits": "내 kubectl이 기다려요: %s 한 단계씩 · %s %s 모드로",

	"flow.idle":          "오가는 요청이 없어요 — 아래에 명령을 입력해 보세요. 예: create deployment web --image=nginx --replicas=3",
	"flow.idle.short":    "오가는 요청이 없어요 — 아래에 명령을 입력해 보세요",
	"flow.next":          "다음",
	"flow.nothing":       "클러스터가 조용해요. 모든 컴포넌트가 할 일을 마쳤어요",
	"board.nopods":       "파드 없음",
	"board.pending":      "(대기 중)",
	"board.deploys":      "디플로이먼트",
	"board.budget":       "예산",
	"board.avail":        "가용",
	"board.min":          "최소",
	"board.total":        "전체",
	"board.maxs":         "최대",
	"board.rev":          "리비전",
	"events.none":        "아직 이벤트가 없어요",
	"hops.none":          "아직 홉이 없어요",
	"out.none":           "명령 출력이 여기 나와요",
	"out.running":        "실행 중…",
	"out.waiting":        "클러스터를 기다리는 중 — ",
	"out.waitstep":       "빈 프롬프트에서 ⏎ (또는 ^N) 키를 누르면 다음 홉이 전달돼요",
	"out.interrupt":      "중단됨",
	"details.now":        "지금 저장된 오브젝트:",
	"details.carried":    "이 홉이 실어 나른 오브젝트:",
	"details.gone":       "오브젝트가 저장소에서 사라졌어요",
	"details.list.req":   "오브젝트 하나가 아니라 목록이에요. kubectl이 %s 전부를 한 번에 요청하고, 명령이 고른 것(이름, -l)만 남겨요. 다음 홉, apiserver가 etcd를 읽는 홉에 네임스페이스가 나와요.",
	"details.list.ns":    "오브젝트 하나가 아니라 목록이에요. 네임스페이스 %[2]s의 %[1]s 전부를 etcd에서 한 번에 읽어요.",
	"details.list.all":   "오브젝트 하나가 아니라 목록이에요. 모든 네임스페이스의 %s 전부를 etcd에서 한 번에 읽어요.",
	"details.list.count": "지금 저장소에 %[2]s %[1]d개가 있어요.",
	"details.busy":       "명령이 클러스터를 쓰는 중이에요. 명령이 기다릴 때 다시 골라 보세요",
	"details.why":        "이유",

	"traffic.none":       "아직 부하가 없어요 — load svc/web --rps 20 --for 60s를 실행해 보세요",
	"traffic.running":    "실행 중",
	"traffic.done":       "완료",
	"traffic.stopped":    "중단됨",
	"traffic.answered":   "응답",
	"traffic.errors":     "오류",
	"traffic.ok":         "성공",
	"traffic.err":        "오류",
	"traffic.sim":        "(시뮬레이션)",
	"traffic.noendpoint": "준비된 엔드포인트 없음:",

	"editor.hint": "YAML을 붙여 넣거나 입력 · ctrl+s 적용 · esc 닫기",
	"prompt.hint": "명령 입력 · tab 자동 완성 · ↑/↓ 기록 · `edit`으로 YAML 편집기 열기",

	"small": "kubeplay는 최소 %d×%d 크기의 터미널이 필요해요. 지금은 %d×%d 크기예요.",

	"key.step":      "단계",
	"key.play":      "재생/정지",
	"key.faster":    "빠르게",
	"key.slower":    "느리게",
	"key.speed":     "속도",
	"key.mode":      "모드",
	"key.next":      "다음 창",
	"key.prev":      "이전 창",
	"key.help":      "도움말",
	"key.back":      "뒤로",
	"key.quit":      "종료",
	"key.presenter": "발표 모드",
	"key.theme":     "테마",
	"key.enter":     "열기",
	"key.up":        "위",
	"key.down":      "아래",
	"key.choose":    "선택",
	"key.run":       "실행",
	"key.complete":  "완성",
	"key.history":   "기록",
	"key.scroll":    "스크롤",
	"key.details":   "홉 상세",
	"key.apply":     "적용",
	"key.tab":       "다음 탭",
	"key.top":       "처음/끝",
	"key.stopload":  "부하 멈추기",
	"key.page":      "페이지",
	"key.home":      "첫 줄",
	"key.follow":    "마지막 줄 따라가기",
	"scroll.below":  "↓ %d줄 더 · end",
}
