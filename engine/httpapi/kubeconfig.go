package httpapi

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/configdir"

	"github.com/google/renameio/v2"
	"sigs.k8s.io/yaml"
)

// contextPrefix starts the name of the kubeconfig context (and cluster
// and user) kubeplay writes; the address it serves on completes it, so
// that two kubeplays never share one.
const contextPrefix = "kubeplay"

// Kubeconfig is a kubeconfig with the one context, name, that reaches
// server with token, trusting the certificate caPEM.
func Kubeconfig(name, server, token string, caPEM []byte) []byte {
	return fmt.Appendf(nil, `apiVersion: v1
kind: Config
clusters:
- name: %[1]s
  cluster:
    server: %[2]s
    certificate-authority-data: %[4]s
users:
- name: %[1]s
  user:
    token: %[3]s
contexts:
- name: %[1]s
  context:
    cluster: %[1]s
    user: %[1]s
    namespace: default
current-context: %[1]s
`, name, server, token, base64.StdEncoding.EncodeToString(caPEM))
}

// instanceName is what tells one kubeplay's kubeconfig and context from
// another's: the port it serves on, and the host unless it is 127.0.0.1
// or every interface (another loopback address may serve the same port).
func instanceName(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "127.0.0.1" || (ip != nil && ip.IsUnspecified()) {
		return port
	}
	clean := strings.Map(func(r rune) rune {
		if r == ':' || r == '%' {
			return '-'
		}
		if r == '[' || r == ']' {
			return -1
		}
		return r
	}, host)
	return clean + "-" + port
}

// WriteKubeconfig writes kubeplay's own kubeconfig for one run in dir,
// as kubeconfig-PORT, and returns its path: `export KUBECONFIG=<path>`
// points a kubectl at the playground without touching the learner's
// other clusters. The file holds the run's token, so only its owner may
// read it.
func WriteKubeconfig(dir, name, server, token string, caPEM []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "kubeconfig-"+strings.TrimPrefix(name, contextPrefix+"-"))
	return path, renameio.WriteFile(path, Kubeconfig(name, server, token, caPEM), 0o600)
}

// kubeconfigFile is a kubeconfig read as plain YAML, so that whatever
// kubeplay does not know in it is kept as it was.
type kubeconfigFile struct {
	path string
	cfg  map[string]any
	mode fs.FileMode
}

func readKubeconfig(path string) (*kubeconfigFile, error) {
	f := &kubeconfigFile{path: path, cfg: map[string]any{}, mode: 0o600}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return f, nil
	case err != nil:
		return nil, err
	}
	if err := yaml.Unmarshal(data, &f.cfg); err != nil {
		return nil, fmt.Errorf("%s is not a kubeconfig kubeplay can read (%v); it was left as it was", path, err)
	}
	if f.cfg == nil {
		f.cfg = map[string]any{}
	}
	if st, err := os.Stat(path); err == nil {
		f.mode = st.Mode().Perm()
	}
	return f, nil
}

func (f *kubeconfigFile) write() error {
	out, err := yaml.Marshal(f.cfg)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return err
	}
	return renameio.WriteFile(f.path, out, f.mode)
}

// sections are the named lists a kubeconfig entry of kubeplay's spans.
var sections = []string{"clusters", "users", "contexts"}

// without drops the entries called name from every section.
func (f *kubeconfigFile) without(name string) {
	for _, section := range sections {
		entries, _ := f.cfg[section].([]any)
		kept := entries[:0:0]
		for _, e := range entries {
			if m, ok := e.(map[string]any); ok && m["name"] == name {
				continue
			}
			kept = append(kept, e)
		}
		f.cfg[section] = kept
	}
}

// entry is the entry called name in a section, or nil.
func (f *kubeconfigFile) entry(section, name string) map[string]any {
	entries, _ := f.cfg[section].([]any)
	for _, e := range entries {
		if m, ok := e.(map[string]any); ok && m["name"] == name {
			return m
		}
	}
	return nil
}

// MergeKubeconfig adds (or replaces) the cluster, user and context name
// in the kubeconfig at path and makes it the current context, as `kind`
// does, keeping everything else as it was. It returns the context that
// was current before, so the learner can switch back (and UnmergeKubeconfig
// does at exit).
func MergeKubeconfig(path, name, server, token string, caPEM []byte) (previous string, err error) {
	f, err := readKubeconfig(path)
	if err != nil {
		return "", err
	}
	var ours map[string]any
	if err := yaml.Unmarshal(Kubeconfig(name, server, token, caPEM), &ours); err != nil {
		return "", err
	}
	f.without(name)
	for _, section := range sections {
		f.cfg[section] = append(f.cfg[section].([]any), ours[section].([]any)...)
	}
	previous, _ = f.cfg["current-context"].(string)
	f.cfg["current-context"] = name
	if f.cfg["apiVersion"] == nil {
		f.cfg["apiVersion"], f.cfg["kind"] = "v1", "Config"
	}
	return previous, f.write()
}

// UnmergeKubeconfig takes out of the kubeconfig at path what
// MergeKubeconfig put there for the run whose token this is, and makes
// previous current again if the run's context still was. What another
// run has written since under the same name is left alone.
func UnmergeKubeconfig(path, name, token, previous string) error {
	f, err := readKubeconfig(path)
	if err != nil {
		return err
	}
	user, _ := f.entry("users", name)["user"].(map[string]any)
	if user == nil || user["token"] != token {
		return nil
	}
	f.without(name)
	if f.cfg["current-context"] == name {
		if previous != "" && f.entry("contexts", previous) != nil {
			f.cfg["current-context"] = previous
		} else {
			delete(f.cfg, "current-context")
		}
	}
	return f.write()
}

// Access is how a learner's own kubectl reaches one run's API: its
// address, the run's token, and the kubeconfig written for them. A front
// end that serves one cluster after another (the TUI's lessons) serves
// each with the same Access, so the kubeconfig stays right; Remove takes
// the kubeconfig away when the run ends, so that it never points at a
// port nobody serves, or at another run.
type Access struct {
	URL   string
	Token string
	// Context names the kubeconfig's context, cluster and user:
	// kubeplay-PORT.
	Context string
	// Path is kubeplay's own kubeconfig for the run, or "".
	Path string
	// MergedInto is the learner's kubeconfig the context was added to
	// (--write-kubeconfig), or ""; Previous was its current context.
	MergedInto, Previous string

	addr         string // bound, for the next server
	anyInterface bool
	creds        *credentials
	written      []byte // Path's contents
	removed      sync.Once
}

// Remove deletes the kubeconfig written for the run, or takes its
// context out of the learner's kubeconfig, unless another run has
// written it since.
func (a *Access) Remove() error {
	if a == nil {
		return nil
	}
	var err error
	a.removed.Do(func() {
		if a.MergedInto != "" {
			err = UnmergeKubeconfig(a.MergedInto, a.Context, a.Token, a.Previous)
		}
		if a.Path != "" {
			if data, rerr := os.ReadFile(a.Path); rerr == nil && bytes.Equal(data, a.written) {
				err = errors.Join(err, os.Remove(a.Path))
			}
		}
	})
	return err
}

// Banner is what a front end prints once the API listens: how to point a
// kubectl at it, in the learner's language.
func (a *Access) Banner(lang bilingual.Lang) string {
	var b strings.Builder
	if host, _, err := net.SplitHostPort(a.addr); err == nil {
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			where := a.Path
			if where == "" {
				where = a.MergedInto
			}
			b.WriteString(listenAnyWarning(lang, a.addr, where))
		}
	}
	fmt.Fprintf(&b, lang.Pick("kubeplay's API listens on %s. Use your own kubectl from another terminal:\n",
		"kubeplay API가 %s에서 기다려요. 다른 터미널에서 내 kubectl을 써 보세요:\n"), a.URL)
	if a.MergedInto != "" {
		fmt.Fprintf(&b, "  kubectl config use-context %s    # written into %s\n", a.Context, a.MergedInto)
		if a.Previous != "" && a.Previous != a.Context {
			fmt.Fprintf(&b, lang.Pick("  (back to your own: kubectl config use-context %s — kubeplay switches back when it exits)\n",
				"  (원래 컨텍스트로 돌아가려면: kubectl config use-context %s — kubeplay가 끝나면 저절로 돌아가요)\n"), a.Previous)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "  export KUBECONFIG=%s\n", a.Path)
	return b.String()
}

// localURL is the URL a kubectl on this machine reaches addr by:
// 127.0.0.1 when it is every interface.
func localURL(addr string) string {
	if host, port, err := net.SplitHostPort(addr); err == nil {
		if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
	}
	return "https://" + addr
}

// StartOptions say where and how a front end serves the API.
type StartOptions struct {
	Addr            string // DefaultAddr when empty
	AnyInterface    bool   // allow a non-loopback address
	WriteKubeconfig bool   // merge the context into the learner's kubeconfig
	ConfigDir       string // where kubeplay's own kubeconfig goes
	Lang            bilingual.Lang
	// Heard is the server's Heard (Server.Heard).
	Heard func(method, path, query string, body []byte)
	// Access, when set, is what the run's first server was started with:
	// this one serves on the same address with the same token, and the
	// kubeconfig written then stays as it is.
	Access *Access
}

// Start serves c's API as o says and writes a kubeconfig for it. It
// returns the server and how to reach it (Access.Banner says so to the
// learner). Like New, it must run on the kernel's goroutine before the
// kernel runs.
func Start(c backend.Cluster, o StartOptions) (*Server, *Access, error) {
	s := New(c, o.Lang)
	s.Heard = o.Heard
	if a := o.Access; a != nil {
		s.creds = a.creds
		if err := s.Listen(a.addr, a.anyInterface); err != nil {
			return nil, nil, err
		}
		return s, a, nil
	}
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	if err := s.Listen(o.Addr, o.AnyInterface); err != nil {
		return nil, nil, err
	}
	a := &Access{URL: localURL(s.Addr()), Token: s.Token(), Context: contextPrefix + "-" + instanceName(s.Addr()),
		addr: s.Addr(), anyInterface: o.AnyInterface, creds: s.creds}
	var err error
	if o.WriteKubeconfig {
		if a.MergedInto, err = configdir.Kubeconfig(); err == nil {
			a.Previous, err = MergeKubeconfig(a.MergedInto, a.Context, a.URL, a.Token, s.CACert())
		}
	} else if a.Path, err = WriteKubeconfig(o.ConfigDir, a.Context, a.URL, a.Token, s.CACert()); err == nil {
		a.written = Kubeconfig(a.Context, a.URL, a.Token, s.CACert())
	}
	if err != nil {
		_ = s.Close()
		return nil, nil, fmt.Errorf("writing the kubeconfig: %w", err)
	}
	return s, a, nil
}
