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
}
