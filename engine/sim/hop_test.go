package sim

import (
	"strings"
	"testing"
)

func TestHopWordsParseAsTheyAreSpelt(t *testing.T) {
	for _, k := range kinds {
		if got, err := ParseKind(k.String()); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	for _, v := range verbs {
		if got, err := ParseVerb(v.String()); err != nil || got != v {
			t.Errorf("ParseVerb(%q) = %q, %v", v, got, err)
		}
	}
	for _, o := range []Origin{OriginInside, OriginExternal} {
		if got, err := ParseOrigin(o.String()); err != nil || got != o {
			t.Errorf("ParseOrigin(%q) = %v, %v", o, got, err)
		}
	}
}

func TestParseRejectsUnknownWords(t *testing.T) {
	for _, tc := range []struct {
		name  string
		parse func(string) error
		in    string
		says  string
	}{
		{"kind", func(s string) error { _, err := ParseKind(s); return err }, "kublet", `"kublet" is not a component`},
		{"component", func(s string) error { _, err := ParseComponent(s); return err }, "kublet/node-1", `"kublet" is not a component`},
		{"component", func(s string) error { _, err := ParseComponent(s); return err }, "apiserver/node-1", "there is one apiserver"},
		{"verb", func(s string) error { _, err := ParseVerb(s); return err }, "crate", `"crate" is not a verb`},
		{"verb", func(s string) error { _, err := ParseVerb(s); return err }, "watch done", `"watch done" is not a verb`},
		{"origin", func(s string) error { _, err := ParseOrigin(s); return err }, "outside", `"outside" is not an origin`},
	} {
		err := tc.parse(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s %q: error %v, want one saying %s", tc.name, tc.in, err, tc.says)
		}
	}
}

func TestComponentsOfANode(t *testing.T) {
	c := KindKubelet.On("node-1")
	if c != "kubelet/node-1" || c.Kind() != KindKubelet || c.Node() != "node-1" {
		t.Errorf("KindKubelet.On(node-1) = %q: kind %q, node %q", c, c.Kind(), c.Node())
	}
	if c, err := ParseComponent("runtime/node-2"); err != nil || c.Kind() != KindRuntime {
		t.Errorf("ParseComponent(runtime/node-2) = %q, %v", c, err)
	}
	if c := Component(KindAPIServer); c.Kind() != KindAPIServer || c.Node() != "" {
		t.Errorf("apiserver: kind %q, node %q", c.Kind(), c.Node())
	}
	if !VerbTimer.Internal() || VerbWatch.Internal() || VerbPull.Done().Internal() {
		t.Error("timer should be internal, watch and pull done not")
	}
	if v, err := ParseVerb(VerbPull.Done().String()); err != nil || v != "pull done" {
		t.Errorf("ParseVerb(pull done) = %q, %v", v, err)
	}
}
