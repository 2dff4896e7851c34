package realcluster

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/bilingual"
)

const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- {name: kind, cluster: {server: "https://127.0.0.1:40123"}}
- {name: mk, cluster: {server: "https://192.168.49.2:8443"}}
- {name: loop, cluster: {server: "https://localhost:6443"}}
- {name: team, cluster: {server: "https://10.20.30.40:6443"}}
- {name: cloud, cluster: {server: "https://ABC.gr7.eu-west-1.eks.amazonaws.com"}}
users:
- {name: u, user: {token: t}}
contexts:
- {name: kind-dev, context: {cluster: kind, user: u}}
- {name: minikube, context: {cluster: mk, user: u, namespace: work}}
- {name: on-loopback, context: {cluster: loop, user: u}}
- {name: team, context: {cluster: team, user: u}}
- {name: k3d-looks-local, context: {cluster: cloud, user: u}}
- {name: prod, context: {cluster: cloud, user: u}}
current-context: team
`

func writeKubeconfig(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(p, []byte(kubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestResolvePicksContextServerAndNamespaceAsKubectl(t *testing.T) {
	p := writeKubeconfig(t)
	tg, err := Resolve(p, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Context != "team" || tg.Server != "https://10.20.30.40:6443" || tg.Namespace != "default" || tg.User != "u" {
		t.Errorf("current context: %+v", tg)
	}
	tg, err = Resolve(p, "minikube", "")
	if err != nil || tg.Namespace != "work" || tg.Server != "https://192.168.49.2:8443" {
		t.Errorf("minikube: %+v %v (the context's namespace)", tg, err)
	}
	if tg, _ := Resolve(p, "minikube", "other"); tg.Namespace != "other" {
		t.Errorf("-n other gave namespace %q", tg.Namespace)
	}
	if _, err := Resolve(p, "nope", ""); err == nil || !strings.Contains(err.Error(), `no context "nope" (it has: k3d-looks-local, kind-dev, minikube, on-loopback, prod, team)`) {
		t.Errorf("unknown context: %v", err)
	}
	if _, err := Resolve(filepath.Join(t.TempDir(), "missing"), "", ""); err == nil {
		t.Error("a missing kubeconfig resolved")
	}
}

func TestLocalIsKindK3dMinikubeDockerDesktopOrLoopback(t *testing.T) {
	p := writeKubeconfig(t)
	for ctx, want := range map[string]bool{
		"kind-dev": true, "minikube": true, "on-loopback": true, "k3d-looks-local": true,
		"team": false, "prod": false,
	} {
		tg, err := Resolve(p, ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if got, why := tg.Local(); got != want {
			t.Errorf("%s (%s): local %v, want %v (%s)", ctx, tg.Server, got, want, why)
		}
	}
}

// TestConfirmAsksBeforeTouchingAClusterNotLocal: a context that is not
// local is touched only after a yes — typed at a terminal, or --yes — and
// the question reads only its own line, leaving the shell's commands.
func TestConfirmAsksBeforeTouchingAClusterNotLocal(t *testing.T) {
	p := writeKubeconfig(t)
	team, _ := Resolve(p, "team", "")
	kind, _ := Resolve(p, "kind-dev", "")

	var out bytes.Buffer
	if err := kind.Confirm(false, false, strings.NewReader(""), &out, bilingual.English); err != nil || out.Len() != 0 {
		t.Errorf("a local context asked: %v %q", err, out.String())
	}
	if err := team.Confirm(true, false, strings.NewReader(""), &out, bilingual.English); err != nil {
		t.Errorf("--yes: %v", err)
	}

	// A script (no terminal) is never taken as consent: its first line is
	// a command, not an answer.
	in := strings.NewReader("yes\n")
	out.Reset()
	err := team.Confirm(false, false, in, &out, bilingual.English)
	if err == nil || !strings.Contains(err.Error(), "not attached to context team") {
		t.Fatalf("no terminal, no --yes: %v", err)
	}
	if in.Len() != len("yes\n") || !strings.Contains(out.String(), "context team (server https://10.20.30.40:6443) is not obviously a cluster on this machine") {
		t.Errorf("read %d bytes, said %q", len("yes\n")-in.Len(), out.String())
	}

	in = strings.NewReader("yes\nget pods\n")
	out.Reset()
	if err := team.Confirm(false, true, in, &out, bilingual.English); err != nil {
		t.Errorf("typed yes: %v", err)
	}
	if rest, _ := io.ReadAll(in); string(rest) != "get pods\n" || !strings.Contains(out.String(), "Type yes to go on") {
		t.Errorf("left %q unread, said %q", rest, out.String())
	}

	for _, answer := range []string{"no\n", "\n", ""} {
		out.Reset()
		if err := team.Confirm(false, true, strings.NewReader(answer), &out, bilingual.Korean); err == nil || !strings.Contains(err.Error(), "연결하지 않았어요") {
			t.Errorf("answer %q: %v", answer, err)
		}
	}
}
