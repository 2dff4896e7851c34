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
	if lang == bilingual.Korean {
		if s, ok := messagesKO[id]; ok {
			return s
		}
	}
	return messagesEN[id]
}

// LevelName is a lesson level as the learner reads it.
func LevelName(lang bilingual.Lang, level string) string {
	if s := msg(lang, "level-"+level); s != "" {
		return s
	}
	return level
}

var messagesEN = map[string]string{
	"lesson-head":           "Lesson: %s  (%s · %d steps)",
	"step-head":             "── Step %d/%d ──",
	"manifest":              "Manifest %s (kubectl reads it as a file: apply -f %s):",
	"try":                   "Try: %s   (try runs it)",
	"no-command":            "This step suggests no command; type your own.",
	"words":                 "Type kubectl commands (the word kubectl is optional), or: try (the suggested command), hint, next, back, quit.",
	"no-check":              "When you are ready, type next.",
	"step-done":             "✓ Step %d done.",
	"goal":                  "This step is done when %s.",
	"not-yet":               "Not yet. %s",
	"failed":                "Your last command failed, so it does not count. Read its error, fix the command and run it again.",
	"suggested":             "The suggested command does it: %s.",
	"look":                  "get and describe show where the cluster is now.",
	"hint-how":              "Type hint if you are stuck.",
	"hint":                  "Hint %d/%d: %s",
	"no-hints":              "This step has no hints.",
	"first-step":            "This is the first step.",
	"skipped":               "Skipped step %d; it is not done yet, and you can come back to it.",
	"moved-on":              "Step %d was done before; on to the next.",
	"complete":              "✓ Lesson complete: %s (%d/%d steps done)",
	"ended":                 "Lesson left at step %d/%d; %d/%d steps done. kubeplay lesson %s starts it again.",
	"end-partial":           "That was the last step: %d/%d steps done; not done yet: steps %s.",
	"end-partial-one":       "That was the last step: %d/%d steps done; not done yet: step %s.",
	"again":                 "kubeplay lesson %s starts the lesson again.",
	"press-enter":           "[enter: next hop]",
	"no-lesson":             "no lesson %q; the lessons are: %s",
	"progress-unreadable":   "cannot read the progress file (%v); progress will not be saved this time",
	"progress-corrupt":      "the progress file was damaged (%v); it was set aside as %s and progress starts afresh",
	"progress-corrupt-kept": "the progress file %s is damaged (%v) and could not be set aside (%v); progress will not be saved this time",
	"save-failed":           "cannot save progress: %v",
	"list-footer":           "kubeplay lesson ID opens a lesson; add --shell to play it as text.",
	"need-id":               "which lesson? Name one: kubeplay lesson ID (kubeplay lessons lists them), e.g. kubeplay lesson probes",
	"reset-one":             "Progress of %s cleared.",
	"reset-all":             "Progress of every lesson cleared.",
	"level-beginner":        "beginner",
	"level-intermediate":    "intermediate",
	"level-advanced":        "advanced",
}

var messagesKO = map[string]string{
	"lesson-head":           "레슨: %s  (%s · %d단계)",
	"step-head":             "── %d/%d 단계 ──",
	"manifest":              "매니페스트 %s (kubectl이 파일로 읽어요: apply -f %s):",
	"try":                   "입력해 보세요: %s   (try를 입력하면 바로 실행돼요)",
	"no-command":            "이 단계에는 추천 명령이 없어요. 직접 입력해 보세요.",
	"words":                 "kubectl 명령을 입력하세요(kubectl은 생략해도 돼요). try(추천 명령 실행), hint, next, back, quit도 쓸 수 있어요.",
	"no-check":              "준비가 되면 next를 입력하세요.",
	"step-done":             "✓ %d단계 완료!",
	"goal":                  "%s",
	"not-yet":               "아직이에요. %s",
	"failed":                "방금 실행한 명령이 실패해서 완료로 치지 않아요. 오류 메시지를 읽고 명령을 고쳐서 다시 실행해 보세요.",
	"suggested":             "추천 명령으로 할 수 있어요: %s.",
	"look":                  "get이나 describe로 지금 클러스터 상태를 살펴보세요.",
	"hint-how":              "막히면 hint를 입력해 보세요.",
	"hint":                  "힌트 %d/%d: %s",
	"no-hints":              "이 단계에는 힌트가 없어요.",
	"first-step":            "첫 단계예요.",
	"skipped":               "%d단계를 건너뛰었어요. 아직 완료되지 않았고, 나중에 돌아올 수 있어요.",
	"moved-on":              "%d단계는 이미 완료했어요. 다음 단계로 넘어가요.",
	"complete":              "✓ 레슨 완료: %s (%d/%d단계 완료)",
	"ended":                 "%d/%d단계에서 레슨을 멈췄어요. %d/%d단계 완료. kubeplay lesson %s로 다시 시작할 수 있어요.",
	"end-partial":           "마지막 단계까지 왔어요. %d/%d단계를 완료했고, 아직 완료하지 않은 단계는 %s단계예요.",
	"end-partial-one":       "마지막 단계까지 왔어요. %d/%d단계를 완료했고, 아직 완료하지 않은 단계는 %s단계예요.",
	"again":                 "kubeplay lesson %s로 레슨을 다시 시작할 수 있어요.",
	"press-enter":           "[enter: 다음 홉]",
	"no-lesson":             "%q 레슨은 없어요. 있는 레슨: %s",
	"progress-unreadable":   "진행 상황 파일을 읽을 수 없어요(%v). 이번에는 진행 상황을 저장하지 않아요",
	"progress-corrupt":      "진행 상황 파일이 손상돼 있었어요(%v). %s에 옮겨 두고 처음부터 기록해요",
	"progress-corrupt-kept": "진행 상황 파일 %s가 손상됐는데(%v) 옮기지 못했어요(%v). 이번에는 진행 상황을 저장하지 않아요",
	"save-failed":           "진행 상황을 저장하지 못했어요: %v",
	"list-footer":           "kubeplay lesson ID로 레슨을 열어요. --shell을 붙이면 텍스트로 진행해요.",
	"need-id":               "어느 레슨인가요? kubeplay lesson ID처럼 하나를 골라 주세요(목록은 kubeplay lessons). 예: kubeplay lesson probes",
	"reset-one":             "%s 레슨의 진행 상황을 지웠어요.",
	"reset-all":             "모든 레슨의 진행 상황을 지웠어요.",
	"level-beginner":        "입문",
	"level-intermediate":    "중급",
	"level-advanced":        "고급",
}

// Message is one of kubeplay's lesson messages in lang, for the front
// ends: "reset-all", "reset-one" (%s: the id), "list-footer", "need-id".
func Message(lang bilingual.Lang, id string) string { return msg(lang, id) }

// Say is message id in lang filled in with a, its particles made to fit
// in Korean: what front ends print of this package's messages.
func Say(lang bilingual.Lang, id string, a ...any) string { return sayf(lang, id, a...) }
