package board

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/ui/common"
	"github.com/kubeplay/kubeplay/ui/present"
	"github.com/kubeplay/kubeplay/ui/theme"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// colour is an SGR sequence that sets a foreground or background colour
// (bold and faint are allowed without colour).
var colour = regexp.MustCompile(`\x1b\[([0-9]*;)*(3[0-9]|4[0-9]|9[0-7]|10[0-7])(;[0-9]*)*m`)

// serviceBoard is a board of the Services a DNS lesson and an ingress
// lesson leave: a ClusterIP Service with a ready and a not ready pod, a
// NodePort one, a headless one, one whose pods are gone, an ExternalName,
// and an Ingress routing to two of them.
func serviceBoard() present.Board {
	var b present.Board
	b.Ingresses = []present.IngressRow{{Name: "shop", Class: "kubeplay", Served: true, Address: "127.0.0.1:8080", Routes: []present.RouteRow{
		{Host: "shop.example", Path: "/", Prefix: true, Backend: "web:80", Ready: 2},
		{Host: "shop.example", Path: "/cart", Prefix: true, Backend: "cart:80", Ready: 0},
		{Default: true, Backend: "web:80", Ready: 2}}}}
	b.Services = []present.ServiceRow{
		{Namespace: "default", Name: "cart", Type: "ClusterIP", ClusterIP: "10.96.120.4", Ports: []string{"80→8080/TCP"}, Selector: true},
		{Namespace: "default", Name: "db", Type: "ClusterIP", ClusterIP: "None", Ports: []string{"5432→5432/TCP"}, Selector: true,
			Endpoints: []present.EndpointCell{{IP: "10.244.1.4", Pod: "db-0", State: present.Ready}, {IP: "10.244.2.6", Pod: "db-1", State: present.Ready}}},
		{Namespace: "default", Name: "search", Type: "ExternalName", ExternalName: "search.example.com"},
		{Namespace: "default", Name: "web", Type: "NodePort", ClusterIP: "10.103.93.227", Ports: []string{"80:30080→8080/TCP"}, Selector: true,
			Endpoints: []present.EndpointCell{{IP: "10.244.3.3", Pod: "web-5899dd46b4-dflz7", State: present.Ready},
				{IP: "10.244.2.3", Pod: "web-5899dd46b4-lnw6c", State: present.Ready},
				{IP: "10.244.1.7", Pod: "web-5899dd46b4-q8m2x", State: present.NotReady}}},
		{Namespace: "shop", Name: "api", Type: "ClusterIP", ClusterIP: "10.96.7.1", Ports: []string{"80→http/TCP", "443→https/TCP"}, Selector: true,
			Endpoints: []present.EndpointCell{{IP: "10.244.1.5", Pod: "api-7d4b9c8f5-xk2pq", State: present.Ready}}, More: 9},
	}
	b.Nodes = []present.NodeColumn{{Name: "node-1", Ready: true}}
	return b
}

// The Services and the Ingress routes read the same in every language
// but for their notes, fold under their heads on a narrow pane, and keep
// each endpoint whole; no line is wider than the pane, and without colour
// the states still differ by their marks (● ◐ ✕).
func TestBoardServicesGolden(t *testing.T) {
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		for _, w := range []int{80, 120, 200} {
			t.Run(fmt.Sprintf("%s/%d", lang, w), func(t *testing.T) {
				m := New(common.New(lang, theme.NoColor, true))
				m.SetSize(w, 30)
				m.SetBoard(serviceBoard())
				var lines []string
				for _, l := range m.Lines() {
					if lipgloss.Width(l) > w-2 {
						t.Errorf("line %q is wider than the pane", ansi.Strip(l))
					}
					if colour.MatchString(l) {
						t.Errorf("NO_COLOR: line %q has a colour", l)
					}
					lines = append(lines, strings.TrimRight(strings.ReplaceAll(ansi.Strip(l), common.NBSP, " "), " "))
				}
				got := strings.Join(lines, "\n") + "\n"
				golden := filepath.Join("testdata", fmt.Sprintf("services-%s-%d.golden", lang, w))
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./ui/components/board -update)", err)
				}
				if got != string(want) {
					t.Errorf("board differs from %s:\n%s\nwant:\n%s", golden, got, want)
				}
			})
		}
	}
}

// Each endpoint is whole (address and pod) at every width, and a Service
// without a ready endpoint says what a client meets: refused, or for a
// headless one, a name that does not resolve.
func TestBoardServiceEndpointsWhole(t *testing.T) {
	b := serviceBoard()
	b.Services = append(b.Services, present.ServiceRow{Namespace: "default", Name: "gone", Type: "ClusterIP", ClusterIP: "None", Selector: true})
	for _, w := range []int{40, 60, 80, 120, 200} {
		m := New(common.New("en", theme.NoColor, true))
		m.SetSize(w, 30)
		m.SetBoard(b)
		got := strings.ReplaceAll(ansi.Strip(strings.Join(m.Lines(), "\n")), common.NBSP, " ")
		for _, s := range b.Services {
			for _, e := range s.Endpoints {
				if !strings.Contains(got, e.Text()) {
					t.Errorf("w=%d: endpoint %q is not whole:\n%s", w, e.Text(), got)
				}
			}
		}
		for _, want := range []string{"✕ no ready endpoints: connections are refused", "✕ no ready endpoints: the name does not resolve", "+9 more"} {
			if !strings.Contains(strings.Join(strings.Fields(got), " "), want) {
				t.Errorf("w=%d: board lacks %q:\n%s", w, want, got)
			}
		}
	}
}
