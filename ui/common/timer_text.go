package common

import (
	"regexp"
	"sync"

	"github.com/kubeplay/kubeplay/engine/bilingual"
)

// The engine names its timers in English (the hop's Summary of a timer,
// which the flow pane shows as "next ▸ component ⏲ why"). On a Korean
// screen they are kubeplay's own words, so they are said in Korean; what
// a timer names — a container, an address, an error — stays as it is.
var timerKO = []sayKO{
	{`^check progress deadline$`, "진행 기한(progressDeadlineSeconds) 확인"},
	{`^retry failed creates?$`, "실패한 생성 다시 시도"},
	{`^retry: a claim is being deleted$`, "다시 시도: 클레임이 삭제되는 중"},
	{`^minReadySeconds elapse$`, "minReadySeconds 경과"},
	{`^endpoints update failed: (.*)$`, "엔드포인트 업데이트 실패: ${1}"},
	{`^endpointslice update failed: (.*)$`, "엔드포인트슬라이스 업데이트 실패: ${1}"},
	{`^endpointslice create failed: (.*)$`, "엔드포인트슬라이스 생성 실패: ${1}"},
	{`^resync unbound claim (.*)$`, "바인딩되지 않은 클레임 ${1} 다시 동기화"},
	{`^namespace (\S+) not empty yet$`, "네임스페이스 ${1} 아직 비지 않음"},
	{`^sync dirty keys$`, "바뀐 키 동기화"},
	{`^scheduling cycle$`, "스케줄링 주기"},
	{`^status sync$`, "상태 동기화"},
	{`^retry mounting volumes$`, "볼륨 마운트 다시 시도"},
	{`^retry sandbox$`, "샌드박스 다시 시도"},
	{`^retry container config$`, "컨테이너 설정 다시 시도"},
	{`^retry the image pull$`, "이미지 풀 다시 시도"},
	{`^image pull back-off$`, "이미지 풀 백오프"},
	{`^back-off over: restart (.*)$`, "백오프 끝: ${1} 재시작"},
	{`^liveness probe due$`, "활성 프로브(liveness) 차례"},
	{`^readiness probe due$`, "준비성 프로브(readiness) 차례"},
	{`^startup probe due$`, "스타트업 프로브(startup) 차례"},
	{`^demo app crashes$`, "데모 앱 크래시"},
	{`^demo app drained$`, "데모 앱이 요청을 다 처리함"},
	{`^process exits$`, "프로세스 종료"},
	{`^process wakes$`, "프로세스 깨어남"},
	{`^perl prints pi$`, "perl이 원주율(pi)을 출력함"},
	{`^job (\S+): back-off (\S+) after (\d+) failed pods$`, "잡 ${1}: 실패한 파드 ${3}개, 백오프 ${2}"},
	{`^job (\S+): activeDeadlineSeconds (\d+)$`, "잡 ${1}: 실행 기한 activeDeadlineSeconds ${2}초"},
	{`^job (\S+): ttlSecondsAfterFinished (\d+)$`, "잡 ${1}: 끝나고 ${2}초 뒤 삭제(ttlSecondsAfterFinished)"},
	{`^cronjob (\S+): next schedule (\S+)$`, "크론잡 ${1}: 다음 일정 ${2}"},
	{`^hpa (\S+): sync every (\S+)$`, "HPA ${1}: ${2}마다 동기화"},
	{`^grace period over: SIGKILL$`, "유예 기간 끝: SIGKILL(강제 종료)"},
	{`^no status from (\S+) for (\S+)$`, "${2} 동안 ${1}의 상태 보고 없음"},
	{`^answer from (\S+)$`, "${1}의 응답"},
	{`^traffic so far$`, "지금까지의 트래픽"},
	{`^next request$`, "다음 요청"},
	{`^sync proxy rules$`, "프록시 규칙 동기화"},
	{`^sync ingress rules$`, "인그레스 규칙 동기화"},
}

// sayKO is one of the engine's English phrases (a regular expression)
// and its Korean, ${1}… filled in with what the phrase names.
type sayKO struct{ en, ko string }

// phrasebook is a table of phrases, compiled when first said: a kubeplay
// started in a pod (its sandbox's proxy, the demo app, a stand-in's
// shell) says none, and compiling the ~160 at start-up cost every such
// start ~3 ms and 19,000 allocations.
type phrasebook struct {
	table *[]sayKO // whyKO grows in an init
	once  sync.Once
	en    []*regexp.Regexp // table's, in its order
}

func (b *phrasebook) patterns() []*regexp.Regexp {
	b.once.Do(func() {
		for _, t := range *b.table {
			b.en = append(b.en, regexp.MustCompile(t.en))
		}
	})
	return b.en
}

// say is the engine's English s in lang, its Korean from the first of
// book's phrases that matches; what none matches stays as the engine
// says it.
func say(book *phrasebook, lang bilingual.Lang, s string) string {
	for i, en := range book.patterns() {
		if en.MatchString(s) {
			// Particles after a filled-in name are made to fit it.
			return lang.Fix(bilingual.Text{EN: s, KO: en.ReplaceAllString(s, (*book.table)[i].ko)}.In(lang))
		}
	}
	return s
}

// Timer is a timer's why in lang: as the engine says it in English, in
// Korean from timerKO; a why timerKO lacks stays as the engine says it.
func Timer(lang bilingual.Lang, why string) string { return say(&timerBook, lang, why) }

// timerBook is timerKO compiled, when first said.
var timerBook = phrasebook{table: &timerKO}
