package cluster

import (
	"net"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/apiserver"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/ingress"

	"k8s.io/apimachinery/pkg/types"
)

// A port another program holds leaves the controller answering only
// inside kubeplay, and says so: a notice in the learner's language and a
// Warning event on the IngressClass.
func TestIngressPortTaken(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	port := held.Addr().(*net.TCPAddr).Port
	for _, lang := range []bilingual.Lang{bilingual.English, bilingual.Korean} {
		var notices []string
		c := newCluster(t, Options{NodePorts: true, IngressPort: port, Lang: lang, Notice: func(s string) { notices = append(notices, s) }})
		want := lang.Pick("is taken by another program", "다른 프로그램이 쓰고 있어서")
		if len(notices) != 1 || !strings.Contains(notices[0], want) {
			t.Errorf("%s: notices %q; want one saying %q", lang, notices, want)
		}
		res, _ := apiserver.ResourceFor("ingressclasses")
		class, err := c.Get(res, "", ingress.ClassName)
		if err != nil {
			t.Fatal(err)
		}
		uid := string(class.(interface{ GetUID() types.UID }).GetUID())
		evs := c.EventsFor("", uid)
		if len(evs) != 1 || evs[0].Reason != "PortUnavailable" {
			t.Errorf("%s: events on the IngressClass %v; want PortUnavailable", lang, evs)
		}
	}
}
