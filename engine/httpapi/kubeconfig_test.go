package httpapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
		prev, err := MergeKubeconfig(path, "http://127.0.0.1:6445")
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"work", ContextName}[run]; prev != want {
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
	if cfg.CurrentContext != ContextName || len(cfg.Clusters) != 2 || len(cfg.Users) != 2 || len(cfg.Contexts) != 2 {
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
