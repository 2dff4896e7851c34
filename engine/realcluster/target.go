// Package realcluster is kubeplay attached to a real Kubernetes cluster
// over a kubeconfig (kind, k3d, minikube, a team's or a cloud's): the
// front door (engine/backend.Cluster) implemented with client-go, so that
// the prompt, the board and the flow work on it as on the embedded engine,
// and say so where they cannot (no faults, no virtual time).
package realcluster

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/kubeplay/kubeplay/engine/bilingual"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// Target is the cluster a kubeconfig's context points at.
type Target struct {
	Kubeconfig string // the file
	Context    string // the context used: the one asked for, else the current one
	Server     string // the apiserver's URL
	User       string // the kubeconfig's user of the context
	// Namespace is -n when given, else the context's, else "default", as
	// kubectl chooses it.
	Namespace string
	Config    *rest.Config
}

// Resolve reads the kubeconfig at path (only that file: kubeplay attaches
// where it is told to, never where $KUBECONFIG happens to point) and the
// context asked for ("" for its current one).
func Resolve(path, context, namespace string) (Target, error) {
	if path == "" {
		return Target{}, errors.New("no kubeconfig given")
	}
	rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: path}
	overrides := &clientcmd.ConfigOverrides{CurrentContext: context}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides)
	raw, err := cc.RawConfig()
	if err != nil {
		return Target{}, fmt.Errorf("reading the kubeconfig %s: %w", path, err)
	}
	name := context
	if name == "" {
		name = raw.CurrentContext
	}
	if name == "" {
		return Target{}, fmt.Errorf("the kubeconfig %s has no current context: name one with --context", path)
	}
	kctx, ok := raw.Contexts[name]
	if !ok {
		return Target{}, fmt.Errorf("the kubeconfig %s has no context %q (it has: %s)", path, name, strings.Join(contextNames(raw.Contexts), ", "))
	}
	cfg, err := cc.ClientConfig()
	if err != nil {
		return Target{}, fmt.Errorf("the context %q of %s: %w", name, path, err)
	}
	ns := namespace
	if ns == "" {
		ns = kctx.Namespace
	}
	if ns == "" {
		ns = "default"
	}
	return Target{Kubeconfig: path, Context: name, Server: cfg.Host, User: kctx.AuthInfo, Namespace: ns, Config: cfg}, nil
}

// contextNames are a kubeconfig's contexts, sorted: a message that reads
// the same every time.
func contextNames[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// localPrefixes are the context names the local cluster tools write:
// kind and k3d name theirs after the cluster, minikube and Docker
// Desktop use their own name.
var localPrefixes = []string{"kind-", "k3d-"}
var localNames = []string{"minikube", "docker-desktop", "rancher-desktop", "orbstack"}

// Local says whether t is obviously a cluster on the learner's own
// machine — a context named as kind, k3d, minikube or Docker Desktop name
// theirs, or an apiserver on a loopback address — and why. Anything else
// might be a team's or a cloud's, where a learner's mistake costs more:
// kubeplay asks before touching it.
func (t Target) Local() (bool, string) {
	for _, p := range localPrefixes {
		if strings.HasPrefix(t.Context, p) {
			return true, fmt.Sprintf("context %s is %s's", t.Context, strings.TrimSuffix(p, "-"))
		}
	}
	for _, n := range localNames {
		if t.Context == n {
			return true, fmt.Sprintf("context %s is %s's", t.Context, n)
		}
	}
	if loopback(t.Server) {
		return true, fmt.Sprintf("its server %s is on this machine", t.Server)
	}
	return false, ""
}

// loopback reports whether a server URL's host is this machine's loopback.
func loopback(server string) bool {
	u, err := url.Parse(server)
	if err != nil || u.Host == "" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// The sentences of attaching.
var (
	attachingText = bilingual.Text{
		EN: "kubeplay: attaching to context %s (server %s, namespace %s): a real cluster, so there are no faults and no virtual time",
		KO: "kubeplay: 컨텍스트 %s(서버 %s, 네임스페이스 %s)에 연결해요. 진짜 클러스터라 장애 주입과 가상 시간은 없어요",
	}
	notLocalText = bilingual.Text{
		EN: "context %s (server %s) is not obviously a cluster on this machine (kind-*, k3d-*, minikube, docker-desktop or a loopback server), and kubeplay runs your commands there for real",
		KO: "컨텍스트 %s(서버 %s)는 이 컴퓨터의 클러스터(kind-*, k3d-*, minikube, docker-desktop, 루프백 서버)로 보이지 않아요. kubeplay는 그곳에서 명령을 실제로 실행해요",
	}
	askText = bilingual.Text{
		EN: "Attach to it? Type yes to go on: ",
		KO: "연결할까요? 계속하려면 yes를 입력하세요: ",
	}
	refusedText = bilingual.Text{
		EN: "not attached to context %s: kubeplay touches a cluster that is not local only after a yes (type yes when asked, or pass --yes)",
		KO: "컨텍스트 %s에 연결하지 않았어요. 로컬이 아닌 클러스터는 yes를 받아야만 건드려요(물을 때 yes를 입력하거나 --yes를 주세요)",
	}
)

// Attaching is the line kubeplay prints before it talks to t.
func (t Target) Attaching(lang bilingual.Lang) string {
	return fmt.Sprintf(attachingText.In(lang), t.Context, t.Server, t.Namespace)
}

// Confirm decides whether kubeplay may touch t: a local cluster always, a
// context that is not obviously local only with yes (--yes) or when the
// person at a terminal (ask) types yes on in. Without a terminal and
// without --yes, it refuses: a script is never taken as consent. What it
// says goes to out.
func (t Target) Confirm(yes, ask bool, in io.Reader, out io.Writer, lang bilingual.Lang) error {
	if ok, _ := t.Local(); ok || yes {
		return nil
	}
	fmt.Fprintln(out, "kubeplay: "+fmt.Sprintf(notLocalText.In(lang), t.Context, t.Server))
	if ask {
		fmt.Fprint(out, askText.In(lang))
		var answer string
		buf := make([]byte, 1)
		for {
			n, err := in.Read(buf)
			if n == 1 && buf[0] != '\n' {
				answer += string(buf[0])
				continue
			}
			if n == 1 || err != nil {
				break
			}
		}
		switch strings.ToLower(strings.TrimSpace(answer)) {
		case "yes", "y", "예", "네":
			return nil
		}
	}
	return fmt.Errorf(refusedText.In(lang), t.Context)
}

var unwatchedText = bilingual.Text{
	EN: "kubeplay: cannot watch %s here (your RBAC, most likely: %s); the board and the flow show only what it can watch",
	KO: "kubeplay: 여기서는 %s을 지켜볼 수 없어요(아마 RBAC 권한 때문이에요: %s). 보드와 흐름은 지켜볼 수 있는 것만 보여 줘요",
}

// UnwatchedNotice says which kinds kubeplay cannot watch, and the first
// reason, in one line.
func UnwatchedNotice(unwatched map[string]error, lang bilingual.Lang) string {
	names := slices.Sorted(maps.Keys(unwatched))
	return lang.Sprintf(unwatchedText.In(lang), strings.Join(names, ", "), unwatched[names[0]])
}
