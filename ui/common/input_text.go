package common

import "github.com/kubeplay/kubeplay/engine/bilingual"

// The words of the input model — the keys, the queue, the quit question —
// and of the full help, which teaches the tool; they join the same
// catalogue (and its test).
func init() { addTexts(inputTexts) }

var inputTexts = map[string]bilingual.Text{
	"key.interrupt": {EN: "stop the command; else clear the line; else quit", KO: "명령 멈추기, 없으면 줄 지우기, 그다음 종료"},
	"key.stop":      {EN: "stop the command", KO: "명령 멈추기"},
	"key.clear":     {EN: "clear", KO: "지우기"},
	"key.panes":     {EN: "panes", KO: "창 이동"},
	"pane.prompt":   {EN: "prompt", KO: "프롬프트"},

	"quit.ask":    {EN: "Quit kubeplay? y/⏎ quit · n/esc stay — the cluster and what you made in it will be gone", KO: "kubeplay를 끝낼까요? y/⏎ 종료 · n/esc 계속 — 클러스터와 그 안에 만든 것이 모두 사라져요"},
	"out.queued":  {EN: "⧗ queued: %s — it runs when the command before it ends", KO: "⧗ 대기: %s — 앞 명령이 끝나면 실행해요"},
	"out.ending":  {EN: "⧗ queued: %s — ending %s first, as ctrl+c would", KO: "⧗ 대기: %s — 먼저 ctrl+c처럼 %s 실행을 끝내요"},
	"out.nqueued": {EN: "%d queued", KO: "대기 %d개"},
	"out.ctrlc":   {EN: "^C", KO: "^C"},

	"help.modes":      {EN: "Modes — ^T switches", KO: "모드 — ^T로 바꿔요"},
	"help.mode.step":  {EN: "STEP: the cluster stands still. Each ⏎ on an empty prompt (or ^N) delivers one hop.", KO: "단계: 클러스터가 멈춰 있어요. 빈 프롬프트에서 ⏎ (또는 ^N) 키를 누를 때마다 홉 하나가 전달돼요."},
	"help.mode.paced": {EN: "PACED: hops play one after another, each drawn on its arrow. ^S pauses and goes on; F7/F8 set the speed.", KO: "재생: 홉이 하나씩 화살표 위로 그려지며 이어져요. ^S로 멈추고 다시 가요. F7/F8로 속도를 정해요."},
	"help.mode.free":  {EN: "FREE: cluster time runs with the wall clock, times the speed. ^S pauses.", KO: "자유: 클러스터 시간이 실제 시계에 속도를 곱한 만큼 흘러요. ^S로 멈춰요."},
	"help.time":       {EN: "⏱ in the header is cluster time: it moves only while the cluster runs, so it never runs ahead of what you read. A lesson holds it (‖ held) between steps. sleep 5m jumps ahead on purpose, and the output says so (⏩).", KO: "머리줄의 ⏱는 클러스터 시간이에요. 클러스터가 돌 때만 흘러서 읽고 있는 내용보다 앞서가지 않아요. 레슨에서는 단계 사이에 시간을 붙잡아 둬요(‖ 멈춤). sleep 5m은 일부러 시간을 건너뛰고, 출력에 ⏩로 알려 줘요."},
	"help.hops":       {EN: "Hops", KO: "홉"},
	"help.hop":        {EN: "A hop is one message from one component to another: kubectl → kube-apiserver → etcd, then the controller-manager, the scheduler and a kubelet, each watching the apiserver. Every command becomes a chain of hops; the flow pane draws the one in flight, the hops pane lists them all.", KO: "홉은 한 컴포넌트가 다른 컴포넌트에 보내는 메시지 하나예요. kubectl → kube-apiserver → etcd, 그다음 apiserver를 지켜보는 컨트롤러 매니저, 스케줄러, kubelet으로 이어져요. 명령 하나가 홉의 사슬이 되고, 흐름 창은 지금 오가는 홉을, 홉 창은 지금까지의 홉을 모두 보여 줘요."},
	"help.details":    {EN: "To see what a hop carried: ⇧tab to the hops pane, ↑/↓ to choose a hop, ⏎ opens its object and why it was sent, esc closes it.", KO: "홉이 실어 나른 것을 보려면: ⇧tab으로 홉 창에 가서 ↑/↓로 홉을 고르고 ⏎ 키를 누르면 오브젝트와 보낸 이유가 열려요. esc로 닫아요."},
	"help.panes":      {EN: "Panes — ⇧tab moves between them; what you type always goes to the prompt", KO: "창 — ⇧tab으로 옮겨 다녀요. 입력한 글자는 언제나 프롬프트로 가요"},
	"help.pane.flow":  {EN: "flow: the components and the hop in flight", KO: "흐름: 컴포넌트와 지금 오가는 홉"},
	"help.pane.board": {EN: "cluster: the nodes with their pods, the deployments with their ReplicaSets", KO: "클러스터: 노드와 그 위의 파드, 디플로이먼트와 그 레플리카셋"},
	"help.pane.event": {EN: "events: the cluster's events, newest last", KO: "이벤트: 클러스터의 이벤트, 최신이 맨 아래"},
	"help.pane.out":   {EN: "output: what your commands print", KO: "출력: 명령이 출력한 내용"},
	"help.pane.hops":  {EN: "hops: every hop so far", KO: "홉: 지금까지의 모든 홉"},
	"help.pane.input": {EN: "prompt: kubectl commands (the word kubectl is optional) and kubeplay's own: sleep 30s, curl, load, edit. ⏎ runs a line; a line entered while a command runs waits its turn.", KO: "프롬프트: kubectl 명령(kubectl이라는 단어는 빼도 돼요)과 kubeplay의 명령 sleep 30s, curl, load, edit. ⏎ 키로 실행해요. 명령이 실행 중일 때 입력한 줄은 차례를 기다려요."},
	"help.keys":       {EN: "Keys", KO: "키"},
	"help.scroll":     {EN: "↑/↓ pgup/pgdn scroll this help · esc closes it", KO: "↑/↓ pgup/pgdn 도움말 스크롤 · esc 닫기"},

	"help.scrolling":    {EN: "Scrolling", KO: "스크롤"},
	"help.scroll.how":   {EN: "A pane scrolls when it has the focus (⇧tab) or is under the mouse wheel: ↑/↓ a line, PgUp/PgDn a page, Home the first line, End the last line — from there it follows new lines again. A pane scrolled up stays where you left it (↓ n more · end) until End.", KO: "포커스가 있는 창(⇧tab)이나 마우스 휠 아래에 있는 창이 스크롤돼요. ↑/↓ 한 줄, PgUp/PgDn 한 페이지, Home 첫 줄, End 마지막 줄로 가고, End로 가면 새 줄을 다시 따라가요. 위로 스크롤한 창은 End를 누를 때까지 그 자리에 있어요(↓ n줄 더 · end)."},
	"help.lesson":       {EN: "Lesson", KO: "레슨"},
	"help.lesson.keys":  {EN: "^O (or F9) shows a hint, one more each press. PgDn goes to the next step and PgUp to the step before while the prompt has the focus (in a focused pane they scroll it). ^R turns step-through on and off: with it the cluster stops at each hop the lesson explains, and ⏎ goes on. ⇧↑/⇧↓ scroll the lesson's text. Between steps the cluster waits for you (‖ held). esc on an empty prompt asks before going back to the lessons list; the lesson stays open.", KO: "^O(또는 F9)를 누를 때마다 힌트가 하나씩 더 나와요. 프롬프트에 포커스가 있을 때 PgDn은 다음 단계, PgUp은 이전 단계로 가요(포커스가 있는 창에서는 그 창을 스크롤해요). ^R은 단계별 보기를 켜고 꺼요. 켜 두면 레슨이 설명하는 홉마다 클러스터가 멈추고, ⏎ 키로 계속해요. ⇧↑/⇧↓는 레슨 글을 스크롤해요. 단계 사이에는 클러스터가 기다려요(‖ 멈춤). 빈 프롬프트에서 esc를 누르면 레슨 목록으로 돌아갈지 먼저 물어봐요. 레슨은 열린 채로 남아요."},
	"help.start":        {EN: "kubeplay", KO: "kubeplay"},
	"help.start.menu":   {EN: "Free play gives you a cluster of your own to type kubectl commands at. Lessons are guided steps, each on a fresh cluster, with your progress saved. Language switches between English and Korean.", KO: "자유 실습에서는 나만의 클러스터에 kubectl 명령을 입력해요. 레슨은 단계별로 따라 하는 실습이에요. 레슨마다 새 클러스터에서 시작하고 진행 상황을 저장해요. 언어는 영어와 한국어를 바꿔요."},
	"help.start.keys":   {EN: "↑/↓ (or tab) choose, ⏎ opens, q or esc quits (asking first when a cluster has something in it), F2 presenter mode. ^G (or F1) opens the help on every screen; esc closes it.", KO: "↑/↓(또는 tab)로 고르고 ⏎ 키로 열어요. q나 esc는 종료해요(클러스터에 만든 것이 있으면 먼저 물어봐요). F2는 발표 모드예요. ^G(또는 F1)는 어느 화면에서나 도움말을 열고, esc로 닫아요."},
	"help.lessons":      {EN: "Lessons", KO: "레슨"},
	"help.lessons.keys": {EN: "↑/↓ (or tab) choose a lesson, ⏎ opens it, esc goes back. Letters typed here do nothing: this list is not a prompt. Opening another lesson while one is open asks first: that one's cluster would be gone (your progress is saved).", KO: "↑/↓(또는 tab)로 레슨을 고르고 ⏎ 키로 열어요. esc는 뒤로 가요. 여기서 입력한 글자는 아무 일도 하지 않아요. 이 목록은 프롬프트가 아니에요. 레슨이 열려 있을 때 다른 레슨을 열면 먼저 물어봐요. 열려 있던 레슨의 클러스터가 사라지거든요(진행 상황은 저장돼 있어요)."},
}
