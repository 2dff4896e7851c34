package common

// The lesson page's and the lesson list's labels, kept apart from the
// playground's; they join the same catalogue (and its test).
func init() {
	for id, s := range lessonEN {
		en[id] = s
	}
	for id, s := range lessonKO {
		ko[id] = s
	}
}

var lessonEN = map[string]string{
	"pane.lesson":        "lesson",
	"lesson.step":        "Step %d/%d",
	"lesson.done":        "✓ done",
	"lesson.progress":    "done %d/%d",
	"lesson.passed":      "✓ Step %d done — PgDn: next step",
	"lesson.passed.last": "✓ Step %d done — PgDn: finish the lesson",
	"lesson.complete":    "esc: the lessons",
	"lesson.incomplete":  "%s goes back a step; esc: the lessons",
	"lesson.hinthow":     "Press %s for a hint.",
	"lesson.notyet":      "Not yet.",
	"lesson.manifest":    "manifest %s (kubectl reads it with -f):",
	"lesson.try":         "suggested at the prompt: enter runs it, esc clears it",
	"lesson.nocheck":     "nothing to wait for: PgDn when you are ready",
	"lesson.continue":    "⏎: continue",
	"lesson.through":     "step-through: the cluster stops at each marked hop",
	"lesson.busy":        "a command is running; try again when it waits for you",
	"lesson.quit":        "Quit kubeplay? y/⏎ quit · n/esc stay — your lesson progress is saved; this cluster will be gone",
	"lesson.small":       "the lesson page needs at least %d×%d; this terminal is %d×%d.",
	"lesson.more":        "↓ %d more · ⇧↓",
	"lesson.above":       "↑ %d more · ⇧↑",
	"lessons.title":      "Lessons",
	"lessons.hint":       "↑/↓ choose · enter open · esc back",
	"lessons.steps":      "%d/%d steps",
	"lessons.error":      "the lessons could not be loaded: %v",
	"key.hint":           "hint",
	"key.lesson.next":    "next step",
	"key.lesson.back":    "back",
	"key.through":        "step-through",
	"key.continue":       "continue",
	"key.lesson.leave":   "quit",
}

var lessonKO = map[string]string{
	"pane.lesson":        "레슨",
	"lesson.step":        "%d/%d 단계",
	"lesson.done":        "✓ 완료",
	"lesson.progress":    "완료 %d/%d",
	"lesson.passed":      "✓ %d단계 완료 — PgDn: 다음 단계",
	"lesson.passed.last": "✓ %d단계 완료 — PgDn: 레슨 마치기",
	"lesson.complete":    "esc: 레슨 목록",
	"lesson.incomplete":  "%s: 이전 단계로 · esc: 레슨 목록",
	"lesson.hinthow":     "막히면 %s 키로 힌트를 볼 수 있어요.",
	"lesson.notyet":      "아직이에요.",
	"lesson.manifest":    "매니페스트 %s (kubectl이 -f로 읽어요):",
	"lesson.try":         "추천 명령을 넣어 뒀어요: enter 실행 · esc 지우기",
	"lesson.nocheck":     "기다릴 상태가 없어요. 준비되면 PgDn",
	"lesson.continue":    "⏎: 계속",
	"lesson.through":     "단계별 보기: 표시한 홉마다 클러스터가 멈춰요",
	"lesson.busy":        "명령이 실행 중이에요. 명령이 기다릴 때 다시 해 보세요",
	"lesson.quit":        "kubeplay를 끝낼까요? y/⏎ 종료 · n/esc 계속 — 레슨 진행 상황은 저장돼 있고, 이 클러스터는 사라져요",
	"lesson.small":       "레슨 화면은 최소 %d×%d 크기가 필요해요. 지금은 %d×%d 크기예요.",
	"lesson.more":        "↓ %d줄 더 · ⇧↓",
	"lesson.above":       "↑ %d줄 더 · ⇧↑",
	"lessons.title":      "레슨",
	"lessons.hint":       "↑/↓ 선택 · enter 열기 · esc 뒤로",
	"lessons.steps":      "%d/%d 단계 완료",
	"lessons.error":      "레슨을 불러오지 못했어요: %v",
	"key.hint":           "힌트",
	"key.lesson.next":    "다음 단계",
	"key.lesson.back":    "이전 단계",
	"key.through":        "단계별 보기",
	"key.continue":       "계속",
	"key.lesson.leave":   "종료",
}
