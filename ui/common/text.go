package common

import (
	"maps"
	"slices"
	"strings"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/present"
)

// The catalogue is every sentence and label the UI shows, each a
// bilingual.Text: its English and its Korean side by side, so that a text
// without its translation is seen where it is written (and fails
// TestEveryTextInBothLanguages). Parts kept in files of their own (the
// lesson page's, the input model's) join it through addTexts.

// addTexts joins a part of the catalogue to it.
func addTexts(part map[string]bilingual.Text) { maps.Copy(catalogue, part) }

// Text is the message id in lang; the id itself when the catalogue has no
// such message (TestEveryIDInTheCatalogue keeps that from happening).
func Text(lang bilingual.Lang, id string) string {
	if t, ok := catalogue[id]; ok {
		return t.In(lang)
	}
	return id
}

// IDs are every message id, sorted; for the catalogue's tests.
func IDs() []string { return slices.Sorted(maps.Keys(catalogue)) }

var catalogue = map[string]bilingual.Text{
	"app.tagline":        {EN: "a Kubernetes playground in the terminal", KO: "터미널 속 쿠버네티스 놀이터"},
	"start.free":         {EN: "Free play", KO: "자유 실습"},
	"start.free.desc":    {EN: "type kubectl commands and watch every hop", KO: "kubectl 명령을 입력하고 모든 홉을 지켜봐요"},
	"start.lessons":      {EN: "Lessons", KO: "레슨"},
	"start.lessons.desc": {EN: "guided lessons, step by step, with your progress", KO: "단계별로 따라 하는 레슨, 진행 상황 저장"},
	"start.lang":         {EN: "Language", KO: "언어"},
	"start.lang.desc":    {EN: "English ▸ 한국어", KO: "한국어 ▸ English"}, // the language now ▸ the one enter switches to
	"start.quit":         {EN: "Quit", KO: "종료"},
	"start.runtime":      {EN: "runtime: simulated (containers are simulated in kubeplay, no Docker needed)", KO: "런타임: 시뮬레이션 (컨테이너는 kubeplay 안에서 흉내 내요. Docker 없이 돼요)"},
	"start.nodes":        {EN: "nodes", KO: "노드"},

	"start.attached":       {EN: "a real cluster, for real (no faults, no virtual time): ", KO: "진짜 클러스터예요. 명령이 실제로 실행돼요(장애 주입·가상 시간 없음): "},
	"start.runtime.docker": {EN: "runtime: Docker — pods are real containers, removed when kubeplay exits", KO: "런타임: Docker — 파드는 진짜 컨테이너예요. kubeplay가 끝나면 지워요"},
	"runtime.real":         {EN: "a real cluster", KO: "진짜 클러스터"},
	"runtime.docker":       {EN: "runtime: Docker", KO: "런타임: Docker"},
	"runtime.fallback":     {EN: "containers are simulated: no Docker daemon answered (%s)", KO: "Docker 데몬이 응답하지 않아서 컨테이너를 시뮬레이션해요 (%s)"},
	"out.waitruntime":      {EN: "waiting for the container runtime…", KO: "컨테이너 런타임을 기다리는 중…"},

	"pane.flow":    {EN: "flow", KO: "흐름"},
	"pane.board":   {EN: "cluster", KO: "클러스터"},
	"pane.events":  {EN: "events", KO: "이벤트"},
	"pane.output":  {EN: "output", KO: "출력"},
	"pane.hops":    {EN: "hops", KO: "홉"},
	"pane.traffic": {EN: "traffic", KO: "트래픽"},
	"pane.editor":  {EN: "YAML editor", KO: "YAML 편집기"},
	"pane.details": {EN: "hop", KO: "홉"},
	"pane.help":    {EN: "help", KO: "도움말"},

	"mode.step":  {EN: "STEP", KO: "단계"},
	"mode.paced": {EN: "PACED", KO: "재생"},
	"mode.free":  {EN: "FREE", KO: "자유"},
	"paused":     {EN: "paused", KO: "일시정지"},
	"held":       {EN: "held", KO: "멈춤"},
	"forward":    {EN: "⏩ fast-forward: cluster time %s → %s", KO: "⏩ 빨리 감기: 클러스터 시간 %s → %s"},
	"playing":    {EN: "playing", KO: "재생 중"},
	"nodes":      {EN: "nodes", KO: "노드"},
	"runtime":    {EN: "runtime: simulated", KO: "런타임: 시뮬레이션"},

	// How kubeplay knows of a real cluster's hop: the cluster said so, or
	// it must have happened (apiserver → etcd); the flow draws an inferred
	// hop dashed, the hop log marks each.
	"hop.observed": {EN: "observed", KO: "관찰"},
	"hop.inferred": {EN: "inferred", KO: "추정"},

	// The learner's kubectl in another shell hangs in STEP mode: %s the
	// step key, %s the mode key, %s the paced mode's name.
	"flow.external":       {EN: "external kubectl", KO: "내 kubectl"}, // the kubectl box, for the learner's own
	"flow.external.waits": {EN: "your kubectl is waiting: %s steps it, %s switches to %s", KO: "내 kubectl이 기다려요: %s 한 단계씩 · %s %s 모드로"},

	"flow.idle":                   {EN: "nothing in flight — type a command below, e.g. create deployment web --image=nginx --replicas=3", KO: "오가는 요청이 없어요 — 아래에 명령을 입력해 보세요. 예: create deployment web --image=nginx --replicas=3"},
	"flow.more":                   {EN: "+%d nodes · %d pods", KO: "노드 %d개 더 · 파드 %d개"},
	"flow.idle.short":             {EN: "nothing in flight — type a command below", KO: "오가는 요청이 없어요 — 아래에 명령을 입력해 보세요"},
	"flow.next":                   {EN: "next", KO: "다음"},
	"flow.nothing":                {EN: "the cluster is quiet: every component has done what it was asked", KO: "클러스터가 조용해요. 모든 컴포넌트가 할 일을 마쳤어요"},
	"board.nopods":                {EN: "no pods", KO: "파드 없음"},
	"board.pending":               {EN: "(pending)", KO: "(대기 중)"},
	"board.unschedulable":         {EN: "%s: no node fits (0/%d), the scheduler says:", KO: "%s: 맞는 노드가 없어요 (0/%d). 스케줄러가 말하는 이유:"},
	"board.unschedulable.nonodes": {EN: "%s: the cluster has no node to schedule it on", KO: "%s: 클러스터에 스케줄할 노드가 없어요"},
	"board.unschedulable.said":    {EN: "%s: not scheduled: %s", KO: "%s: 스케줄되지 않았어요: %s"},
	"board.addons":                {EN: "add-ons:", KO: "애드온:"}, // after the namespace
	"board.deploys":               {EN: "deployments", KO: "디플로이먼트"},
	"board.budget":                {EN: "budget", KO: "예산"},
	"board.avail":                 {EN: "available", KO: "가용"},
	"board.min":                   {EN: "min", KO: "최소"},
	"board.total":                 {EN: "total", KO: "전체"},
	"board.maxs":                  {EN: "max", KO: "최대"},
	"board.rev":                   {EN: "rev", KO: "리비전"},
	"board.last":                  {EN: "last", KO: "최근 실행"},
	"board.next":                  {EN: "next in", KO: "다음 실행까지"},
	"board.never":                 {EN: "never", KO: "아직 없음"},
	"board.suspended":             {EN: "suspended", KO: "일시 중지"},
	"board.replicas":              {EN: "replicas", KO: "레플리카"},
	"board.class":                 {EN: "class", KO: "클래스"},
	"board.noctl":                 {EN: "no controller serves it", KO: "처리하는 컨트롤러 없음"},
	"board.noaddr":                {EN: "no address yet", KO: "아직 주소 없음"},
	"board.defaultbackend":        {EN: "(default backend)", KO: "(기본 백엔드)"},
	"board.ready":                 {EN: "ready", KO: "준비됨"},
	"board.noservice":             {EN: "no such Service", KO: "서비스 없음"},
	"board.outdated":              {EN: "old", KO: "이전"},
	"board.headless":              {EN: "headless: DNS → pod IPs", KO: "헤드리스: DNS → 파드 IP"},
	"board.noendpoints":           {EN: "no ready endpoints: connections are refused", KO: "준비된 엔드포인트 없음: 연결 거부"},
	"board.nohostnames":           {EN: "no ready endpoints: the name does not resolve", KO: "준비된 엔드포인트 없음: 이름을 찾을 수 없음"},
	"board.noselector":            {EN: "no selector: endpoints written by hand", KO: "셀렉터 없음: 엔드포인트를 직접 작성"},
	"board.more":                  {EN: "+%d more", KO: "+%d개 더"},
	"events.none":                 {EN: "no events yet", KO: "아직 이벤트가 없어요"},
	"hops.none":                   {EN: "no hops yet", KO: "아직 홉이 없어요"},
	"out.none":                    {EN: "command output appears here", KO: "명령 출력이 여기 나와요"},
	"out.running":                 {EN: "running…", KO: "실행 중…"},
	"out.waiting":                 {EN: "waiting for the cluster — ", KO: "클러스터를 기다리는 중 — "},
	"out.waitstep":                {EN: "⏎ on an empty prompt (or ^N) delivers the next hop", KO: "빈 프롬프트에서 ⏎ (또는 ^N) 키를 누르면 다음 홉이 전달돼요"},
	"out.interrupt":               {EN: "interrupted", KO: "중단됨"},
	"details.now":                 {EN: "the object as it is now:", KO: "지금 저장된 오브젝트:"},
	"details.carried":             {EN: "the object this hop carried:", KO: "이 홉이 실어 나른 오브젝트:"},
	"details.gone":                {EN: "the object is gone from the store", KO: "오브젝트가 저장소에서 사라졌어요"},
	"details.list.req":            {EN: "A list, not one object: kubectl asks for all the %s at once and keeps what the command names (a name, -l). The next hop, the apiserver's read of etcd, shows the namespace.", KO: "오브젝트 하나가 아니라 목록이에요. kubectl이 %s 전부를 한 번에 요청하고, 명령이 고른 것(이름, -l)만 남겨요. 다음 홉, apiserver가 etcd를 읽는 홉에 네임스페이스가 나와요."},
	"details.list.ns":             {EN: "A list, not one object: all the %s in namespace %s, read from etcd at once.", KO: "오브젝트 하나가 아니라 목록이에요. 네임스페이스 %[2]s의 %[1]s 전부를 etcd에서 한 번에 읽어요."},
	"details.list.all":            {EN: "A list, not one object: all the %s in every namespace, read from etcd at once.", KO: "오브젝트 하나가 아니라 목록이에요. 모든 네임스페이스의 %s 전부를 etcd에서 한 번에 읽어요."},
	"details.list.count":          {EN: "The store holds %d %s now.", KO: "지금 저장소에 %[2]s %[1]d개가 있어요."},
	"details.busy":                {EN: "the cluster is busy with a command; select again when it waits", KO: "명령이 클러스터를 쓰는 중이에요. 명령이 기다릴 때 다시 골라 보세요"},
	"details.why":                 {EN: "why", KO: "이유"},

	"traffic.none":       {EN: "no load yet — try load svc/web --rps 20 --for 60s", KO: "아직 부하가 없어요 — load svc/web --rps 20 --for 60s를 실행해 보세요"},
	"traffic.running":    {EN: "running", KO: "실행 중"},
	"traffic.done":       {EN: "done", KO: "완료"},
	"traffic.stopped":    {EN: "stopped", KO: "중단됨"},
	"traffic.answered":   {EN: "answered", KO: "응답"},
	"traffic.errors":     {EN: "errors", KO: "오류"},
	"traffic.ok":         {EN: "ok", KO: "성공"},
	"traffic.err":        {EN: "err", KO: "오류"},
	"traffic.sim":        {EN: "(simulated)", KO: "(시뮬레이션)"},
	"traffic.noendpoint": {EN: "no ready endpoint:", KO: "준비된 엔드포인트 없음:"},

	"editor.hint": {EN: "paste or type YAML · ctrl+s apply · esc close", KO: "YAML을 붙여 넣거나 입력 · ctrl+s 적용 · esc 닫기"},
	"prompt.hint": {EN: "type a command · tab complete · ↑/↓ history · `edit` opens the YAML editor", KO: "명령 입력 · tab 자동 완성 · ↑/↓ 기록 · `edit`으로 YAML 편집기 열기"},

	"small": {EN: "kubeplay needs a terminal of at least %d×%d; this one is %d×%d.", KO: "kubeplay는 최소 %d×%d 크기의 터미널이 필요해요. 지금은 %d×%d 크기예요."},

	"key.step":       {EN: "step", KO: "단계"},
	"key.play":       {EN: "play/pause", KO: "재생/정지"},
	"key.faster":     {EN: "faster", KO: "빠르게"},
	"key.slower":     {EN: "slower", KO: "느리게"},
	"key.speed":      {EN: "speed", KO: "속도"},
	"key.mode":       {EN: "mode", KO: "모드"},
	"key.next":       {EN: "next pane", KO: "다음 창"},
	"key.prev":       {EN: "pane before", KO: "이전 창"},
	"key.help":       {EN: "help", KO: "도움말"},
	"key.back":       {EN: "back", KO: "뒤로"},
	"key.quit":       {EN: "quit", KO: "종료"},
	"key.presenter":  {EN: "presenter", KO: "발표 모드"},
	"key.theme":      {EN: "theme", KO: "테마"},
	"theme.dark":     {EN: "theme: dark", KO: "테마: 어두운 배경"},
	"past.note":      {EN: "past: hop %d/%d", KO: "지난 홉 %d/%d"},
	"past.gone":      {EN: "past: hop %d/%d (its board is no longer kept)", KO: "지난 홉 %d/%d (그때의 보드는 보관하지 않아요)"},
	"past.line":      {EN: "the cluster as it was at hop %d of %d (%s) — ←/→ one hop · ⇧←/⇧→ ten · End or esc: back to now", KO: "홉 %d/%d(%s) 때의 클러스터예요 — ←/→ 한 홉 · ⇧←/⇧→ 열 홉 · End 또는 esc: 지금으로"},
	"key.past":       {EN: "past hops (empty prompt)", KO: "지난 홉 보기 (빈 프롬프트)"},
	"theme.light":    {EN: "theme: light", KO: "테마: 밝은 배경"},
	"theme.contrast": {EN: "theme: high contrast", KO: "테마: 고대비"},
	"theme.nocolor":  {EN: "theme: no colour", KO: "테마: 색 없음"},
	"key.enter":      {EN: "open", KO: "열기"},
	"key.up":         {EN: "up", KO: "위"},
	"key.down":       {EN: "down", KO: "아래"},
	"key.choose":     {EN: "choose", KO: "선택"},
	"key.run":        {EN: "run", KO: "실행"},
	"key.complete":   {EN: "complete", KO: "완성"},
	"key.history":    {EN: "history", KO: "기록"},
	"key.scroll":     {EN: "scroll", KO: "스크롤"},
	"key.details":    {EN: "hop details", KO: "홉 상세"},
	"key.apply":      {EN: "apply", KO: "적용"},
	"key.tab":        {EN: "next tab", KO: "다음 탭"},
	"key.top":        {EN: "top/bottom", KO: "처음/끝"},
	"key.stopload":   {EN: "stop the load", KO: "부하 멈추기"},
	"key.page":       {EN: "page", KO: "페이지"},
	"key.home":       {EN: "first line", KO: "첫 줄"},
	"key.follow":     {EN: "last line, follow", KO: "마지막 줄 따라가기"},
	"scroll.below":   {EN: "↓ %d more · end", KO: "↓ %d줄 더 · end"},
}

// Evidence is how kubeplay knows of a real cluster's hop, as a mark the
// hop log and the flow put after it — "[observed]", "[inferred]" — or ""
// for the embedded engine's hops, which are the cluster itself.
func (c *Common) Evidence(e sim.Evidence) string {
	switch e {
	case sim.Observed:
		return "[" + c.T("hop.observed") + "]"
	case sim.Inferred:
		return "[" + c.T("hop.inferred") + "]"
	}
	return ""
}

// HopEnd is end, the sender or the receiver of h, as the hop log names
// it: as the trace spells it, but the learner's own kubectl as the flow's
// kubectl box names it then ("external kubectl", "내 kubectl").
func (c *Common) HopEnd(h sim.Hop, end sim.Component) string {
	if present.OwnKubectl(h, end) {
		return c.T("flow.external")
	}
	return string(end)
}

// HopRoute is the hop's route (sim.Hop.Route) with its ends named as the
// hop log names them (HopEnd).
func (c *Common) HopRoute(h sim.Hop) string {
	return h.RouteAs(func(end sim.Component) string { return c.HopEnd(h, end) })
}

// HopLine is a hop as the hop log lists it (sim.Hop.Line), its ends
// named (HopEnd) and its evidence mark in the screen's language.
func (c *Common) HopLine(h sim.Hop, w int) string {
	line := h.LineAs(w, func(end sim.Component) string { return c.HopEnd(h, end) })
	if e := h.Evidence.String(); e != "" {
		line = strings.TrimSuffix(line, "  ["+e+"]") + "  " + c.Evidence(h.Evidence)
	}
	return line
}
