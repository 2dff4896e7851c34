package korean

import "testing"

func TestWith(t *testing.T) {
	for _, tc := range []struct{ word, particle, want string }{
		// Hangul: the last syllable decides; ㄹ takes 로.
		{"파드", "이", "파드가"},
		{"노드", "을", "노드를"},
		{"컨테이너", "은", "컨테이너는"},
		{"서비스", "과", "서비스와"},
		{"레플리카셋", "가", "레플리카셋이"},
		{"볼륨", "로", "볼륨으로"},
		{"레이블", "으로", "레이블로"},
		// Digits as read aloud: 일, 이, 삼 … 십, 영.
		{"node-1", "가", "node-1이"},
		{"kubelet/node-1", "가", "kubelet/node-1이"},
		{"node-2", "이", "node-2가"},
		{"node-3", "를", "node-3을"},
		{"node-1", "으로", "node-1로"},
		{"node-3", "로", "node-3으로"},
		{"node-4", "은", "node-4는"},
		{"10", "가", "10이"},
		{"web-77b4f5fb7", "는", "web-77b4f5fb7은"},
		// English words as Korean readers say them.
		{"pod", "이", "pod가"},
		{"web", "가", "web이"},
		{"kubelet", "가", "kubelet이"},
		{"kubectl", "으로", "kubectl로"},
		{"frontend", "을", "frontend를"},
		{"liveness", "이", "liveness가"},
		{"shop", "가", "shop이"},
		{"name", "가", "name이"},
		{"deployment", "이", "deployment가"},
		{"secret", "를", "secret을"},
		{"Running", "가", "Running이"},
		{"Ready", "이", "Ready가"},
		{"Available", "로", "Available로"},
		// Letters and acronyms read by name: 엘, 엠, 엔, 알.
		{"PVC", "이", "PVC가"},
		// A camel-cased name ending in an acronym: 클러스터아이피.
		{"ClusterIP", "을", "ClusterIP를"},
		{"ClusterIP", "으로", "ClusterIP로"},
		{"podIP", "이", "podIP가"},
		{"NodePort", "로", "NodePort로"},
		{"YAML", "으로", "YAML로"},
		{"YAML", "로는", "YAML로는"},
		{"pod-a", "이", "pod-a가"},
		{"pod-m", "가", "pod-m이"},
		{"spec", "는", "spec은"},
		{"sleep", "는", "sleep은"},
		{"too-big", "를", "too-big을"},
		{"log", "이", "log가"},
		{"web-config", "을", "web-config를"},
		{"COLOR", "과", "COLOR와"},
		{"kubeplay/demo:v3", "를", "kubeplay/demo:v3을"},
		// Quotes and punctuation after the name are skipped.
		{`"web"`, "이", `"web"이`},
		{"pods/web-x7k2p", "를", "pods/web-x7k2p를"},
		// The word read before a gloss in brackets.
		{"pv-5g 퍼시스턴트볼륨(PV)", "가", "pv-5g 퍼시스턴트볼륨(PV)이"},
		{"web-config 컨피그맵", "가", "web-config 컨피그맵이"},
		// Longer particles.
		{"web", "예요", "web이에요"},
		{"node-2", "이에요", "node-2예요"},
		{"파드", "이나", "파드나"},
	} {
		if got := With(tc.word, tc.particle); got != tc.want {
			t.Errorf("With(%q, %q) = %q, want %q", tc.word, tc.particle, got, tc.want)
		}
	}
}

func TestEndingLeavesOtherWordsAlone(t *testing.T) {
	if got := Ending("node-1", "에서"); got != "에서" {
		t.Errorf("Ending(node-1, 에서) = %q", got)
	}
	if got := Ending("", "가"); got != "가" {
		t.Errorf("Ending of nothing = %q, want the vowel form", got)
	}
}

func TestFix(t *testing.T) {
	for in, want := range map[string]string{
		"kubelet/node-1가 web 파드를 받았어요": "kubelet/node-1이 web 파드를 받았어요",
		"node-2이 골랐어요.":                "node-2가 골랐어요.",
		"이미지가 kubeplay/demo:v3여야 해요.":  "이미지가 kubeplay/demo:v3이어야 해요.",
		"pods/web-x7k2p을 지워요":          "pods/web-x7k2p를 지워요",
		"\"pod/web created\"라고 답해요":    "\"pod/web created\"라고 답해요",
		"get pods로 보세요, web이에요":        "get pods로 보세요, web이에요",
		"kubectl을 써요":                  "kubectl을 써요",
		// A gloss in brackets: the particle follows the word before it.
		"고른 결과(spec.nodeName)을 기록해요": "고른 결과(spec.nodeName)를 기록해요",
		"자동 복구(self-healing)이에요.":    "자동 복구(self-healing)예요.",
		"memory가 256Mi (3%)으로 바뀌었어요": "memory가 256Mi (3%)로 바뀌었어요",
		"9(SIGKILL)이에요.":             "9(SIGKILL)예요.",
		// Not a particle: a Korean word after a space, or one that goes on,
		// or one after an opening quote.
		`질문을 해요. "이 컨테이너가 지금`: `질문을 해요. "이 컨테이너가 지금`,
		"node-1 이 단계":         "node-1 이 단계",
		"API가이드":              "API가이드",
		"파드가 Ready가 되면":       "파드가 Ready가 되면",
	} {
		if got := Fix(in); got != want {
			t.Errorf("Fix(%q) = %q, want %q", in, got, want)
		}
	}
}
