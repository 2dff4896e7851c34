package lessons

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/kubeplay/kubeplay/engine/bilingual"
)

// RealCluster is a lesson's declaration of whether it can play on a real
// cluster (kubeplay lesson ID --kubeconfig …), in a namespace kubeplay
// creates for the run. One that cannot says what it needs that only
// kubeplay's own cluster gives; the loader checks the declaration
// against the lesson's steps.
type RealCluster struct {
	Runs  bool     `json:"runs"`
	Needs []string `json:"needs,omitempty"`
}

// What a lesson may need that a real cluster does not give kubeplay.
const (
	NeedSleep   = "sleep"      // virtual time: kubeplay's sleep jumps the clock
	NeedFault   = "fault"      // kubeplay's faults (kill a container, stop a node)
	NeedNodeAdd = "node-add"   // kubeplay's node add
	NeedNetwork = "network"    // curl, load, port-forward: kubeplay reaches Services only in its own cluster
	NeedExec    = "logs-exec"  // logs and exec: kubeplay does not reach a real kubelet yet
	NeedAddon   = "addon"      // an add-on kubeplay installs on its own cluster (the ingress controller)
	NeedNodes   = "node-names" // kubeplay's nodes by name (node-1…) and size
	NeedDemoApp = "demo-app"   // what kubeplay's demo image does (probes failing on request, slow shutdown)
)

// needText says each need to the learner.
var needText = map[string]Text{
	NeedSleep:   {EN: "virtual time (sleep)", KO: "가상 시간(sleep)"},
	NeedFault:   {EN: "kubeplay's faults (fault)", KO: "kubeplay의 장애 주입(fault)"},
	NeedNodeAdd: {EN: "adding nodes (node add)", KO: "노드 추가(node add)"},
	NeedNetwork: {EN: "reaching Services from kubeplay (curl, load)", KO: "kubeplay에서 서비스에 닿기(curl, load)"},
	NeedExec:    {EN: "logs and exec through kubeplay", KO: "kubeplay를 거친 logs와 exec"},
	NeedAddon:   {EN: "an add-on kubeplay installs (the ingress controller)", KO: "kubeplay가 설치하는 애드온(인그레스 컨트롤러)"},
	NeedNodes:   {EN: "kubeplay's own nodes (node-1, node-2, node-3)", KO: "kubeplay 내장 노드(node-1, node-2, node-3)"},
	NeedDemoApp: {EN: "kubeplay's demo app behaving as the lesson asks (probes, shutdown)", KO: "레슨이 시키는 대로 움직이는 kubeplay 데모 앱(프로브, 종료)"},
}

// stepNeeds are the needs a step's own words show: its suggested command
// and its checks.
func stepNeeds(s *Step) []string {
	var out []string
	add := func(n string) {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	for _, line := range []string{s.Command, ranOf(s)} {
		w := commandWords(line)
		if len(w) == 0 {
			continue
		}
		switch w[0] {
		case "sleep":
			add(NeedSleep)
		case "fault":
			add(NeedFault)
		case "node":
			if len(w) > 1 && w[1] == "add" {
				add(NeedNodeAdd)
			}
		case "curl", "load", "port-forward":
			add(NeedNetwork)
		case "logs", "exec":
			add(NeedExec)
		}
	}
	if c := s.Check; c != nil && (c.Load != nil || c.Serves != nil) {
		add(NeedNetwork)
	}
	return out
}

func ranOf(s *Step) string {
	if s.Check == nil {
		return ""
	}
	return s.Check.Ran
}

// Needs are what the lesson's steps show it needs of kubeplay's own
// cluster, in step order.
func (l *Lesson) needs() []string {
	var out []string
	if len(l.Addons) > 0 {
		out = append(out, NeedAddon)
	}
	for i := range l.Steps {
		for _, n := range stepNeeds(&l.Steps[i]) {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// validateReal checks the declaration: it must be there, a lesson that
// runs on a real cluster needs nothing, one that does not says what it
// needs, and every need its steps show is declared.
func (l *Lesson) validateReal() error {
	rc := l.RealCluster
	if rc == nil {
		return errors.New("say whether the lesson can play on a real cluster: runs: true, or runs: false with needs: [...] (" + strings.Join(slices.Sorted(maps.Keys(needText)), ", ") + ")")
	}
	for _, n := range rc.Needs {
		if _, ok := needText[n]; !ok {
			return fmt.Errorf("needs: %q is none of %s", n, strings.Join(slices.Sorted(maps.Keys(needText)), ", "))
		}
	}
	shown := l.needs()
	switch {
	case rc.Runs && len(rc.Needs) > 0:
		return fmt.Errorf("runs: true, yet it needs %s: a lesson that runs on a real cluster needs nothing of kubeplay's own", strings.Join(rc.Needs, ", "))
	case rc.Runs && len(shown) > 0:
		return fmt.Errorf("runs: true, yet its steps need %s, which only kubeplay's own cluster gives", strings.Join(shown, ", "))
	case !rc.Runs && len(rc.Needs) == 0:
		return errors.New("runs: false needs needs: say what only kubeplay's own cluster gives it")
	}
	for _, n := range shown {
		if !slices.Contains(rc.Needs, n) {
			return fmt.Errorf("needs: its steps need %s too", n)
		}
	}
	return nil
}

// RunsOnRealCluster reports whether the lesson can play on a real
// cluster.
func (l *Lesson) RunsOnRealCluster() bool { return l.RealCluster != nil && l.RealCluster.Runs }

var notOnRealText = Text{
	EN: "lesson %s cannot play on a real cluster: it needs %s, which only kubeplay's own cluster gives; play it without --kubeconfig. These can: %s",
	KO: "%s 레슨은 진짜 클러스터에서 할 수 없어요. kubeplay 내장 클러스터에만 있는 %s이 필요해요. --kubeconfig 없이 해 보세요. 진짜 클러스터에서 되는 레슨: %s",
}

// RealNeeds says what the lesson needs that only kubeplay's own cluster
// gives, in lang: "virtual time (sleep), kubeplay's faults (fault)".
func (l *Lesson) RealNeeds(lang bilingual.Lang) string {
	var needs []string
	if l.RealCluster != nil {
		for _, n := range l.RealCluster.Needs {
			needs = append(needs, needText[n].In(lang))
		}
	}
	return strings.Join(needs, ", ")
}

// NotOnRealCluster is why lesson l does not play on a real cluster, and
// which of all do.
func NotOnRealCluster(l *Lesson, all []*Lesson, lang bilingual.Lang) error {
	var can []string
	for _, o := range all {
		if o.RunsOnRealCluster() {
			can = append(can, o.ID)
		}
	}
	return errors.New(lang.Sprintf(notOnRealText.In(lang), l.ID, l.RealNeeds(lang), strings.Join(can, ", ")))
}
