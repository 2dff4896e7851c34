package httpapi

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kubeplay/kubeplay/engine/cluster"

	"github.com/google/renameio/v2"
	"sigs.k8s.io/yaml"
)

// ContextName is the kubeconfig context (and cluster and user) kubeplay
// writes.
const ContextName = "kubeplay"

// Kubeconfig is a kubeconfig with the one context that reaches server.
func Kubeconfig(server string) []byte {
	return fmt.Appendf(nil, `apiVersion: v1
kind: Config
clusters:
- name: %[1]s
  cluster:
    server: %[2]s
users:
- name: %[1]s
  user: {}
contexts:
- name: %[1]s
  context:
    cluster: %[1]s
    user: %[1]s
    namespace: default
current-context: %[1]s
`, ContextName, server)
}

// WriteKubeconfig writes kubeplay's own kubeconfig file in dir and returns
// its path: `export KUBECONFIG=<path>` points a kubectl at the playground
// without touching the learner's other clusters.
func WriteKubeconfig(dir, server string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "kubeconfig")
	return path, renameio.WriteFile(path, Kubeconfig(server), 0o600)
}

// DefaultKubeconfigPath is where kubectl reads its configuration: the
// first file of $KUBECONFIG, else ~/.kube/config.
func DefaultKubeconfigPath() (string, error) {
	if v := os.Getenv("KUBECONFIG"); v != "" {
		for _, p := range filepath.SplitList(v) {
			if p != "" {
				return p, nil
			}
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".kube", "config"), nil
}

// MergeKubeconfig adds (or replaces) the kubeplay cluster, user and
// context in the kubeconfig at path and makes it the current context, as
// `kind` does, keeping everything else as it was. It returns the context
// that was current before, so the learner can switch back.
func MergeKubeconfig(path, server string) (previous string, err error) {
	cfg := map[string]any{}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return "", err
	default:
		if err := yaml.Unmarshal(data, &cfg); err != nil {
			return "", fmt.Errorf("%s is not a kubeconfig kubeplay can read (%v); it was left as it was", path, err)
		}
		if cfg == nil {
			cfg = map[string]any{}
		}
	}
	var ours map[string]any
	if err := yaml.Unmarshal(Kubeconfig(server), &ours); err != nil {
		return "", err
	}
	for _, section := range []string{"clusters", "users", "contexts"} {
		entries, _ := cfg[section].([]any)
		kept := entries[:0:0]
		for _, e := range entries {
			if m, ok := e.(map[string]any); ok && m["name"] == ContextName {
				continue
			}
			kept = append(kept, e)
		}
		cfg[section] = append(kept, ours[section].([]any)...)
	}
	previous, _ = cfg["current-context"].(string)
	cfg["current-context"] = ContextName
	if cfg["apiVersion"] == nil {
		cfg["apiVersion"], cfg["kind"] = "v1", "Config"
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	mode := fs.FileMode(0o600)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	return previous, renameio.WriteFile(path, out, mode)
}

// Banner is what a front end prints once the API listens: how to point a
// kubectl at it, in the learner's language.
func Banner(lang, url, kubeconfig, mergedInto, previous string) string {
	var b strings.Builder
	if lang == "ko" {
		fmt.Fprintf(&b, "kubeplay API가 %s 에서 기다려요. 다른 터미널에서 내 kubectl을 써 보세요:\n", url)
	} else {
		fmt.Fprintf(&b, "kubeplay's API listens on %s. Use your own kubectl from another terminal:\n", url)
	}
	if mergedInto != "" {
		fmt.Fprintf(&b, "  kubectl config use-context %s    # written into %s\n", ContextName, mergedInto)
		if previous != "" && previous != ContextName {
			if lang == "ko" {
				fmt.Fprintf(&b, "  (원래 컨텍스트로 돌아가려면: kubectl config use-context %s)\n", previous)
			} else {
				fmt.Fprintf(&b, "  (back to your own: kubectl config use-context %s)\n", previous)
			}
		}
		return b.String()
	}
	fmt.Fprintf(&b, "  export KUBECONFIG=%s\n", kubeconfig)
	return b.String()
}

// StartOptions say where and how a front end serves the API.
type StartOptions struct {
	Addr            string // DefaultAddr when empty
	AnyInterface    bool   // allow a non-loopback address
	WriteKubeconfig bool   // merge the context into the learner's kubeconfig
	ConfigDir       string // where kubeplay's own kubeconfig goes
	Lang            string
}

// Start serves c's API as o says and writes a kubeconfig for it. It
// returns the server and the banner to show. Like New, it must run on the
// kernel's goroutine before the kernel runs.
func Start(c *cluster.Cluster, o StartOptions) (*Server, string, error) {
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	s := New(c, o.Lang)
	if err := s.Listen(o.Addr, o.AnyInterface); err != nil {
		return nil, "", err
	}
	var path, merged, previous string
	var err error
	if o.WriteKubeconfig {
		if merged, err = DefaultKubeconfigPath(); err == nil {
			previous, err = MergeKubeconfig(merged, s.URL())
		}
	} else {
		path, err = WriteKubeconfig(o.ConfigDir, s.URL())
	}
	if err != nil {
		_ = s.Close()
		return nil, "", fmt.Errorf("writing the kubeconfig: %w", err)
	}
	return s, Banner(o.Lang, s.URL(), path, merged, previous), nil
}
