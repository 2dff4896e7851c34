package common

import (
	"io"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/cluster"
	"github.com/kubeplay/kubeplay/engine/configdir"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/lessons"
)

// TestWhyKoreanInLessons plays every lesson on the simulated runtime,
// as TestPlayEveryLesson does, and looks at each reason a hop gave: on
// a Korean screen it must read in Korean. A reason is English when,
// with names, numbers and Kubernetes' own words taken out, English words
// are left.
func TestWhyKoreanInLessons(t *testing.T) {
	t.Setenv(configdir.Env, t.TempDir())
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{} // why → a lesson it came from
	for _, l := range all {
		o := cluster.Options{Seed: 1}
		if l.Needs(lessons.AddonIngress) {
			o.IngressPort = 8080
		}
		c, err := cluster.New(o)
		if err != nil {
			t.Fatal(err)
		}
		c.Observe(func(h sim.Hop) {
			if h.Summary != "" {
				if _, ok := seen[h.Summary]; !ok {
					seen[h.Summary] = l.ID
				}
			}
		})
		var script strings.Builder
		for _, s := range l.Steps {
			if s.Command != "" {
				script.WriteString("try\n")
			}
			script.WriteString("next\n")
		}
		dir, _ := configdir.Dir()
		prog, _ := lessons.LoadProgress(dir, bilingual.Korean)
		lessons.PlayShell(c, l, strings.NewReader(script.String()), lessons.ShellOptions{Lang: bilingual.Korean, Progress: prog, Out: io.Discard, Err: io.Discard})
	}
	var english []string
	for why, from := range seen {
		// A rule that matched decided what stays in English.
		if ko := Why(bilingual.Korean, why); ko != why {
			continue
		}
		if w := englishWords(why); w != "" {
			english = append(english, from+": "+why+"   ["+w+"]")
		}
	}
	sort.Strings(english)
	for _, e := range english {
		t.Error(e)
	}
	t.Logf("%d reasons seen, %d still English", len(seen), len(english))
}

var (
	// A name, path, image, quantity or flag: anything with a digit or
	// one of these marks in it stays as it is.
	nameLike = regexp.MustCompile(`\S*[0-9/.:=_\-<>'"()\[\]{}%@]\S*`)
	word     = regexp.MustCompile(`[A-Za-z]{3,}`)
)

// kept are the words a Korean text keeps in English: Kubernetes' own
// names for phases, fields, reasons and resources (korean-glossary.md).
var kept = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`Running Pending Succeeded Failed Terminating Ready NotReady Unknown
		SIGTERM SIGKILL ClusterIP NodePort LoadBalancer HPA CPU DNS TCP UDP HTTP HTTPS GET PUT POST PATCH DELETE
		maxUnavailable maxSurge replicas OrderedReady Parallel OnDelete RollingUpdate partition etcd kubelet kube
		apiserver proxy scheduler coredns kubectl`) {
		kept[w] = true
	}
}

// englishWords are the English words left in s, or "".
func englishWords(s string) string {
	s = nameLike.ReplaceAllString(s, " ")
	var left []string
	for _, w := range word.FindAllString(s, -1) {
		if !kept[w] {
			left = append(left, w)
		}
	}
	return strings.Join(left, " ")
}
