package httpapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/cluster"

	"sigs.k8s.io/yaml"
)

// TestMergeKubeconfig: the learner's other clusters stay, kubeplay's
// context is added once (again on a second run, not twice) and made
// current, and the one that was current is given back.
func TestMergeKubeconfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".kube", "config")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	mine := `apiVersion: v1
kind: Config
clusters:
- name: work
  cluster: {server: "https://work.example:6443"}
users:
- name: me
  user: {token: secret}
contexts:
- name: work
  context: {cluster: work, user: me}
current-context: work
`
	if err := os.WriteFile(path, []byte(mine), 0o600); err != nil {
		t.Fatal(err)
	}
	for run := range 2 {
		prev, err := MergeKubeconfig(path, "kubeplay-6445", "https://127.0.0.1:6445", "t0ken", []byte("ca"))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"work", "kubeplay-6445"}[run]; prev != want {
			t.Errorf("run %d: previous context %q, want %q", run, prev, want)
		}
	}
	data, _ := os.ReadFile(path)
	var cfg struct {
		Clusters []struct {
			Name    string `json:"name"`
			Cluster struct {
				Server string `json:"server"`
			} `json:"cluster"`
		} `json:"clusters"`
		Users          []map[string]any `json:"users"`
		Contexts       []map[string]any `json:"contexts"`
		CurrentContext string           `json:"current-context"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.CurrentContext != "kubeplay-6445" || len(cfg.Clusters) != 2 || len(cfg.Users) != 2 || len(cfg.Contexts) != 2 {
		t.Fatalf("merged kubeconfig:\n%s", data)
	}
	if cfg.Clusters[0].Cluster.Server != "https://work.example:6443" || !strings.Contains(string(data), "token: secret") {
		t.Errorf("the learner's own cluster changed:\n%s", data)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
}

// TestListenRefusesOtherInterfaces: without --listen-any only loopback.
func TestListenRefusesOtherInterfaces(t *testing.T) {
	s := &Server{}
	if err := s.Listen("0.0.0.0:0", false); err == nil || !strings.Contains(err.Error(), "--listen-any") {
		t.Fatalf("listening on every interface: %v", err)
	}
}

// TestEachRunHasItsOwnKubeconfig: a second kubeplay writes a kubeconfig
// of its own instead of pointing the first one's kubectl at itself, and
// each takes its own away at exit, leaving the other's.
func TestEachRunHasItsOwnKubeconfig(t *testing.T) {
	dir := t.TempDir()
	var runs []*Access
	for range 2 {
		c, err := cluster.New(cluster.Options{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		s, a, err := Start(c, StartOptions{Addr: "127.0.0.1:0", ConfigDir: dir, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		data, err := os.ReadFile(a.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "server: "+s.URL()+"\n") || !strings.Contains(string(data), "token: "+s.Token()+"\n") {
			t.Fatalf("%s:\n%s", a.Path, data)
		}
		if b := a.Banner("en"); !strings.Contains(b, "export KUBECONFIG="+a.Path+"\n") {
			t.Errorf("banner:\n%s", b)
		}
		runs = append(runs, a)
	}
	if runs[0].Path == runs[1].Path || runs[0].Context == runs[1].Context {
		t.Fatalf("two runs share %s (%s)", runs[0].Path, runs[0].Context)
	}
	if err := runs[0].Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(runs[0].Path); !os.IsNotExist(err) {
		t.Errorf("the first run's kubeconfig outlived it: %v", err)
	}
	if _, err := os.Stat(runs[1].Path); err != nil {
		t.Errorf("the second run's kubeconfig went with the first: %v", err)
	}
}

// TestMergedContextsComeAndGo: with --write-kubeconfig each run adds a
// context of its own, and at exit takes it away and gives back the
// context that was current — unless another run has since written the
// same name.
func TestMergedContextsComeAndGo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config")
	mine := "apiVersion: v1\nkind: Config\nclusters:\n- name: work\n  cluster: {server: \"https://work.example:6443\"}\n" +
		"users:\n- name: me\n  user: {token: secret}\ncontexts:\n- name: work\n  context: {cluster: work, user: me}\ncurrent-context: work\n"
	if err := os.WriteFile(path, []byte(mine), 0o600); err != nil {
		t.Fatal(err)
	}
	read := func() (names []string, current string) {
		var cfg struct {
			Contexts []struct {
				Name string `json:"name"`
			} `json:"contexts"`
			Current string `json:"current-context"`
		}
		data, _ := os.ReadFile(path)
		if err := yaml.Unmarshal(data, &cfg); err != nil {
			t.Fatal(err)
		}
		for _, c := range cfg.Contexts {
			names = append(names, c.Name)
		}
		return names, cfg.Current
	}
	prevA, err := MergeKubeconfig(path, "kubeplay-1111", "https://127.0.0.1:1111", "tokenA", []byte("ca"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := MergeKubeconfig(path, "kubeplay-2222", "https://127.0.0.1:2222", "tokenB", []byte("ca")); err != nil {
		t.Fatal(err)
	}
	if names, cur := read(); strings.Join(names, " ") != "work kubeplay-1111 kubeplay-2222" || cur != "kubeplay-2222" {
		t.Fatalf("after two merges: %v, current %s", names, cur)
	}
	if err := UnmergeKubeconfig(path, "kubeplay-1111", "tokenA", prevA); err != nil {
		t.Fatal(err)
	}
	if names, cur := read(); strings.Join(names, " ") != "work kubeplay-2222" || cur != "kubeplay-2222" {
		t.Fatalf("after the first run left: %v, current %s", names, cur)
	}
	// Another run now owns kubeplay-2222: a stale token takes nothing.
	if err := UnmergeKubeconfig(path, "kubeplay-2222", "tokenA", "work"); err != nil {
		t.Fatal(err)
	}
	if names, _ := read(); len(names) != 2 {
		t.Fatalf("another run's context was taken: %v", names)
	}
	if err := UnmergeKubeconfig(path, "kubeplay-2222", "tokenB", "work"); err != nil {
		t.Fatal(err)
	}
	if names, cur := read(); strings.Join(names, " ") != "work" || cur != "work" {
		t.Fatalf("after both left: %v, current %s", names, cur)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "token: secret") {
		t.Errorf("the learner's own user changed:\n%s", data)
	}
}

// TestListenAnyWarns: served on every interface, kubeplay says so, in
// the learner's language, and that the token is what keeps others out;
// its kubeconfig still reaches it through 127.0.0.1.
func TestListenAnyWarns(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s, a, err := Start(c, StartOptions{Addr: "0.0.0.0:0", AnyInterface: true, ConfigDir: t.TempDir(), Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	defer a.Remove()
	en, ko := a.Banner("en"), a.Banner("ko")
	if !strings.HasPrefix(en, "warning: --listen-any: the API is served on ") || !strings.Contains(en, "Only this run's token, in "+a.Path) {
		t.Errorf("English banner:\n%s", en)
	}
	if !strings.HasPrefix(ko, "경고: --listen-any:") || !strings.Contains(ko, "토큰") {
		t.Errorf("Korean banner:\n%s", ko)
	}
	if !strings.HasPrefix(a.URL, "https://127.0.0.1:") {
		t.Errorf("the kubeconfig's server is %s", a.URL)
	}
	// On loopback, no warning.
	c2, _ := cluster.New(cluster.Options{Seed: 1})
	s2, a2, err := Start(c2, StartOptions{Addr: "127.0.0.1:0", AnyInterface: true, ConfigDir: t.TempDir(), Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	defer a2.Remove()
	if b := a2.Banner("en"); strings.Contains(b, "warning") {
		t.Errorf("a loopback address warned:\n%s", b)
	}
}
