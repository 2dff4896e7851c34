package lessons

// msg is kubeplay's own message id in lang; English when lang has none (a
// test makes sure Korean has them all).
func msg(lang, id string) string {
	if lang == "ko" {
		if s, ok := messagesKO[id]; ok {
			return s
		}
	}
	return messagesEN[id]
}

// LevelName is a lesson level as the learner reads it.
func LevelName(lang, level string) string {
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
	"not-yet":               "Not yet: this step waits for %s. Type hint if you are stuck.",
	"hint":                  "Hint %d/%d: %s",
	"no-hints":              "This step has no hints.",
	"first-step":            "This is the first step.",
	"skipped":               "Skipped step %d (it is not counted as done).",
	"complete":              "✓ Lesson complete: %s (%d/%d steps done)",
	"ended":                 "Lesson left at step %d/%d; %d/%d steps done. kubeplay lesson %s starts it again.",
	"press-enter":           "[enter: next hop]",
	"no-lesson":             "no lesson %q; the lessons are: %s",
	"progress-unreadable":   "cannot read the progress file (%v); progress will not be saved this time",
	"progress-corrupt":      "the progress file was damaged (%v); it was set aside as %s and progress starts afresh",
	"progress-corrupt-kept": "the progress file %s is damaged (%v) and could not be set aside (%v); progress will not be saved this time",
	"save-failed":           "cannot save progress: %v",
	"list-footer":           "kubeplay lesson ID opens a lesson; add --shell to play it as text.",
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
	"try":                   "입력해 보세요: %s   (try 를 입력하면 바로 실행돼요)",
	"no-command":            "이 단계에는 추천 명령이 없어요. 직접 입력해 보세요.",
	"words":                 "kubectl 명령을 입력하세요(kubectl은 생략해도 돼요). try(추천 명령 실행), hint, next, back, quit 도 쓸 수 있어요.",
	"no-check":              "준비가 되면 next 를 입력하세요.",
	"step-done":             "✓ %d단계 완료!",
	"not-yet":               "아직이에요. 이 단계는 %s 상태를 기다려요. 막히면 hint 를 입력해 보세요.",
	"hint":                  "힌트 %d/%d: %s",
	"no-hints":              "이 단계에는 힌트가 없어요.",
	"first-step":            "첫 단계예요.",
	"skipped":               "%d단계를 건너뛰었어요(완료로 치지 않아요).",
	"complete":              "✓ 레슨 완료: %s (%d/%d단계 완료)",
	"ended":                 "%d/%d단계에서 레슨을 멈췄어요. %d/%d단계 완료. kubeplay lesson %s 로 다시 시작할 수 있어요.",
	"press-enter":           "[enter: 다음 홉]",
	"no-lesson":             "%q 레슨은 없어요. 있는 레슨: %s",
	"progress-unreadable":   "진행 상황 파일을 읽을 수 없어요(%v). 이번에는 진행 상황을 저장하지 않아요",
	"progress-corrupt":      "진행 상황 파일이 손상돼 있었어요(%v). %s 에 옮겨 두고 처음부터 기록해요",
	"progress-corrupt-kept": "진행 상황 파일 %s 이 손상됐는데(%v) 옮기지 못했어요(%v). 이번에는 진행 상황을 저장하지 않아요",
	"save-failed":           "진행 상황을 저장하지 못했어요: %v",
	"list-footer":           "kubeplay lesson ID 로 레슨을 열어요. --shell 을 붙이면 텍스트로 진행해요.",
	"reset-one":             "%s 레슨의 진행 상황을 지웠어요.",
	"reset-all":             "모든 레슨의 진행 상황을 지웠어요.",
	"level-beginner":        "입문",
	"level-intermediate":    "중급",
	"level-advanced":        "고급",
}

// Message is one of kubeplay's lesson messages in lang, for the front
// ends: "reset-all", "reset-one" (%s: the id), "list-footer".
func Message(lang, id string) string { return msg(lang, id) }
