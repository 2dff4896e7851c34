package common

import "github.com/kubeplay/kubeplay/engine/bilingual"

// The replay's words (kubeplay replay): its label over the recorded
// screens, and what it says of a recording made on Docker.
func init() { addTexts(replayTexts) }

var replayTexts = map[string]bilingual.Text{
	"replay.label":   {EN: "REPLAY %d/%d", KO: "재생 REPLAY %d/%d"},
	"replay.paused":  {EN: "paused · space: go on", KO: "일시정지 · space: 계속"},
	"replay.next":    {EN: "space: next", KO: "space: 다음"},
	"replay.end":     {EN: "end · q: quit", KO: "끝 · q: 종료"},
	"replay.quit":    {EN: "q: quit", KO: "q: 종료"},
	"replay.docker":  {EN: "recorded on Docker, replayed on simulated containers", KO: "Docker에서 녹화, 시뮬레이션 컨테이너로 재생"},
	"replay.real":    {EN: "recorded on a real cluster, replayed on kubeplay's simulated one", KO: "진짜 클러스터에서 녹화, kubeplay 시뮬레이션 클러스터로 재생"},
	"replay.diverge": {EN: "the replay went another way than the recording (%d timers)", KO: "재생이 녹화와 다르게 흘러갔어요 (타이머 %d개)"},
	// A session that served the learner's own kubectl: why its replay
	// went another way, and from where (replay.outside.at or .start).
	"replay.outside":       {EN: "a replay cannot send your own kubectl's requests (%d) again: from the first, %s %s, it went another way than the recording", KO: "재생은 내 kubectl의 요청(%d개)을 다시 보낼 수 없어요. 첫 요청 %s(%s)부터 녹화와 다르게 흘러갔어요"},
	"replay.outside.at":    {EN: "after command %d (%s)", KO: "%d번째 명령 %s 뒤"},
	"replay.outside.start": {EN: "before the first command", KO: "첫 명령 전"},
	// A session recorded by a kubeplay that did not keep them.
	"replay.outside.unkept": {EN: "the session served your own kubectl, whose requests a recording by an older kubeplay does not keep: if it sent any, a replay cannot send them again, and went another way from there", KO: "세션은 내 kubectl이 쓸 수 있게 API를 열어 두었는데, 예전 kubeplay로 만든 녹화라서 그 요청은 기록되지 않았어요. 요청이 있었다면 재생은 다시 보낼 수 없으니, 거기서부터 녹화와 다르게 흘러갔어요"},
}
