package lessons

import "github.com/kubeplay/kubeplay/engine/bilingual"

// sayf is message id in lang filled in with a; in Korean, each particle
// after a filled-in name is made to fit it.
func sayf(lang bilingual.Lang, id string, a ...any) string {
	return lang.Sprintf(msg(lang, id), a...)
}

// msg is kubeplay's own message id in lang; English when lang has none (a
// test makes sure Korean has them all).
func msg(lang bilingual.Lang, id string) string {
	return messages[id].In(lang)
}

// LevelName is a lesson level as the learner reads it.
func LevelName(lang bilingual.Lang, level string) string {
	if s := msg(lang, "level-"+level); s != "" {
		return s
	}
	return level
}

// messages are the lessons' own words by id, each in both languages.
var messages = map[string]Text{
	"lesson-head":           {EN: "Lesson: %s  (%s · %d steps)", KO: "레슨: %s  (%s · %d단계)"},
	"step-head":             {EN: "── Step %d/%d ──", KO: "── %d/%d 단계 ──"},
	"manifest":              {EN: "Manifest %s (kubectl reads it as a file: apply -f %s):", KO: "매니페스트 %s (kubectl이 파일로 읽어요: apply -f %s):"},
	"try":                   {EN: "Try: %s   (try runs it)", KO: "입력해 보세요: %s   (try를 입력하면 바로 실행돼요)"},
	"no-command":            {EN: "This step suggests no command; type your own.", KO: "이 단계에는 추천 명령이 없어요. 직접 입력해 보세요."},
	"words":                 {EN: "Type kubectl commands (the word kubectl is optional), or: try (the suggested command), hint, next, back, quit.", KO: "kubectl 명령을 입력하세요(kubectl은 생략해도 돼요). try(추천 명령 실행), hint, next, back, quit도 쓸 수 있어요."},
	"no-check":              {EN: "When you are ready, type next.", KO: "준비가 되면 next를 입력하세요."},
	"step-done":             {EN: "✓ Step %d done.", KO: "✓ %d단계 완료!"},
	"goal":                  {EN: "This step is done when %s.", KO: "%s"},
	"not-yet":               {EN: "Not yet. %s", KO: "아직이에요. %s"},
	"failed":                {EN: "Your last command failed, so it does not count. Read its error, fix the command and run it again.", KO: "방금 실행한 명령이 실패해서 완료로 치지 않아요. 오류 메시지를 읽고 명령을 고쳐서 다시 실행해 보세요."},
	"suggested":             {EN: "The suggested command does it: %s.", KO: "추천 명령으로 할 수 있어요: %s."},
	"look":                  {EN: "get and describe show where the cluster is now.", KO: "get이나 describe로 지금 클러스터 상태를 살펴보세요."},
	"hint-how":              {EN: "Type hint if you are stuck.", KO: "막히면 hint를 입력해 보세요."},
	"hint":                  {EN: "Hint %d/%d: %s", KO: "힌트 %d/%d: %s"},
	"no-hints":              {EN: "This step has no hints.", KO: "이 단계에는 힌트가 없어요."},
	"first-step":            {EN: "This is the first step.", KO: "첫 단계예요."},
	"skipped":               {EN: "Skipped step %d; it is not done yet, and you can come back to it.", KO: "%d단계를 건너뛰었어요. 아직 완료되지 않았고, 나중에 돌아올 수 있어요."},
	"moved-on":              {EN: "Step %d was done before; on to the next.", KO: "%d단계는 이미 완료했어요. 다음 단계로 넘어가요."},
	"complete":              {EN: "✓ Lesson complete: %s (%d/%d steps done)", KO: "✓ 레슨 완료: %s (%d/%d단계 완료)"},
	"ended":                 {EN: "Lesson left at step %d/%d; %d/%d steps done. kubeplay lesson %s starts it again.", KO: "%d/%d단계에서 레슨을 멈췄어요. %d/%d단계 완료. kubeplay lesson %s로 다시 시작할 수 있어요."},
	"end-partial":           {EN: "That was the last step: %d/%d steps done; not done yet: steps %s.", KO: "마지막 단계까지 왔어요. %d/%d단계를 완료했고, 아직 완료하지 않은 단계는 %s단계예요."},
	"end-partial-one":       {EN: "That was the last step: %d/%d steps done; not done yet: step %s.", KO: "마지막 단계까지 왔어요. %d/%d단계를 완료했고, 아직 완료하지 않은 단계는 %s단계예요."},
	"again":                 {EN: "kubeplay lesson %s starts the lesson again.", KO: "kubeplay lesson %s로 레슨을 다시 시작할 수 있어요."},
	"press-enter":           {EN: "[enter: next hop]", KO: "[enter: 다음 홉]"},
	"no-lesson":             {EN: "no lesson %q; the lessons are: %s", KO: "%q 레슨은 없어요. 있는 레슨: %s"},
	"progress-unreadable":   {EN: "cannot read the progress file (%v); progress will not be saved this time", KO: "진행 상황 파일을 읽을 수 없어요(%v). 이번에는 진행 상황을 저장하지 않아요"},
	"progress-corrupt":      {EN: "the progress file was damaged (%v); it was set aside as %s and progress starts afresh", KO: "진행 상황 파일이 손상돼 있었어요(%v). %s에 옮겨 두고 처음부터 기록해요"},
	"progress-corrupt-kept": {EN: "the progress file %s is damaged (%v) and could not be set aside (%v); progress will not be saved this time", KO: "진행 상황 파일 %s가 손상됐는데(%v) 옮기지 못했어요(%v). 이번에는 진행 상황을 저장하지 않아요"},
	"save-failed":           {EN: "cannot save progress: %v", KO: "진행 상황을 저장하지 못했어요: %v"},
	"list-footer":           {EN: "kubeplay lesson ID opens a lesson; add --shell to play it as text.", KO: "kubeplay lesson ID로 레슨을 열어요. --shell을 붙이면 텍스트로 진행해요."},
	"need-id":               {EN: "which lesson? Name one: kubeplay lesson ID (kubeplay lessons lists them), e.g. kubeplay lesson probes", KO: "어느 레슨인가요? kubeplay lesson ID처럼 하나를 골라 주세요(목록은 kubeplay lessons). 예: kubeplay lesson probes"},
	"reset-one":             {EN: "Progress of %s cleared.", KO: "%s 레슨의 진행 상황을 지웠어요."},
	"reset-all":             {EN: "Progress of every lesson cleared.", KO: "모든 레슨의 진행 상황을 지웠어요."},
	"level-beginner":        {EN: "beginner", KO: "입문"},
	"level-intermediate":    {EN: "intermediate", KO: "중급"},
	"level-advanced":        {EN: "advanced", KO: "고급"},
}

// Message is one of kubeplay's lesson messages in lang, for the front
// ends: "reset-all", "reset-one" (%s: the id), "list-footer", "need-id".
func Message(lang bilingual.Lang, id string) string { return msg(lang, id) }

// Say is message id in lang filled in with a, its particles made to fit
// in Korean: what front ends print of this package's messages.
func Say(lang bilingual.Lang, id string, a ...any) string { return sayf(lang, id, a...) }
