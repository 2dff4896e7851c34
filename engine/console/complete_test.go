package console

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/kubectl"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestCompletionOffersTheWholeTree walks the prompt's command tree and
// asks the completer for each of its words: every verb (kubectl's and
// kubeplay's own, with or without the word kubectl), every sub-command,
// every flag and, after get, describe and delete, every resource type.
// A word the completer leaves out fails it.
func TestCompletionOffersTheWholeTree(t *testing.T) {
	tree := Tree()
	offers := func(line, want string) {
		t.Helper()
		got, _ := Complete(line, nil)
		if !slices.Contains(got, want) {
			t.Errorf("Complete(%q) = %v, lacks %q", line, got, want)
		}
	}
	var visit func(c *cobra.Command, path string)
	visit = func(c *cobra.Command, path string) {
		if !c.IsAvailableCommand() {
			return
		}
		offers(path+c.Name()[:1], c.Name())
		if path == "" {
			offers("kubectl "+c.Name()[:1], c.Name())
		}
		line := path + c.Name() + " "
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			offers(line+"--", "--"+f.Name)
			if f.Shorthand != "" {
				offers(line+"-", "-"+f.Shorthand)
			}
		})
		c.InheritedFlags().VisitAll(func(f *pflag.Flag) { offers(line+"--", "--"+f.Name) })
		for _, sub := range c.Commands() {
			visit(sub, line)
		}
	}
	offers("ku", "kubectl")
	words := 0
	for _, c := range tree.Commands() {
		if c.Name() == "kubectl" {
			for _, k := range c.Commands() {
				visit(k, "")
				words++
			}
			continue
		}
		visit(c, "")
		words++
	}
	if words < 30 {
		t.Fatalf("the tree has %d words; it should hold kubectl's and kubeplay's own", words)
	}
	for _, verb := range []string{"get", "describe", "delete"} {
		for _, typ := range kubectl.ResourceNames() {
			offers(verb+" ", typ)
		}
	}
}

// TestOwnWordsAreTheTree holds OwnWord, help and the tree to one list:
// each word of kubeplay's own (and its aliases) is an own word, runs as
// one, and help names each that takes part in it.
func TestOwnWordsAreTheTree(t *testing.T) {
	var out, errOut strings.Builder
	con := &Console{out: &out, kc: &kubectl.Session{Err: &errOut}}
	con.words = con.ownWords()
	con.help()
	for _, c := range Tree().Commands() {
		if c.Name() == "kubectl" {
			if OwnWord("kubectl") || OwnWord("get") {
				t.Error("kubectl's words are not kubeplay's own")
			}
			continue
		}
		for _, w := range append([]string{c.Name()}, c.Aliases...) {
			if !OwnWord(w) {
				t.Errorf("OwnWord(%q) = false for a word of the tree", w)
			}
		}
		if !strings.Contains(out.String(), "\n  "+c.Name()) {
			t.Errorf("help does not list %q", c.Name())
		}
	}
	for _, w := range []string{"exit", "quit", "help", "?", "sleep", "trace", "node", "curl", "load", "fault"} {
		if !OwnWord(w) {
			t.Errorf("OwnWord(%q) = false", w)
		}
	}
}

func TestCompleteNamesAndValues(t *testing.T) {
	names := map[string][]string{"pods": {"web-1", "web-2", "db-1"}, "deployments": {"web"}, "services": {"web"}, "nodes": {"node-1"}}
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"get pods w", []string{"web-1", "web-2"}},
		{"k -n default ge", []string{"get"}},
		{"kubectl sle", []string{"sleep"}},
		{"rollout status deployment/", []string{"deployment/web"}},
		{"get svc/", []string{"svc/web"}},
		{"fault kill-container w", []string{"web-1", "web-2"}},
		{"fault stop-node ", []string{"node-1"}},
		{"curl ", []string{"svc/web"}},
		{"trace o", []string{"off", "on"}},
		{"top pod d", []string{"db-1"}},
		{"cordon ", []string{"node-1"}},
		{"create secret ", []string{"generic"}},
		{"get -o ", nil},         // a flag's value: nothing to offer
		{"exec web-1 -- s", nil}, // the container's command
		{"nosuch ", nil},         // no such verb
		{"get pods --wat", []string{"--watch"}},
		{"get --he", []string{"--help"}},
		{"sleep --he", nil}, // kubeplay's own words take no --help
	} {
		got, _ := Complete(tc.line, names)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Complete(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

// BenchmarkComplete is one Tab at the prompt: the tree is built anew
// each time, so it must stay well under a frame.
func BenchmarkComplete(b *testing.B) {
	names := map[string][]string{"pods": {"web-1", "web-2", "db-1"}}
	for b.Loop() {
		Complete("get pods w", names)
	}
}
