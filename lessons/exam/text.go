package exam

import (
	"fmt"
	"time"

	"github.com/kubeplay/kubeplay/engine/bilingual"
)

// msg is the exam's message id in lang.
func msg(lang bilingual.Lang, id string) string { return messages[id].In(lang) }

// sayf is message id in lang filled in with a; in Korean, each particle
// after a filled-in name is made to fit it.
func sayf(lang bilingual.Lang, id string, a ...any) string { return lang.Sprintf(msg(lang, id), a...) }

// clockText is a duration as a countdown shows it: 1:05:09, 42:10, 0:07.
func clockText(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// PassMark is the share of the points that passes, as the CKAD's.
const PassMark = 66

// messages are the exam's own words, each in both languages.
var messages = map[string]Text{
	"head": {EN: "kubeplay exam · %d tasks · %d points · %s on the wall clock",
		KO: "kubeplay 시험 · 문제 %d개 · %d점 만점 · 제한 시간 %s(실제 시간)"},
	"time-note": {EN: "The time limit is your time, on the wall clock; starting each task's cluster\nand grading are not counted. The cluster keeps its own time: in the simulated\nruntime it leaps ahead, so a rollout that takes a minute of cluster time is\ndone at once.",
		KO: "제한 시간은 실제로 흐르는 시간이에요. 문제마다 클러스터를 새로 띄우는\n시간과 채점 시간은 빼고 재요. 클러스터 시간은 따로 흘러요. 시뮬레이션\n런타임에서는 건너뛰듯 흘러서, 클러스터 시간으로 1분 걸리는 롤아웃도 바로\n끝나요."},
	"words": {EN: "Each task has a fresh cluster of its own. Type kubectl commands (the word\nkubectl is optional; here-documents work: apply -f - <<EOF), or: next, skip,\nback, task N, flag, list, brief, time, submit, help.",
		KO: "문제마다 새 클러스터가 따로 있어요. kubectl 명령을 입력하세요(kubectl은\n생략해도 되고, apply -f - <<EOF 같은 히어 문서도 돼요). next, skip, back,\ntask N, flag, list, brief, time, submit, help도 쓸 수 있어요."},
	"help": {EN: `  next        go on to the next task (your work stays; everything is graded at the end)
  skip        the same, marking this task skipped
  back        the task before
  task N      go to task N (its cluster as you left it)
  flag        flag this task to come back to (again: unflag)
  list        every task, with flags and time left
  brief       this task's brief again
  time        time left
  submit      end the exam: grade every task and show the report
Anything else runs as in kubeplay shell (kubectl help lists kubectl's commands).`,
		KO: `  next        다음 문제로 가요(한 일은 그대로 남고, 채점은 끝에 한꺼번에 해요)
  skip        next와 같지만 이 문제를 건너뜀으로 표시해요
  back        이전 문제로 가요
  task N      N번 문제로 가요(떠날 때 그대로인 클러스터로)
  flag        나중에 다시 볼 문제로 표시해요(한 번 더 하면 표시를 지워요)
  list        모든 문제와 표시, 남은 시간을 보여 줘요
  brief       이 문제를 다시 보여 줘요
  time        남은 시간을 보여 줘요
  submit      시험을 끝내요. 모든 문제를 채점하고 결과를 보여 줘요
그 밖의 입력은 kubeplay shell처럼 실행돼요(kubectl help로 kubectl 명령 목록을 볼 수 있어요).`},
	"task-head":  {EN: "── Task %d/%d · %s · %d points · %s left ──", KO: "── %d/%d번 문제 · %s · %d점 · 남은 시간 %s ──"},
	"flagged-on": {EN: "Task %d is flagged: come back to it with task %d.", KO: "%d번 문제를 표시했어요. task %d로 다시 올 수 있어요."},
	"flag-off":   {EN: "Task %d is no longer flagged.", KO: "%d번 문제의 표시를 지웠어요."},
	"last-task": {EN: "This is the last task. Type submit to end the exam, or task N to go back.",
		KO: "마지막 문제예요. 시험을 끝내려면 submit을, 돌아가려면 task N을 입력하세요."},
	"review":       {EN: "To review: %s.", KO: "다시 볼 문제: %s."},
	"first-task":   {EN: "This is the first task.", KO: "첫 문제예요."},
	"no-such-task": {EN: "There is no task %s: give a number from 1 to %d.", KO: "%s번 문제는 없어요. 1부터 %d까지의 번호를 주세요."},
	"time-left":    {EN: "%s left of %s.", KO: "남은 시간 %s (전체 %s)."},
	"time-up":      {EN: "Time is up: the exam is submitted as it stands.", KO: "시간이 다 됐어요. 지금 상태 그대로 제출해요."},
	"five-left":    {EN: "5 minutes left.", KO: "5분 남았어요."},
	"grading":      {EN: "Grading: as a real exam is graded after its end, each cluster first runs on\nuntil its checks hold, for up to %d minute(s) of cluster time…", KO: "채점 중이에요. 실제 시험처럼 끝난 뒤에 채점하도록, 클러스터마다 확인\n항목이 맞을 때까지 클러스터 시간으로 최대 %d분 더 돌려요…"},
	"start-failed": {EN: "cannot start the task's cluster: %v", KO: "문제의 클러스터를 띄우지 못했어요: %v"},
	"list-seen":    {EN: "opened", KO: "열어 봄"},
	"list-unseen":  {EN: "not opened", KO: "아직 안 열어 봄"},
	"list-skipped": {EN: "skipped", KO: "건너뜀"},
	"list-flagged": {EN: "flagged", KO: "표시함"},
	"report-head":  {EN: "══ Exam report ══", KO: "══ 시험 결과 ══"},
	"score":        {EN: "Score: %d/%d points (%d%%): %s (the pass mark is %d%%, as the CKAD's)", KO: "점수: %d/%d점 (%d%%), %s (CKAD처럼 %d%% 이상이면 합격)"},
	"passed":       {EN: "passed", KO: "합격"},
	"failed":       {EN: "not passed", KO: "불합격"},
	"time-used":    {EN: "Time: %s used of %s (wall clock).", KO: "시간: 전체 %[2]s 중 %[1]s 사용(실제 시간)."},
	"revisit":      {EN: "Revisit: kubeplay lesson %s (%s)", KO: "복습: kubeplay lesson %s (%s)"},
	"solution":     {EN: "One way to do it:", KO: "풀이 예시:"},
	"all-full":     {EN: "Every task got full marks.", KO: "모든 문제에서 만점을 받았어요."},
	"no-task":      {EN: "no task %q; the tasks are: %s", KO: "%q 문제는 없어요. 있는 문제: %s"},
	"twice":        {EN: "task %q is named twice in --only", KO: "--only에 %q 문제가 두 번 있어요"},
	"bad-count":    {EN: "--tasks %d: give a number from 1 to %d (0: every task)", KO: "--tasks %d: 1부터 %d까지의 수를 주세요(0이면 모든 문제)"},
}
