package common

import "github.com/kubeplay/kubeplay/engine/bilingual"

// The lesson page's and the lesson list's labels, kept apart from the
// playground's; they join the same catalogue (and its test).
func init() { addTexts(lessonTexts) }

var lessonTexts = map[string]bilingual.Text{
	"pane.lesson":        {EN: "lesson", KO: "레슨"},
	"lesson.step":        {EN: "Step %d/%d", KO: "%d/%d 단계"},
	"lesson.done":        {EN: "✓ done", KO: "✓ 완료"},
	"lesson.progress":    {EN: "done %d/%d", KO: "완료 %d/%d"},
	"lesson.passed":      {EN: "✓ Step %d done — PgDn: next step", KO: "✓ %d단계 완료 — PgDn: 다음 단계"},
	"lesson.passed.last": {EN: "✓ Step %d done — PgDn: finish the lesson", KO: "✓ %d단계 완료 — PgDn: 레슨 마치기"},
	"lesson.complete":    {EN: "esc: the lessons", KO: "esc: 레슨 목록"},
	"lesson.incomplete":  {EN: "%s goes back a step; esc: the lessons", KO: "%s: 이전 단계로 · esc: 레슨 목록"},
	"lesson.hinthow":     {EN: "Press %s for a hint.", KO: "막히면 %s 키로 힌트를 볼 수 있어요."},
	"lesson.notyet":      {EN: "Not yet.", KO: "아직이에요."},
	"lesson.manifest":    {EN: "manifest %s (kubectl reads it with -f):", KO: "매니페스트 %s (kubectl이 -f로 읽어요):"},
	"lesson.try":         {EN: "suggested at the prompt: enter runs it, esc clears it", KO: "추천 명령을 넣어 뒀어요: enter 실행 · esc 지우기"},
	"lesson.nocheck":     {EN: "nothing to wait for: PgDn when you are ready", KO: "기다릴 상태가 없어요. 준비되면 PgDn"},
	"lesson.continue":    {EN: "⏎: continue", KO: "⏎: 계속"},
	"lesson.through":     {EN: "step-through: the cluster stops at each marked hop", KO: "단계별 보기: 표시한 홉마다 클러스터가 멈춰요"},
	"lesson.held":        {EN: "⏸ The cluster waits while you read: ⏎ steps it only while a command or the step needs it.", KO: "⏸ 읽는 동안 클러스터는 기다려요. ⏎ 키는 명령이나 단계가 클러스터를 필요로 할 때만 진행시켜요."},
	"lesson.busy":        {EN: "a command is running; try again when it waits for you", KO: "명령이 실행 중이에요. 명령이 기다릴 때 다시 해 보세요"},
	"lesson.quit":        {EN: "Quit kubeplay? y/⏎ quit · n/esc stay — your lesson progress is saved; this cluster will be gone", KO: "kubeplay를 끝낼까요? y/⏎ 종료 · n/esc 계속 — 레슨 진행 상황은 저장돼 있고, 이 클러스터는 사라져요"},
	"lesson.small":       {EN: "the lesson page needs at least %d×%d; this terminal is %d×%d.", KO: "레슨 화면은 최소 %d×%d 크기가 필요해요. 지금은 %d×%d 크기예요."},
	"lesson.more":        {EN: "↓ %d more · ⇧↓", KO: "↓ %d줄 더 · ⇧↓"},
	"lesson.above":       {EN: "↑ %d more · ⇧↑", KO: "↑ %d줄 더 · ⇧↑"},
	"lessons.title":      {EN: "Lessons", KO: "레슨"},
	"lesson.back.ask":    {EN: "Back to the lessons list? y/⏎ go · n/esc stay — this lesson stays open with its cluster: choose it again to come back", KO: "레슨 목록으로 돌아갈까요? y/⏎ 이동 · n/esc 계속 — 이 레슨은 클러스터와 함께 열린 채로 남아요. 다시 고르면 돌아와요"},
	"lessons.replace":    {EN: "Open this lesson? y/⏎ open · n/esc stay — \"%s\" opens on a new cluster; \"%s\" closes, and its cluster with it (your progress is saved)", KO: "이 레슨을 열까요? y/⏎ 열기 · n/esc 계속 — “%s” 레슨이 새 클러스터에서 열리고, “%s” 레슨은 클러스터와 함께 닫혀요(진행 상황은 저장돼 있어요)"},
	"lessons.hint":       {EN: "↑/↓ choose · enter open · esc back · ^G help", KO: "↑/↓ 선택 · enter 열기 · esc 뒤로 · ^G 도움말"},
	"lessons.steps":      {EN: "%d/%d steps", KO: "%d/%d 단계 완료"},
	"lessons.error":      {EN: "the lessons could not be loaded: %v", KO: "레슨을 불러오지 못했어요: %v"},
	"key.hint":           {EN: "hint", KO: "힌트"},
	"key.lesson.next":    {EN: "next step", KO: "다음 단계"},
	"key.lesson.back":    {EN: "back", KO: "이전 단계"},
	"key.through":        {EN: "step-through", KO: "단계별 보기"},
	"key.again":          {EN: "show me that again", KO: "다시 보기"},
	"lesson.again.none":  {EN: "This step has sent no hops yet: there is nothing to show again.", KO: "이 단계에서는 아직 오간 홉이 없어서 다시 볼 것이 없어요."},
	"key.continue":       {EN: "continue", KO: "계속"},
	"key.lesson.leave":   {EN: "quit…", KO: "종료…"},
}
