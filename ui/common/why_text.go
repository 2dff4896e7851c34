package common

import (
	"strings"

	"github.com/kubeplay/kubeplay/engine/bilingual"
)

// The components give their reasons in English (a hop's Summary: the
// line under the flow, "controller-manager › want 3, have 0 → create 3").
// On a Korean screen the common ones are said in Korean, as the timers
// are; names, numbers, paths and images stay as they are. A reason this
// table lacks stays in English.
var whyKO = []sayKO{
	// The learner's own kubectl, over the HTTP API (engine/httpapi).
	{`^external kubectl \((.*)\): (.*)$`, "내 kubectl (${1}): ${2}"},
	{`^external kubectl: (.*)$`, "내 kubectl: ${1}"},
	{`^external client (\S+): (.*)$`, "외부 클라이언트 ${1}: ${2}"},
	// What a watch delivers, as its watcher reads it.
	{`^pod added \(no node\) → schedule it$`, "파드 추가됨 (노드 없음) → 스케줄링해요"},
	{`^pod bound to (\S+) → start it$`, "파드가 ${1}에 배치됨 → 시작해요"},
	{`^pod bound to (\S+)$`, "파드가 ${1}에 배치됨"},
	{`^pod deleted \(grace (\S+)\) → stop it$`, "파드 삭제됨 (유예 ${1}) → 멈춰요"},
	{`^pod gone from (\S+) → room freed$`, "${1}에서 파드가 사라짐 → 자리가 났어요"},
	{`^pod is terminating$`, "파드 종료 중"},
	// The controllers' reconciling.
	{`^want (\d+), have (\d+) → create (\d+)$`, "원하는 수 ${1}, 있는 수 ${2} → ${3}개 만들어요"},
	{`^want (\d+), have (\d+) → delete (\d+)$`, "원하는 수 ${1}, 있는 수 ${2} → ${3}개 지워요"},
	{`^status: (\d+) updated, (\d+) available of (\d+)$`, "상태: 업데이트 ${1}, 사용 가능 ${2} / ${3}"},
	{`^status: (\d+) replicas, (\d+) ready, (\d+) available$`, "상태: 레플리카 ${1}, 준비 ${2}, 사용 가능 ${3}"},
	{`^endpoints: (\d+) ready, (\d+) not ready$`, "엔드포인트: 준비 ${1}, 준비 안 됨 ${2}"},
	{`^(\d+) ready, (\d+) not ready$`, "준비 ${1}, 준비 안 됨 ${2}"},
	{`^new deployment → replicaset (\S+) with (\d+) replicas$`, "새 디플로이먼트 → 레플리카셋 ${1} (레플리카 ${2})"},
	{`^template changed → new replicaset, revision (\d+)$`, "템플릿이 바뀜 → 새 레플리카셋, 리비전 ${1}"},
	{`^revision (\d+)$`, "리비전 ${1}"},
	{`^new replicaset above (\d+) desired$`, "새 레플리카셋이 원하는 수 ${1}보다 많음"},
	{`^(\d+) available, keep ≥ (\d+) \(replicas (\d+) - maxUnavailable (\d+)\) → scale down (\d+)$`, "사용 가능 ${1}, 최소 ${2} 유지 (레플리카 ${3} - maxUnavailable ${4}) → ${5}개 줄여요"},
	{`^garbage collector: owner (\S+) is gone$`, "가비지 컬렉터: 소유자 ${1}이 없어요"},
	{`^hpa (\S+): (.+) of pods (\S+), from metrics-server through the aggregator$`, "HPA ${1}: 파드 ${3}의 ${2}, 애그리게이터를 거쳐 metrics-server에서 읽어요"},
	// The scheduler's choice.
	{`^(\S+) scores (\d+) \(([^)]*)\), tied with (\d+) nodes: picked at random; (.*)$`, "${1} 점수 ${2} (${3}), 노드 ${4}개와 동점: 무작위로 골랐어요. 나머지: ${5}"},
	{`^(\S+) scores (\d+) \(([^)]*)\), tied with (\S+): picked at random; (.*)$`, "${1} 점수 ${2} (${3}), ${4}와 동점: 무작위로 골랐어요. 나머지: ${5}"},
	{`^(\S+) scores (\d+) \(([^)]*)\); (.*)$`, "${1} 점수 ${2} (${3}). 나머지: ${4}"},
	{`^(\S+) scores (\d+) (.*)$`, "${1} 점수 ${2} ${3}"},
	// A kubelet's work, and its runtime's answers.
	{`^Pending, (\d+)/(\d+) ready \((\S+)\)$`, "Pending, 준비 ${1}/${2} (${3})"},
	{`^Running, (\d+)/(\d+) ready$`, "Running, 준비 ${1}/${2}"},
	{`^containers stopped → remove the pod$`, "컨테이너가 멈춤 → 파드를 지워요"},
	{`^create the pod's network namespace$`, "파드의 네트워크 네임스페이스를 만들어요"},
	{`^tear down the network namespace$`, "네트워크 네임스페이스를 정리해요"},
	{`^pull the image for (\S+)$`, "${1}의 이미지를 받아요"},
	{`^pulled, (\d+) bytes$`, "받음, ${1}바이트"},
	{`^create (\S+)$`, "${1} 만들기"},
	{`^start (\S+)$`, "${1} 시작"},
	{`^(\S+) exited with code (\d+)$`, "${1} 종료, 코드 ${2}"},
	{`^SIGTERM sent, SIGKILL after (\S+)$`, "SIGTERM 보냄, ${1} 뒤 SIGKILL(강제 종료)"},
	{`^pod IP (\S+)$`, "파드 IP ${1}"},
	{`^running$`, "실행 중"},
	{`^removed$`, "지워짐"},
	{`^register the node$`, "노드를 등록해요"},
	{`^container (\S+)$`, "컨테이너 ${1}"},
	{`^(Pending|Running|Succeeded|Failed), (\d+)/(\d+) ready \((.*)\)$`, "${1}, 준비 ${2}/${3} (${4})"},
	{`^(Succeeded|Failed), (\d+)/(\d+) ready$`, "${1}, 준비 ${2}/${3}"},
	{`^restart (\S+) \(restart #(\d+)\)$`, "${1} 재시작 (${2}번째)"},
	{`^(liveness|readiness|startup) probe success$`, "${1} 프로브 성공"},
	{`^(liveness|readiness|startup) probe failed$`, "${1} 프로브 실패"},
	{`^(liveness|readiness|startup) probe failure: (.*)$`, "${1} 프로브 실패: ${2}"},
	{`^proxied to the pod's kubelet$`, "파드가 있는 노드의 kubelet으로 전달해요"},
	{`^publish address (\S+)$`, "주소 ${1}을 알려요"},
	// The scheduler: its filters' own words (kubectl describe shows them
	// in English too) after a Korean lead.
	{`^unschedulable: (.*)$`, "스케줄할 수 없음: ${1}"},
	{`^only (\S+) fits; filtered out: (.*)$`, "${1}만 맞아요. 걸러진 노드: ${2}"},
	{`^node (ADDED|MODIFIED|DELETED)$`, "노드 ${1}"},
	{`^node taints changed$`, "노드 테인트가 바뀜"},
	// Controllers: Deployments, ReplicaSets, DaemonSets, Jobs.
	{`^(\d+) pods now, at most (\d+) \(replicas (\d+) \+ maxSurge (\d+)\) → new RS to (\d+)$`, "지금 파드 ${1}개, 최대 ${2}개 (레플리카 ${3} + maxSurge ${4}) → 새 레플리카셋을 ${5}개로"},
	{`^adopt orphan: its labels match the selector of (\S+) (\S+)$`, "주인 없는 파드를 입양해요: 레이블이 ${1} ${2}의 셀렉터와 맞아요"},
	{`^status: (\d+) desired, (\d+) current, (\d+) ready, (\d+) up-to-date, (\d+) available$`, "상태: 원하는 수 ${1}, 현재 ${2}, 준비 ${3}, 최신 ${4}, 사용 가능 ${5}"},
	{`^(\S+) matches, no pod → create$`, "${1}이 조건에 맞는데 파드가 없음 → 만들어요"},
	{`^status: (\d+) active, (\d+) succeeded, (\d+) failed$`, "상태: 실행 중 ${1}, 성공 ${2}, 실패 ${3}"},
	{`^completions (\d+)/(\d+), parallelism (\d+), active (\d+) → create (\d+)$`, "완료 ${1}/${2}, 병렬 ${3}, 실행 중 ${4} → ${5}개 만들어요"},
	{`^completions (\d+)/(\d+) → success criteria met$`, "완료 ${1}/${2} → 성공 조건을 채웠어요"},
	{`^complete: (\d+) succeeded$`, "완료: ${1}개 성공"},
	{`^failed: (\S+)$`, "실패: ${1}"},
	{`^BackoffLimitExceeded: failed (\d+), backoffLimit (\d+) → failure target$`, "BackoffLimitExceeded: 실패 ${1}, backoffLimit ${2} → 실패로 판정해요"},
	// StatefulSets and their claims.
	{`^status: (\d+) replicas, (\d+) ready, (\d+) updated$`, "상태: 레플리카 ${1}, 준비 ${2}, 업데이트 ${3}"},
	{`^(\S+) not Running and Ready yet → wait \(OrderedReady\)$`, "${1}이 아직 Running·Ready가 아님 → 기다려요 (OrderedReady)"},
	{`^(\S+) created → wait until it is Running and Ready \(OrderedReady\)$`, "${1} 만듦 → Running·Ready가 될 때까지 기다려요 (OrderedReady)"},
	{`^(\S+) is terminating → wait until it is gone \(OrderedReady\)$`, "${1} 종료 중 → 사라질 때까지 기다려요 (OrderedReady)"},
	{`^(\S+) deleted for the update → it comes back at (\S+)$`, "${1}을 업데이트하려고 지움 → ${2}으로 돌아와요"},
	{`^(\S+) missing \(replicas (\d+)\) → create it \((\S+)\)$`, "${1}이 없음 (레플리카 ${2}) → 만들어요 (${3})"},
	{`^(\S+) needs claim (\S+) \(volumeClaimTemplate (\S+)\) → create it$`, "${1}에 클레임 ${2}이 필요해요 (volumeClaimTemplate ${3}) → 만들어요"},
	{`^(\S+) is at revision (\S+), the update is (\S+) → delete it, highest ordinal first \(partition (\d+)\)$`, "${1}은 리비전 ${2}, 업데이트는 ${3} → 지워요, 가장 큰 번호부터 (partition ${4})"},
	{`^new statefulset → revision (\S+)$`, "새 스테이트풀셋 → 리비전 ${1}"},
	{`^template changed → revision (\S+)$`, "템플릿이 바뀜 → 리비전 ${1}"},
	{`^first template → revision (.*)$`, "첫 템플릿 → 리비전 ${1}"},
	{`^no volume fits → ask provisioner (\S+)$`, "맞는 볼륨이 없음 → 프로비저너 ${1}에 요청해요"},
	{`^provision a volume for claim (\S+)$`, "클레임 ${1}의 볼륨을 만들어요"},
	{`^bind claim (\S+) to volume (\S+)$`, "클레임 ${1}을 볼륨 ${2}에 묶어요"},
	{`^(claim|volume) (\S+) is Bound$`, "${1} ${2}: Bound(연결됨)"},
	{`^claim (\S+) waits for a volume from (\S+)$`, "클레임 ${1}이 ${2}의 볼륨을 기다려요"},
	{`^claim (\S+) updated → retry pods waiting for it$`, "클레임 ${1} 변경됨 → 기다리던 파드를 다시 시도해요"},
	{`^pvc-protection: no pod uses claim (\S+) → let it go$`, "pvc-protection: 클레임 ${1}을 쓰는 파드가 없음 → 지워도 돼요"},
	// Services.
	{`^endpointslice: (\d+) endpoints$`, "엔드포인트슬라이스: 엔드포인트 ${1}개"},
	// The traffic of `load`.
	{`^(\d+) of (\d+) sent, (\d+) answered, (\d+) errors$`, "요청 ${2}개 중 ${1}개 보냄, 응답 ${3}, 오류 ${4}"},
}

// A watch's event on an object of a kind: "deployment updated".
func init() {
	kinds := [][2]string{{"pod", "파드"}, {"deployment", "디플로이먼트"}, {"replicaset", "레플리카셋"}, {"service", "서비스"},
		{"endpoints", "엔드포인트"}, {"node", "노드"}, {"job", "잡"}, {"cronjob", "크론잡"}, {"daemonset", "데몬셋"},
		{"statefulset", "스테이트풀셋"}, {"namespace", "네임스페이스"}, {"persistentvolumeclaim", "퍼시스턴트볼륨클레임"},
		{"persistentvolume", "퍼시스턴트볼륨"}, {"configmap", "컨피그맵"}, {"secret", "시크릿"}, {"ingress", "인그레스"},
		{"controllerrevision", "컨트롤러리비전"}, {"endpointslice", "엔드포인트슬라이스"}, {"horizontalpodautoscaler", "HPA"}}
	events := [][2]string{{"added", "추가됨"}, {"updated", "변경됨"}, {"deleted", "삭제됨"}, {"removed", "사라짐"}}
	for _, k := range kinds {
		for _, e := range events {
			whyKO = append(whyKO, sayKO{"^" + k[0] + " " + e[0] + "$", k[1] + " " + e[1]})
		}
	}
}

// whyBook is whyKO compiled, when first said.
var whyBook = phrasebook{table: &whyKO}

// Why is a component's reason in lang (see whyKO). A reason of several
// parts ("status: …; web-1 created → wait …") is said part by part.
func Why(lang bilingual.Lang, why string) string {
	if got := say(&whyBook, lang, why); got != why || !strings.Contains(why, "; ") {
		return got
	}
	parts := strings.Split(why, "; ")
	for i, p := range parts {
		parts[i] = say(&whyBook, lang, p)
	}
	return strings.Join(parts, "; ")
}
